"""Mandatory assignments: the rules admins write and the obligations they imply.

An assignment names a module, a target (everyone, departments with or
without their sub-departments, cohorts, a role, or named people), a due rule
(a date, or N days after the person was assigned or joined) and optionally
a recertification period. Obligations — one open row per assignment and
person — are derived from the rules by set-based statements: one
``INSERT ... SELECT`` opens what is missing and one ``UPDATE`` closes what no
longer applies, whatever the number of people. ``refresh_obligations`` runs
when a rule changes and when people are created, imported or changed, so a
person who joins a department later is assigned automatically and a leaver's
open obligations close (their history stays).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import (
    Date,
    Integer,
    Select,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    text,
    true,
    tuple_,
    union_all,
    update,
)

from lms import clock, dates
from lms.extensions import db
from lms.models import (
    DUE_KINDS,
    ROLE_NAMES,
    TARGET_KINDS,
    Assignment,
    Cohort,
    Department,
    Enrollment,
    Module,
    ModuleCompletion,
    Obligation,
    Step,
    StepProgress,
    User,
    normalise_email,
)
from lms.models.assignments import (
    DEFAULT_ESCALATE_AFTER_DAYS,
    DEFAULT_OVERDUE_EVERY_DAYS,
    DEFAULT_REMIND_DAYS_BEFORE,
    assignment_cohorts,
    assignment_departments,
    assignment_people,
)
from lms.models.base import UTCDateTime
from lms.models.users import Role, cohort_members, user_roles
from lms.services import audit, duedates
from lms.services.assignments import counts
from lms.services.assignments import status as stored_status
from lms.services.departments import department_descendants
from lms.services.errors import DomainError
from lms.services.learning import step_kinds

TARGET_LABELS = {
    "everyone": _l("Everyone"),
    "departments": _l("Departments"),
    "cohorts": _l("Cohorts"),
    "role": _l("Everyone with a role"),
    "people": _l("Named people"),
}
DUE_LABELS = {
    "date": _l("On a date"),
    "after_assigned": _l("Days after being assigned"),
    "after_joined": _l("Days after joining"),
}
MAX_DUE_DAYS = 3650
MAX_RECERTIFY_MONTHS = 120
# SQLite refuses compound selects with more than 500 parts.
ASSIGNMENTS_PER_STATEMENT = 200
# Above this many people a refresh covers everyone (one statement, no huge IN lists).
MAX_LISTED_PEOPLE = 500
# Refresh PostgreSQL's planner statistics after opening this many obligations.
ANALYZE_AFTER = 1000


@dataclass
class Rule:
    """What an admin asks for; validated by ``create_assignment``/``update_assignment``."""

    module: Module | None
    target_kind: str
    department_ids: list[int] = field(default_factory=list)
    include_subdepartments: bool = True
    cohort_ids: list[int] = field(default_factory=list)
    role: str | None = None
    people_emails: list[str] = field(default_factory=list)
    due_kind: str = "date"
    due_on: date | None = None
    due_days: int | None = None
    recertify_months: int | None = None
    remind_days_before: list[int] = field(
        default_factory=lambda: list(DEFAULT_REMIND_DAYS_BEFORE))
    overdue_every_days: int = DEFAULT_OVERDUE_EVERY_DAYS
    escalate_after_days: int | None = DEFAULT_ESCALATE_AFTER_DAYS


@dataclass
class RefreshResult:
    opened: int = 0
    closed: int = 0


@dataclass
class _Resolved:
    departments: list[Department] = field(default_factory=list)
    cohorts: list[Cohort] = field(default_factory=list)
    people: list[User] = field(default_factory=list)
    matched: int = 0


# --- who a rule targets -------------------------------------------------------------------

def _users_condition(kind: str, *, department_ids, cohort_ids, role, person_ids):
    """A WHERE clause on ``users`` selecting the targeted people (active or not)."""
    users = User.__table__
    if kind == "everyone":
        return true()
    if kind == "departments":
        return users.c.department_id.in_(department_ids)
    if kind == "cohorts":
        return users.c.id.in_(select(cohort_members.c.user_id)
                              .where(cohort_members.c.cohort_id.in_(cohort_ids)))
    if kind == "role":
        return users.c.id.in_(select(user_roles.c.user_id)
                              .join(Role.__table__, Role.__table__.c.id == user_roles.c.role_id)
                              .where(Role.__table__.c.name == role))
    if kind == "people":
        return users.c.id.in_(person_ids)
    raise ValueError(kind)


def _stored_condition(assignment: Assignment, department_ids: set[int]):
    return _users_condition(
        assignment.target_kind,
        department_ids=sorted(department_ids),
        cohort_ids=select(assignment_cohorts.c.cohort_id)
        .where(assignment_cohorts.c.assignment_id == assignment.id),
        role=assignment.target_role,
        person_ids=select(assignment_people.c.user_id)
        .where(assignment_people.c.assignment_id == assignment.id))


def _target_departments(assignments: Sequence[Assignment]) -> dict[int, set[int]]:
    """Department ids each departments-assignment reaches (with sub-departments if asked)."""
    ids = [a.id for a in assignments if a.target_kind == "departments"]
    if not ids:
        return {}
    listed: dict[int, set[int]] = defaultdict(set)
    for assignment_id, department_id in db.session.execute(
            select(assignment_departments.c.assignment_id, assignment_departments.c.department_id)
            .where(assignment_departments.c.assignment_id.in_(ids))):
        listed[assignment_id].add(department_id)
    result = {}
    for assignment in assignments:
        if assignment.target_kind != "departments":
            continue
        chosen = listed.get(assignment.id, set())
        result[assignment.id] = (department_descendants(chosen)
                                 if assignment.include_subdepartments else chosen)
    return result


def _due_expression(assignment: Assignment, today: date, offset_minutes: int):
    users = User.__table__
    if assignment.due_kind == "date":
        return literal(assignment.due_on, Date())
    if assignment.due_kind == "after_assigned":
        # Everyone this statement opens is assigned today.
        return literal(today + timedelta(days=assignment.due_days or 0), Date())
    joined = func.coalesce(users.c.joined_at, users.c.created_at)
    return duedates.shifted_date(joined, literal(offset_minutes, Integer()),
                                 literal(assignment.due_days or 0, Integer()))


def _targets(assignments: Sequence[Assignment], user_ids: Sequence[int] | None,
             today: date, offset_minutes: int) -> Select:
    """(assignment_id, user_id, module_id, due_on, department_id) for every active person each
    rule targets."""
    users = User.__table__
    departments = _target_departments(assignments)
    branches = []
    for assignment in assignments:
        query = select(
            literal(assignment.id, Integer()).label("assignment_id"),
            users.c.id.label("user_id"),
            literal(assignment.module_id, Integer()).label("module_id"),
            _due_expression(assignment, today, offset_minutes).label("due_on"),
            users.c.department_id.label("department_id"),
        ).where(users.c.is_active_account.is_(True),
                _stored_condition(assignment, departments.get(assignment.id, set())))
        if user_ids is not None:
            query = query.where(users.c.id.in_(user_ids))
        branches.append(query)
    return branches[0] if len(branches) == 1 else union_all(*branches)


def _latest_completion(column, user_id, module_id):
    """Correlated subquery: ``column`` of the person's latest completion of the module.

    One probe of ix_module_completions_user_module_completed per row.
    """
    completions = ModuleCompletion.__table__
    return (select(column)
            .where(completions.c.user_id == user_id, completions.c.module_id == module_id)
            .order_by(completions.c.completed_at.desc(), completions.c.id.desc())
            .limit(1).scalar_subquery())


# --- keeping obligations current ----------------------------------------------------------

def active_assignments() -> list[Assignment]:
    return list(db.session.execute(
        select(Assignment).where(Assignment.deleted_at.is_(None)).order_by(Assignment.id)
    ).scalars())


def refresh_obligations(assignments: Sequence[Assignment] | None = None,
                        user_ids: Sequence[int] | None = None) -> RefreshResult:
    """Open the obligations the rules imply and close those they no longer imply.

    ``assignments`` limits the work to some rules (default: every active
    one); ``user_ids`` to some people (default: everyone). New obligations
    record the person's latest completion of the module, so someone who has
    already done it is complete at once. Closing keeps the row and says why.
    Set-based: a fixed number of statements per 200 assignments.
    """
    if assignments is None:
        assignments = active_assignments()
    assignments = [a for a in assignments if a.deleted_at is None]
    result = RefreshResult()
    if not assignments:
        return result
    if user_ids is not None:
        user_ids = sorted(set(user_ids))
        if not user_ids:
            return result
        if len(user_ids) > MAX_LISTED_PEOPLE:
            user_ids = None
    now = clock.now()
    today = duedates.today(now)
    offset = duedates.utc_offset_minutes(now)
    obligations = Obligation.__table__
    users = User.__table__
    for start in range(0, len(assignments), ASSIGNMENTS_PER_STATEMENT):
        chunk = assignments[start:start + ASSIGNMENTS_PER_STATEMENT]
        targets = _targets(chunk, user_ids, today, offset).subquery("targets")
        already_open = exists().where(obligations.c.assignment_id == targets.c.assignment_id,
                                      obligations.c.user_id == targets.c.user_id,
                                      obligations.c.closed_at.is_(None))
        completions = ModuleCompletion.__table__
        opened = db.session.execute(insert(obligations).from_select(
            ["assignment_id", "user_id", "module_id", "assigned_at", "due_on", "satisfied_at",
             "completion_id", "department_id"],
            select(targets.c.assignment_id, targets.c.user_id, targets.c.module_id,
                   literal(now, UTCDateTime()), targets.c.due_on,
                   _latest_completion(completions.c.completed_at, targets.c.user_id,
                                      targets.c.module_id),
                   _latest_completion(completions.c.id, targets.c.user_id,
                                      targets.c.module_id),
                   targets.c.department_id)
            .where(~already_open)
        # Without this, PostgreSQL drivers report -1 rows for INSERT ... SELECT.
        ).execution_options(preserve_rowcount=True))
        result.opened += max(opened.rowcount or 0, 0)

        in_scope = [obligations.c.closed_at.is_(None),
                    obligations.c.assignment_id.in_([a.id for a in chunk])]
        if user_ids is not None:
            in_scope.append(obligations.c.user_id.in_(user_ids))
        deactivated = db.session.execute(
            update(obligations)
            .where(*in_scope, obligations.c.user_id.in_(
                select(users.c.id).where(users.c.is_active_account.is_(False))))
            .values(closed_at=now, close_reason="account deactivated"))
        still_targeted = _targets(chunk, user_ids, today, offset).subquery("still_targeted")
        left = db.session.execute(
            update(obligations)
            .where(*in_scope, tuple_(obligations.c.assignment_id, obligations.c.user_id).not_in(
                select(still_targeted.c.assignment_id, still_targeted.c.user_id)))
            .values(closed_at=now, close_reason="no longer in the assigned group"))
        result.closed += max(deactivated.rowcount or 0, 0) + max(left.rowcount or 0, 0)
        if opened.rowcount:
            # The new rows' stored status, from their completion and enrollment.
            new_rows = [Obligation.assignment_id.in_([a.id for a in chunk]),
                        Obligation.assigned_at == now]
            if user_ids is not None:
                new_rows.append(Obligation.user_id.in_(user_ids))
            stored_status.sync(*new_rows, count=False)
    # The compliance counts of what was opened and closed.
    assignment_ids = [a.id for a in assignments]
    if user_ids is None:
        counts.recount_assignments(assignment_ids)
    else:
        counts.recount(Obligation.assignment_id.in_(assignment_ids),
                       Obligation.user_id.in_(user_ids))
    if result.opened >= ANALYZE_AFTER and db.session.get_bind().dialect.name == "postgresql":
        # Thousands of new rows the planner has no statistics for yet would
        # get nested-loop plans in the compliance view until autovacuum runs.
        db.session.execute(text("ANALYZE obligations"))
    db.session.flush()
    return result


def refresh_for_people(_sender, *, user_ids: Sequence[int]) -> None:
    """Receiver of ``signals.people_changed``: bring these people's obligations up to date
    (opened, closed, and counted in their current department)."""
    refresh_obligations(user_ids=user_ids)
    counts.follow_departments(user_ids)


def record_completions(user_ids: Sequence[int] | None = None, *,
                       module_ids: Sequence[int] | None = None) -> int:
    """Point open obligations at each person's latest completion of their module.

    Limited to some people or modules when given. Called when a module
    completes (one person) and by ``flask assignments refresh`` (everyone).
    One ``UPDATE``. Returns rows updated.
    """
    obligations = Obligation.__table__
    completions = ModuleCompletion.__table__
    conditions = [obligations.c.closed_at.is_(None)]
    if user_ids is not None:
        conditions.append(obligations.c.user_id.in_(user_ids))
    if module_ids is not None:
        conditions.append(obligations.c.module_id.in_(module_ids))
    result = db.session.execute(update(obligations).where(*conditions).values(
        satisfied_at=_latest_completion(completions.c.completed_at, obligations.c.user_id,
                                        obligations.c.module_id),
        completion_id=_latest_completion(completions.c.id, obligations.c.user_id,
                                         obligations.c.module_id)))
    db.session.flush()
    stored_status.sync(*_sync_conditions(user_ids, module_ids))
    return max(result.rowcount or 0, 0)


def _sync_conditions(user_ids, module_ids) -> list:
    conditions = []
    if user_ids is not None:
        conditions.append(Obligation.user_id.in_(list(user_ids)))
    if module_ids is not None:
        conditions.append(Obligation.module_id.in_(list(module_ids)))
    return conditions


def on_module_completed(_sender, *, user: User, module: Module,
                        enrollment: Enrollment) -> None:
    """Receiver of ``signals.module_completed``: the person's open obligations for the module
    are now satisfied."""
    record_completions([user.id], module_ids=[module.id])


def on_module_started(_sender, *, user: User, module: Module,
                      enrollment: Enrollment) -> None:
    """Receiver of ``signals.module_started``: the person's obligations for the module are in
    progress."""
    stored_status.sync_people_modules([user.id], [module.id])


def _recompute_due_dates(assignment: Assignment) -> None:
    """After the due rule changed: every open obligation's due date, in one statement."""
    obligations = Obligation.__table__
    users = User.__table__
    offset = literal(duedates.utc_offset_minutes(), Integer())
    days = literal(assignment.due_days or 0, Integer())
    if assignment.due_kind == "date":
        due = literal(assignment.due_on, Date())
    elif assignment.due_kind == "after_assigned":
        due = duedates.shifted_date(obligations.c.assigned_at, offset, days)
    else:
        joined = (select(func.coalesce(users.c.joined_at, users.c.created_at))
                  .where(users.c.id == obligations.c.user_id).scalar_subquery())
        due = duedates.shifted_date(joined, offset, days)
    db.session.execute(update(obligations).where(
        obligations.c.assignment_id == assignment.id, obligations.c.closed_at.is_(None)
    ).values(due_on=due))
    db.session.flush()


