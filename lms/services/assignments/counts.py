"""Compliance counts kept current: open obligations per assignment, department and facts.

``ObligationCount`` holds, for each assignment and department, how many
open, not exempt obligations share the same status facts (completed or not,
started or not, ``valid_until``, ``next_due_on``). A status on a given day
is ``status_case(on)`` over those groups — the same decision as
``status.current_status`` over single rows — so compliance adds up a few
hundred count rows instead of every obligation.

The counts are rewritten set-based, in the transaction that writes the
obligations: ``status.sync`` recounts the (assignment, department) pairs of
the rows it changed, ``rules.refresh_obligations`` those of the rows it
opened or closed, ``follow_departments`` moves people's rows when they
change department. ``check`` (run by the nightly ``status.reconcile``)
recounts everything and reports the pairs that were wrong.

Every rewrite also gives the assignments it touched a new ``counts_version``
in the same transaction (``_lock``), so a reader can key what it worked out
from the counts by ``versions()``: a committed change, or a rollback, never
leaves a reading under a version that matches other counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import Date, and_, case, delete, func, insert, literal, or_, select, update

from lms.extensions import db
from lms.models import Assignment, Obligation, ObligationCount, User
from lms.models.assignments import new_counts_version
from lms.services import duedates

Pair = tuple[int, int | None]
KEY = ("assignment_id", "department_id", "is_satisfied", "is_started", "valid_until",
       "next_due_on")


def _grouped(*conditions):
    """(assignment, department, facts..., people) of the open, not exempt rows matching."""
    o = Obligation.__table__
    satisfied = o.c.satisfied_at.is_not(None)
    return (select(o.c.assignment_id, o.c.department_id, satisfied, o.c.is_started,
                   o.c.valid_until, o.c.next_due_on, func.count())
            .where(o.c.closed_at.is_(None), o.c.exempt_at.is_(None), *conditions)
            .group_by(o.c.assignment_id, o.c.department_id, satisfied, o.c.is_started,
                      o.c.valid_until, o.c.next_due_on))


def pairs(*conditions) -> set[Pair]:
    """The (assignment, department) pairs of the obligations matching ``conditions``, open or
    closed (a row just closed still leaves its pair to recount)."""
    o = Obligation.__table__
    return {(a, d) for a, d in db.session.execute(
        select(o.c.assignment_id, o.c.department_id).where(*conditions).distinct())}


def _pair_condition(columns, assignment_id: int, department_ids: Iterable[int | None]):
    ids = sorted({d for d in department_ids if d is not None})
    parts = [columns.department_id.in_(ids)] if ids else []
    if None in department_ids:
        parts.append(columns.department_id.is_(None))
    return and_(columns.assignment_id == assignment_id, or_(*parts))


def _lock(assignment_ids: list[int]) -> None:
    """Lock the assignments about to be recounted and give them a new ``counts_version``.

    On PostgreSQL the rows are locked in id order first, until the transaction
    ends, so two transactions never recount the same counts at once: the second
    waits, then reads the first one's rows (without the lock both would insert,
    and the counts would double). SQLite writes one transaction at a time anyway.
    """
    if not assignment_ids:
        return
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(Assignment.id).where(Assignment.id.in_(assignment_ids))
                           .order_by(Assignment.id).with_for_update())
    table = Assignment.__table__
    # ``updated_at`` is named so that it keeps its value: the rule itself did not change.
    db.session.execute(update(table).where(table.c.id.in_(assignment_ids))
                       .values(counts_version=new_counts_version(),
                               updated_at=table.c.updated_at))


def recount_pairs(chosen: Iterable[Pair]) -> None:
    """Rewrite the count rows of these (assignment, department) pairs from the obligations.

    Two statements per assignment (delete, insert ... select), after locking the
    assignments (``_lock``). Flushes first.
    """
    by_assignment: dict[int, set[int | None]] = defaultdict(set)
    for assignment_id, department_id in chosen:
        by_assignment[assignment_id].add(department_id)
    if not by_assignment:
        return
    db.session.flush()
    _lock(sorted(by_assignment))
    counts = ObligationCount.__table__
    obligations = Obligation.__table__
    for assignment_id, departments in sorted(by_assignment.items()):
        db.session.execute(delete(counts).where(
            _pair_condition(counts.c, assignment_id, departments)))
        db.session.execute(insert(counts).from_select(
            [*KEY, "people"],
            _grouped(_pair_condition(obligations.c, assignment_id, departments))))


def recount(*conditions) -> None:
    """``recount_pairs`` for the pairs of the obligations matching ``conditions``."""
    recount_pairs(pairs(*conditions))


def recount_assignments(assignment_ids: Iterable[int]) -> None:
    """Rewrite every count row of these assignments (after opening or closing many rows)."""
    ids = sorted(set(assignment_ids))
    if not ids:
        return
    db.session.flush()
    _lock(ids)
    counts = ObligationCount.__table__
    db.session.execute(delete(counts).where(counts.c.assignment_id.in_(ids)))
    db.session.execute(insert(counts).from_select(
        [*KEY, "people"], _grouped(Obligation.__table__.c.assignment_id.in_(ids))))


def follow_departments(user_ids: Iterable[int] | None = None) -> set[Pair]:
    """Copy people's current department onto their open obligations where it changed, and
    recount the pairs they left and joined; everyone when ``user_ids`` is None.

    Returns the pairs recounted (empty when nobody moved).
    """
    o = Obligation.__table__
    users = User.__table__
    current = select(users.c.department_id).where(users.c.id == o.c.user_id).scalar_subquery()
    conditions = [o.c.closed_at.is_(None), o.c.department_id.is_distinct_from(current)]
    if user_ids is not None:
        ids = sorted(set(user_ids))
        if not ids:
            return set()
        conditions.append(o.c.user_id.in_(ids))
    db.session.flush()
    moved_from = pairs(*conditions)
    if not moved_from:
        return set()
    moved_ids = list(db.session.execute(select(o.c.id).where(*conditions)).scalars())
    db.session.execute(update(o).where(*conditions).values(department_id=current),
                       execution_options={"synchronize_session": False})
    touched = set(moved_from)
    for start in range(0, len(moved_ids), 1000):
        touched |= pairs(o.c.id.in_(moved_ids[start:start + 1000]))
    recount_pairs(touched)
    return touched


def check() -> list[Pair]:
    """Recount everything; rewrite and return the (assignment, department) pairs whose stored
    counts differed (a sign that some change bypassed the paths above)."""
    db.session.flush()
    wanted: dict[tuple, int] = {}
    for row in db.session.execute(_grouped()):
        wanted[tuple(row[:6])] = row[6]
    stored: dict[tuple, int] = defaultdict(int)
    c = ObligationCount.__table__
    for row in db.session.execute(select(*[c.c[name] for name in KEY], c.c.people)):
        stored[tuple(row[:6])] += row[6]
    wrong = sorted({key[:2] for key in set(wanted) | set(stored)
                    if wanted.get(key) != stored.get(key)},
                   key=lambda p: (p[0], p[1] is None, p[1] or 0))
    recount_pairs(wrong)
    return wrong


# --- reading -------------------------------------------------------------------------------

def versions(assignment_id: int | None = None) -> tuple[tuple[int, str], ...]:
    """(assignment, ``counts_version``) of one assignment, or of every assignment (deleted
    ones too): equal tuples mean equal counts, read in any transaction."""
    table = Assignment.__table__
    query = select(table.c.id, table.c.counts_version).order_by(table.c.id)
    if assignment_id is not None:
        query = query.where(table.c.id == assignment_id)
    return tuple((row[0], row[1]) for row in db.session.execute(query))


def status_case(on: date | None = None):
    """SQL: the status of each count row on day ``on`` (default today); the same decision as
    ``status.current_status`` for the obligations it counts."""
    day = literal(on or duedates.today(), Date())
    c = ObligationCount
    return case(
        (and_(c.is_satisfied, or_(c.valid_until.is_(None), c.valid_until > day)), "completed"),
        (c.next_due_on < day, "overdue"),
        (c.is_started, "in_progress"),
        else_="not_started")
