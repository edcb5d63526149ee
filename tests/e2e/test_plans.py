"""Browser journey: from equity-impact answers to a plan a mentor comments on.

A learner turns her equity impact answers into a goal with actions, gets
the 30-day check-in reminder (the clock is moved), writes the check-in,
marks an action done and shares the plan; her mentor reads it and comments.
axe-core must find nothing on every page visited.

Uses the shared e2e fixtures (``live_server`` with ``.url``, ``page``,
``login_as(page, email)``, ``check_a11y(page)``) and skips cleanly where
they are not installed. The live server must run in this process (a
thread): the test moves ``lms.clock`` and registers an answer source.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from types import SimpleNamespace

import pytest
import yaml
from sqlalchemy import select

from lms import clock
from lms.extensions import db
from lms.models import OutboxMessage
from lms.plans.sources import SOURCES_KEY, AnswerSource, add_answer_source
from tests.e2e.conftest import menu_link
from tests.plans.conftest import START
from tests.plans.test_services import EQUITY_IMPACT_YAML

pytestmark = pytest.mark.e2e


@pytest.fixture
def browser_kit(request):
    """The shared e2e fixtures, or a clean skip when this checkout lacks them."""
    names = ("live_server", "page", "login_as", "check_a11y")
    try:
        return SimpleNamespace(**{name: request.getfixturevalue(name) for name in names})
    except pytest.FixtureLookupError as missing:
        pytest.skip(f"e2e fixture {missing.argname!r} is not available")


@pytest.fixture
def people(browser_kit):
    """A learner and the mentor linked to them, in the live server's database."""
    from lms.demo.people import DEMO_PASSWORD
    from lms.services.accounts import passwords
    from lms.services.accounts import people as accounts
    from lms.services.accounts.mentoring import link_mentor

    app = browser_kit.live_server.app
    tag = secrets.token_hex(3)
    with app.app_context():
        department = accounts.create_department(name=f"Plans ward {tag}")
        learner = accounts.create_user(email=f"lucia.{tag}@example.edu",
                                       name="Lucía Fernández", department=department)
        mentor = accounts.create_user(email=f"amara.{tag}@example.edu",
                                      name="Dr. Amara Okafor", roles=("mentor", "learner"),
                                      department=department)
        for person in (learner, mentor):
            passwords.set_password(person, DEMO_PASSWORD)
        link_mentor(actor=None, mentor=mentor, learner=learner)
        db.session.commit()
        people = SimpleNamespace(learner=SimpleNamespace(id=learner.id, email=learner.email),
                                 mentor=SimpleNamespace(id=mentor.id, email=mentor.email))
        db.session.remove()
    return people


@pytest.fixture
def equity_answers(people, browser_kit):
    """The learner's submitted equity impact answers, as the challenge area provides them."""
    prompts = yaml.safe_load(EQUITY_IMPACT_YAML)["prompts"]
    answers = {
        "decision": "We moved the weekly team meeting to 7:30 am.",
        "impact": "Colleagues with caring duties cannot attend.",
        "biases": "Only the people in the room decided.",
        "steps": "- Ask the whole team which times work, anonymously\n"
                 "- Rotate the meeting time monthly\n"
                 "- Share notes and decisions within 24 hours\n",
    }

    def load(user, source_id):
        if source_id == "submission-e2e" and user.id == people.learner.id:
            return AnswerSource(title="Equity Impact Challenge", prompts=prompts,
                                answers=answers, source_ref="submission:e2e")
        return None

    app = browser_kit.live_server.app
    add_answer_source(app, load)
    yield "submission-e2e"
    app.extensions[SOURCES_KEY].remove(load)


def test_equity_answers_to_a_plan_with_a_check_in_and_a_mentor_comment(
        browser_kit, people, equity_answers):
    from playwright.sync_api import expect

    kit = browser_kit
    page, base = kit.page, kit.live_server.url.rstrip("/")

    with clock.frozen_at(START):
        kit.login_as(page, people.learner.email)
        page.goto(f"{base}/plans/from-challenge/{equity_answers}")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Turn your answers into actions")
        kit.check_a11y(page)
        page.get_by_label("Goal", exact=True).fill("Fairer meeting times")
        page.get_by_label("Why it matters to me").fill("Carers deserve a say too.")
        page.get_by_label("Add action 2 to my plan").uncheck()
        page.get_by_role("button", name="Add goal and actions to my plan").click()
        expect(page.get_by_role("heading", name="Fairer meeting times")).to_be_visible()
        expect(page.get_by_text("Goal added with 2 actions from your answers.")).to_be_visible()
        kit.check_a11y(page)

    with clock.frozen_at(START + timedelta(days=30, hours=1)):
        runner = kit.live_server.app.test_cli_runner()
        result = runner.invoke(args=["plans", "send-checkin-reminders"])
        assert "Queued 1 check-in reminder." in result.output
        page.goto(f"{base}/")
        reminder = page.get_by_role("link", name=re.compile("30-day check-in"))
        expect(reminder).to_be_visible()
        kit.check_a11y(page)
        reminder.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Check-in: Fairer meeting times")
        kit.check_a11y(page)
        page.get_by_label("What I did").fill("Ran an anonymous poll; 14 of 16 replied.")
        page.get_by_label("What got in the way").fill("Two people never read email.")
        page.get_by_label("What next").fill("Rotate times from next month.")
        page.get_by_label(re.compile("Status of .Ask the whole team")).select_option("done")
        page.get_by_role("button", name="Save check-in").click()
        expect(page.get_by_text("Check-in saved.")).to_be_visible()
        expect(page.get_by_text("Ran an anonymous poll; 14 of 16 replied.")).to_be_visible()
        kit.check_a11y(page)

        # Mark the other action done from the plan itself (htmx swaps just the row).
        row = page.locator("tr", has_text="Share notes and decisions within 24 hours")
        row.get_by_label(re.compile("Status of")).select_option("done")
        row.get_by_role("button", name=re.compile("^Update")).click()
        status_cell = page.locator("tr", has_text="Share notes and decisions").get_by_role(
            "cell").nth(2)
        expect(status_cell).to_contain_text("Done")
        expect(status_cell).to_contain_text("Status saved.")

        page.get_by_label("Share my plan with my mentors").check()
        page.get_by_role("button", name="Save sharing choice").click()
        expect(page.get_by_text("Your plan is shared with your mentors.")).to_be_visible()
        kit.check_a11y(page)

        page.get_by_role("button", name="Sign out").click()
        kit.login_as(page, people.mentor.email)
        menu_link(page, "Shared plans").click()
        kit.check_a11y(page)
        page.get_by_role("link", name="Lucía Fernández").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Action plan: Lucía Fernández")
        kit.check_a11y(page)
        page.get_by_label("Your comment").fill("The poll was a great idea. Share the results?")
        page.get_by_role("button", name="Post comment").click()
        expect(page.get_by_text("Comment posted.")).to_be_visible()
        kit.check_a11y(page)

    with kit.live_server.app.app_context():
        kinds = {m.kind: m for m in db.session.execute(select(OutboxMessage).where(
            OutboxMessage.to_address == people.learner.email)).scalars()}
        assert "plan_checkin" in kinds and "plan_comment" in kinds
        assert "poll" not in kinds["plan_comment"].body_text
        db.session.remove()
