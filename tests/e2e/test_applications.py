"""Application calls and ally champions in a real browser, axe-core on every page.

A student applies within the window (the draft autosaves and survives a reload), a
reviewer scores and accepts her (she joins the cohort and gets a faculty mentor), and she
reads the decision; another student's submission one second after the close is refused
with a clear message and her draft is kept. The programme office names a champion, whom
a colleague finds in the directory and the scorecard counts towards coverage.

The live server runs in this process (a thread), so the test moves ``lms.clock``.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from lms import clock
from lms.extensions import db

pytestmark = pytest.mark.e2e

OPENS = datetime(2027, 9, 9, 13, 0, tzinfo=UTC)      # 9 September, 09:00 in Detroit
CLOSES = datetime(2027, 9, 24, 3, 59, tzinfo=UTC)    # 23 September, 23:59 in Detroit
DURING = datetime(2027, 9, 20, 14, 0, tzinfo=UTC)

QUESTIONS = """- id: motivation
  type: long_text
  label: Why do you want to be a fellow?
  min_words: 5
- id: year
  type: single_choice
  label: Your year of study
  options: [First, Second, Third]
"""
MOTIVATION = "I want to help build a clinic where every patient feels welcome."


@pytest.fixture
def kit(request):
    """The shared e2e fixtures, or a clean skip when this checkout lacks them."""
    names = ("live_server", "page", "login_as", "check_a11y")
    try:
        return SimpleNamespace(**{name: request.getfixturevalue(name) for name in names})
    except pytest.FixtureLookupError as missing:
        pytest.skip(f"e2e fixture {missing.argname!r} is not available")


@pytest.fixture
def fellowship(kit):
    """A department's students, a reviewer, a faculty mentor and a call open to them."""
    from lms.demo.people import DEMO_PASSWORD
    from lms.services.accounts import passwords
    from lms.services.accounts import people as accounts
    from lms.services.applications import calls

    app, tag = kit.live_server.app, secrets.token_hex(3)
    with app.app_context():
        department = accounts.create_department(name=f"School of Medicine {tag}")
        cohort = accounts.create_cohort(name=f"Fellows {tag}")

        def person(name, roles=("learner",)):
            user = accounts.create_user(email=f"{name.split()[0].lower()}.{tag}@example.edu",
                                        name=name, roles=roles, department=department)
            passwords.set_password(user, DEMO_PASSWORD)
            return user

        student, late = person("Nia Student"), person("Leo Late")
        reviewer, mentor = person("Rosa Reviewer"), person("Dr Femi Mentor",
                                                           ("mentor", "learner"))
        with clock.frozen_at(OPENS - timedelta(days=5)):
            call = calls.create_call(reviewer, calls.CallData(
                title=f"Student fellowship {tag}", description="A year with a mentor.",
                opens_at=OPENS, closes_at=CLOSES, questions_source=QUESTIONS,
                rubric_source="Motivation", eligible_department_ids=[department.id],
                reviewer_emails=[reviewer.email], cohort_id=cohort.id))
        db.session.commit()
        found = SimpleNamespace(
            call_id=call.id, title=call.title, cohort_id=cohort.id, mentor_name=mentor.name,
            **{key: SimpleNamespace(id=u.id, email=u.email, name=u.name) for key, u in (
                ("student", student), ("late", late), ("reviewer", reviewer),
                ("mentor", mentor))})
        db.session.remove()
    return found


def _context(kit, email):
    context = kit.page.context.browser.new_context(base_url=kit.live_server.url,
                                                   viewport={"width": 1280, "height": 900})
    page = context.new_page()
    kit.login_as(page, email)
    return context, page


