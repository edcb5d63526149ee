"""The scorecard's figures: who counts, what is hidden, how totals and trends behave."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from lms import clock
from lms.clock import frozen_at
from lms.extensions import db
from lms.models import (
    Department,
    ModuleCompletion,
    PendingSurveyAnswer,
    SurveyParticipation,
    SurveyResponse,
)
from lms.services.errors import DomainError
from lms.services.learning import progress as learning
from lms.services.learning import surveys
from lms.services.scorecard.metrics import Figures, People, Provider, register
from lms.services.scorecard.metrics.base import PROVIDERS_KEY
from lms.services.scorecard.report import build_scorecard, to_csv
from tests.assignments.helpers import complete_module
from tests.scorecard.conftest import survey_answers as _answers
from tests.scorecard.conftest import survey_step as _survey_step

NOW = datetime(2026, 11, 15, 12, tzinfo=UTC)


def figures(card, heading: str) -> dict[str, str]:
    row = next(r for r in [*card.rows, card.total] if r.heading == heading)
    return {c.label: cell.text for c, cell in zip(card.columns, row.cells, strict=True)}


def build(**kwargs):
    with frozen_at(NOW):
        return build_scorecard(**kwargs)


# Counting people -------------------------------------------------------------

def test_groups_of_zero_one_four_and_five_people(app, synced, make_department, staff):
    sizes = {"Zero": 0, "One": 1, "Four": 4, "Five": 5, "Twenty": 20, "Thirty": 30}
    for name, n in sizes.items():
        staff(make_department(name), n)
    card = build()
    assert figures(card, "Zero")["Staff"] == "0"
    assert figures(card, "Zero")["Coverage"] == "No staff"
    assert figures(card, "Zero")["Share of staff trained"] == "—"
    for small in ("One", "Four"):
        row = figures(card, small)
        # Every figure about a group this small is hidden, its zero allies included.
        assert row["Staff"] == row["Trained allies"] == row["Coverage"] == "fewer than 5"
        assert row["Share of staff trained"] == "fewer than 5"
    assert figures(card, "Five")["Staff"] == "5"
    assert figures(card, "Five")["Trained allies"] == "0"
    assert figures(card, "Five")["Coverage"] == "Below target"
    # One + Four = 5: either could still be anything from 1 to 4, so the
    # total needs no further cell hidden.
    assert figures(card, "Twenty")["Staff"] == "20"
    assert figures(card, "Institution total")["Staff"] == "60"
    assert figures(card, "Institution total")["Coverage"] == "0 of 3 departments"


def test_a_total_never_gives_away_the_one_hidden_department(app, synced, make_department, staff):
    staff(make_department("Library Services"), 1)
    staff(make_department("Radiology"), 12)
    staff(make_department("Surgery"), 30)
    card = build()
    assert figures(card, "Library Services")["Staff"] == "fewer than 5"
    # Without hiding another figure, 43 - 12 - 30 would name the hidden one.
    assert figures(card, "Radiology")["Staff"] == "hidden"
    assert figures(card, "Surgery")["Staff"] == "30"
    assert figures(card, "Institution total")["Staff"] == "43"


def test_people_without_a_department_have_their_own_row(app, synced, make_department, staff):
    staff(make_department("Surgery"), 12)
    staff(None, 6)
    card = build()
    assert figures(card, "No department")["Staff"] == "6"
    assert figures(card, "No department")["Coverage"] == "—"
    assert figures(card, "Institution total")["Staff"] == "18"


def test_inactive_accounts_do_not_count(app, synced, make_department, staff, train):
    surgery = make_department("Surgery")
    staff(surgery, 6)
    train(staff(surgery, 5, active=False))
    card = build()
    assert figures(card, "Surgery")["Staff"] == "6"
    assert figures(card, "Surgery")["Trained allies"] == "0"


# Trained allies and coverage ---------------------------------------------------

def test_a_trained_ally_completed_every_core_module(app, synced, make_department, staff, complete,
                                                    train):
    surgery = make_department("Surgery")
    people = staff(surgery, 13)  # complements of 5 or more: nothing hidden
    train(people[:6])
    complete(people[6:8], "implicit-bias-foundations")
    complete(people[:1], "implicit-bias-foundations")  # a second completion counts once
    card = build()
    row = figures(card, "Surgery")
    assert row["Trained allies"] == "6"
    assert row["Share of staff trained"] == "46%"
    assert row["Completed a module"] == "8"
    assert row["Coverage"] == "Meets target"


def test_the_real_completion_flow_counts(app, synced, make_department, staff, make_user):
    """A module completed through the learner's own steps is what the scorecard counts."""
    surgery = make_department("Surgery")
    staff(surgery, 5)
    learner = make_user(department=surgery)
    module = learning.published_module("implicit-bias-foundations")
    assert complete_module(learner, module)
    db.session.commit()
    assert figures(build(), "Surgery")["Completed a module"] == "fewer than 5"
    assert figures(build(admin=True), "Surgery")["Completed a module"] == "fewer than 5"
    assert db.session.scalar(sa.select(sa.func.count(ModuleCompletion.id))) == 1


