"""The stored status of each obligation: kept current by events, checked every night.

Every open obligation stores what decides its status: whether the person's
enrollment is in progress (``is_started``), the latest completion
(``satisfied_at``), when a recertified completion stops counting
(``valid_until``), when the module is next due (``next_due_on``) and an
exemption (``exempt_at``), plus ``status`` itself as of the day it was
written. The event that changes one of them — a module started or completed
(``signals.module_started``, ``signals.module_completed``), people joining
or leaving a target group, a changed due rule, a renewal, an exemption —
calls ``sync`` for the rows it touched, in its own transaction.

Passing time needs no write: a row becomes overdue when ``next_due_on`` is
past and a completion expires on ``valid_until``. Readers therefore never
trust ``status`` for a day other than the one it was written on; they use
``current_status(on)``, a ``CASE`` over the stored columns of the obligation
row alone (no join to enrollments, completions or assignments), which equals
the status computed from the sources on any day. ``reconcile`` (the nightly
``flask reminders send`` job and ``flask assignments reconcile``) recomputes
every open row from the sources, rewrites ``status`` for today, and reports
the rows whose stored facts were wrong — a sign that some change bypassed the
events above.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import Date, and_, bindparam, case, exists, func, literal, or_, select, update

from lms import clock
from lms.extensions import db
from lms.models import Assignment, Enrollment, Module, ModuleCompletion, Obligation, User
from lms.services import audit, duedates, personal_cache
from lms.services.assignments import counts
from lms.services.errors import DomainError

STATUSES = ("completed", "in_progress", "not_started", "overdue", "exempt")
# Columns that hold facts (a difference there is a correction, not time passing).
FACTS = ("satisfied_at", "completion_id", "is_started", "valid_until", "next_due_on")
BATCH = 1000


def decide(*, due_on: date, satisfied_at: datetime | None, months: int | None,
           is_started: bool, exempt_at: datetime | None, on: date) -> dict:
    """The stored columns an obligation should have on day ``on``, from its sources."""
    valid_until = (duedates.add_months(duedates.local_date(satisfied_at), months)
                   if months and satisfied_at is not None else None)
    next_due_on = max(due_on, valid_until) if valid_until else due_on
    if exempt_at is not None:
        status = "exempt"
    elif satisfied_at is not None and (valid_until is None or valid_until > on):
        status = "completed"
    elif next_due_on < on:
        status = "overdue"
    else:
        status = "in_progress" if is_started else "not_started"
    return {"valid_until": valid_until, "next_due_on": next_due_on, "status": status}


def current_status(on: date | None = None):
    """SQL: each obligation's status on day ``on`` (default today) from its stored columns.

    The same decision as ``decide``; only the obligations table is read.
    """
    return status_on(literal(on or duedates.today(), Date()))


def status_on(day):
    """``current_status`` on a day given as SQL (a bound parameter of a statement that is
    built once and run with many days)."""
    o = Obligation
    return case(
        (o.exempt_at.is_not(None), "exempt"),
        (and_(o.satisfied_at.is_not(None), or_(o.valid_until.is_(None), o.valid_until > day)),
         "completed"),
        (o.next_due_on < day, "overdue"),
        (o.is_started, "in_progress"),
        else_="not_started")


def _latest_completion(column):
    completions = ModuleCompletion.__table__
    return (select(column)
            .where(completions.c.user_id == Obligation.user_id,
                   completions.c.module_id == Obligation.module_id)
            .order_by(completions.c.completed_at.desc(), completions.c.id.desc())
            .limit(1).scalar_subquery())


def _started():
    return exists().where(Enrollment.user_id == Obligation.user_id,
                          Enrollment.module_id == Obligation.module_id,
                          Enrollment.status == "in_progress")


@dataclass
class SyncResult:
    """Rows examined; rows whose facts were wrong (``corrected``, their ids) and rows whose
    status only moved on with time (``moved``); for ``reconcile``, the (assignment,
    department) pairs whose compliance counts or departments were wrong (``recounted``)."""

    examined: int = 0
    corrected: list[int] = field(default_factory=list)
    moved: int = 0
    recounted: list[tuple[int, int | None]] = field(default_factory=list)


def sync(*conditions, on: date | None = None, count: bool = True) -> SyncResult:
    """Recompute the stored status of the open obligations matching ``conditions``.

    Reads the sources (latest completion, enrollment, the assignment's
    recertification period) in one query and writes only the rows that
    differ, in batches, then recounts their (assignment, department) pairs
    in ``ObligationCount`` unless ``count`` is false (the caller recounts).
    Flushes; never commits.
    """
    on = on or duedates.today()
    db.session.flush()
    query = (select(Obligation.id, Obligation.due_on, Obligation.exempt_at,
                    Assignment.recertify_months,
                    _latest_completion(ModuleCompletion.completed_at).label("new_satisfied_at"),
                    _latest_completion(ModuleCompletion.id).label("new_completion_id"),
                    _started().label("new_is_started"),
                    *[getattr(Obligation, name) for name in (*FACTS, "status")])
             .join(Assignment, Assignment.id == Obligation.assignment_id)
             .where(Obligation.closed_at.is_(None), *conditions))
    result = SyncResult()
    changes: list[dict] = []
    for row in db.session.execute(query):
        result.examined += 1
        wanted = {"satisfied_at": row.new_satisfied_at, "completion_id": row.new_completion_id,
                  "is_started": bool(row.new_is_started)}
        wanted.update(decide(due_on=row.due_on, satisfied_at=row.new_satisfied_at,
                             months=row.recertify_months, is_started=wanted["is_started"],
                             exempt_at=row.exempt_at, on=on))
        current = {name: getattr(row, name) for name in (*FACTS, "status")}
        current["is_started"] = bool(current["is_started"])
        if current == wanted:
            continue
        if any(current[name] != wanted[name] for name in FACTS):
            result.corrected.append(row.id)
        else:
            result.moved += 1
        changes.append({"b_id": row.id, **wanted})
    table = Obligation.__table__
    statement = (update(table).where(table.c.id == bindparam("b_id"))
                 .values({name: bindparam(name) for name in (*FACTS, "status")}))
    for start in range(0, len(changes), BATCH):
        db.session.execute(statement, changes[start:start + BATCH],
                           execution_options={"synchronize_session": False})
    if changes:
        db.session.expire_all()
        if count:
            counts.recount(*conditions)
    return result


def sync_people_modules(user_ids, module_ids=None) -> SyncResult:
    """``sync`` for some people's obligations (optionally for some modules only)."""
    conditions = [Obligation.user_id.in_(list(user_ids))]
    if module_ids is not None:
        conditions.append(Obligation.module_id.in_(list(module_ids)))
    return sync(*conditions)


