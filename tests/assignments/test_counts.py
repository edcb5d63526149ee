"""Compliance counts kept current: the count rows always agree with the obligations.

They follow completions, exemptions, people changing department and deleted
assignments in the same transaction; the nightly reconcile recounts and
reports what a change that bypassed the services left wrong. The people list,
read one (status, due date) group at a time, gives the same pages as
sorting every row.
"""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import delete, select, update

from lms import clock
from lms.extensions import db
from lms.models import Assignment, AuditEvent, Obligation, ObligationCount
from lms.services.accounts import people as accounts
from lms.services.assignments import compliance, counts, status
from lms.services.assignments.compliance import Filters, by_assignment, people, summarise
from lms.services.assignments.rules import delete_assignment
from lms.services.learning import progress as learning
from tests.assignments.helpers import assign, at, complete_module, write_short_module
from tests.db import on_postgres

TODAY = date(2026, 3, 2)


@pytest.fixture
def app_config() -> dict:
    """A pool for the threads of the concurrency test, and a generous SQLite busy timeout."""
    options = {"pool_size": 10, "max_overflow": 5, "pool_timeout": 60}
    if not on_postgres():
        options["connect_args"] = {"timeout": 60}
    return {"SQLALCHEMY_ENGINE_OPTIONS": options}


@pytest.fixture
def frozen():
    with clock.frozen_at(at(TODAY)):
        yield


def _by_department(assignment) -> dict[str, tuple[int, int]]:
    """Department name → (assigned, completed) as the compliance summary reads them."""
    summary = summarise(Filters(assignment_id=assignment.id), None)
    return {row.label: (row.counts.assigned, row.counts.completed)
            for row in summary.by_department}


def test_counts_follow_completion_exemption_and_a_move(frozen, admin, short_module,
                                                       make_department, make_user):
    wards = make_department("Wards")
    clinics = make_department("Clinics")
    ana = make_user(name="Ana", department=wards)
    ben = make_user(name="Ben", department=wards)
    assignment, _ = assign(admin, short_module, due_on=TODAY + timedelta(days=5))
    assert _by_department(assignment) == {"Wards": (2, 0), "No department": (1, 0)}

    complete_module(ana, short_module)
    assert _by_department(assignment)["Wards"] == (2, 1)

    accounts.update_user(ben, actor=admin, name=ben.name, email=ben.email, roles=("learner",),
                         department=clinics, is_active=True)
    db.session.commit()
    assert _by_department(assignment) == {"Wards": (1, 1), "Clinics": (1, 0),
                                          "No department": (1, 0)}
    obligation = db.session.scalars(select(Obligation).where(
        Obligation.user_id == ben.id, Obligation.closed_at.is_(None))).one()
    assert obligation.department_id == clinics.id

    status.exempt(obligation, actor=admin, reason="Trained elsewhere")
    db.session.commit()
    assert _by_department(assignment) == {"Wards": (1, 1), "No department": (1, 0)}
    assert counts.check() == []


def _statements_during(action) -> list[str]:
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return statements


def _reads_counts(statements: list[str]) -> bool:
    return any("obligation_counts" in statement for statement in statements)


def test_a_summary_is_added_up_again_only_when_its_counts_or_the_day_change(
        frozen, admin, short_module, make_user):
    ana = make_user(name="Ana")
    make_user(name="Ben")
    assignment, _ = assign(admin, short_module, due_on=TODAY + timedelta(days=5))
    assert _by_department(assignment) == {"No department": (3, 0)}

    assert not _reads_counts(_statements_during(lambda: _by_department(assignment)))

    complete_module(ana, short_module)
    statements = _statements_during(lambda: _by_department(assignment))
    assert _reads_counts(statements)
    assert _by_department(assignment) == {"No department": (3, 1)}
    with clock.frozen_at(at(TODAY + timedelta(days=6))):
        overdue = summarise(Filters(assignment_id=assignment.id), None).total.overdue
    assert overdue == 2


def test_a_summary_read_inside_a_transaction_is_not_kept_past_its_rollback(
        frozen, admin, short_module, make_user):
    make_user()
    assignment, _ = assign(admin, short_module)
    obligation = db.session.scalars(select(Obligation).where(
        Obligation.assignment_id == assignment.id)).first()
    assert _by_department(assignment) == {"No department": (2, 0)}

    status.exempt(obligation, actor=admin, reason="Trained elsewhere")
    assert _by_department(assignment) == {"No department": (1, 0)}
    db.session.rollback()

    assert _by_department(assignment) == {"No department": (2, 0)}


