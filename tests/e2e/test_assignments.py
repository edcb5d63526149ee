"""Assignments and certificates in a real browser, with axe-core on every page.

The story from the issue: the programme office assigns a module to two
departments with a due date; a learner there sees it on their home page; a
learner who completed the implicit-bias module downloads the certificate
and anyone can verify its code; a department lead reads the compliance view
of their department; the admin sends reminders and downloads the CSV.

Uses the shared e2e fixtures (``live_server`` with ``.url``, ``page``,
``login_as(page, email)``, ``check_a11y(page)``) and the demo data (the
implicit-bias module assigned to Internal Medicine and Pediatrics; learner2
overdue on psychological safety; learner3 certified, leading Internal
Medicine). Skips cleanly where those fixtures are not installed.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.e2e

ADMIN = "admin@example.edu"
EMERGENCY_LEARNER = "learner8@example.edu"  # Marcus Green, Emergency Medicine
OVERDUE_LEARNER = "learner2@example.edu"  # Jordan Miles
CERTIFIED_LEAD = "learner3@example.edu"  # Lucía Fernández, leads Internal Medicine


def _helper(request, name: str):
    """A shared helper, whether the e2e conftest offers it as a fixture or a function."""
    try:
        return request.getfixturevalue(name)
    except pytest.FixtureLookupError:
        from tests.e2e import conftest

        helper = getattr(conftest, name, None)
        if helper is None:
            raise
        return helper


def _ensure_demo(server) -> None:
    """Sync the modules and load this area's demo data if the server has not (idempotent)."""
    app = getattr(server, "app", None)
    if app is None:
        return
    from pathlib import Path

    from lms.content.sync import sync_modules
    from lms.demo.assignments import load_assignment_demo
    from lms.extensions import db
    from lms.services.learning.progress import published_module

    with app.app_context():
        if published_module("implicit-bias-foundations") is None:
            sync_modules(Path(app.config["LMS_MODULES_DIR"]))
        load_assignment_demo()
        db.session.commit()
        db.session.remove()


@pytest.fixture
def e2e(request):
    """The shared browser fixtures, or a clean skip when this checkout lacks them."""
    try:
        server = request.getfixturevalue("live_server")
        _ensure_demo(server)
        return SimpleNamespace(
            server=server,
            page=request.getfixturevalue("page"),
            login_as=_helper(request, "login_as"),
            check_a11y=_helper(request, "check_a11y"))
    except (pytest.FixtureLookupError, ImportError) as missing:
        name = getattr(missing, "argname", None) or getattr(missing, "name", None) or missing
        pytest.skip(f"e2e fixtures are not available here ({name})")


def _institution_today(server) -> date:
    """Today where the institution is (due dates are calendar days there)."""
    app = getattr(server, "app", None)
    zone = ZoneInfo(app.config["LMS_TIMEZONE"] if app is not None else "America/Detroit")
    return datetime.now(zone).date()


def _person(e2e, email: str):
    """A separate browser context (own cookies) signed in as ``email``."""
    context = e2e.page.context.browser.new_context(base_url=e2e.server.url,
                                                   accept_downloads=True)
    page = context.new_page()
    e2e.login_as(page, email)
    return page


def _go(e2e, page, path: str, status: int = 200):
    response = page.goto(path)
    assert response is not None and response.status == status, (path, response.status)
    e2e.check_a11y(page)
    return response


def test_admin_assigns_two_departments_and_follows_compliance(e2e):
    admin = _person(e2e, ADMIN)
    _go(e2e, admin, "/assignments/")
    admin.get_by_role("link", name="Assign a module").click()
    e2e.check_a11y(admin)
    admin.get_by_label("Module").select_option(label="Disability and Allyship")
    admin.get_by_role("group", name="Assign to").get_by_label("Departments").check()
    departments = admin.get_by_role("group", name="Departments")
    departments.get_by_label("Emergency Medicine").check()
    departments.get_by_label("Medical Education").check()
    admin.get_by_role("group", name="Due date is").get_by_label("On a date").check()
    due = _institution_today(e2e.server) + timedelta(days=10)
    admin.get_by_label("Due date", exact=True).fill(due.isoformat())
    admin.get_by_role("button", name="Save assignment").click()
    admin.wait_for_load_state()
    assert "/assignments/compliance?assignment=" in admin.url
    assert admin.get_by_text(re.compile(r"Disability and Allyship is now assigned to \d+ people"))
    e2e.check_a11y(admin)

    # 'Send reminders now' asks for confirmation (with JavaScript) and queues once a day.
    admin.once("dialog", lambda dialog: dialog.accept())
    admin.get_by_role("button", name="Send reminders now").click()
    admin.wait_for_load_state()
    assert admin.get_by_text(re.compile(r"Queued \d+ reminder\(s\) in the Outbox")).count() == 1
    e2e.check_a11y(admin)

    with admin.expect_download() as download_info:
        admin.get_by_role("link", name="Download CSV of people").click()
    with open(download_info.value.path(), encoding="utf-8") as exported:
        rows = list(csv.reader(io.StringIO(exported.read())))
    assert rows[0] == ["Name", "Email", "Department", "Module", "Due date", "Status",
                       "Completed on", "Score (%)", "Engaged minutes", "Attested at (UTC)",
                       "Content version"]
    shown = admin.locator("section[aria-labelledby=people-heading] tbody tr").count()
    assert len(rows) - 1 == shown
    admin.get_by_role("link", name="Reminder history").click()
    admin.wait_for_load_state()
    assert admin.get_by_role("cell", name="Schedule").count() == 0  # all sent by the admin
    e2e.check_a11y(admin)
    assignment_id = re.search(r"/assignments/(\d+)/reminders", admin.url).group(1)
    _go(e2e, admin, f"/assignments/{assignment_id}/edit")
    _go(e2e, admin, f"/assignments/{assignment_id}/delete")
    _go(e2e, admin, f"/admin/audit?target_type=Assignment&target_id={assignment_id}")

    learner = _person(e2e, EMERGENCY_LEARNER)
    _go(e2e, learner, "/")
    section = learner.get_by_role("region", name="Assigned to you")
    assert section.get_by_role("link", name="Disability and Allyship").count() >= 1
    assert section.get_by_text("Due in 10 days").count() == 1
    _go(e2e, learner, "/assignments/mine")


