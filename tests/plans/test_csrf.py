"""With CSRF protection on, as in production: the plan's forms and htmx calls carry the token."""

from __future__ import annotations

import re

import pytest
from flask import g

from lms.extensions import db
from lms.models import PlanAction
from tests.conftest import TEST_PASSWORD
from tests.plans.conftest import days_from_today


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def token(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def sign_in(client, user) -> None:
    page = client.get("/auth/login").get_data(as_text=True)
    response = client.post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD,
                                                "csrf_token": token(page)})
    assert response.status_code == 302
    # The test's app context (and so ``g``) outlives each request here, unlike in
    # production; drop the token cached before sign-in cleared the session.
    g.pop("csrf_token", None)


def test_forms_and_htmx_status_updates_work_with_csrf(client, make_user, make_goal):
    learner = make_user()
    goal = make_goal(learner, actions=["Open with a round"])
    action_id = goal.actions[0].id
    sign_in(client, learner)

    page = client.get("/plans/").get_data(as_text=True)
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    assert client.post(f"/plans/actions/{action_id}/status",
                       data={"status": "done"}).status_code == 400  # no token: refused
    swapped = client.post(f"/plans/actions/{action_id}/status", data={"status": "done"},
                          headers={"HX-Request": "true", "X-CSRFToken": header_token})
    assert swapped.status_code == 200
    db.session.expire_all()
    assert db.session.get(PlanAction, action_id).status == "done"

    form = client.get("/plans/goals/new").get_data(as_text=True)
    created = client.post("/plans/goals/new", data={
        "csrf_token": token(form), "title": "Share power in decisions",
        "actions-0-text": "Ask who is missing",
        "actions-0-target_date": days_from_today(3).isoformat()})
    assert created.status_code == 302

    checkin = client.get(f"/plans/goals/{goal.id}/check-in").get_data(as_text=True)
    saved = client.post(f"/plans/goals/{goal.id}/check-in", data={
        "csrf_token": token(checkin), "did": "Ran the round", f"status_{action_id}": "done"})
    assert saved.status_code == 302
