"""In the browser: a learner names a co-author on a group challenge → the co-author
accepts the invitation → the mentor approves → both see the feedback → both complete the
module. axe-core checks every page on the way (issue 13, finding 5)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from tests.e2e.conftest import DEMO_PASSWORD, check_a11y, login_as, logout

pytestmark = pytest.mark.e2e

MENTOR = "mentor.one@example.edu"  # Dr. Amara Okafor mentors Internal Medicine
STEP = "/learn/us-vs-them/challenge"
COMMENT = "A candid diagnosis, and solutions the whole group can own."


def _people(live_server) -> tuple[str, str]:
    """Two new people in Internal Medicine; the first has written the group's answers."""
    from sqlalchemy import select

    from lms.content.sync import sync_modules
    from lms.extensions import db
    from lms.models import Department
    from lms.services.accounts import passwords
    from lms.services.accounts import people as accounts
    from lms.services.learning import challenges
    from lms.services.learning import progress as learning
    from tests.learn.coauthor_helpers import complete_answers

    tag = uuid.uuid4().hex[:6]
    with live_server.app.app_context():
        sync_modules(Path(live_server.app.config["LMS_MODULES_DIR"]))
        medicine = db.session.execute(select(Department).where(
            Department.name == "Internal Medicine")).scalar_one()
        inviter, coauthor = (
            accounts.create_user(email=f"{who}.{tag}@example.edu", name=f"{name} {tag}",
                                 department=medicine)
            for who, name in (("writer", "Wren Writer"), ("partner", "Pat Partner")))
        inviter, coauthor = list((inviter, coauthor))
        for person in (inviter, coauthor):
            passwords.set_password(person, DEMO_PASSWORD)
        module = learning.published_module("us-vs-them")
        step = next(s for s in module.steps if s.kind == "challenge")
        learning.start_module(inviter, module)
        challenges.save_draft(inviter, step, complete_answers(step), expected_version=0)
        emails = (inviter.email, coauthor.email)
        db.session.commit()
        db.session.remove()
    return emails


def _finish_the_page_step(page) -> None:
    page.goto("/learn/us-vs-them/how-the-challenges-work")
    page.get_by_role("button", name=re.compile("Mark as done|Continue")).click()
    page.wait_for_load_state()


def test_invite_accept_feedback_and_completion_for_both(page, live_server):
    from playwright.sync_api import expect

    inviter, coauthor = _people(live_server)

    # The writer names their partner and submits.
    login_as(page, inviter)
    _finish_the_page_step(page)
    page.goto(STEP)
    page.get_by_role("link", name="Review and submit").click()
    expect(page.get_by_role("heading", name="Review your answers")).to_be_visible()
    page.get_by_label("Co-authors (group challenge)").fill(coauthor)
    check_a11y(page)
    page.get_by_role("button", name="Submit").click()
    page.wait_for_load_state()
    expect(page.get_by_text("becomes one on accepting")).to_be_visible()
    logout(page)

    # The partner has nothing yet but an invitation, and accepts it.
    login_as(page, coauthor)
    page.goto("/review/notifications")
    page.get_by_role("link", name=re.compile("invited you to co-author")).click()
    page.wait_for_url("**/learn/co-authoring")
    check_a11y(page)
    page.get_by_role("button", name=re.compile("^Accept")).click()
    page.wait_for_url("**/history")
    expect(page.get_by_text("You are now a co-author")).to_be_visible()
    check_a11y(page)
    page.goto(STEP)
    expect(page.get_by_role("heading", name="Your group's reflection")).to_be_visible()
    check_a11y(page)
    logout(page)

    # The mentor approves it.
    login_as(page, MENTOR)
    page.goto("/review/")
    page.get_by_role("link", name=re.compile("Review Wren Writer")).click()
    page.wait_for_load_state()
    check_a11y(page)
    page.get_by_label("Comment").fill(COMMENT)
    page.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    expect(page.get_by_text(re.compile("Approved. Wren Writer .* has been told."))
           ).to_be_visible()
    logout(page)

    # Both see the feedback; both have completed the module.
    login_as(page, inviter)
    page.goto(STEP)
    expect(page.get_by_role("heading", name="Feedback from your mentor")).to_be_visible()
    expect(page.get_by_text(COMMENT)).to_be_visible()
    check_a11y(page)
    page.goto("/learn/us-vs-them")
    expect(page.get_by_text("Completed", exact=True)).to_be_visible()
    logout(page)

    login_as(page, coauthor)
    page.goto("/review/notifications")
    page.get_by_role("link", name=re.compile("approved your reflection")).click()
    page.wait_for_url("**/history")
    expect(page.get_by_text(COMMENT)).to_be_visible()
    check_a11y(page)
    _finish_the_page_step(page)
    page.goto("/learn/us-vs-them")
    expect(page.get_by_text("Completed", exact=True)).to_be_visible()
    check_a11y(page)
