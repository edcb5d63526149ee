"""'Download my data' in a real browser: ask, download the zip, open its page; axe on each."""

from __future__ import annotations

import json
import re
import zipfile

import pytest

from tests.e2e.conftest import check_a11y, login_as

pytestmark = pytest.mark.e2e


def test_a_learner_downloads_their_data_and_reads_it(page, live_server, tmp_path):
    login_as(page, "learner@example.edu")
    page.goto("/profile")
    page.get_by_role("link", name="Your data: download everything held about you").click()
    page.get_by_role("heading", level=1, name="Your data").wait_for()
    check_a11y(page)
    page.get_by_role("button", name="Prepare a download of my data").click()
    page.get_by_text("Your data is ready to download.").wait_for()
    check_a11y(page)
    with page.expect_download() as started:
        page.get_by_role("link", name="Download my data, prepared").first.click()
    archive = tmp_path / started.value.suggested_filename
    started.value.save_as(archive)
    assert archive.name.startswith("my-data-") and archive.suffix == ".zip"

    with zipfile.ZipFile(archive) as zf:
        zf.extractall(tmp_path / "unpacked")
        everything = json.loads(zf.read("my-data.json"))
    profile = everything["sections"]["profile"][0]
    assert profile["email"] == "learner@example.edu"
    assert "password_hash" not in profile and "session_token" not in profile

    page.goto((tmp_path / "unpacked" / "index.html").as_uri())
    page.get_by_role("heading", level=1, name="Your data from").wait_for()
    for title in ("Profile", "Reflections", "Who read your reflections", "Action plan",
                  "Live sessions", "Certificates", "Notifications"):
        assert page.get_by_role("heading", level=2, name=title, exact=True).count() == 1
    assert "learner@example.edu" in page.content()
    check_a11y(page)


def test_the_delete_reflection_page_reads_well_and_asks_first(page, live_server):
    login_as(page, "learner@example.edu")
    page.goto("/my-data/")
    delete_links = page.get_by_role("link", name=re.compile(r"^Delete the reflection"))
    if delete_links.count() == 0:
        pytest.skip("the demo learner has no reflection")
    delete_links.first.click()
    page.get_by_role("heading", level=1, name=re.compile("^Delete your reflection")).wait_for()
    check_a11y(page)
    page.get_by_role("button", name="Delete the text of this reflection").click()
    page.get_by_text("Choose whether the challenge still counts as done.").first.wait_for()
    check_a11y(page)
    # Keyboard: the choices are reachable and labelled.
    page.get_by_label("Yes, keep it counted as done").focus()
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("heading", level=1, name="Your data").wait_for()
