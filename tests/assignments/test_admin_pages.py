"""Admins create, change and delete assignments through the forms, and send reminders."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lms import clock
from lms.extensions import db
from lms.models import Assignment, AuditEvent, Obligation, OutboxMessage, Reminder
from tests.assignments.helpers import assign, at, complete_module

TODAY = date(2026, 3, 2)


@pytest.fixture
def frozen():
    with clock.frozen_at(at(TODAY)):
        yield


def _form(module, **fields) -> dict:
    data = {"module_id": module.id, "target_kind": "everyone", "due_kind": "date",
            "due_on": (TODAY + timedelta(days=21)).isoformat(), "remind_days_before": "14, 3, 0",
            "overdue_every_days": "7", "escalate_after_days": "14",
            "include_subdepartments": "y"}
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def test_admin_assigns_a_module_to_two_departments(client, auth, frozen, short_module, admin,
                                                   make_department, make_user):
    medicine = make_department("Internal Medicine")
    pediatrics = make_department("Pediatrics")
    make_department("Library Services")
    for department in (medicine, medicine, pediatrics):
        make_user(department=department)
    auth.login(admin)
    form_page = client.get("/assignments/new").get_data(as_text=True)
    assert "Short Course" in form_page and "Library Services" in form_page
    response = client.post("/assignments/new", data=_form(
        short_module, target_kind="departments",
        department_ids=[str(medicine.id), str(pediatrics.id)]))
    assert response.status_code == 302
    assignment = db.session.scalar(select(Assignment))
    assert response.headers["Location"].endswith(f"/assignments/compliance?assignment="
                                                 f"{assignment.id}")
    assert "now assigned to 3 people" in client.get(response.headers["Location"]).get_data(
        as_text=True)
    assert assignment.remind_days_before == [14, 3, 0]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assignment.create"))
    assert event.actor_id == admin.id and event.target_id == assignment.id
    assert event.details["departments"] == ["Internal Medicine", "Pediatrics"]
    index = client.get("/assignments/").get_data(as_text=True)
    assert "Internal Medicine, Pediatrics (with sub-departments)" in index


@pytest.mark.parametrize(("fields", "message"), [
    ({"due_on": (TODAY - timedelta(days=1)).isoformat()}, "is in the past"),
    ({"target_kind": "departments"}, "Choose at least one department."),
    ({"target_kind": "people", "people": "ghost@example.edu"}, "No account for: ghost@"),
    ({"remind_days_before": "14, soon"}, "Use whole numbers separated by commas"),
    ({"due_kind": "after_joined", "due_days": ""}, "Enter a number of days"),
    ({"module_id": ""}, "Choose a module."),
])
def test_bad_input_is_shown_at_the_field_and_nothing_is_saved(client, auth, frozen,
                                                               short_module, admin, fields,
                                                               message):
    auth.login(admin)
    response = client.post("/assignments/new", data=_form(short_module, **fields))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert 'class="error-summary"' in html
    assert db.session.scalar(select(func.count(Assignment.id))) == 0
    assert db.session.scalar(select(func.count(Obligation.id))) == 0


def test_a_rule_matching_nobody_and_an_unpublished_module(client, auth, frozen, short_module,
                                                          admin, make_department):
    empty = make_department("Empty")
    auth.login(admin)
    response = client.post("/assignments/new", data=_form(
        short_module, target_kind="departments", department_ids=[str(empty.id)]))
    assert response.status_code == 422
    assert "This rule matches nobody" in response.get_data(as_text=True)
    short_module.is_published = False
    db.session.commit()
    response = client.post("/assignments/new", data=_form(short_module))
    assert response.status_code == 422
    assert "is not published" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Assignment.id))) == 0


def test_edit_and_delete(client, auth, frozen, short_module, admin, make_user, make_department):
    medicine = make_department("Internal Medicine")
    medic = make_user(department=medicine)
    assignment, _ = assign(admin, short_module)
    auth.login(admin)
    page = client.get(f"/assignments/{assignment.id}/edit").get_data(as_text=True)
    assert "cannot change" in page and 'value="14, 3, 0"' in page
    response = client.post(f"/assignments/{assignment.id}/edit", data=_form(
        short_module, target_kind="departments", department_ids=[str(medicine.id)],
        due_on=(TODAY + timedelta(days=40)).isoformat(), recertify_months="12"))
    assert response.status_code == 302
    db.session.refresh(assignment)
    assert assignment.recertify_months == 12
    open_ids = set(db.session.execute(select(Obligation.user_id).where(
        Obligation.assignment_id == assignment.id, Obligation.closed_at.is_(None))).scalars())
    assert open_ids == {medic.id}

    confirm = client.get(f"/assignments/{assignment.id}/delete").get_data(as_text=True)
    assert "1 person has this assignment open" in confirm
    assert client.post(f"/assignments/{assignment.id}/delete").status_code == 302
    assert client.get(f"/assignments/{assignment.id}/edit").status_code == 404
    actions = set(db.session.execute(select(AuditEvent.action).where(
        AuditEvent.target_type == "Assignment")).scalars())
    assert actions == {"assignment.create", "assignment.update", "assignment.delete"}
    audit_page = client.get(f"/admin/audit?target_type=Assignment&target_id={assignment.id}")
    text = audit_page.get_data(as_text=True)
    assert '<td data-label="Action">assignment.delete</td>' in text
    assert '<td data-label="Action">assignment.update</td>' in text


def test_send_now_queues_once_a_day_and_is_recorded(client, auth, frozen, short_module, admin,
                                                    make_user):
    done, todo = make_user(), make_user(email="todo@example.edu")
    assignment, _ = assign(admin, short_module)
    complete_module(done, short_module)
    complete_module(admin, short_module)
    auth.login(admin)
    response = client.post(f"/assignments/{assignment.id}/remind", follow_redirects=True)
    assert "Queued 1 reminder in the Outbox." in response.get_data(as_text=True)
    again = client.post(f"/assignments/{assignment.id}/remind", follow_redirects=True)
    assert "already reminded today" in again.get_data(as_text=True)
    messages = db.session.execute(select(OutboxMessage)).scalars().all()
    assert [m.to_address for m in messages] == ["todo@example.edu"]
    assert "Short Course" in messages[0].subject
    reminder = db.session.scalar(select(Reminder))
    assert (reminder.kind, reminder.sent_by_id, reminder.user_id) == ("manual", admin.id,
                                                                      todo.id)
    events = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "assignment.remind")).scalars().all()
    assert [(e.details["sent"], e.details["already_reminded"]) for e in events] == [(1, 0),
                                                                                    (0, 1)]
    history = client.get(f"/assignments/{assignment.id}/reminders").get_data(as_text=True)
    assert "todo@example.edu" in history and admin.name in history


def test_audit_log_filters_by_date(client, auth, admin, short_module, make_user):
    make_user()
    with clock.frozen_at(at(date(2026, 3, 2))):
        assign(admin, short_module)
    with clock.frozen_at(at(date(2026, 4, 2))):
        auth.login(admin)
        march = client.get("/admin/audit?action=assignment&since=2026-03-01&until=2026-03-31")
        april = client.get("/admin/audit?action=assignment&since=2026-04-01")
    assert '<td data-label="Action">assignment.create</td>' in march.get_data(as_text=True)
    assert '<td data-label="Action">assignment.create</td>' not in april.get_data(as_text=True)


def test_the_reminder_schedule_counts_its_days(client, auth, frozen, short_module, admin):
    assignment, _ = assign(admin, short_module)
    auth.login(admin)
    assignment.remind_days_before, assignment.overdue_every_days = [7, 1], 1
    assignment.escalate_after_days = 3
    db.session.commit()
    page = client.get(f"/assignments/{assignment.id}/reminders").get_data(as_text=True)
    assert "Schedule: 7, 1 day(s) before the due date" in page
    assert "every 1 day while overdue" in page
    assert "the department lead is told after 3 days overdue" in page
    assignment.remind_days_before = [1]
    db.session.commit()
    page = client.get(f"/assignments/{assignment.id}/reminders").get_data(as_text=True)
    assert "Schedule: 1 day before the due date" in page
