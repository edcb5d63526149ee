"""Keyboard and assistive-technology journeys: Enter never destroys work, focus follows
updates, errors lead to the field, and the current page is marked once."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import check_a11y, login_as

pytestmark = pytest.mark.e2e

CHALLENGE = "/learn/identity-mapping/challenge"


def _open_identity_mapping(page, email: str | None) -> None:
    """Start the Identity Mapping module (signed in as ``email`` unless None) and open
    part 1 of its challenge."""
    if email:
        login_as(page, email)
    page.goto("/learn/identity-mapping")
    page.get_by_role("button", name="Start this module").click()
    page.get_by_role("button", name="Mark as done and continue").click()
    page.wait_for_url(f"**{CHALLENGE}*")


def _row(page, number: int):
    return page.get_by_role("group", name=f"Row {number}", exact=True)


def _identities(page) -> list[str]:
    rows = page.get_by_role("group", name="Row ", exact=False)
    return [rows.nth(i).get_by_label("Identity").input_value() for i in range(rows.count())]


def test_enter_in_every_text_field_of_a_rows_prompt_saves_and_removes_nothing(page):
    _open_identity_mapping(page, "learner10@example.edu")
    _row(page, 1).get_by_label("Identity").fill("Identity A")
    page.get_by_role("button", name="Add a row").click()
    _row(page, 2).get_by_label("Identity").fill("Identity B")
    page.get_by_role("button", name="Add a row").click()  # rows 1 and 2 are saved now
    _row(page, 3).get_by_label("Identity").fill("Identity C")

    for number in (1, 2, 3):
        field = _row(page, number).get_by_label("Identity")
        field.press("End")
        field.press_sequentially("!")
        with page.expect_navigation():
            field.press("Enter")
        page.get_by_role("status").filter(has_text="Draft saved.").first.wait_for()
        expected = [f"Identity {letter}" + ("!" if index < number else "")
                    for index, letter in enumerate("ABC")]
        assert _identities(page) == expected, f"Enter in row {number}'s field"
        assert "part=1" in page.url or page.url.endswith(CHALLENGE), page.url


def test_removing_a_row_that_holds_text_asks_first(page):
    _open_identity_mapping(page, "learner11@example.edu")
    _row(page, 1).get_by_label("Identity").fill("Identity A")
    page.get_by_role("button", name="Add a row").click()
    _row(page, 2).get_by_label("Identity").fill("Identity B")
    page.get_by_role("button", name="Add a row").click()

    questions: list[str] = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Remove row 1").click()
    assert questions and "Identity A" in questions[0]
    assert _identities(page) == ["Identity A", "Identity B", ""]

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="Remove row 1").click()
    assert _identities(page) == ["Identity B"]
    # An empty row goes without a question.
    page.get_by_role("button", name="Add a row").click()
    page.on("dialog", lambda dialog: questions.append(dialog.message))
    with page.expect_navigation():
        page.get_by_role("button", name="Remove row 2").click()
    assert _identities(page) == ["Identity B"]
    assert len(questions) == 1


def _focused(page) -> dict:
    """What has keyboard focus: tag, accessible-ish name, id and aria-invalid."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        return {tag: el.tagName.toLowerCase(), id: el.id, text: el.textContent.trim(),
                invalid: el.getAttribute("aria-invalid"), classes: el.className,
                described: (el.getAttribute("aria-describedby") || "").split(" ")
                    .map(id => (document.getElementById(id) || {}).textContent || "").join(" ")};
    }""")


def _expect():
    from playwright.sync_api import expect

    return expect


def _wait_for_focus(page, element_id: str) -> None:
    try:
        _expect()(page.locator(f"#{element_id}")).to_be_focused(timeout=5000)
    except AssertionError:
        pytest.fail(f"focus is not on #{element_id} but on {_focused(page)}")


def _wait_for_announcement(page, text: str) -> None:
    _expect()(page.locator("#announcer")).to_contain_text(text)


def test_focus_stays_on_the_swapped_control_and_the_change_is_announced(page):
    login_as(page, "learner12@example.edu")
    page.goto("/events/")
    register = page.get_by_role("button", name=re.compile(r"^Register for ")).first
    session = register.get_attribute("id") or ""
    register.focus()
    page.keyboard.press("Enter")
    _wait_for_announcement(page, "You're registered")
    assert _focused(page)["text"].startswith("Cancel my place for "), _focused(page)
    check_a11y(page)

    page.keyboard.press("Enter")
    _wait_for_announcement(page, "Your place is cancelled")
    _wait_for_focus(page, session)
    assert _focused(page)["text"].startswith("Register for "), _focused(page)

    # Adding and removing rows in a challenge (full page loads) land on a row's field.
    _open_identity_mapping(page, None)
    _row(page, 1).get_by_label("Identity").fill("Identity A")
    page.get_by_role("button", name="Add a row").press("Enter")
    _wait_for_focus(page, "p-identity_map-1-identity")
    _wait_for_announcement(page, "Draft saved.")
    _row(page, 2).get_by_label("Identity").fill("Identity B")
    page.get_by_role("button", name="Add a row").press("Enter")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Remove row 1").press("Enter")
    _wait_for_focus(page, "p-identity_map-0-identity")
    assert _identities(page) == ["Identity B"]


def test_error_summaries_take_focus_and_lead_to_a_field_showing_the_error(page):
    _open_identity_mapping(page, "learner9@example.edu")
    # Review and submit with nothing answered: the summary has focus...
    page.goto(CHALLENGE + "?part=4")
    page.get_by_role("button", name="Submit").click()
    summary = page.get_by_role("alert")
    _expect()(summary).to_be_focused()
    check_a11y(page)
    # ...and its link opens the part with the field focused, marked and described.
    summary.get_by_role("link", name=re.compile("catalyst for change")).press("Enter")
    _wait_for_focus(page, "p-catalyst_for_change")
    focused = _focused(page)
    assert focused["tag"] == "textarea" and focused["invalid"] == "true", focused
    assert "Please answer this question." in focused["described"], focused
    check_a11y(page)

    # A full-page "Save draft" refused for length: a focused summary, its link to the field.
    page.get_by_role("textbox", name=re.compile("catalyst for change")).fill("x" * 20_001)
    page.get_by_role("button", name="Save draft", exact=True).click()
    _expect()(page.get_by_role("alert")).to_be_focused()
    page.get_by_role("alert").get_by_role("link").press("Enter")
    _wait_for_focus(page, "p-catalyst_for_change")
    focused = _focused(page)
    assert focused["tag"] == "textarea" and focused["invalid"] == "true", focused
    assert "the limit is" in focused["described"], focused
    check_a11y(page)


def _marked_current(page) -> list[str]:
    return page.get_by_role("navigation", name="Main").locator("[aria-current]").all_inner_texts()


def test_one_menu_item_is_current_and_enter_on_a_review_decides_nothing(page):
    login_as(page, "mentor.one@example.edu")
    for path in ("/review/", "/review/mine", "/review/notifications", "/events/"):
        page.goto(path)
        assert len(_marked_current(page)) == 1, (path, _marked_current(page))
    page.goto("/review/")
    page.get_by_role("link", name=re.compile("^Review Priya Shah")).click()
    page.wait_for_load_state()
    assert [t.split("(")[0].strip() for t in _marked_current(page)] == ["Review queue"]

    level = page.get_by_role("radio").first
    level.check()
    page.get_by_label("Comment").fill("Kept after Enter.")
    level.press("Enter")
    _expect()(page.get_by_role("alert")).to_be_focused()
    assert "Choose a decision" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Comment").input_value() == "Kept after Enter."
    check_a11y(page)
    page.get_by_role("alert").get_by_role("link").press("Enter")
    assert _focused(page)["text"].startswith("Approve"), _focused(page)