def test_overdue_is_clear_and_kind(e2e):
    learner = _person(e2e, OVERDUE_LEARNER)
    _go(e2e, learner, "/")
    section = learner.get_by_role("region", name="Assigned to you")
    assert section.get_by_text("Overdue", exact=True).count() >= 1
    assert section.get_by_text(re.compile(r"Overdue by \d+ days")).count() >= 1
    assert section.get_by_text(re.compile("you can still complete it now")).count() == 1


def test_certificate_download_and_public_verification(e2e):
    learner = _person(e2e, CERTIFIED_LEAD)
    _go(e2e, learner, "/profile")
    _go(e2e, learner, "/certificates/")
    code = re.search(r"code ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})", learner.content()).group(1)
    with learner.expect_download() as download_info:
        learner.get_by_role("link", name=re.compile("Download PDF")).first.click()
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    visitor = e2e.page  # not signed in
    _go(e2e, visitor, "/verify")
    visitor.get_by_label("Verification code").fill(code.lower())
    visitor.get_by_role("button", name="Check").click()
    visitor.wait_for_load_state()
    assert visitor.get_by_text("This certificate is genuine").count() == 1
    assert visitor.get_by_text("Lucía Fernández").count() == 1
    e2e.check_a11y(visitor)
    _go(e2e, visitor, "/verify/AAAA-BBBB-CCCC", status=404)


def test_department_lead_sees_their_department(e2e):
    lead = _person(e2e, CERTIFIED_LEAD)
    _go(e2e, lead, "/")
    lead.get_by_role("link", name="Compliance for your departments").click()
    lead.wait_for_load_state()
    e2e.check_a11y(lead)
    assert lead.get_by_role("heading", name="Compliance for your departments").count() == 1
    departments = lead.locator("section[aria-labelledby=by-department-heading] tbody th")
    names = set(departments.all_inner_texts())
    assert names and names <= {"Internal Medicine", "Cardiology"}


def test_admin_grants_and_revokes_an_exemption(e2e):
    admin = _person(e2e, ADMIN)
    _go(e2e, admin, "/assignments/")
    admin.get_by_role("link", name="Exemptions").click()
    admin.wait_for_load_state()
    e2e.check_a11y(admin)
    choice = admin.get_by_label("Assignment", exact=True)
    label = next(text for text in choice.locator("option").all_inner_texts()
                 if text.startswith("Cultivating Psychological Safety"))
    choice.select_option(label=label)
    admin.get_by_label("Email address of the person").fill(OVERDUE_LEARNER)
    admin.get_by_label("Reason").fill("Completed the same course at a partner hospital")
    last_day = _institution_today(e2e.server) + timedelta(days=90)
    admin.get_by_label("Last day of the exemption").fill(last_day.isoformat())
    admin.get_by_role("button", name="Grant exemption").click()
    admin.wait_for_load_state()
    granted = "Jordan Miles is exempt from Cultivating Psychological Safety"
    assert admin.get_by_text(granted).count() == 1
    exemptions = admin.get_by_role("region", name="Current exemptions")
    assert exemptions.get_by_role("cell", name="Completed the same course").count() == 1
    e2e.check_a11y(admin)

    admin.once("dialog", lambda dialog: dialog.accept())
    exemptions.get_by_role("button", name="Revoke").first.click()
    admin.wait_for_load_state()
    assert admin.get_by_text(re.compile("The exemption of Jordan Miles was revoked")).count() == 1
    e2e.check_a11y(admin)