def test_departments_below_target_stand_out(app, synced, make_department, staff, train):
    staff(make_department("Emergency Medicine"), 15)
    train(staff(make_department("Pediatrics"), 9)[:6])
    card = build()
    assert card.below_target == ["Emergency Medicine"]
    emergency = next(r for r in card.rows if r.label == "Emergency Medicine")
    assert emergency.below_target
    assert (card.coverage_met, card.coverage_reported) == (1, 2)


def test_small_rates_and_counts_are_hidden_together(app, synced, make_department, staff, train):
    surgery = make_department("Surgery")
    train(staff(surgery, 10)[:3])
    staff(make_department("Radiology"), 40)
    row = figures(build(), "Surgery")
    # 3 of 10 would reveal the hidden 3, so the share goes too.
    assert row["Trained allies"] == "fewer than 5"
    assert row["Share of staff trained"] == "fewer than 5"


class TestConfiguredProgramme:
    @pytest.fixture
    def app_config(self):
        return {"LMS_CORE_MODULES": "implicit-bias-foundations, no-such-module",
                "LMS_ALLY_TARGET": 2}

    def test_core_set_and_target_come_from_settings(self, app, synced, make_department, staff,
                                                   complete):
        surgery = make_department("Surgery")
        people = staff(surgery, 12)
        complete(people[:1], "implicit-bias-foundations")
        card = build(admin=True)
        assert [m.slug for m in card.core_modules] == ["implicit-bias-foundations"]
        assert card.missing_core == ["no-such-module"]
        assert figures(card, "Surgery")["Trained allies"] == "fewer than 5"
        assert figures(card, "Surgery")["Coverage"] == "Below target"
        complete(people[1:6], "implicit-bias-foundations")
        assert figures(build(), "Surgery")["Trained allies"] == "6"
        assert figures(build(), "Surgery")["Coverage"] == "Meets target"


# Evaluation and survey anonymity ----------------------------------------------

def test_evaluation_share_counts_released_answers_only(app, synced, make_department, staff):
    step = _survey_step()
    surgery, radiology = make_department("Surgery"), make_department("Radiology")
    neurology = make_department("Neurology")
    for i, person in enumerate(staff(surgery, 15)[:12]):
        surveys.record_response(person, step, _answers(step, "yes" if i < 5 else "no"))
    for person in staff(radiology, 15)[:3]:
        surveys.record_response(person, step, _answers(step, "yes"))
    for person in staff(neurology, 15)[:5]:
        surveys.record_response(person, step, _answers(step, "yes"))
    db.session.commit()
    card = build()
    # Surgery: two batches of five released, two answers waiting; Radiology: all waiting.
    assert figures(card, "Surgery")["Evaluation responses"] == "10"
    assert figures(card, "Surgery")["Learned a strategy"] == "50%"
    assert figures(card, "Radiology")["Evaluation responses"] == "0"
    assert figures(card, "Radiology")["Learned a strategy"] == "—"
    assert figures(card, "Neurology")["Evaluation responses"] == "5"
    assert figures(card, "Neurology")["Learned a strategy"] == "100%"
    assert figures(card, "Institution total")["Evaluation responses"] == "15"
    assert figures(card, "Institution total")["Learned a strategy"] == "67%"
    assert card.release.waiting == 5
    assert card.release.released_on == NOW.date() or card.release.released_on is not None


def test_answers_from_small_departments_are_pooled_upwards(app, synced, make_department, staff):
    step = _survey_step()
    medicine = make_department("Internal Medicine")
    physics = make_department("Medical Physics", parent=medicine)
    archive = make_department("Archive")
    medicine_staff, physics_staff = staff(medicine, 10), staff(physics, 3)
    archive_staff = staff(archive, 2)
    assert surveys.survey_release.pool_for(physics.id) == medicine.id
    assert surveys.survey_release.pool_for(archive.id) is None
    for person in [*physics_staff, *medicine_staff[:1]]:
        surveys.record_response(person, step, _answers(step, "yes"))
    for person in [*archive_staff, *medicine_staff[1:4]]:
        surveys.record_response(person, step, _answers(step, "yes"))
    db.session.commit()
    # Medical Physics' three answers filled a batch with Internal Medicine's first two
    # and are counted there; Archive's two wait in the institution-wide pool,
    # Internal Medicine's last two in its own.
    released = db.session.execute(
        sa.select(SurveyResponse.department_id, sa.func.count())
        .group_by(SurveyResponse.department_id)).all()
    assert released == [(medicine.id, 5)]
    card = build()
    assert card.release.waiting == 4
    assert figures(card, "Medical Physics (part of Internal Medicine)")[
        "Evaluation responses"] == "fewer than 5"
    # Another small department fills the institution-wide pool: counted under "No department".
    for person in staff(make_department("Chaplaincy"), 3):
        surveys.record_response(person, step, _answers(step, "no"))
    db.session.commit()
    released = dict(db.session.execute(
        sa.select(SurveyResponse.department_id, sa.func.count())
        .group_by(SurveyResponse.department_id)).all())
    assert released == {medicine.id: 5, None: 5}
    assert build().release.waiting == 2


