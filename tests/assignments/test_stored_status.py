"""The stored obligation status equals the status computed from the sources, always.

A property-based test drives random histories — people starting, completing
and renewing the module, joining and leaving the assigned department, the
due date and recertification period changing, exemptions given and
withdrawn, and the clock moving on — and after every step compares what the
compliance report reads (the stored columns) with the status computed from
completions, enrollments and the rule. Runs on SQLite and, with
``TEST_DATABASE_URL``, on PostgreSQL.
"""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from lms import clock
from lms.extensions import db
from lms.models import Enrollment, ModuleCompletion, Obligation
from lms.services.accounts import people as accounts
from lms.services.assignments import counts as compliance_counts
from lms.services.assignments import status as stored_status
from lms.services.assignments.compliance import STATUSES, Filters, people, summarise
from lms.services.assignments.rules import Rule, item_status, renew, update_assignment
from lms.services.errors import DomainError
from lms.services.learning import progress as learning
from tests.assignments.helpers import assign, at, complete_module
from tests.fixtures.people import create_department, create_user

START = date(2026, 1, 31)
PEOPLE = 3
_worlds = itertools.count(1)

person = st.integers(0, PEOPLE - 1)
step = st.one_of(
    st.tuples(st.just("wait"), st.integers(0, 40)),
    st.tuples(st.just("start"), person),
    st.tuples(st.just("complete"), person),
    st.tuples(st.just("renew"), person),
    st.tuples(st.just("rule"), st.integers(0, 30), st.sampled_from([None, 1, 2, 12])),
    st.tuples(st.just("exempt"), person),
    st.tuples(st.just("withdraw"), person),
    st.tuples(st.just("leave"), person),
    st.tuples(st.just("join"), person),
)


def _computed(assignment, on: date) -> dict[int, str]:
    """Each open obligation's status from the sources: the latest completion, the
    enrollment, the rule — never the stored status columns."""
    result = {}
    for obligation in db.session.execute(select(Obligation).where(
            Obligation.assignment_id == assignment.id,
            Obligation.closed_at.is_(None))).scalars():
        if obligation.exempt_at is not None:
            result[obligation.user_id] = "exempt"
            continue
        latest = db.session.execute(
            select(ModuleCompletion.completed_at).where(
                ModuleCompletion.user_id == obligation.user_id,
                ModuleCompletion.module_id == obligation.module_id)
            .order_by(ModuleCompletion.completed_at.desc()).limit(1)).scalar()
        enrollment = db.session.execute(select(Enrollment.status).where(
            Enrollment.user_id == obligation.user_id,
            Enrollment.module_id == obligation.module_id)).scalar()
        result[obligation.user_id] = item_status(
            due_on=obligation.due_on, satisfied_at=latest,
            months=assignment.recertify_months, enrollment_status=enrollment, on=on)
    return result


def _stored(assignment, on: date) -> dict[int, str]:
    """What readers see: the status derived from the stored columns on ``on``."""
    return dict(db.session.execute(
        select(Obligation.user_id, stored_status.current_status(on)).where(
            Obligation.assignment_id == assignment.id, Obligation.closed_at.is_(None))).all())


def _check(assignment, on: date) -> None:
    computed = _computed(assignment, on)
    assert _stored(assignment, on) == computed
    filters = Filters(assignment_id=assignment.id)
    shown, _ = people(filters, None, per_page=None, on=on)
    assert {row.user_id: row.status for row in shown} == {
        user_id: status for user_id, status in computed.items() if status != "exempt"}
    # The kept counts agree with the rows, status by status, and need no correction.
    summary = summarise(filters, None, on=on)
    wanted = Counter(s for s in computed.values() if s != "exempt")
    assert {s: getattr(summary.total, s) for s in STATUSES} == {s: wanted[s] for s in STATUSES}
    assert compliance_counts.check() == []
    # Pages read group by group are the slices of the fully sorted list.
    paged = [row for page in (1, 2) for row in people(
        filters, None, page=page, per_page=2, on=on, groups=summary.groups)[0]]
    assert [row.user_id for row in paged] == [row.user_id for row in shown][:4]


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(steps=st.lists(step, max_size=10),
       first_due=st.integers(0, 20), months=st.sampled_from([None, 1, 12]))
