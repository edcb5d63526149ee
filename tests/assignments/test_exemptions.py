"""The exemptions page: admins list, grant (with a reason and an optional last day) and revoke
exemptions; the compliance figures follow through the stored statuses."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms import clock
from lms.extensions import db
from lms.models import AuditEvent, Obligation
from lms.services.assignments.compliance import Filters, summarise
from tests.assignments.helpers import assign, at
from tests.events.helpers import text

TODAY = date(2026, 3, 2)


@pytest.fixture
def frozen():
    with clock.frozen_at(at(TODAY)):
        yield


@pytest.fixture
def assigned(frozen, admin, short_module, make_user):
    learner = make_user(name="Lena Learner", email="lena@example.edu")
    assignment, _ = assign(admin, short_module, due_on=TODAY + timedelta(days=10))
    return assignment, learner


def _obligation(assignment, learner) -> Obligation:
    db.session.expire_all()
    return db.session.scalars(select(Obligation).where(
        Obligation.assignment_id == assignment.id, Obligation.user_id == learner.id,
        Obligation.closed_at.is_(None))).one()


def _assigned_count(assignment) -> int:
    return summarise(Filters(assignment_id=assignment.id), None).total.assigned


def _grant(client, assignment, **fields):
    data = {"assignment_id": assignment.id, "email": "lena@example.edu",
            "reason": "Trained at St Mary's in 2026", "until": ""} | fields
    return client.post("/assignments/exemptions", data=data)


def test_admin_grants_an_exemption_with_a_last_day_and_revokes_it(client, auth, admin,
                                                                    assigned):
    assignment, learner = assigned
    auth.login(admin)
    assert _assigned_count(assignment) == 2

    response = _grant(client, assignment, until=(TODAY + timedelta(days=60)).isoformat())

    assert response.status_code == 302
    obligation = _obligation(assignment, learner)
    assert (obligation.status, obligation.exempt_reason, obligation.exempt_until) == (
        "exempt", "Trained at St Mary's in 2026", TODAY + timedelta(days=60))
    assert _assigned_count(assignment) == 1
    page = text(client.get("/assignments/exemptions"))
    assert "1 current exemption" in page
    assert "Lena Learner" in page and "Trained at St Mary's in 2026" in page
    assert db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "assignment.exempt")).one().details["until"] == "2026-05-01"

    response = client.post(f"/assignments/exemptions/{obligation.id}/revoke")

    assert response.status_code == 302
    assert _obligation(assignment, learner).status == "not_started"
    assert _assigned_count(assignment) == 2
    assert "Nobody is exempt." in text(client.get("/assignments/exemptions"))


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"email": "nobody@example.edu"}, "email",
     "Nobody with this email address has this assignment open."),
    ({"reason": "  "}, "reason", "Say why the person is exempt."),
    ({"until": "2026-03-01"}, "until", "The last day of the exemption cannot be in the past."),
    ({"until": "not a date"}, "until", "Not a valid date value."),
    ({"assignment_id": "999"}, "assignment_id", "Not a valid choice."),
])
def test_a_refused_grant_says_why_at_the_field(client, auth, admin, assigned, fields, field,
                                               message):
    assignment, learner = assigned
    auth.login(admin)

    response = _grant(client, assignment, **fields)

    assert response.status_code == 422
    body = text(response)
    assert re.search(rf'id="{field}-error">[^<]*{re.escape(message)}', body), body
    assert _obligation(assignment, learner).exempt_at is None


def test_an_exemption_ends_after_its_last_day(admin, assigned, client, auth, runner):
    assignment, learner = assigned
    auth.login(admin)
    _grant(client, assignment, until=(TODAY + timedelta(days=3)).isoformat())
    with clock.frozen_at(at(TODAY + timedelta(days=3))):
        runner.invoke(args=["assignments", "reconcile"])
        assert _obligation(assignment, learner).status == "exempt"
    with clock.frozen_at(at(TODAY + timedelta(days=4))):
        result = runner.invoke(args=["assignments", "reconcile"])
        assert result.exit_code == 0, result.output
        obligation = _obligation(assignment, learner)
        assert (obligation.exempt_at, obligation.status) == (None, "not_started")
        assert _assigned_count(assignment) == 2


def test_the_page_is_labelled_for_assistive_technology(client, auth, admin, assigned):
    assignment, _ = assigned
    auth.login(admin)
    _grant(client, assignment)

    body = text(client.get(f"/assignments/exemptions?assignment={assignment.id}"))

    assert re.search(r'<div class="table-wrap" role="region" tabindex="0" '
                     r'aria-label="Current exemptions">', body)
    for field in ("assignment_id", "email", "reason", "until", "filter-assignment"):
        assert f'<label for="{field}"' in body, field
    assert 'aria-describedby="until-hint"' in body


def test_revoking_what_is_not_an_exemption_is_not_found(client, auth, admin, assigned):
    assignment, learner = assigned
    auth.login(admin)
    obligation = _obligation(assignment, learner)
    assert client.post(f"/assignments/exemptions/{obligation.id}/revoke").status_code == 404
    assert client.post("/assignments/exemptions/99999/revoke").status_code == 404
