"""An author writes, previews, publishes and changes a module in the studio; a learner
takes it in between, and their answer keeps the prompt it was given to."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.e2e.conftest import check_a11y, login_as, screenshot

pytestmark = pytest.mark.e2e

AUTHOR = "author@example.edu"
ADMIN = "admin@example.edu"
LEARNER = "learner12@example.edu"  # Noah Adeyemi, Library Services


def _person(page, server, email: str):
    context = page.context.browser.new_context(base_url=server.url, accept_downloads=True,
                                               viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    person = context.new_page()
    login_as(person, email)
    return person


def _add_step(author, kind: str) -> None:
    author.get_by_label("Kind of step").select_option(label=kind)
    author.get_by_role("button", name="Add step").click()
    author.wait_for_load_state()
    check_a11y(author)


def _save_step(author) -> None:
    author.get_by_role("button", name="Save step").click()
    author.wait_for_load_state()
    assert author.get_by_text("Step saved to the draft.").count() == 1, author.content()


def _download(author, tmp_path: Path, name: str) -> bytes:
    with author.expect_download() as download:
        author.get_by_role("link", name="Export as zip").click()
    target = tmp_path / name
    download.value.save_as(target)
    return target.read_bytes()


def test_author_writes_publishes_and_changes_a_module(live_server, page, tmp_path):
    slug = f"listening-ally-{uuid.uuid4().hex[:6]}"
    author = _person(page, live_server, AUTHOR)
    author.get_by_role("link", name="Studio").click()
    check_a11y(author)
    author.get_by_label("Title").fill("Listening as an ally")
    author.get_by_label("Short name").fill(slug)
    author.get_by_role("button", name="Create module").click()
    author.wait_for_load_state()
    check_a11y(author)
    author.get_by_label("Summary").fill("Practise listening before acting.")
    author.get_by_role("button", name="Save details").click()
    author.get_by_text("Details saved to the draft.").wait_for()

    _add_step(author, "Page")
    author.get_by_label("Title").fill("Why listening comes first")
    author.get_by_label("Short name").fill("welcome")
    author.get_by_label("Page text").fill("## Listen first\n\nAllies **listen** before acting.")
    author.get_by_role("button", name="Preview Page text").click()
    author.locator("#body-preview strong").filter(has_text="listen").wait_for()
    _save_step(author)

    _add_step(author, "Challenge")
    author.get_by_label("Title").fill("Map your identities")
    author.get_by_label("Short name").fill("identities")
    author.get_by_label("Mentor review").select_option(label="Optional")
    prompt = author.get_by_role("group", name="Prompt 1")
    prompt.get_by_label("Id").fill("identities")
    prompt.get_by_label("Type").select_option(label="Repeatable rows")
    prompt.get_by_label("Question").fill("Your identities")
    prompt.get_by_text("Settings for the type").click()
    prompt.get_by_label("Columns (repeatable rows)").fill(
        "identity | Identity\nshows | How it shows up | long_text")
    _save_step(author)

    _add_step(author, "Knowledge check")
    question = author.get_by_role("group", name="Question 1")
    question.get_by_label("Question").fill("What comes before acting?")
    question.get_by_label("Options").fill("* Listening | Yes: listen first.\nSpeaking | Not yet.")
    _save_step(author)

    # Keyboard reordering: the check moves up and back down, focus stays on its button.
    author.get_by_role("button", name="Move up step 3, New knowledge check").focus()
    author.keyboard.press("Enter")
    author.get_by_text("Moved to position 2.").first.wait_for()
    check_a11y(author)
    author.get_by_role("button", name=re.compile(r"Move down step 2")).click()
    author.get_by_text("Moved to position 3.").first.wait_for()

    screenshot(author, "studio-editor")
    author.get_by_role("link", name="Preview as a learner").click()
    check_a11y(author)
    author.get_by_role("link", name="Map your identities").first.click()
    assert author.locator("legend", has_text="Your identities").count() == 1
    check_a11y(author)
    screenshot(author, "studio-preview")
    author.get_by_role("link", name="Back to the editor").click()
    author.get_by_role("button", name="Publish a new version").click()
    author.get_by_text("Published.").wait_for()
    check_a11y(author)

    # The programme office assigns it; the learner completes it.
    admin = _person(page, live_server, ADMIN)
    admin.goto("/assignments/new")
    admin.get_by_label("Module").select_option(label="Listening as an ally")
    admin.get_by_role("group", name="Assign to").get_by_label("Departments").check()
    admin.get_by_role("group", name="Departments").get_by_label("Library Services").check()
    admin.get_by_role("group", name="Due date is").get_by_label("On a date").check()
    admin.get_by_label("Due date", exact=True).fill((date.today() + timedelta(days=30)).isoformat())
    admin.get_by_role("button", name="Save assignment").click()
    admin.wait_for_load_state()
    if "/assignments/compliance" not in admin.url:
        screenshot(admin, "studio-assignment")
    assert "/assignments/compliance" in admin.url

    learner = _person(page, live_server, LEARNER)
    learner.goto("/assignments/mine")
    learner.get_by_role("link", name="Listening as an ally").first.click()
    learner.get_by_role("button", name="Start this module").click()
    learner.get_by_role("button", name="Mark as done and continue").click()
    row = learner.get_by_role("group", name="Row 1")
    row.get_by_label("Identity").fill("Librarian")
    row.get_by_label("How it shows up").fill("People ask me where to find things.")
    learner.get_by_role("button", name="Save and continue").click()
    learner.get_by_role("button", name="Submit").click()
    learner.get_by_label("Listening").check()
    learner.get_by_role("button", name="Check my answers").click()
    learner.get_by_role("button", name="Continue").click()
    learner.get_by_text("You completed Listening as an ally").wait_for()

    # The author rewords the prompt and publishes; the history shows the change.
    author.goto("/studio/")
    author.get_by_role("link", name="Listening as an ally").click()
    author.get_by_role("link", name=re.compile(r"Edit step 2")).click()
    author.get_by_role("group", name="Prompt 1").get_by_label("Question").fill(
        "Identities you hold")
    _save_step(author)
    author.get_by_role("button", name="Publish a new version").click()
    author.get_by_text("Published.").wait_for()
    author.get_by_role("link", name="History").click()
    check_a11y(author)
    author.get_by_role("link", name=re.compile("Changes from the version before")).click()
    assert author.locator("ins", has_text="Identities you hold").count() == 1
    check_a11y(author)

    learner.goto(f"/learn/{slug}/identities")
    answers = learner.get_by_role("region", name="Your submitted answers")
    assert answers.get_by_role("heading", name="Your identities").count() == 1
    assert "Librarian" in answers.inner_text()
    check_a11y(learner)

    # Export, import, export: the same bytes.
    author.goto("/studio/")
    author.get_by_role("link", name="Listening as an ally").click()
    first = _download(author, tmp_path, "first.zip")
    author.goto("/studio/")
    author.get_by_label("Module zip").set_input_files(str(tmp_path / "first.zip"))
    author.get_by_role("button", name="Import").click()
    author.get_by_text("Imported into the draft.").wait_for()
    assert _download(author, tmp_path, "second.zip") == first
    for person in (author, admin, learner):
        person.context.close()