def test_stored_status_always_equals_computed_status(app, admin, short_module, steps,
                                                     first_due, months):
    world = next(_worlds)
    now = at(START)
    with clock.frozen_at(now):
        inside = create_department(f"Assigned {world}")
        outside = create_department(f"Elsewhere {world}")
        learners = [create_user(department=inside, password=None) for _ in range(PEOPLE)]
        assignment, _ = assign(admin, short_module, target_kind="departments",
                               department_ids=[inside.id], include_subdepartments=False,
                               due_on=START + timedelta(days=first_due),
                               recertify_months=months)
        _check(assignment, START)
    for action, *args in steps:
        if action == "wait":
            now += timedelta(days=args[0])
        with clock.frozen_at(now):
            today = clock.now().date()
            if action in ("start", "complete", "renew", "exempt", "withdraw", "leave", "join"):
                learner = learners[args[0]]
            if action == "start":
                learning.start_module(learner, short_module)
            elif action == "complete":
                complete_module(learner, short_module)
            elif action == "renew":
                try:
                    renew(learner, short_module)
                except DomainError:
                    db.session.rollback()
            elif action == "rule":
                try:
                    update_assignment(assignment, actor=admin, rule=Rule(
                        module=short_module, target_kind="departments",
                        department_ids=[inside.id], include_subdepartments=False,
                        due_on=today + timedelta(days=args[0]), recertify_months=args[1]))
                except DomainError:  # nobody left in the department
                    db.session.rollback()
            elif action in ("exempt", "withdraw"):
                obligation = db.session.execute(select(Obligation).where(
                    Obligation.assignment_id == assignment.id,
                    Obligation.user_id == learner.id,
                    Obligation.closed_at.is_(None))).scalar()
                if obligation is not None and action == "exempt":
                    stored_status.exempt(obligation, actor=admin, reason="Trained elsewhere")
                elif obligation is not None:
                    stored_status.withdraw_exemption(obligation, actor=admin)
            elif action in ("leave", "join"):
                learner.department = outside if action == "leave" else inside
                db.session.flush()
                accounts.people_changed([learner.id])
            db.session.commit()
            _check(assignment, today)
    # The nightly reconcile finds nothing wrong and leaves ``status`` right for the day.
    with clock.frozen_at(now):
        today = clock.now().date()
        result = stored_status.reconcile(today)
        db.session.commit()
        assert result.corrected == []
        assert dict(db.session.execute(select(Obligation.user_id, Obligation.status).where(
            Obligation.assignment_id == assignment.id,
            Obligation.closed_at.is_(None))).all()) == _computed(assignment, today)


def test_reconcile_repairs_and_reports_a_row_an_event_missed(app, admin, short_module,
                                                             make_user, runner):
    learner = make_user()
    with clock.frozen_at(at(START)):
        assignment, _ = assign(admin, short_module, due_on=START + timedelta(days=5))
        complete_module(learner, short_module)
        # A script that bypassed the services wiped the stored completion.
        db.session.execute(update(Obligation).where(Obligation.user_id == learner.id)
                           .values(satisfied_at=None, completion_id=None,
                                   status="not_started"))
        db.session.commit()
        assert _stored(assignment, START)[learner.id] == "not_started"
    with clock.frozen_at(at(START + timedelta(days=1))):
        result = runner.invoke(args=["assignments", "reconcile"])
        assert result.exit_code == 0, result.output
        assert "1 corrected" in result.output
        db.session.expire_all()
        assert _stored(assignment, START)[learner.id] == "completed"
        rerun = runner.invoke(args=["assignments", "reconcile"])
        assert "0 corrected" in rerun.output


def test_time_passing_needs_no_write(app, admin, short_module, make_user):
    learner = make_user()
    with clock.frozen_at(at(START)):
        assignment, _ = assign(admin, short_module, due_on=START + timedelta(days=2))
        row = db.session.execute(select(Obligation).where(
            Obligation.user_id == learner.id)).scalar_one()
        assert (row.status, row.next_due_on) == ("not_started", START + timedelta(days=2))
    later = START + timedelta(days=3)
    assert _stored(assignment, later)[learner.id] == "overdue"
    with clock.frozen_at(at(later)):
        result = stored_status.reconcile()
        assert (result.corrected, result.moved) == ([], 2)  # the learner and the admin