# --- validating and saving rules ----------------------------------------------------------

def _resolve(rule: Rule, *, creating: bool) -> _Resolved:
    """Check every part of ``rule``; raise ``DomainError`` at the first field at fault."""
    resolved = _Resolved()
    if rule.module is None:
        raise DomainError(_("Choose a module."), field="module_id")
    if creating and not rule.module.is_published:
        raise DomainError(_("%(title)s is not published, so nobody could take it. "
                            "Publish it (flask modules sync) first.", title=rule.module.title),
                          field="module_id")
    if rule.target_kind not in TARGET_KINDS:
        raise DomainError(_("Choose who the module is assigned to."), field="target_kind")
    department_ids: set[int] = set()
    if rule.target_kind == "departments":
        resolved.departments = list(db.session.execute(select(Department).where(
            Department.id.in_(rule.department_ids or [])).order_by(Department.name)).scalars())
        if not resolved.departments:
            raise DomainError(_("Choose at least one department."), field="department_ids")
        chosen = {d.id for d in resolved.departments}
        department_ids = department_descendants(chosen) if rule.include_subdepartments else chosen
    elif rule.target_kind == "cohorts":
        resolved.cohorts = list(db.session.execute(select(Cohort).where(
            Cohort.id.in_(rule.cohort_ids or [])).order_by(Cohort.name)).scalars())
        if not resolved.cohorts:
            raise DomainError(_("Choose at least one cohort."), field="cohort_ids")
    elif rule.target_kind == "role":
        if rule.role not in ROLE_NAMES:
            raise DomainError(_("Choose a role."), field="role")
    elif rule.target_kind == "people":
        emails = sorted({normalise_email(e) for e in rule.people_emails if e.strip()})
        if not emails:
            raise DomainError(_("Name at least one person by email."), field="people")
        resolved.people = list(db.session.execute(
            select(User).where(User.email.in_(emails)).order_by(User.name)).scalars())
        unknown = sorted(set(emails) - {u.email for u in resolved.people})
        if unknown:
            raise DomainError(_("No account for: %(emails)s.", emails=", ".join(unknown)),
                              field="people")

    if rule.due_kind not in DUE_KINDS:
        raise DomainError(_("Choose how the due date is set."), field="due_kind")
    if rule.due_kind == "date":
        if rule.due_on is None:
            raise DomainError(_("Enter the due date."), field="due_on")
        if rule.due_on < duedates.today():
            raise DomainError(
                _("The due date %(day)s is in the past. Choose today or later.",
                  day=dates.format_date(rule.due_on, "long")),
                field="due_on")
    else:
        if rule.due_days is None or not 1 <= rule.due_days <= MAX_DUE_DAYS:
            raise DomainError(_("Enter a number of days from 1 to %(most)s.", most=MAX_DUE_DAYS),
                              field="due_days")
    if rule.recertify_months is not None and not (
            1 <= rule.recertify_months <= MAX_RECERTIFY_MONTHS):
        raise DomainError(_("Enter a number of months from 1 to %(most)s, or leave it empty.",
                            most=MAX_RECERTIFY_MONTHS), field="recertify_months")
    if any(d < 0 or d > 365 for d in rule.remind_days_before):
        raise DomainError(_("Reminder days must be between 0 and 365."),
                          field="remind_days_before")
    if not 0 <= rule.overdue_every_days <= 90:
        raise DomainError(_("Enter 0 (no repeats) to 90 days."), field="overdue_every_days")
    if rule.escalate_after_days is not None and not 1 <= rule.escalate_after_days <= 365:
        raise DomainError(_("Enter 1 to 365 days, or leave it empty."),
                          field="escalate_after_days")

    users = User.__table__
    condition = _users_condition(
        rule.target_kind, department_ids=sorted(department_ids),
        cohort_ids=[c.id for c in resolved.cohorts], role=rule.role,
        person_ids=[u.id for u in resolved.people])
    resolved.matched = db.session.scalar(
        select(func.count()).select_from(users)
        .where(users.c.is_active_account.is_(True), condition)) or 0
    if resolved.matched == 0:
        raise DomainError(_nobody_message(rule.target_kind), field=_target_field(rule.target_kind))
    return resolved


