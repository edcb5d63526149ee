"""Signing in through each identity provider with Chromium, the whole redirect dance.

A live server of its own, configured with idpyoidc's OpenID provider and
pysaml2's SAML identity provider, both on the loopback with their own keys.
"""

from __future__ import annotations

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from lms import create_app
from lms.extensions import db
from lms.services.accounts import passwords
from lms.services.accounts import people as accounts
from tests.conftest import test_config
from tests.db import fresh_database, upgrade
from tests.e2e.conftest import TIMEOUT_MS, _QuietHandler, check_a11y, screenshot, visit
from tests.sso.oidc_provider import CLIENT_ID, CLIENT_SECRET, OpenIDProvider

ADMIN_PASSWORD = "identity admin password"


class _Late:
    """A WSGI app filled in once the port (and so the base URL) is known."""

    app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


@pytest.fixture(scope="module")
def idps(tmp_path_factory):
    """The OpenID provider and, when xmlsec1 is installed, the SAML identity provider."""
    op = OpenIDProvider([]).start()
    op.add_user("ada", email="ada@hospital.example", email_verified=True,
                name="Ada Lovelace", department="Cardiology", groups=["ally-mentors"])
    op.add_user("nomail", name="No Mail")
    op.sign_in_as("ada")
    saml = None
    if shutil.which("xmlsec1"):
        from tests.sso.saml_provider import SamlIdentityProvider

        saml = SamlIdentityProvider(tmp_path_factory.mktemp("e2e-idp")).start()
        saml.users["grace"] = {"mail": ["grace@hospital.example"],
                               "displayName": ["Grace Hopper"], "ou": ["Pediatrics"]}
        saml.user = "grace"
    yield op, saml
    op.stop()
    if saml:
        saml.stop()


@pytest.fixture(scope="module")
def sso_server(idps, tmp_path_factory):
    """The app with both providers, served on 127.0.0.1; ``(url, app)``."""
    op, saml = idps
    late = _Late()
    server = make_server("127.0.0.1", 0, late, threaded=True, request_handler=_QuietHandler)
    url = f"http://127.0.0.1:{server.server_port}"
    settings = {
        "WTF_CSRF_ENABLED": True, "LMS_BASE_URL": url,
        "LMS_OIDC_PROVIDERS": [{"name": "campus", "label": "Campus ID", "issuer": op.issuer,
                                "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}],
        "LMS_SAML_PROVIDERS": [{"name": "campus-saml", "label": "Campus SAML",
                                "metadata_file": str(saml.metadata_file)}] if saml else [],
    }
    op.context.cdb[CLIENT_ID]["redirect_uris"] = [(url + "/sso/oidc/campus/callback", {})]
    with fresh_database(tmp_path_factory.mktemp("e2e-sso"), label="e2esso") as database_url:
        app = create_app(test_config(database_url, **settings))
        upgrade(app)
        with app.app_context():
            admin = accounts.create_user(email="idadmin@example.edu", name="Identity Admin",
                                         roles=("admin", "learner"))
            passwords.set_password(admin, ADMIN_PASSWORD)
            db.session.commit()
            db.session.remove()
        late.app = app
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            if saml:
                import requests

                saml.trust(requests.get(url + "/sso/saml/metadata", timeout=10).text)
            yield url, app
        finally:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()
            with app.app_context():
                db.engine.dispose()


@pytest.fixture
def tab(browser, sso_server):
    context = browser.new_context(base_url=sso_server[0], viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert errors == []


def test_openid_connect_sign_in_in_the_browser(tab, idps):
    op, _ = idps
    op.sign_in_as("ada")
    visit(tab, "/auth/login")
    tab.get_by_role("link", name="Sign in with Campus ID").click()
    tab.wait_for_load_state()
    assert "/auth/login" not in tab.url and "/sso/" not in tab.url, tab.url
    check_a11y(tab)
    screenshot(tab, "sso-oidc-signed-in")
    tab.get_by_role("button", name="Sign out").click()
    tab.wait_for_url("**/auth/login")


def test_openid_connect_failure_page_is_accessible(tab, idps):
    op, _ = idps
    op.sign_in_as("nomail")
    try:
        tab.goto("/auth/login")
        tab.get_by_role("link", name="Sign in with Campus ID").click()
        tab.wait_for_load_state()
        assert tab.get_by_role("heading", name="Sign-in with Campus ID failed").is_visible()
        check_a11y(tab)
        screenshot(tab, "sso-oidc-failed")
    finally:
        op.sign_in_as("ada")


def test_saml_sign_in_in_the_browser(tab, idps):
    _, saml = idps
    if saml is None:
        pytest.skip("xmlsec1 is not installed (apt-get install -y xmlsec1)")
    visit(tab, "/auth/login")
    tab.get_by_role("link", name="Sign in with Campus SAML").click()
    tab.get_by_role("button", name="Continue to Ally LMS").click()  # the IdP's own page
    tab.wait_for_load_state()
    assert "/auth/login" not in tab.url and "/sso/" not in tab.url, tab.url
    check_a11y(tab)
    screenshot(tab, "sso-saml-signed-in")


def test_identity_admin_page_is_accessible(tab):
    tab.goto("/auth/login")
    tab.get_by_label("Email", exact=True).fill("idadmin@example.edu")
    tab.get_by_label("Password", exact=True).fill(ADMIN_PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_load_state()
    visit(tab, "/admin/identity/")
    tab.get_by_label("Token name").fill("Workday")
    tab.get_by_role("button", name="Create token").click()
    tab.wait_for_load_state()
    assert tab.locator("#new-token").inner_text().startswith("scim_")
    check_a11y(tab)
    screenshot(tab, "sso-identity-admin")