def test_applying_within_the_window_then_reviewed_and_accepted(kit, fellowship):
    from playwright.sync_api import expect

    page, f = kit.page, fellowship
    with clock.frozen_at(DURING):
        kit.login_as(page, f.student.email)
        page.goto("/")
        panel = page.get_by_role("region", name="Open for applications")
        expect(panel).to_contain_text(f.title)
        # Counted in the server's time, then down in place by the page's script.
        expect(panel).to_contain_text(re.compile(r"3 days, 13 hours and 5[89] minutes"))
        kit.check_a11y(page)
        panel.get_by_role("link", name=f.title).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f.title)
        kit.check_a11y(page)
        page.get_by_label("Why do you want to be a fellow?").fill(MOTIVATION)
        page.get_by_label("Second").check()
        expect(page.locator("#save-status")).to_contain_text("Draft saved")
        page.reload()  # nothing typed is lost
        expect(page.get_by_label("Why do you want to be a fellow?")).to_have_value(MOTIVATION)
        page.get_by_role("button", name="Submit application").click()
        expect(page.get_by_text("Your application is submitted.")).to_be_visible()
        kit.check_a11y(page)

    with clock.frozen_at(CLOSES + timedelta(days=2)):
        context, reviewer = _context(kit, f.reviewer.email)
        try:
            reviewer.goto("/applications/")
            reviewer.get_by_role("link", name=f.title).click()
            expect(reviewer.get_by_role("heading", level=1)).to_contain_text(f.title)
            kit.check_a11y(reviewer)
            reviewer.get_by_role("link", name=f.student.name).click()
            expect(reviewer.get_by_text(MOTIVATION)).to_be_visible()
            kit.check_a11y(reviewer)
            reviewer.get_by_role("group", name=re.compile("^Motivation")).get_by_label(
                "4").check()
            reviewer.get_by_label("Notes").fill("Clear and specific.")
            reviewer.get_by_role("button", name="Save scores and notes").click()
            expect(reviewer.get_by_text("Scores and notes saved.")).to_be_visible()
            reviewer.get_by_label("Accepted").check()
            reviewer.get_by_label("Faculty mentor (when accepting)").select_option(
                label=f"{f.mentor_name} ({f.mentor.email})")
            reviewer.get_by_role("button", name="Record decision").click()
            expect(reviewer.get_by_text("Decision recorded: accepted.")).to_be_visible()
            kit.check_a11y(reviewer)
        finally:
            context.close()

        page.goto(f"/applications/{f.call_id}")
        expect(page.get_by_text("Decision: Accepted.")).to_be_visible()
        expect(page.get_by_text(f"Your mentor is {f.mentor_name}.")).to_be_visible()
        kit.check_a11y(page)
        page.get_by_role("link", name=re.compile("^Notifications")).click()
        expect(page.get_by_text(f"Your application to “{f.title}” was accepted.")).to_be_visible()

    from lms.models import Cohort, User
    from lms.services.accounts.mentoring import is_mentor_of

    with kit.live_server.app.app_context():
        student = db.session.get(User, f.student.id)
        assert db.session.get(Cohort, f.cohort_id) in student.cohorts
        assert is_mentor_of(db.session.get(User, f.mentor.id), student)
        db.session.remove()


def test_a_submission_one_second_after_the_close_is_refused(kit, fellowship):
    from playwright.sync_api import expect

    page, f = kit.page, fellowship
    with clock.frozen_at(CLOSES - timedelta(minutes=10)):
        kit.login_as(page, f.late.email)
        page.goto(f"/applications/{f.call_id}")
        expect(page.get_by_text(re.compile(r"^(10|9) minutes$"))).to_be_visible()
        page.get_by_label("Why do you want to be a fellow?").fill(MOTIVATION)
        page.get_by_label("Third").check()
        expect(page.locator("#save-status")).to_contain_text("Draft saved")
    with clock.frozen_at(CLOSES + timedelta(seconds=1)):
        page.get_by_role("button", name="Submit application").click()
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("This call closed on Thursday 23 September 2027 at "
                                      "23:59:00. Applications are no longer accepted; your "
                                      "draft is kept but was not submitted.")
        kit.check_a11y(page)
    with clock.frozen_at(CLOSES + timedelta(days=1)):
        page.goto(f"/applications/{f.call_id}")
        expect(page.get_by_text("The call closed before this draft was submitted.")
               ).to_be_visible()
        expect(page.get_by_text(MOTIVATION)).to_be_visible()
        kit.check_a11y(page)

    from lms.models import Application

    with kit.live_server.app.app_context():
        application = db.session.query(Application).filter_by(user_id=f.late.id).one()
        assert application.status == "draft"
        db.session.remove()