def _nobody_message(kind: str) -> str:
    return str({
        "everyone": _l("This rule matches nobody: there are no active accounts. Nothing was "
                       "saved."),
        "departments": _l("This rule matches nobody: no active person belongs to the chosen "
                          "departments. Nothing was saved."),
        "cohorts": _l("This rule matches nobody: the chosen cohorts have no active members. "
                      "Nothing was saved."),
        "role": _l("This rule matches nobody: no active person has this role. Nothing was "
                   "saved."),
        "people": _l("This rule matches nobody: none of the named people has an active "
                     "account. Nothing was saved."),
    }[kind])


def _target_field(kind: str) -> str:
    return {"departments": "department_ids", "cohorts": "cohort_ids", "role": "role",
            "people": "people"}.get(kind, "target_kind")


def _apply(assignment: Assignment, rule: Rule, resolved: _Resolved) -> None:
    assignment.target_kind = rule.target_kind
    assignment.include_subdepartments = bool(rule.include_subdepartments)
    assignment.departments = resolved.departments
    assignment.cohorts = resolved.cohorts
    assignment.people = resolved.people
    assignment.target_role = rule.role if rule.target_kind == "role" else None
    assignment.due_kind = rule.due_kind
    assignment.due_on = rule.due_on if rule.due_kind == "date" else None
    assignment.due_days = rule.due_days if rule.due_kind != "date" else None
    assignment.recertify_months = rule.recertify_months
    assignment.remind_days_before = sorted(set(rule.remind_days_before), reverse=True)
    assignment.overdue_every_days = rule.overdue_every_days
    assignment.escalate_after_days = rule.escalate_after_days


