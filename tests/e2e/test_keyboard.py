"""Keyboard and assistive-technology journeys: Enter never destroys work, focus follows
updates, errors lead to the field, and the current page is marked once."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import login_as

pytestmark = pytest.mark.e2e

CHALLENGE = "/learn/identity-mapping/challenge"


def _open_identity_mapping(page, email: str) -> None:
    """Start the Identity Mapping module as ``email`` and open part 1 of its challenge."""
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
