"""A learner works through the identity-mapping challenge in a real browser."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e

REFLECTION = ("My role lets me shape who is invited to planning meetings. I will ask whose "
              "voice is missing before we decide, share credit for ideas openly, and check "
              "how rota changes land on colleagues with caring duties. I will keep learning "
              "about experiences that are unlike mine and speak up when I notice someone "
              "being talked over, especially junior colleagues and students.")


@pytest.fixture
def browser_kit(request):
    try:
        return (request.getfixturevalue("live_server"), request.getfixturevalue("page"),
                request.getfixturevalue("login_as"), request.getfixturevalue("check_a11y"))
    except pytest.FixtureLookupError:
        pytest.skip("browser fixtures are not available")


def _fill_row(page, number, identity, effect, shows_up):
    row = page.get_by_role("group", name=f"Row {number}")
    row.get_by_label("Identity").fill(identity)
    row.get_by_label("Privilege or hardship?").select_option(effect)
    row.get_by_label("How it shows up in my life and work").fill(shows_up)


def test_identity_mapping_from_catalogue_to_completion(browser_kit):
    server, page, login_as, check_a11y = browser_kit
    login_as(page, "learner3@example.edu")
    check_a11y(page)  # dashboard

    page.get_by_role("link", name="Modules").first.click()
    page.get_by_role("link", name="Identity Mapping Challenge").click()
    check_a11y(page)  # catalogue → module page
    page.get_by_role("button", name="Start this module").click()
    check_a11y(page)  # page step
    page.get_by_role("button", name="Mark as done and continue").click()
    check_a11y(page)  # challenge, part 1

    _fill_row(page, 1, "Woman", "Mostly hardship", "Talked over in meetings.")
    page.get_by_role("button", name="Add a row").click()
    _fill_row(page, 2, "White", "Mostly privilege", "Rarely questioned by security staff.")
    page.get_by_role("button", name="Add a row").click()
    # Autosave (htmx) after the last change; the status region announces it.
    with page.expect_response(lambda r: r.url.endswith("/challenge/draft")
                              and r.request.headers.get("hx-request") == "true") as saved:
        _fill_row(page, 3, "First in family at university", "Both, depending on context",
                  "Unwritten rules took years to learn.")
        page.get_by_role("group", name="Row 3").get_by_label("Identity").focus()
        page.keyboard.press("Tab")
    assert saved.value.ok
    page.locator("#save-status").filter(has_text=re.compile(r"Draft saved \d+:\d\d")).wait_for()

    # Leave mid-way and come back: everything is restored.
    page.goto(server.url + "/")
    page.get_by_role("link", name="Identity Mapping Challenge").click()
    page.get_by_role("link", name="Continue where you left off").click()
    row3 = page.get_by_role("group", name="Row 3")
    assert row3.get_by_label("Identity").input_value() == "First in family at university"

    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Save and continue").click()  # optional prompt
    page.get_by_label(re.compile("catalyst for change")).fill(REFLECTION)
    page.get_by_role("button", name="Save and continue").click()
    check_a11y(page)  # review part
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("You completed Identity Mapping Challenge").wait_for()
    check_a11y(page)
    assert "Completed" in page.content()


def test_check_and_survey_pages_are_accessible(browser_kit):
    server, page, login_as, check_a11y = browser_kit
    login_as(page, "learner4@example.edu")
    page.goto(server.url + "/learn/implicit-bias-foundations")
    page.get_by_role("button", name="Start this module").click()
    page.goto(server.url + "/learn/implicit-bias-foundations/knowledge-check")
    check_a11y(page)
    page.get_by_role("button", name="Check my answers").click()
    page.get_by_text("Please answer every question").wait_for()
    check_a11y(page)
    page.goto(server.url + "/learn/implicit-bias-foundations/feedback")
    check_a11y(page)
    page.goto(server.url + "/learn/implicit-bias-foundations/intro-video")
    check_a11y(page)