def test_survey_answers_are_stored_without_the_person(app, synced, make_department, staff):
    step = _survey_step()
    people = staff(make_department("Surgery"), 5)
    person = people[0]
    surveys.record_response(person, step, _answers(step, "yes"))
    db.session.commit()
    for model in (SurveyResponse, PendingSurveyAnswer):
        assert not {"user_id", "participation_id", "email"} \
            & set(model.__table__.c.keys())
    assert "created_at" not in PendingSurveyAnswer.__table__.c
    pending = db.session.scalars(sa.select(PendingSurveyAnswer)).one()
    assert pending.pool_department_id == person.department_id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse)) == 0
    participation = db.session.scalars(sa.select(SurveyParticipation)).one()
    assert participation.user_id == person.id
    assert (participation.created_at.hour, participation.created_at.minute) == (0, 0)
    assert "answers" not in SurveyParticipation.__table__.c
    with pytest.raises(DomainError):
        surveys.record_response(person, step, _answers(step, "no"))
    db.session.rollback()
    for other in people[1:]:
        surveys.record_response(other, step, _answers(step, "no"))
    db.session.commit()
    # Released as one batch: the pending rows are gone, every answer dated by the day only.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PendingSurveyAnswer)) == 0
    responses = db.session.scalars(sa.select(SurveyResponse)).all()
    assert len(responses) == 5
    assert {(r.created_at.hour, r.created_at.minute) for r in responses} == {(0, 0)}
    assert {r.department_id for r in responses} == {person.department_id}


# Hierarchy -------------------------------------------------------------------

def test_sub_departments_sit_under_their_parent_or_roll_up(app, synced, make_department, staff,
                                                           train):
    medicine = make_department("Internal Medicine")
    cardiology = make_department("Cardiology", parent=medicine)
    train(staff(medicine, 20)[:8])
    train(staff(cardiology, 9)[:7])
    staff(make_department("Surgery"), 30)
    card = build()
    assert [(r.heading, r.depth) for r in card.rows] == [
        ("Internal Medicine", 0), ("Cardiology (part of Internal Medicine)", 1), ("Surgery", 0)]
    assert figures(card, "Internal Medicine")["Staff"] == "20"
    rolled = build(rollup=True)
    assert [r.heading for r in rolled.rows] == [
        "Internal Medicine (with sub-departments)", "Surgery"]
    assert figures(rolled, "Internal Medicine (with sub-departments)")["Staff"] == "29"
    assert figures(rolled, "Internal Medicine (with sub-departments)")["Trained allies"] == "15"


def test_both_layouts_are_protected_together(app, synced, make_department, staff):
    medicine = make_department("Internal Medicine")
    staff(make_department("Cardiology", parent=medicine), 2)
    staff(medicine, 20)
    staff(make_department("Surgery"), 30)
    own, rolled = build(), build(rollup=True)
    assert figures(own, "Cardiology (part of Internal Medicine)")["Staff"] == "fewer than 5"
    # Roll-up 22 minus own 20 would reveal Cardiology's 2: one of them must hide.
    shown_own = figures(own, "Internal Medicine")["Staff"]
    shown_all = figures(rolled, "Internal Medicine (with sub-departments)")["Staff"]
    assert "hidden" in (shown_own, shown_all)


def test_a_loop_of_parents_does_not_break_the_page(app, synced, make_department, staff):
    a, b = make_department("A"), make_department("B")
    a.parent_id, b.parent_id = b.id, a.id
    db.session.commit()
    staff(a, 6)
    card = build()
    assert {r.label for r in card.rows} == {"A", "B"}


# Trends ----------------------------------------------------------------------