def describe(assignment: Assignment) -> dict:
    """A plain summary of the rule, for the audit log and change comparisons."""
    return {
        "module": assignment.module.slug,
        "target_kind": assignment.target_kind,
        "departments": [d.name for d in assignment.departments],
        "include_subdepartments": assignment.include_subdepartments,
        "cohorts": [c.name for c in assignment.cohorts],
        "role": assignment.target_role,
        "people": [u.email for u in assignment.people],
        "due": due_rule_text(assignment),
        "recertify_months": assignment.recertify_months,
        "reminders": {"days_before": list(assignment.remind_days_before),
                      "overdue_every_days": assignment.overdue_every_days,
                      "escalate_after_days": assignment.escalate_after_days},
    }


def target_text(assignment: Assignment) -> str:
    """'Internal Medicine, Pediatrics (with sub-departments)', 'Everyone', ..."""
    kind = assignment.target_kind
    if kind == "everyone":
        return _("Everyone")
    if kind == "departments":
        names = ", ".join(d.name for d in assignment.departments) or _("no departments")
        if assignment.include_subdepartments:
            return _("%(names)s (with sub-departments)", names=names)
        return names
    if kind == "cohorts":
        return _("Cohorts: %(names)s",
                 names=", ".join(c.name for c in assignment.cohorts) or _("none"))
    if kind == "role":
        return _("Everyone with the %(role)s role", role=assignment.target_role)
    count = len(assignment.people)
    return ngettext("%(num)d named person", "%(num)d named people", count)


