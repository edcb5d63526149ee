"""The scorecard in a real browser: published view, admin drill-down, axe on each page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture
def browser_kit(request):
    """(live_server, page, login_as, check_a11y), or a skip when the browser kit is absent."""
    try:
        server, page = request.getfixturevalue("live_server"), request.getfixturevalue("page")
    except pytest.FixtureLookupError:
        pytest.skip("browser fixtures are not available")
    try:
        helpers = request.getfixturevalue("login_as"), request.getfixturevalue("check_a11y")
    except pytest.FixtureLookupError:
        try:  # offered as plain helpers rather than fixtures
            from tests.e2e.conftest import check_a11y, login_as
        except ImportError:
            pytest.skip("browser helpers are not available")
        helpers = login_as, check_a11y
    return (server, page, *helpers)


def test_staff_read_the_published_scorecard(browser_kit):
    server, page, login_as, check_a11y = browser_kit
    login_as(page, "learner@example.edu")
    page.get_by_role("link", name="Scorecard").first.click()
    page.get_by_role("heading", level=1, name="Programme scorecard").wait_for()
    check_a11y(page)
    table = page.get_by_role("table", name="Figures by department, each on its own")
    emergency = table.get_by_role("row").filter(has_text="Emergency Medicine")
    assert "Below target" in emergency.inner_text()
    library = table.get_by_role("row").filter(has_text="Library Services")
    assert "fewer than 5" in library.inner_text()
    # Every chart is an image with a name, and its numbers are in a table beside it.
    assert page.get_by_role("img", name="People completing a module").count() == 1
    assert page.get_by_role("table", name="People completing a module").count() == 1
    assert page.get_by_role("link", name="Open the admin view with drill-down").count() == 0

    page.get_by_label("Sub-departments").select_option("rollup")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("table", name="Figures by department, sub-departments included in "
                                   "their parent").wait_for()
    check_a11y(page)


def test_admins_drill_down_into_a_department(browser_kit):
    server, page, login_as, check_a11y = browser_kit
    login_as(page, "admin@example.edu")
    page.goto(server.url + "/scorecard")
    page.get_by_role("link", name="Open the admin view with drill-down").click()
    page.get_by_role("heading", level=1, name="Scorecard: admin view").wait_for()
    check_a11y(page)
    page.get_by_role("link", name="Pediatrics", exact=True).click()
    page.get_by_role("heading", level=1, name="Pediatrics").wait_for()
    people = page.get_by_role("table", name="Training status of the people in Pediatrics")
    assert people.get_by_role("row").count() > 1
    check_a11y(page)