def sync_assignments(assignment_ids) -> SyncResult:
    return sync(Obligation.assignment_id.in_(list(assignment_ids)))


def reconcile(on: date | None = None) -> SyncResult:
    """Recompute every open obligation from the sources and repair what differs.

    Rows whose facts were wrong are listed in ``corrected`` (and in the audit
    log); rows whose status merely moved on with time are counted in
    ``moved``. Ends exemptions past their last day first. Processes one
    assignment at a time so memory stays small. Then copies people's current
    department onto rows that missed a move and recounts the compliance
    counts, listing the (assignment, department) pairs it had to correct in
    ``recounted`` (also audited).
    """
    total = SyncResult()
    end_exemptions(on)
    ids = list(db.session.execute(select(Obligation.assignment_id).where(
        Obligation.closed_at.is_(None)).distinct()).scalars())
    for assignment_id in sorted(ids):
        part = sync(Obligation.assignment_id == assignment_id, on=on)
        total.examined += part.examined
        total.corrected += part.corrected
        total.moved += part.moved
    # A department move the obligations missed is a correction too (its pairs are
    # recounted at once, so ``check`` would not see them).
    wrong = counts.follow_departments() | set(counts.check())
    total.recounted = sorted(wrong, key=lambda p: (p[0], p[1] is None, p[1] or 0))
    if total.corrected or total.recounted:
        audit.record(None, "assignment.reconcile", None, corrected=len(total.corrected),
                     obligations=total.corrected[:100],
                     counts_recounted=[list(p) for p in total.recounted[:100]])
    if total.corrected or total.moved:
        personal_cache.forget_everyone()
    return total


# --- exemptions --------------------------------------------------------------------------