def due_rule_text(assignment: Assignment) -> str:
    if assignment.due_kind == "date" and assignment.due_on:
        text = _("by %(day)s", day=dates.format_date(assignment.due_on))
    elif assignment.due_kind == "after_assigned":
        text = ngettext("%(days)s day after being assigned", "%(days)s days after being assigned",
                        assignment.due_days or 0, days=assignment.due_days)
    else:
        text = ngettext("%(days)s day after joining", "%(days)s days after joining",
                        assignment.due_days or 0, days=assignment.due_days)
    if assignment.recertify_months:
        text += ngettext("; renew every %(months)s month", "; renew every %(months)s months",
                         assignment.recertify_months, months=assignment.recertify_months)
    return text


def create_assignment(*, actor: User | None, rule: Rule) -> tuple[Assignment, RefreshResult]:
    """Save a new assignment and open obligations for everyone it targets.

    Raises ``DomainError`` (with the form field) for an unpublished module, an
    empty target, a rule that matches nobody, a due date in the past or a bad
    reminder setting; nothing is written then. Records ``assignment.create``.
    """
    resolved = _resolve(rule, creating=True)
    assignment = Assignment(module=rule.module, created_by=actor, target_kind=rule.target_kind)
    _apply(assignment, rule, resolved)
    db.session.add(assignment)
    db.session.flush()
    result = refresh_obligations([assignment])
    audit.record(actor, "assignment.create", assignment, assigned=result.opened,
                 **describe(assignment))
    return assignment, result