def test_a_recount_gives_its_assignment_a_new_counts_version_and_keeps_updated_at(
        frozen, admin, short_module, make_user):
    make_user()
    assignment, _ = assign(admin, short_module)
    other, _ = assign(admin, short_module, due_on=TODAY + timedelta(days=9))
    before = dict(counts.versions())
    updated_at = db.session.scalar(select(Assignment.updated_at).where(
        Assignment.id == assignment.id))

    counts.recount(Obligation.assignment_id == assignment.id)
    db.session.commit()

    after = dict(counts.versions())
    assert after[assignment.id] != before[assignment.id]
    assert after[other.id] == before[other.id]
    assert counts.versions(assignment.id) == ((assignment.id, after[assignment.id]),)
    assert db.session.scalar(select(Assignment.updated_at).where(
        Assignment.id == assignment.id)) == updated_at


def test_deleting_an_assignment_removes_its_counts(frozen, admin, short_module, make_user):
    make_user()
    assignment, _ = assign(admin, short_module)
    assert db.session.scalar(select(ObligationCount.id).where(
        ObligationCount.assignment_id == assignment.id)) is not None
    delete_assignment(assignment, actor=admin)
    db.session.commit()
    assert db.session.scalars(select(ObligationCount)).all() == []
    assert summarise(Filters(), None).by_assignment == []


def test_reconcile_recounts_and_reports_counts_a_script_left_wrong(frozen, admin, short_module,
                                                                   make_department, make_user,
                                                                   runner):
    wards = make_department("Wards")
    clinics = make_department("Clinics")
    make_user(department=wards)
    moved = make_user(department=wards)
    assignment, _ = assign(admin, short_module)
    # A script that bypassed the services: counts wiped, a person moved without the signal.
    db.session.execute(delete(ObligationCount).where(ObligationCount.department_id.is_(None)))
    moved.department = clinics
    db.session.commit()

    result = runner.invoke(args=["assignments", "reconcile"])

    assert result.exit_code == 0, result.output
    assert "Compliance counts corrected for 3 assignment and department pair(s)" in result.output
    assert _by_department(assignment) == {"Wards": (1, 0), "Clinics": (1, 0),
                                          "No department": (1, 0)}
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "assignment.reconcile")).one()
    assert len(event.details["counts_recounted"]) == 3
    again = runner.invoke(args=["assignments", "reconcile"])
    assert "Compliance counts corrected" not in again.output


def test_pages_read_by_group_equal_the_sorted_list(frozen, admin, short_module, module_root,
                                                   sync_root, make_department, make_user):
    write_short_module(module_root, "second-course")
    sync_root()
    second = learning.published_module("second-course")
    wards = make_department("Wards")
    clinics = make_department("Clinics")
    learners = [make_user(name=f"Person {n:02d}", department=(wards, clinics)[n % 2])
                for n in range(13)]
    with clock.frozen_at(at(TODAY - timedelta(days=20))):
        assign(admin, short_module, due_on=TODAY - timedelta(days=5))
    assign(admin, second, due_on=TODAY + timedelta(days=9))
    for learner in learners[:4]:
        complete_module(learner, second)
    for learner in learners[4:7]:
        learning.start_module(learner, short_module)
    # Different due dates within one assignment: people joining later get a later date.
    db.session.execute(update(Obligation).where(Obligation.user_id.in_(
        [p.id for p in learners[7:10]])).values(due_on=TODAY + timedelta(days=2)))
    status.reconcile()
    db.session.commit()

    for filters in (Filters(), Filters(status="overdue"), Filters(department_id=wards.id),
                    Filters(status="not_started", department_id=clinics.id)):
        for scope in (None, {clinics.id}):
            everyone, total = people(filters, scope, per_page=None)
            summary = summarise(filters, scope)
            assert summary.total.assigned == total == len(everyone)
            assert [(row.key, row.counts) for row in by_assignment(filters, scope)] == [
                (row.key, row.counts) for row in summary.by_assignment]
            pages = []
            for page in range(1, total // 4 + 3):
                rows, paged_total = people(filters, scope, page=page, per_page=4,
                                           total=summary.total.assigned, groups=summary.groups)
                assert paged_total == total
                pages += [(row.user_id, row.module, row.status) for row in rows]
            assert pages == [(row.user_id, row.module, row.status) for row in everyone], filters


@pytest.mark.commits  # threads with their own connections must see the rows
def test_recounts_of_one_assignment_at_once_never_count_twice(app, admin, short_module,
                                                              make_department, make_user):
    """Two transactions recounting the same counts at the same moment: the second waits for
    the first (a row lock on PostgreSQL, the single writer on SQLite), then replaces its rows
    instead of adding to them."""
    wards = make_department("Wards")
    for _ in range(3):
        make_user(department=wards)
    assignment, _ = assign(admin, short_module)
    pair = (assignment.id, wards.id)
    barrier = threading.Barrier(2)
    crashed = []

    def recount() -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=60)
                counts.recount_pairs([pair])
                time.sleep(0.3)  # hold the transaction open while the other one starts
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                crashed.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=recount) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert crashed == []
    db.session.expire_all()
    assert _by_department(assignment)["Wards"] == (3, 0)
    assert counts.check() == []