def exempt(obligation: Obligation, *, actor: User | None, reason: str,
           until: date | None = None) -> Obligation:
    """Exempt a person from one obligation (e.g. trained elsewhere); needs a reason.

    ``until`` is the exemption's last day (None: until withdrawn); the nightly
    reconcile ends it the day after (``end_exemptions``). An exempt obligation
    is left out of compliance figures and reminders. Raises ``DomainError`` for
    a closed or already exempt obligation, an empty reason or an end date
    before today.
    """
    reason = (reason or "").strip()
    if obligation.closed_at is not None:
        raise DomainError(_("This obligation is closed."))
    if obligation.exempt_at is not None:
        raise DomainError(_("This person is already exempt from this assignment."),
                          field="email")
    if not reason:
        raise DomainError(_("Say why the person is exempt."), field="reason")
    if until is not None and until < duedates.today():
        raise DomainError(_("The last day of the exemption cannot be in the past."),
                          field="until")
    obligation.exempt_at = clock.now()
    obligation.exempt_reason = reason[:200]
    obligation.exempt_until = until
    sync(Obligation.id == obligation.id)
    audit.record(actor, "assignment.exempt", obligation.assignment, user_id=obligation.user_id,
                 reason=obligation.exempt_reason,
                 until=until.isoformat() if until else None)
    return obligation


def withdraw_exemption(obligation: Obligation, *, actor: User | None) -> Obligation:
    """Undo ``exempt``: the obligation counts again from now."""
    if obligation.exempt_at is None:
        return obligation
    obligation.exempt_at = None
    obligation.exempt_reason = None
    obligation.exempt_until = None
    sync(Obligation.id == obligation.id)
    audit.record(actor, "assignment.exempt_withdrawn", obligation.assignment,
                 user_id=obligation.user_id)
    return obligation


def grant_exemption(assignment: Assignment, email: str, *, actor: User | None, reason: str,
                    until: date | None = None) -> Obligation:
    """Exempt the person with ``email`` from ``assignment`` (``exempt``); raises
    ``DomainError`` at ``email`` when nobody with that address has it open."""
    address = (email or "").strip().lower()
    obligation = db.session.execute(
        select(Obligation).join(User, User.id == Obligation.user_id)
        .where(Obligation.assignment_id == assignment.id, Obligation.closed_at.is_(None),
               User.email == address)).scalar_one_or_none()
    if obligation is None:
        raise DomainError(_("Nobody with this email address has this assignment open."),
                          field="email")
    return exempt(obligation, actor=actor, reason=reason, until=until)


@dataclass
class ExemptRow:
    obligation_id: int
    assignment_id: int
    module: str
    name: str
    email: str
    reason: str
    since: datetime
    until: date | None


def exemptions(assignment_id: int | None = None, *, limit: int = 50,
               offset: int = 0) -> tuple[list[ExemptRow], int]:
    """Current exemptions (of one assignment when given), newest first, and how many there
    are. Two queries."""
    conditions = [Obligation.closed_at.is_(None), Obligation.exempt_at.is_not(None)]
    if assignment_id is not None:
        conditions.append(Obligation.assignment_id == assignment_id)
    total = db.session.scalar(select(func.count(Obligation.id)).where(*conditions)) or 0
    rows = db.session.execute(
        select(Obligation.id, Obligation.assignment_id, Module.title, User.name, User.email,
               Obligation.exempt_reason, Obligation.exempt_at, Obligation.exempt_until)
        .join(User, User.id == Obligation.user_id)
        .join(Module, Module.id == Obligation.module_id)
        .where(*conditions)
        .order_by(Obligation.exempt_at.desc(), Obligation.id.desc())
        .limit(limit).offset(offset))
    return [ExemptRow(*row) for row in rows], total


def end_exemptions(on: date | None = None) -> list[int]:
    """End the exemptions whose last day is before ``on`` (default today): the obligations
    count again. Returns their ids; ``reconcile`` then writes their status and counts."""
    on = on or duedates.today()
    table = Obligation.__table__
    ended = [*db.session.execute(select(table.c.id).where(
        table.c.closed_at.is_(None), table.c.exempt_at.is_not(None),
        table.c.exempt_until < literal(on, Date()))).scalars()]
    if ended:
        db.session.execute(update(table).where(table.c.id.in_(ended)).values(
            exempt_at=None, exempt_reason=None, exempt_until=None))
        audit.record(None, "assignment.exemptions_ended", None, obligations=ended[:100],
                     count=len(ended))
    return ended