def update_assignment(assignment: Assignment, *, actor: User | None,
                      rule: Rule) -> RefreshResult:
    """Change an assignment's target, due rule or reminders (never its module).

    Newly targeted people are assigned, people no longer targeted have their
    open obligations closed, and open due dates follow a changed due rule.
    Raises ``DomainError`` like ``create_assignment``. Records
    ``assignment.update`` with what changed.
    """
    if assignment.is_deleted:
        raise DomainError(_("This assignment was deleted."))
    rule.module = assignment.module
    resolved = _resolve(rule, creating=False)
    before = describe(assignment)
    due_before = (assignment.due_kind, assignment.due_on, assignment.due_days)
    _apply(assignment, rule, resolved)
    db.session.flush()
    if (assignment.due_kind, assignment.due_on, assignment.due_days) != due_before:
        _recompute_due_dates(assignment)
    result = refresh_obligations([assignment])
    # Due dates and the recertification period decide the stored status.
    stored_status.sync_assignments([assignment.id])
    after = describe(assignment)
    changed = {key: {"before": before[key], "after": after[key]}
               for key in after if before[key] != after[key]}
    audit.record(actor, "assignment.update", assignment, module=assignment.module.slug,
                 changes=changed, opened=result.opened, closed=result.closed)
    return result


def delete_assignment(assignment: Assignment, *, actor: User | None) -> int:
    """Delete an assignment: it stops applying and its open obligations close.

    Completions, certificates, obligations and reminders stay as history.
    Returns how many open obligations were closed. Records ``assignment.delete``.
    """
    if assignment.is_deleted:
        return 0
    now = clock.now()
    assignment.deleted_at = now
    obligations = Obligation.__table__
    closed = db.session.execute(update(obligations).where(
        obligations.c.assignment_id == assignment.id, obligations.c.closed_at.is_(None)
    ).values(closed_at=now, close_reason="assignment deleted"))
    count = max(closed.rowcount or 0, 0)
    counts.recount_assignments([assignment.id])
    db.session.flush()
    audit.record(actor, "assignment.delete", assignment, closed=count, **describe(assignment))
    return count


def open_count(assignment: Assignment) -> int:
    return db.session.scalar(select(func.count(Obligation.id)).where(
        Obligation.assignment_id == assignment.id, Obligation.closed_at.is_(None))) or 0


