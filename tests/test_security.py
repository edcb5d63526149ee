"""CSRF, rate limits, security headers, cookies and friendly error pages."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from lms import create_app
from lms.config import build_config
from lms.extensions import db
from lms.models import User
from lms.permissions import public
from tests.conftest import TEST_PASSWORD, IsolatedClient, test_config

CSRF_ON = {"WTF_CSRF_ENABLED": True}
RATE_LIMITED = {"RATELIMIT_ENABLED": True}


def _csrf_token(page: bytes) -> str:
    match = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1).decode()


# --- CSRF --------------------------------------------------------------------

@pytest.mark.parametrize("app_config", [CSRF_ON])
def test_post_without_csrf_token_is_refused(client, make_user):
    user = make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert b"Something in that request was not right" in response.data
    assert client.get("/").status_code == 302  # not signed in


@pytest.mark.parametrize("app_config", [CSRF_ON])
def test_csrf_token_in_form_or_header_passes(client, make_user):
    user = make_user()
    token = _csrf_token(client.get("/auth/login").data)
    response = client.post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD,
                                                 "csrf_token": token})
    assert response.status_code == 302

    # htmx sends the token from <body data-hx-headers> as X-CSRFToken.
    page = client.get("/profile").get_data(as_text=True)
    header_token = re.search(r'data-hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    refused = client.post("/profile", data={"name": "New Name"}, headers={"HX-Request": "true"})
    assert refused.status_code == 400
    assert b'role="alert"' in refused.data and b"<html" not in refused.data  # inline fragment
    accepted = client.post("/profile", data={"name": "New Name"},
                           headers={"HX-Request": "true", "X-CSRFToken": header_token})
    assert accepted.status_code == 302
    db.session.refresh(user)
    assert user.name == "New Name"


@pytest.mark.parametrize("app_config", [CSRF_ON])
def test_logout_needs_the_csrf_token(client, make_user, auth):
    user = make_user()
    token = _csrf_token(client.get("/auth/login").data)
    client.post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD,
                                     "csrf_token": token})
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/").status_code == 200  # a forged sign-out did nothing


# --- rate limits -------------------------------------------------------------

# The address ceiling is generous by default (colleagues share a NAT); these tests lower it.
CEILING = {**RATE_LIMITED, "LMS_LOGIN_RATE_LIMIT": "10 per minute"}


@pytest.mark.parametrize("app_config", [CEILING])
def test_eleventh_sign_in_from_one_address_gets_a_429_with_the_real_wait(client, make_user):
    user = make_user()
    for n in range(10):  # ten different accounts: no account is slowed, only the address
        response = client.post("/auth/login", data={"email": f"someone{n}@example.edu",
                                                     "password": "wrong!"})
        assert response.status_code == 200
    blocked = client.post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert blocked.status_code == 429
    assert b"Too many attempts" in blocked.data
    assert re.search(rb"Please wait \d+ seconds? before trying again|Please wait 1 minute ",
                     blocked.data)
    assert "Retry-After" in blocked.headers
    assert client.get("/auth/login").status_code == 200  # reading the page is not limited


@pytest.mark.parametrize("app_config", [{**CEILING, "LMS_PROXY_COUNT": 1}])
def test_behind_a_proxy_limits_count_per_client_address(client, make_user):
    for n in range(10):
        client.post("/auth/login", data={"email": f"someone{n}@example.edu", "password": "wrong!"},
                    headers={"X-Forwarded-For": "203.0.113.5"})
    blocked = client.post("/auth/login", data={"email": "another@example.edu", "password": "x"},
                          headers={"X-Forwarded-For": "203.0.113.5"})
    assert blocked.status_code == 429
    colleague = client.post("/auth/login", data={"email": "another@example.edu", "password": "x"},
                            headers={"X-Forwarded-For": "203.0.113.6"})
    assert colleague.status_code == 200


@pytest.mark.parametrize("app_config", [CEILING])
def test_password_reset_requests_are_limited_too(client):
    for _ in range(10):
        assert client.post("/auth/forgot", data={"email": "a@example.edu"}).status_code == 302
    assert client.post("/auth/forgot", data={"email": "a@example.edu"}).status_code == 429


# --- headers and cookies -----------------------------------------------------

def test_security_headers_on_every_kind_of_response(client):
    for path in ("/auth/login", "/no-such-page", "/static/css/app.css"):
        with client.get(path) as response:  # static files stream; close them
            headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
    assert client.get("/auth/login").headers["Cache-Control"] == "no-store"


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/auth/login").headers
    secure = client.get("/auth/login", base_url="https://lms.test")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_cookies_are_httponly_and_lax_by_default(client, make_user):
    user = make_user()
    client.post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD})
    cookie = client.get_cookie("session")
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    assert not cookie.secure


@pytest.mark.parametrize("app_config", [{"LMS_SECURE_COOKIES": True}])
def test_secure_cookie_flag_when_asked(client, make_user):
    user = make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD,
                                                "remember": "y"},
                           base_url="https://lms.test")
    set_cookies = response.headers.getlist("Set-Cookie")
    assert set_cookies
    for header in set_cookies:
        assert "Secure" in header and "HttpOnly" in header, header


def test_production_turns_on_secure_cookies_and_demands_secrets(monkeypatch, tmp_path):
    for name in ("LMS_SECURE_COOKIES", "SECRET_KEY", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LMS_ENV", "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        build_config(str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        build_config(str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgresql://lms@db.internal/lms")
    config = build_config(str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    monkeypatch.setenv("LMS_SECURE_COOKIES", "false")
    assert build_config(str(tmp_path))["SESSION_COOKIE_SECURE"] is False


# --- error pages -------------------------------------------------------------

def test_friendly_404_403_405(client, make_user, auth):
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert b"Page not found" in missing.data and b"<h1>" in missing.data

    auth.login(make_user())
    forbidden = client.get("/admin/")
    assert forbidden.status_code == 403
    assert b"You don&#39;t have access to this page" in forbidden.data

    wrong_method = client.get("/auth/logout")
    assert wrong_method.status_code == 405
    allowed = {m.strip() for m in wrong_method.headers["Allow"].split(",")}
    assert "POST" in allowed and "GET" not in allowed
    assert b"That action isn&#39;t available here" in wrong_method.data


def test_htmx_requests_get_an_inline_error(client, make_user, auth):
    auth.login(make_user())
    response = client.get("/admin/", headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert b"<html" not in response.data
    assert b'role="alert"' in response.data


@pytest.mark.parametrize("app_config", [{"LMS_MAX_UPLOAD_MB": 1}])
def test_friendly_413(client):
    response = client.post("/auth/login", data={"email": "a" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert b"That file is too large" in response.data


def test_nul_bytes_get_a_400_not_a_server_error(client, make_user):
    make_user(email="ana@example.edu")
    for response in (
        client.post("/auth/login", data={"email": "ana@example.edu\x00", "password": "x"}),
        client.post("/auth/forgot", data={"email": "\x00@example.edu"}),
        client.get("/auth/login", query_string={"next": "/\x00"}),
        client.get("/auth/reset/abc%00def"),
    ):
        assert response.status_code == 400


@pytest.fixture
def crashing_app(database_url):
    """A separate app with a route that fails, so the shared app's routes stay as they are."""
    app = create_app(test_config(database_url, PROPAGATE_EXCEPTIONS=False))
    app.test_client_class = IsolatedClient

    @app.route("/boom", methods=["GET", "POST"])
    @public
    def boom():
        db.session.add(User(email="half-written@example.edu", name="Half"))
        db.session.flush()
        raise RuntimeError("something broke")

    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_friendly_500_and_nothing_half_written(crashing_app: Flask):
    client = crashing_app.test_client()
    response = client.get("/boom")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.data
    assert b"something broke" not in response.data  # no internals shown
    assert db.session.query(User).filter_by(email="half-written@example.edu").first() is None
    inline = client.post("/boom", headers={"HX-Request": "true"})
    assert inline.status_code == 500 and b"<html" not in inline.data