def test_a_champion_in_the_directory_and_on_the_scorecard(kit):
    from playwright.sync_api import expect

    from lms.demo.people import DEMO_PASSWORD
    from lms.services.accounts import passwords
    from lms.services.accounts import people as accounts
    from lms.services.scorecard import cache

    app, tag = kit.live_server.app, secrets.token_hex(3)
    with app.app_context():
        department = accounts.create_department(name=f"Radiology {tag}")
        staff = [accounts.create_user(email=f"rad{n}.{tag}@example.edu",
                                      name=f"Radiographer {n} {tag}", department=department)
                 for n in range(6)]
        passwords.set_password(staff[1], DEMO_PASSWORD)
        db.session.commit()
        champion_email, colleague_email = staff[0].email, staff[1].email
        champion_name, department_name = staff[0].name, department.name
        db.session.remove()

    page = kit.page
    kit.login_as(page, "admin@example.edu")
    page.goto("/champions/manage")
    kit.check_a11y(page)
    page.get_by_label("Email of the person").fill(champion_email)
    page.get_by_label("Department", exact=True).select_option(label=department_name)
    page.get_by_role("button", name="Name champion").click()
    expect(page.get_by_text(f"{champion_name} is an ally champion of {department_name}.")
           ).to_be_visible()
    kit.check_a11y(page)

    cache.forget()
    page.goto("/scorecard/admin")
    table = page.get_by_role("table", name="Figures by department, each on its own")
    row = table.get_by_role("row").filter(has_text=department_name)
    expect(row).to_contain_text("Below target")   # no trained allies yet
    expect(row).to_contain_text("Meets target")   # coverage counting champions
    kit.check_a11y(page)

    context, colleague = _context(kit, colleague_email)
    try:
        colleague.get_by_role("link", name="Ally champions").click()
        directory = colleague.get_by_role("region", name="Ally champions")
        expect(directory).to_contain_text(champion_name)
        expect(directory).to_contain_text(champion_email)
        kit.check_a11y(colleague)
    finally:
        context.close()


def test_the_other_new_pages_pass_the_checks(kit):
    """The programme office's call pages, champion records and the event countdowns."""
    from playwright.sync_api import expect

    from tests.e2e.conftest import visit

    page = kit.page
    kit.login_as(page, "admin@example.edu")
    visit(page, "/applications/manage")
    page.get_by_role("link", name="New call").click()
    page.get_by_label("Title").fill("Ally champions 2027")
    page.get_by_label("Questions").fill("- id: Why\n  type: essay\n")
    page.get_by_role("button", name="Save call").click()
    expect(page.locator("#questions-error")).to_contain_text(
        "Line 1: question 'id' must be snake_case text.")
    kit.check_a11y(page)
    page.goto("/applications/manage")
    page.get_by_role("link", name="Student Fellowship 2026", exact=True).click()
    expect(page.get_by_label("Reviewers")).to_have_value("mentor.two@example.edu")
    kit.check_a11y(page)
    page.goto("/champions/manage")
    page.get_by_role("link", name="Record of Dr. Amara Okafor in Medical Education").click()
    expect(page.get_by_text("Hosted the department's monthly allyship lunch")).to_be_visible()
    kit.check_a11y(page)
    page.goto("/events/")
    week = page.get_by_role("link", name="We're All In Week").first
    week.click()
    expect(page.locator(".countdown-value")).to_have_attribute("aria-live", "off")
    kit.check_a11y(page)

    context, champion = _context(kit, "mentor.one@example.edu")
    try:
        visit(champion, "/champions/record")
        champion.get_by_label("Date").fill("2026-01-05")
        champion.get_by_label("What you did").fill("Spoke at the grand rounds on allyship")
        champion.get_by_role("button", name="Add to my record").click()
        expect(champion.get_by_text("Added to your participation record.")).to_be_visible()
        kit.check_a11y(champion)
    finally:
        context.close()