# --- the learner's side -------------------------------------------------------------------

@dataclass
class AssignedItem:
    """One module assigned to a person (several assignments of a module are merged)."""

    module: Module
    assignment: Assignment
    due: date
    status: str
    words: str
    satisfied_at: datetime | None
    valid_until: date | None
    can_renew: bool
    started: bool = False

    @property
    def is_done(self) -> bool:
        return self.status == "completed"


STATUS_ORDER = {"overdue": 0, "in_progress": 1, "not_started": 2, "completed": 3}


def item_status(*, due_on: date, satisfied_at: datetime | None, months: int | None,
                enrollment_status: str | None, on: date | None = None) -> str:
    """completed / overdue / in_progress / not_started — as the compliance SQL decides."""
    on = on or duedates.today()
    if duedates.completion_is_valid(satisfied_at, months, on):
        return "completed"
    if duedates.effective_due(due_on, satisfied_at, months) < on:
        return "overdue"
    return "in_progress" if enrollment_status == "in_progress" else "not_started"


def _renewal_window(assignment: Assignment) -> int:
    return max([30, *assignment.remind_days_before])


def assigned_to(user: User) -> list[AssignedItem]:
    """The person's open obligations, one per module: outstanding first, by due date.

    Two queries, whatever the number of assignments.
    """
    rows = db.session.execute(
        select(Obligation, Assignment, Module, Enrollment.status)
        .join(Assignment, Assignment.id == Obligation.assignment_id)
        .join(Module, Module.id == Obligation.module_id)
        .outerjoin(Enrollment, and_(Enrollment.user_id == Obligation.user_id,
                                    Enrollment.module_id == Obligation.module_id))
        # A module whose folder was removed cannot be taken; it stays in compliance only.
        .where(Obligation.user_id == user.id, Obligation.closed_at.is_(None),
               Assignment.deleted_at.is_(None), Module.is_published)).all()
    today = duedates.today()
    by_module: dict[int, AssignedItem] = {}
    for obligation, assignment, module, enrollment_status in rows:
        months = assignment.recertify_months
        status = item_status(due_on=obligation.due_on, satisfied_at=obligation.satisfied_at,
                             months=months, enrollment_status=enrollment_status, on=today)
        due = duedates.effective_due(obligation.due_on, obligation.satisfied_at, months)
        valid_until = (duedates.add_months(duedates.local_date(obligation.satisfied_at), months)
                       if months and obligation.satisfied_at else None)
        can_renew = bool(months and obligation.satisfied_at and enrollment_status == "completed"
                         and (due - today).days <= _renewal_window(assignment))
        item = AssignedItem(module=module, assignment=assignment, due=due, status=status,
                            words=duedates.due_words(due, today),
                            satisfied_at=obligation.satisfied_at, valid_until=valid_until,
                            can_renew=can_renew, started=enrollment_status == "in_progress")
        current = by_module.get(module.id)
        if current is None or (STATUS_ORDER[item.status], item.due) < (
                STATUS_ORDER[current.status], current.due):
            by_module[module.id] = item
    return sorted(by_module.values(), key=lambda i: (i.is_done, i.due, i.module.title))


def renew(user: User, module: Module) -> Enrollment:
    """Start a module again to renew a completion that expires or has expired.

    The earlier completion and its certificate stay in the history; the
    reading, video and check steps are marked not done so the person goes
    through them again. Raises ``DomainError`` when no assignment of the
    module asks for renewal yet.
    """
    item = next((i for i in assigned_to(user) if i.module.id == module.id), None)
    if item is None or not item.can_renew:
        raise DomainError(_("There is nothing to renew for this module yet."))
    enrollment = db.session.execute(select(Enrollment).where(
        Enrollment.user_id == user.id, Enrollment.module_id == module.id)).scalar_one()
    enrollment.status = "in_progress"
    enrollment.last_step_id = None
    enrollment.last_activity_at = clock.now()
    renewed_steps = select(Step.id).where(Step.module_id == module.id,
                                          Step.kind.in_(step_kinds.renewed_kinds()))
    db.session.execute(delete(StepProgress).where(
        StepProgress.user_id == user.id, StepProgress.step_id.in_(renewed_steps)))
    db.session.flush()
    stored_status.sync_people_modules([user.id], [module.id])
    audit.record(user, "assignment.renew", module, module=module.slug)
    return enrollment
