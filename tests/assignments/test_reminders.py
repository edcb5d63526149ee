"""Scheduled reminders: the right messages, once, then escalation to the lead."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms import clock
from lms.extensions import db
from lms.models import OutboxMessage, Reminder
from lms.services.assignments.reminders import run_due_reminders
from lms.services.reminders import run_all
from tests.assignments.helpers import assign, at, complete_module

TODAY = date(2026, 3, 2)
DUE = TODAY + timedelta(days=20)


@pytest.fixture
def ward(make_department, make_user):
    """Medicine (lead: Lee, who works in HR) with Cardiology below; two learners and a done one."""
    hr = make_department("Human Resources")
    medicine = make_department("Internal Medicine")
    cardiology = make_department("Cardiology", parent=medicine)
    lead = make_user(name="Lee Lead", email="lead@example.edu", department=hr)
    medicine.lead_id = lead.id
    people = {
        "lead": lead,
        "medic": make_user(name="Mo Medic", email="medic@example.edu", department=medicine),
        "cardio": make_user(name="Cy Cardio", email="cardio@example.edu", department=cardiology),
        "done": make_user(name="Di Done", email="done@example.edu", department=medicine),
    }
    db.session.commit()
    return {"medicine": medicine, **people}


def _run(day: date) -> list[OutboxMessage]:
    before = {m.id for m in db.session.execute(select(OutboxMessage)).scalars()}
    with clock.frozen_at(at(day)):
        run_due_reminders()
        db.session.commit()
    return [m for m in db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id))
            .scalars() if m.id not in before]


def test_schedule_before_on_and_after_the_due_date(app, ward, short_module):
    with clock.frozen_at(at(TODAY)):
        assignment, _ = assign(None, short_module, target_kind="departments",
                               department_ids=[ward["medicine"].id], due_on=DUE)
        complete_module(ward["done"], short_module)

    def sent(day):
        return sorted((m.to_address, m.subject) for m in _run(day))

    assert sent(TODAY) == []
    fortnight = sent(DUE - timedelta(days=14))
    assert fortnight == [
        ("cardio@example.edu", "Reminder: Short Course is due on 22 March 2026"),
        ("medic@example.edu", "Reminder: Short Course is due on 22 March 2026")]
    assert sent(DUE - timedelta(days=14)) == []  # running twice sends nothing twice
    assert sent(DUE - timedelta(days=10)) == []
    assert len(sent(DUE - timedelta(days=3))) == 2
    assert sent(DUE) == [("cardio@example.edu", "Due today: Short Course"),
                         ("medic@example.edu", "Due today: Short Course")]
    assert sent(DUE + timedelta(days=1)) == []
    week = sent(DUE + timedelta(days=7))
    assert [s for _, s in week] == ["Still to do: Short Course (was due 22 March 2026)"] * 2
    fortnight_late = _run(DUE + timedelta(days=14))
    escalation = [m for m in fortnight_late if m.kind == "assignment_escalation"]
    assert len(fortnight_late) == 3 and len(escalation) == 1
    assert escalation[0].to_address == "lead@example.edu"
    assert escalation[0].subject == "2 people are overdue on Short Course"
    assert "Cy Cardio (14 days overdue)" in escalation[0].body_text
    assert "Mo Medic (14 days overdue)" in escalation[0].body_text
    assert "reflection" not in escalation[0].body_text.lower()
    assert sent(DUE + timedelta(days=15)) == []
    assert len(sent(DUE + timedelta(days=21))) == 2  # weekly, no second escalation

    stages = [(r.recipient, r.stage) for r in db.session.execute(
        select(Reminder).where(Reminder.assignment_id == assignment.id).order_by(
            Reminder.id)).scalars() if r.user_id == ward["medic"].id]
    assert stages == [
        ("medic@example.edu", "before-14"), ("medic@example.edu", "before-3"),
        ("medic@example.edu", "due"), ("medic@example.edu", "overdue-1"),
        ("medic@example.edu", "overdue-2"), ("lead@example.edu", "escalate"),
        ("medic@example.edu", "overdue-3")]
    body = db.session.scalar(select(OutboxMessage.body_text).where(
        OutboxMessage.to_address == "medic@example.edu"))
    assert "Hello Mo Medic" in body and "http://lms.test/learn/short-course" in body
    assert not any(m.to_address == "done@example.edu"
                   for m in db.session.execute(select(OutboxMessage)).scalars())


def test_a_late_assignment_gets_the_latest_stage_only(app, ward, short_module):
    with clock.frozen_at(at(TODAY)):
        assign(None, short_module, target_kind="people", people_emails=["medic@example.edu"],
               due_on=TODAY + timedelta(days=2))
    assert [m.subject for m in _run(TODAY)] == [
        "Reminder: Short Course is due on 4 March 2026"]
    assert _run(TODAY) == []


def test_someone_overdue_from_the_start_hears_once_then_weekly(app, ward, short_module):
    ward["medic"].joined_at = at(TODAY - timedelta(days=100))
    db.session.commit()
    with clock.frozen_at(at(TODAY)):
        assign(None, short_module, target_kind="people", people_emails=["medic@example.edu"],
               due_kind="after_joined", due_days=90, due_on=None)
    assert [m.subject for m in _run(TODAY)] == [
        "Still to do: Short Course (was due 20 February 2026)"]
    assert _run(TODAY + timedelta(days=1)) == []
    # 14 days overdue: the weekly reminder, and the lead is told.
    assert sorted(m.to_address for m in _run(TODAY + timedelta(days=4))) == [
        "lead@example.edu", "medic@example.edu"]


def test_flask_reminders_send_is_idempotent(app, runner, ward, short_module):
    with clock.frozen_at(at(TODAY)):
        assign(None, short_module, target_kind="departments",
               department_ids=[ward["medicine"].id], due_on=TODAY + timedelta(days=3))
        first = runner.invoke(args=["reminders", "send"])
        second = runner.invoke(args=["reminders", "send"])
        db.session.expire_all()
        assert run_all()["assignments"] == 0
    assert "assignments: 3 message(s) queued" in first.output  # medic, cardio, done
    assert "assignments: 0 message(s) queued" in second.output
    assert len(db.session.execute(select(OutboxMessage)).scalars().all()) == 3


def test_deleted_assignments_and_unpublished_modules_send_nothing(app, ward, short_module):
    from lms.services.assignments.rules import delete_assignment

    with clock.frozen_at(at(TODAY)):
        assignment, _ = assign(None, short_module, due_on=TODAY)
        delete_assignment(assignment, actor=None)
        assign(None, short_module, due_on=TODAY)
        short_module.is_published = False
        db.session.commit()
    assert _run(TODAY) == []


def test_refresh_command(app, runner, ward, short_module):
    with clock.frozen_at(at(TODAY)):
        assignment, _ = assign(None, short_module)
    result = runner.invoke(args=["assignments", "refresh"])
    assert result.exit_code == 0
    assert "Opened 0, closed 0 obligation(s)" in result.output
