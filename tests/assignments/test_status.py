"""Statuses, due dates in words, and recertification."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from lms import clock
from lms.extensions import db
from lms.models import Certificate, ModuleCompletion, Obligation, StepProgress
from lms.services import duedates
from lms.services.assignments.compliance import Filters, people
from lms.services.assignments.rules import assigned_to, item_status, renew
from lms.services.errors import DomainError
from lms.services.learning import progress as learning
from tests.assignments.helpers import assign, at, complete_module, write_short_module

START = date(2026, 1, 31)


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2026, 11, 15), 3, date(2027, 2, 15)),
    (date(2026, 3, 31), -1, date(2026, 2, 28)),
    (date(2026, 5, 10), 12, date(2027, 5, 10)),
])
def test_add_months_clamps_to_month_end(day, months, expected):
    assert duedates.add_months(day, months) == expected


@pytest.mark.parametrize(("days", "words"), [
    (0, "due today"), (1, "due tomorrow"), (5, "due in 5 days"), (21, "due in 3 weeks"),
    (120, "due in 4 months"), (-1, "overdue by 1 day"), (-3, "overdue by 3 days"),
])
def test_time_left_in_words(app, days, words):
    today = date(2026, 3, 2)
    assert duedates.due_words(today + timedelta(days=days), today) == words


def test_due_day_is_the_local_calendar_day(app):
    # 02:00 UTC on 3 March is still 2 March in Detroit (the default zone).
    assert duedates.today(datetime(2026, 3, 3, 2, tzinfo=UTC)) == date(2026, 3, 2)


def test_sql_status_matches_python_status_around_expiry(app, short_module, admin, make_user):
    """The compliance CASE and the learner's page agree, day by day, across a renewal."""
    learners = [make_user() for _ in range(3)]
    with clock.frozen_at(at(START)):
        assignment, _ = assign(admin, short_module, due_on=START + timedelta(days=10),
                               recertify_months=1)
        complete_module(learners[0], short_module)  # 31 Jan: valid until 28 Feb
    with clock.frozen_at(at(START + timedelta(days=5))):
        learning.start_module(learners[1], short_module)
        db.session.commit()
    for offset in range(0, 45, 1):
        day = START + timedelta(days=offset)
        with clock.frozen_at(at(day)):
            rows, _ = people(Filters(assignment_id=assignment.id), None, per_page=None)
            sql = {row.user_id: row.status for row in rows}
            for obligation in db.session.execute(select(Obligation).where(
                    Obligation.assignment_id == assignment.id)).scalars():
                enrollment = learning.enrollment_for(obligation.user_id, short_module.id)
                python = item_status(due_on=obligation.due_on,
                                     satisfied_at=obligation.satisfied_at, months=1,
                                     enrollment_status=enrollment.status if enrollment else None,
                                     on=day)
                assert sql[obligation.user_id] == python, (day, obligation.user_id)
    with clock.frozen_at(at(date(2026, 2, 27))):
        assert _status(assignment, learners[0]) == "completed"
    with clock.frozen_at(at(date(2026, 2, 28))):  # renewal due today: not late yet
        assert _status(assignment, learners[0]) == "not_started"
    with clock.frozen_at(at(date(2026, 3, 1))):
        assert _status(assignment, learners[0]) == "overdue"
        assert _status(assignment, learners[2]) == "overdue"


def _status(assignment, user) -> str:
    rows, _ = people(Filters(assignment_id=assignment.id), None, per_page=None)
    return next(r.status for r in rows if r.user_id == user.id)


def test_renewal_keeps_history_and_issues_a_new_certificate(app, module_root, sync_root, admin,
                                                            make_user):
    write_short_module(module_root, "renewed", certificate=True)
    sync_root()
    module = learning.published_module("renewed")
    learner = make_user()
    with clock.frozen_at(at(date(2026, 1, 10))):
        assign(admin, module, due_on=date(2026, 1, 20), recertify_months=12)
        complete_module(learner, module)
        with pytest.raises(DomainError):  # a year of validity left: nothing to renew
            renew(learner, module)
    with clock.frozen_at(at(date(2026, 12, 20))):
        item = assigned_to(learner)[0]
        assert item.status == "completed" and item.can_renew
        assert item.valid_until == date(2027, 1, 10)
        renew(learner, module)
        db.session.commit()
        assert db.session.scalar(select(StepProgress.id).where(
            StepProgress.user_id == learner.id)) is None
        assert complete_module(learner, module)
        item = assigned_to(learner)[0]
        assert item.valid_until == date(2027, 12, 20)
    completions = db.session.execute(select(ModuleCompletion).where(
        ModuleCompletion.user_id == learner.id)).scalars().all()
    assert len(completions) == 2
    assert len(db.session.execute(select(Certificate).where(
        Certificate.user_id == learner.id)).scalars().all()) == 2


def test_assigned_to_you_is_sorted_by_due_date(app, module_root, sync_root, admin, make_user):
    for slug in ("later", "sooner", "done"):
        write_short_module(module_root, slug)
    sync_root()
    learner = make_user()
    with clock.frozen_at(at(date(2026, 3, 2))):
        for slug, days in (("later", 40), ("sooner", 5), ("done", 1)):
            assign(admin, learning.published_module(slug),
                   due_on=date(2026, 3, 2) + timedelta(days=days))
        complete_module(learner, learning.published_module("done"))
        items = assigned_to(learner)
    assert [i.module.slug for i in items] == ["sooner", "later", "done"]
    assert [i.words for i in items[:2]] == ["due in 5 days", "due in 5 weeks"]
    assert items[2].is_done
