"""In the browser: learner submits → mentor asks for a revision → learner revises →
mentor approves; axe-core checks every page on the way.

Uses the shared browser fixtures (``live_server`` with the demo data, ``page``) and
helpers (``login_as``, ``check_a11y``); skipped cleanly where they are not present.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

LEARNER = "learner2@example.edu"  # Jordan Miles, linked directly to Dr. Daniel Cho
MENTOR = "mentor.two@example.edu"
IMPROVE = "Please say who was not consulted before the decision."
ANSWERS = [
    "Moving the weekly teaching session for residents to 7 a.m.",
    ("Our residency leadership moved the Thursday teaching session from noon to 7 a.m. this "
     "spring so it no longer clashes with clinic overruns. The programme director and two chief "
     "residents decided it in one meeting, and residents, faculty and clinic nurses are all "
     "affected by it in different ways."),
    ("Residents who drop children at daycare cannot arrive by 7 a.m., and most of them are "
     "women or single parents. Residents who commute by bus from cheaper neighbourhoods face "
     "a much longer trip at that hour. Colleagues who observe a morning prayer have less time "
     "for it. Residents with afternoon clinics now attend the whole session, which helps them, "
     "and the nurses no longer cover alone at noon."),
    ("The decision was made by three people who live close to the hospital and have no caring "
     "duties, so the costs of an early start were invisible to them. The only information used "
     "was the attendance record, which counts who was in the room and not who could not come. "
     "It was announced by email two weeks ahead with no way to respond to it."),
    ("I will ask the programme director to run a short anonymous survey about the timing by the "
     "end of next month. I will propose recording the session and a second discussion slot "
     "later in the day, and bring the results to the education committee. After three months "
     "we will compare attendance by group."),
]
REVISED_EXTRA = " Night-shift nurses and international graduates were never asked."


def _expect():
    from playwright.sync_api import expect

    return expect


def _tools(request):
    """(live_server, page, login_as, check_a11y), or skip when the browser kit is absent."""
    try:
        live_server = request.getfixturevalue("live_server")
        page = request.getfixturevalue("page")
    except pytest.FixtureLookupError:
        pytest.skip("the browser fixtures (live_server, page) are not available here")
    try:
        from tests.e2e.conftest import check_a11y, login_as
    except ImportError:
        try:
            login_as = request.getfixturevalue("login_as")
            check_a11y = request.getfixturevalue("check_a11y")
        except pytest.FixtureLookupError:
            pytest.skip("the browser helpers (login_as, check_a11y) are not available here")
    return live_server, page, login_as, check_a11y


def _prepare(live_server) -> None:
    """Sync the modules and load the demo data again (idempotent), so the challenge exists."""
    from lms.content.sync import sync_modules
    from lms.demo.people import load_demo
    from lms.extensions import db

    with live_server.app.app_context():
        sync_modules(Path(live_server.app.config["LMS_MODULES_DIR"]))
        load_demo()
        db.session.commit()
        db.session.remove()


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/auth/login**")


def _save_part(page, text: str | None = None) -> None:
    form = page.locator("form.challenge-form")
    if text is not None:
        form.get_by_role("textbox").fill(text)
    form.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()


def test_submit_revise_resubmit_approve(request):
    live_server, page, login_as, check_a11y = _tools(request)
    expect = _expect()
    _prepare(live_server)

    # The learner answers the challenge part by part and submits.
    login_as(page, LEARNER)
    page.goto("/learn/equity-impact/challenge")
    check_a11y(page)
    for text in ANSWERS:
        _save_part(page, text)
    page.get_by_label("The people who made the decision").check()
    _save_part(page)
    expect(page.get_by_role("heading", name="Review your answers")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Submit").click()
    page.wait_for_load_state()
    page.goto("/learn/equity-impact/challenge")
    expect(page.get_by_role("heading", name="Waiting for review")).to_be_visible()
    check_a11y(page)
    _sign_out(page)

    # The mentor finds it in the queue and asks for a revision.
    login_as(page, MENTOR)
    expect(page.get_by_role("heading", name=re.compile(r"Waiting for your review \(1\)")
                            )).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Open your review queue").click()
    page.wait_for_url("**/review/")
    check_a11y(page)
    page.get_by_role("link", name=re.compile("Review Jordan Miles")).click()
    page.wait_for_load_state()
    expect(page.get_by_text(ANSWERS[1][:40])).to_be_visible()
    check_a11y(page)
    page.get_by_label(re.compile("Level 2: Considers several groups")).check()
    page.get_by_label("What to improve in a revision").fill(IMPROVE)
    page.get_by_role("button", name="Request a revision").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Revision requested. Jordan Miles has been told")).to_be_visible()
    check_a11y(page)
    _sign_out(page)

    # The learner sees the feedback on the challenge, revises one answer and resubmits.
    login_as(page, LEARNER)
    page.get_by_role("link", name=re.compile("Notifications")).click()
    page.wait_for_url("**/review/notifications")
    check_a11y(page)
    page.get_by_role("link", name=re.compile("asked for a revision")).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Feedback from your mentor")).to_be_visible()
    expect(page.get_by_text(IMPROVE)).to_be_visible()
    check_a11y(page)
    page.goto("/learn/equity-impact/challenge?part=4")
    _save_part(page, ANSWERS[3] + REVISED_EXTRA)
    page.goto("/learn/equity-impact/challenge?part=7")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_load_state()
    _sign_out(page)

    # The mentor sees what changed and approves.
    login_as(page, MENTOR)
    page.goto("/review/")
    page.get_by_role("link", name=re.compile("Review Jordan Miles")).click()
    page.get_by_role("link", name="What changed since revision 1").click()
    page.wait_for_url("**/compare")
    expect(page.locator("ins", has_text="Night-shift")).to_be_visible()
    check_a11y(page)
    page.go_back()
    page.get_by_label("Comment").fill("Much stronger: thank you.")
    page.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Approved. Jordan Miles has been told.")).to_be_visible()
    _sign_out(page)

    # The learner sees the approval, the history and who read the reflection.
    login_as(page, LEARNER)
    page.goto("/review/mine")
    check_a11y(page)
    page.get_by_role("link", name=re.compile("^History")).click()
    page.wait_for_url("**/history")
    expect(page.get_by_role("heading", name="Revision 2 (latest)")).to_be_visible()
    check_a11y(page)
    page.goto("/review/mine/reads")
    assert page.get_by_role("row", name=re.compile("Dr. Daniel Cho")).count() >= 2
    check_a11y(page)

    # The emails are in the Outbox.
    from sqlalchemy import select

    from lms.models import OutboxMessage

    with live_server.app.app_context():
        from lms.extensions import db

        mail = db.session.execute(select(OutboxMessage.to_address, OutboxMessage.kind)).all()
        db.session.remove()
    assert (MENTOR, "review_submission") in mail
    assert (LEARNER, "review_feedback") in mail


def test_queue_filters_update_inline_and_admin_pages_are_clean(request):
    live_server, page, login_as, check_a11y = _tools(request)
    expect = _expect()

    _prepare(live_server)

    login_as(page, "mentor.one@example.edu")
    page.goto("/review/")
    check_a11y(page)
    expect(page.get_by_role("heading", name=re.compile(r"Waiting for review \(\d+\)")
                            )).to_be_visible()
    page.get_by_label("Status", exact=True).select_option("all")  # htmx swaps the results in place
    expect(page.get_by_role("heading", name=re.compile(r"^All \(\d+\)"))).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="shown: all")).to_have_count(1)
    assert "status=all" in page.url
    check_a11y(page)
    page.get_by_label("Learner").fill("nobody-matches-this")
    expect(page.get_by_text("No reflections match these filters.")).to_be_visible()
    page.goto("/review/notifications")
    check_a11y(page)
    page.get_by_label("Once a day, in a digest").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your email choice is saved.")).to_be_visible()
    _sign_out(page)

    login_as(page, "admin@example.edu")
    for path in ("/review/admin", "/review/admin/links"):
        page.goto(path)
        check_a11y(page)
    page.get_by_label("Mentor", exact=True).select_option(
        label="Dr. Daniel Cho (mentor.two@example.edu)")
    page.get_by_label("A cohort").check()
    page.get_by_label("Cohort", exact=True).select_option(label="Ally Champions 2026")
    page.get_by_role("button", name="Add link").click()
    expect(page.get_by_text("Dr. Daniel Cho now mentors Ally Champions 2026.")).to_be_visible()
    check_a11y(page)
    # Admins see counts, never the text.
    page.goto("/review/admin")
    assert page.get_by_text(ANSWERS[1][:40]).count() == 0