def test_monthly_completions_and_coverage(app, synced, make_department, staff, train, complete):
    surgery, radiology = make_department("Surgery"), make_department("Radiology")
    train(staff(surgery, 10)[:6], when=datetime(2026, 3, 5, tzinfo=UTC))
    complete(staff(radiology, 10)[:2], "implicit-bias-foundations",
             when=datetime(2026, 6, 20, tzinfo=UTC))
    train(staff(radiology, 1), when=datetime(2026, 8, 2, tzinfo=UTC))
    card = build()
    completions = next(t for t in card.trends if t.key == "completions")
    assert [p.month for p in completions.points][0] == "2025-12"
    assert [p.month for p in completions.points][-1] == "2026-11"
    by_month = {p.month: p.text for p in completions.points}
    assert by_month["2026-03"] == "6"
    assert by_month["2026-06"] == "fewer than 5"
    assert by_month["2026-05"] == "0"
    coverage = {p.month: p.text for p in next(t for t in card.trends if t.key == "coverage").points}
    assert coverage["2026-02"] == "0 of 2"
    assert coverage["2026-03"] == "1 of 2"
    assert coverage["2026-08"] == "2 of 2"
    svg = completions.chart()
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg


# Providers -------------------------------------------------------------------

def test_a_registered_provider_adds_its_columns(app, synced, make_department, staff):
    surgery = make_department("Surgery")
    staff(surgery, 11)

    def compute(ctx):
        return Figures(columns=[People("mentors", "Mentors", "People who mentor.")],
                       counts={"mentors": {surgery.id: 6}})

    register(app, Provider("test-mentors", "Mentors", compute, order=90))
    register(app, Provider("test-absent", "Absent", compute, tables=("no_such_table",),
                           order=91))
    try:
        card = build()
        assert [c.label for c in card.columns].count("Mentors") == 1
        assert figures(card, "Surgery")["Mentors"] == "6"
    finally:
        for key in ("test-mentors", "test-absent"):
            app.extensions[PROVIDERS_KEY].pop(key)


def test_other_areas_metrics_come_from_their_real_tables(app, synced, make_department, staff,
                                                       make_training, make_offering, admin):
    """Attendance, action plans and assignments, created through their own services."""
    from lms.services.assignments import rules as assignment_service
    from lms.services.events import registration as event_registration
    from lms.services.learning.progress import published_module
    from lms.services.plans import action_plans as plan_service

    surgery = make_department("Surgery")
    people = staff(surgery, 12)
    staff(make_department("Radiology"), 20)
    offering = make_offering(make_training(), starts_in=timedelta(days=1), capacity=20)
    registrations = [event_registration.register(p, offering, notify=False) for p in people[:6]]
    with clock.frozen_at(offering.starts_at + timedelta(minutes=10)):
        event_registration.mark_attendance(offering, [r.id for r in registrations], "attended",
                                           actor=admin)
    for n, person in enumerate(people[:7]):
        goal = plan_service.create_goal(person, title="Share the chair", actions=[
            plan_service.ActionDraft("Rotate who chairs the meeting",
                                     plan_service.local_today() + timedelta(days=7))])
        if n < 5:
            plan_service.set_action_status(goal.actions[0], "done")
    module = published_module("implicit-bias-foundations")
    assignment_service.create_assignment(actor=admin, rule=assignment_service.Rule(
        module=module, target_kind="departments", department_ids=[surgery.id],
        due_on=plan_service.local_today() + timedelta(days=20)))
    db.session.commit()

    card = build()
    row = figures(card, "Surgery")
    assert row["Attended a live session"] == "6"
    assert row["Active action plans"] == "7"
    assert row["Completed an action"] == "5"
    title = module.title
    # Nobody has completed it yet; the rate may be hidden by secondary suppression.
    assert row[f"{title}: completed"] in {"0%", "hidden"}
    assert f"{title}: overdue" in row
    assert to_csv(card.tables())  # renders


def test_a_deleted_department_keeps_its_responses_in_no_department(app, synced, make_department,
                                                                  staff):
    step = _survey_step()
    closing = make_department("Closing")
    for person in staff(closing, 5):
        surveys.record_response(person, step, _answers(step, "yes"))
    db.session.commit()
    db.session.delete(db.session.get(Department, closing.id))
    db.session.commit()
    card = build()
    assert figures(card, "No department")["Evaluation responses"] == "5"


@pytest.mark.parametrize(("said_no", "share"), [(0, "100%"), (1, "hidden"), (4, "hidden"),
                                                (5, "50%")])
def test_a_share_that_would_reveal_a_few_no_answers_is_hidden(app, synced, make_department,
                                                              staff, said_no, share):
    """'10 responses, 90%' says one person said no: the share is hidden with its complement."""
    step = _survey_step()
    surgery = make_department("Surgery")
    staff(make_department("Radiology"), 20)
    for i, person in enumerate(staff(surgery, 20)[:10]):
        surveys.record_response(person, step, _answers(step, "no" if i < said_no else "yes"))
    db.session.commit()
    card = build()
    assert figures(card, "Surgery")["Evaluation responses"] == "10"
    assert figures(card, "Surgery")["Learned a strategy"] == share