def test_a_page_over_many_due_dates_reads_whole_groups_together(frozen, admin, short_module,
                                                                make_user):
    """Due dates one per person (as when they follow hire dates): a page spans many groups
    of one person, and those read whole make one part of the page query, not one each."""
    learners = [make_user(name=f"Person {n:02d}") for n in range(12)]
    with clock.frozen_at(at(TODAY - timedelta(days=60))):
        assign(admin, short_module, due_on=TODAY + timedelta(days=30))
    for n, learner in enumerate(learners):
        db.session.execute(update(Obligation).where(Obligation.user_id == learner.id).values(
            due_on=TODAY + timedelta(days=n * 5 - 38)))
    for learner in learners[8:10]:
        learning.start_module(learner, short_module)
    complete_module(learners[10], short_module)
    status.reconcile()
    db.session.commit()
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    for filters in (Filters(), Filters(status="overdue")):
        everyone, total = people(filters, None, per_page=None)
        summary = summarise(filters, None)
        assert len(summary.groups) > 6
        for per_page in (3, 5, total):
            pages = []
            for page in range(1, total // per_page + 2):
                rows, _total = people(filters, None, page=page, per_page=per_page,
                                      total=summary.total.assigned, groups=summary.groups)
                pages += [(row.user_id, row.status) for row in rows]
            assert pages == [(row.user_id, row.status) for row in everyone], (filters, per_page)

    overdue = summarise(Filters(status="overdue"), None)
    assert len(overdue.groups) == overdue.total.assigned > 6  # one person per due date
    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        rows, _total = people(Filters(status="overdue"), None, per_page=overdue.total.assigned,
                              total=overdue.total.assigned, groups=overdue.groups)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert len(rows) == overdue.total.assigned
    assert len(statements) == 1
    assert "UNION" not in statements[0].upper()


def test_pages_of_one_shape_run_one_statement_built_once(frozen, admin, short_module,
                                                         make_user, monkeypatch):
    """Each page binds its own values (due dates, offsets) to the statement its shape built
    first: the pages stay those of the sorted list."""
    for n in range(7):
        make_user(name=f"Person {n:02d}")
    assign(admin, short_module, due_on=TODAY + timedelta(days=9))
    summary = summarise(Filters(), None)
    built = []
    page_query = compliance._page_query
    monkeypatch.setattr(compliance, "_page_statements", compliance._Kept(8))
    monkeypatch.setattr(compliance, "_people_counts", {})
    monkeypatch.setattr(compliance, "_page_query",
                        lambda *shape: built.append(shape) or page_query(*shape))

    pages = [people(Filters(), None, page=page, per_page=3, total=summary.total.assigned,
                    groups=summary.groups)[0] for page in (1, 2, 3)]

    assert len(built) == 1
    everyone, _total = people(Filters(), None, per_page=None)
    assert [row.user_id for page in pages for row in page] == [row.user_id for row in everyone]


@pytest.mark.skipif(on_postgres(), reason="SQLite is told the order of the join")
def test_sqlite_walks_people_in_name_order_through_a_large_group_only(
        frozen, admin, short_module, make_department, make_user, monkeypatch):
    """Everyone assigned one due date makes one large group: SQLite reads people in name
    order and stops after the page (CROSS JOIN) instead of sorting the group; a group of
    a few people among many is read and sorted."""
    monkeypatch.setattr(compliance, "_people_counts", {})
    wards = make_department("Wards")
    for n in range(11):
        make_user(name=f"Person {n:02d}", department=wards if n < 2 else None)
    everyone, _ = assign(admin, short_module, due_on=TODAY + timedelta(days=9))
    few, _ = assign(admin, short_module, target_kind="departments",
                    department_ids=[wards.id], due_on=TODAY + timedelta(days=9))

    def page_of(filters: Filters, page: int) -> list:
        summary = summarise(filters, None)
        return people(filters, None, page=page, per_page=4, total=summary.total.assigned,
                      groups=summary.groups)[0]

    for assignment, walks in ((everyone, True), (few, False)):
        filters = Filters(assignment_id=assignment.id)
        first = _statements_during(lambda filters=filters: page_of(filters, 1))
        assert ("CROSS JOIN" in first[-1]) is walks
        pages = [row.user_id for page in (1, 2, 3, 4) for row in page_of(filters, page)]
        listed, _total = people(filters, None, per_page=None)
        assert pages == [row.user_id for row in listed]
