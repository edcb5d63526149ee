"""Signing in as each demo role and visiting the pages they use, with axe-core on each."""

from __future__ import annotations

import re
import uuid

import pytest

from lms.services.accounts.password_mail import development_links
from tests.e2e.conftest import DEMO_LOGINS, check_a11y, login_as, logout, screenshot, visit

pytestmark = pytest.mark.e2e

ADMIN_PAGES = ["/admin/", "/admin/users", "/admin/users/new", "/admin/users/import",
               "/admin/departments", "/admin/cohorts", "/admin/outbox", "/admin/audit"]


@pytest.mark.parametrize("role", ["admin", "mentor", "learner"])
def test_each_role_signs_in_and_sees_a_clean_home_page(page, role):
    login_as(page, DEMO_LOGINS[role])
    visit(page, "/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome, ")
    screenshot(page, f"home-{role}")
    visit(page, "/profile")
    visit(page, "/auth/password")
    visit(page, "/privacy")
    if role == "admin":
        menu = page.get_by_role("navigation", name="Main")
        if menu.get_by_role("button", name="Menu").is_visible():  # folded: too long for one line
            menu.get_by_role("button", name="Menu").click()
        assert menu.get_by_role("link", name="Admin").is_visible()
    else:
        assert page.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Admin").count() == 0
        visit(page, "/admin/", status=403)
    logout(page)
    check_a11y(page)


def test_admin_pages_are_clean(page):
    login_as(page, DEMO_LOGINS["admin"])
    for path in ADMIN_PAGES:
        visit(page, path)
        if path in ("/admin/", "/admin/users"):
            screenshot(page, "admin" + path.replace("/admin", "").replace("/", "-").rstrip("-"))
    page.goto("/admin/users")
    page.get_by_label("Name or email").fill("Priya")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Priya Shah").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Priya Shah"
    check_a11y(page)
    screenshot(page, "admin-edit-user")


def test_pages_for_visitors_are_clean(page):
    for path, status in [("/auth/login", 200), ("/auth/forgot", 200), ("/privacy", 200),
                         ("/no-such-page", 404), ("/auth/reset/not-a-token", 400)]:
        visit(page, path, status=status)
    visit(page, "/auth/login")
    screenshot(page, "login")


def test_failed_sign_in_shows_an_accessible_error_summary(page):
    page.goto("/auth/login")
    page.get_by_label("Email").fill("learner@example.edu")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.get_by_role("alert")
    assert "do not match an active account" in summary.inner_text()
    # app.js moves focus to the summary so screen readers announce it first (once the
    # page has loaded: wait for it rather than read the focus at one instant).
    from playwright.sync_api import expect

    expect(page.locator(".error-summary")).to_be_focused()
    password = page.get_by_label("Password", exact=True)
    assert password.get_attribute("aria-invalid") == "true"
    check_a11y(page)
    screenshot(page, "login-error")


def test_empty_sign_in_is_refused_at_the_fields(page):
    page.goto("/auth/login")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_label("Email").get_attribute("aria-invalid") == "true"
    check_a11y(page)


def test_skip_link_is_the_first_tab_stop(page):
    login_as(page, DEMO_LOGINS["learner"])
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_admin_invites_a_person_who_sets_a_password_and_signs_in(page, browser, live_server):
    email = f"new.{uuid.uuid4().hex[:8]}@example.edu"
    login_as(page, DEMO_LOGINS["admin"])
    page.goto("/admin/users/new")
    page.get_by_label("Name", exact=True).fill("Rosa Parks-Ibarra")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Department").select_option(label="Pediatrics")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Account created for Rosa Parks-Ibarra.").is_visible()
    check_a11y(page)

    page.goto("/admin/outbox")
    page.get_by_role("row").filter(has_text=email).get_by_role("link").click()
    body = page.locator("pre").inner_text()
    check_a11y(page)
    assert "/auth/reset/" not in body and "never shown here" in body  # only their mailbox
    with live_server.app.app_context():  # the newcomer reads their own mail (development)
        [(_, mail)] = development_links(email)
    link = re.search(r"http://\S+/auth/reset/\S+", mail).group(0)

    newcomer = browser.new_context(base_url=live_server.url).new_page()
    try:
        newcomer.goto(link)
        check_a11y(newcomer)
        newcomer.get_by_label("New password", exact=True).fill("my own long passphrase")
        newcomer.get_by_label("Repeat the new password").fill("my own long passphrase")
        newcomer.get_by_role("button", name="Set new password").click()
        assert "Your password is changed" in newcomer.get_by_role("status").inner_text()
        login_as(newcomer, email, password="my own long passphrase")
        assert newcomer.get_by_role("heading", level=1).inner_text() == (
            "Welcome, Rosa Parks-Ibarra")
        newcomer.goto(link)  # the link worked once
        assert newcomer.get_by_role("heading", level=1).inner_text() == (
            "This link no longer works")
    finally:
        newcomer.context.close()


def test_csv_import_reports_problems_then_imports(page):
    login_as(page, DEMO_LOGINS["admin"])
    page.goto("/admin/users/import")
    tag = uuid.uuid4().hex[:6]
    bad = (f"email,name,department\nbad.{tag}@example.edu,Bad,Nowhere\n"
           f"ok.{tag}@example.edu,Ok,Pediatrics\n")
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": bad.encode()}])
    page.get_by_role("button", name="Import").click()
    summary = page.get_by_role("alert")
    assert "Nothing was imported" in summary.inner_text()
    assert "Line 2: unknown department 'Nowhere'" in summary.inner_text()
    check_a11y(page)
    screenshot(page, "admin-import-errors")

    good = f"email,name,department\nok.{tag}@example.edu,Okello Tag,Pediatrics\n"
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": good.encode()}])
    page.get_by_role("button", name="Import").click()
    assert page.get_by_text("Imported 1 person.").is_visible()
    check_a11y(page)


def test_home_page_on_a_phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url,
                                  viewport={"width": 375, "height": 740}, is_mobile=True)
    phone = context.new_page()
    try:
        login_as(phone, DEMO_LOGINS["learner"])
        visit(phone, "/")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"the page scrolls sideways on a phone ({width}px wide)"
        screenshot(phone, "home-learner-phone")
    finally:
        context.close()
