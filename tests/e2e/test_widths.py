"""Every page each role can reach, on a phone (375 px) and on a desktop (1280 px).

For each role, the pages the authorization matrix opens to it (those with no URL
arguments, or fixed ones) and every page linked from them, followed link by link
over the demo data: none may be wider than the window, axe-core must find nothing,
and the main menu marks at most one item as current (exactly one under a menu
item's address). One browser context per role, one visit per kind of page.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from flask import url_for
from werkzeug.exceptions import HTTPException

from tests.authz_matrix import ADMIN, ANONYMOUS, LEARNER, MATRIX, MENTOR
from tests.e2e.conftest import DEMO_LOGINS, TIMEOUT_MS, check_a11y, login_as, screenshot

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
ROLES = {"learner": LEARNER, "mentor": MENTOR, "admin": ADMIN, "anonymous": ANONYMOUS}

# Pages of one kind rendered from one template: one address is enough, except the
# step player, whose page differs with each kind of step.
VISITS_PER_KIND = {"learn.step": 12}
DEFAULT_VISITS = 1
# The main pages of each role, kept as screenshots at both widths to look at.
MAIN_PAGES = {"main.home", "learn.catalogue", "learn.step", "plans.index", "review.queue",
              "review.mine", "events.index", "events.manage", "scorecard.index",
              "assignments.compliance", "admin.index", "admin.users", "auth.login"}

_WIDTH_SCRIPT = """() => ({
    page: document.documentElement.scrollWidth,
    window: document.documentElement.clientWidth,
    current: Array.from(document.querySelectorAll('nav[aria-label="Main"] [aria-current]'))
        .map((el) => el.getAttribute("href")),
    menu: Array.from(document.querySelectorAll('nav[aria-label="Main"] .nav-list a'))
        .map((el) => el.getAttribute("href")),
})"""


def _seeds(app, role: str) -> list[str]:
    """Addresses of the GET pages the matrix opens to ``role`` that need no world object."""
    paths = ["/"] if role != ANONYMOUS else ["/auth/login"]
    with app.test_request_context():
        for rule in MATRIX:
            if rule.method != "GET" or role not in rule.allowed:
                continue
            if not all(value.startswith("=") for value in rule.args.values()):
                continue
            paths.append(url_for(rule.endpoint, **{k: v[1:] for k, v in rule.args.items()}))
    return paths


def _endpoint(adapter, path: str) -> str | None:
    try:
        endpoint, _args = adapter.match(urlsplit(path).path, method="GET")
    except HTTPException:
        return None
    return endpoint


def _links(page, here: str, origin: str) -> list[str]:
    found = []
    for href in page.eval_on_selector_all("a[href]:not([download])",
                                          "links => links.map((a) => a.getAttribute('href'))"):
        url = urlsplit(urljoin(here, href))
        if f"{url.scheme}://{url.netloc}" != origin or url.path.startswith("/static/"):
            continue
        found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


def _check_width_and_menu(page, path: str) -> list[str]:
    facts = page.evaluate(_WIDTH_SCRIPT)
    problems = []
    if facts["page"] > facts["window"]:
        problems.append(f"{path} is {facts['page']} px wide in a {facts['window']} px window")
    if len(facts["current"]) > 1:
        problems.append(f"{path} marks {len(facts['current'])} menu items as current: "
                        f"{facts['current']}")
    here = urlsplit(path).path
    under_menu = [m for m in facts["menu"]
                  if here == m or (m != "/" and here.startswith(m.rstrip("/") + "/"))]
    if under_menu and not facts["current"]:
        problems.append(f"{path} is under the menu item {under_menu} but none is current")
    return problems


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_fits_a_phone_and_a_desktop(browser, live_server, role):
    app = live_server.app
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"JavaScript error: {error}"))
    adapter = app.url_map.bind("127.0.0.1")
    try:
        if role != "anonymous":
            login_as(page, DEMO_LOGINS[role])
        queue = deque(_seeds(app, ROLES[role]))
        seen: set[str] = set()
        visits: dict[str, int] = {}
        is_html: dict[str, bool] = {}
        problems: list[str] = []
        while queue:
            path = queue.popleft()
            endpoint = _endpoint(adapter, path)
            if path in seen or endpoint is None or endpoint in ("auth.logout", "static"):
                continue
            seen.add(path)
            if visits.get(endpoint, 0) >= VISITS_PER_KIND.get(endpoint, DEFAULT_VISITS):
                continue
            if endpoint not in is_html:  # a download is not a page; ask once per kind
                answer = context.request.get(path, max_redirects=0)
                if answer.status != 200:
                    continue  # refused or sent elsewhere: the page it lands on is in the queue too
                is_html[endpoint] = answer.headers.get("content-type", "").startswith("text/html")
            if not is_html[endpoint]:
                continue
            response = page.goto(path)
            landed = urlsplit(page.url).path
            if response is None or response.status != 200 or landed != urlsplit(path).path:
                continue  # refused or sent elsewhere: the page it lands on is in the queue too
            visits[endpoint] = visits.get(endpoint, 0) + 1
            for size in (PHONE, DESKTOP):
                page.set_viewport_size(size)
                problems += [f"at {size['width']} px: {problem}"
                             for problem in _check_width_and_menu(page, path)]
                check_a11y(page)
                if endpoint in MAIN_PAGES and visits[endpoint] == 1:
                    screenshot(page, f"width-{role}-{size['width']}-{endpoint}")
            page.set_viewport_size(PHONE)
            queue.extend(link for link in _links(page, page.url, live_server.url)
                         if link not in seen)
        assert not problems, "\n".join(problems)
        assert errors == [], "\n".join(errors)
        assert sum(visits.values()) >= (3 if role == "anonymous" else 15), visits
    finally:
        context.close()


def test_the_menu_folds_behind_a_button_that_works_by_keyboard(page):
    login_as(page, DEMO_LOGINS["admin"])
    page.goto("/events/manage")
    menu = page.get_by_role("navigation", name="Main")
    toggle = menu.get_by_role("button", name="Menu")
    # The admin menu does not fit one line at 1280 px: it is folded, not wrapped.
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.get_by_role("link", name="Assignments").is_visible()
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.get_by_role("link", name="Assignments").is_visible()
    assert [re.sub(r"\s+", " ", t).strip() for t in
            menu.locator("[aria-current]").all_inner_texts()] == ["Manage sessions"]
    screenshot(page, "width-admin-1280-menu-open")
    check_a11y(page)
    page.keyboard.press("Tab")  # into the list: the first item
    assert page.evaluate("document.activeElement.textContent.trim()") == "Home"
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.textContent.trim()") == "Menu"
    # Turning a phone or resizing the window re-measures the menu; the button keeps focus.
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"] - 40, "height": size["height"]})
    page.set_viewport_size(size)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => "
                  "requestAnimationFrame(done)))")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Menu"
    page.keyboard.press("Space")
    links = menu.get_by_role("link")
    links.last.focus()
    page.keyboard.press("Tab")  # past the last item: the panel closes
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    menu.get_by_role("link", name="Assignments").click()
    page.wait_for_url("**/assignments/")

    # A learner's shorter menu fits one line at 1280 px and needs no button...
    page.get_by_role("button", name="Sign out").click()
    login_as(page, DEMO_LOGINS["learner"])
    assert not page.get_by_role("button", name="Menu").is_visible()
    items = page.get_by_role("navigation", name="Main").get_by_role("link")
    tops = {round(items.nth(i).bounding_box()["y"]) for i in range(items.count())}
    assert len(tops) == 1, tops
    # ...and folds on a phone.
    page.set_viewport_size(PHONE)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My action plan").click()
    page.wait_for_url("**/plans/")


def test_the_review_link_is_on_screen_on_a_phone(page):
    login_as(page, DEMO_LOGINS["mentor"])
    page.set_viewport_size(PHONE)
    page.goto("/review/")
    link = page.get_by_role("link", name=re.compile("^Review Priya Shah"))
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    # each value is shown under its column's name
    labels = page.eval_on_selector_all(
        "table td", "cells => cells.map((c) => getComputedStyle(c, '::before').content)")
    assert any(label.startswith('"Submitted"') for label in labels), labels
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_challenge_part_after_the_first_starts_near_the_top(page):
    login_as(page, "learner5@example.edu")
    page.goto("/learn/identity-mapping")
    page.get_by_role("button", name="Start this module").click()
    page.wait_for_load_state()
    page.goto("/learn/identity-mapping/challenge")
    intro = page.get_by_role("heading", name="About this challenge")
    assert intro.is_visible()  # in full on the first part
    page.goto("/learn/identity-mapping/challenge?part=2")
    field = page.locator("form.challenge-form textarea, form.challenge-form input:visible").first
    assert field.bounding_box()["y"] < DESKTOP["height"], field.bounding_box()
    assert not intro.is_visible()
    page.get_by_text("Introduction", exact=True).click()  # folded, one click away
    assert intro.is_visible()
    check_a11y(page)
    screenshot(page, "width-learner-1280-challenge-part-2")
