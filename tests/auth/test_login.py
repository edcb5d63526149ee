"""Signing in and out: sessions start fresh and really end."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from lms.auth.views import BAD_LOGIN
from lms.extensions import db
from tests.conftest import TEST_PASSWORD


def _login(client, email, password=TEST_PASSWORD, **extra):
    return client.post("/auth/login", data={"email": email, "password": password, **extra})


def test_sign_in_with_any_letter_case_and_spaces(client, make_user):
    user = make_user(email="priya.shah@example.edu")
    response = _login(client, "  Priya.Shah@Example.EDU ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert user.name.encode() in client.get("/").data
    db.session.refresh(user)
    assert user.last_login_at is not None


@pytest.mark.parametrize("case", ["wrong password", "unknown email", "deactivated", "no password"])
def test_failed_sign_in_gives_one_message_for_every_cause(client, make_user, case):
    """No account enumeration: the page reads the same whatever went wrong."""
    make_user(email="known@example.edu")
    make_user(email="gone@example.edu", active=False)
    make_user(email="invited@example.edu", password=None)
    email, password = {
        "wrong password": ("known@example.edu", "not the right password"),
        "unknown email": ("nobody@example.edu", TEST_PASSWORD),
        "deactivated": ("gone@example.edu", TEST_PASSWORD),
        "no password": ("invited@example.edu", TEST_PASSWORD),
    }[case]
    response = _login(client, email, password)
    assert response.status_code == 200
    assert BAD_LOGIN.encode() in response.data
    assert email.encode() in response.data  # the email stays filled in
    assert b"not the right password" not in response.data  # the password never comes back
    assert client.get("/").status_code == 302


def test_empty_form_is_refused_at_the_fields(client):
    response = client.post("/auth/login", data={})
    assert response.status_code == 200
    assert b"This field is required." in response.data
    assert b'aria-invalid="true"' in response.data


def test_sign_in_replaces_the_session(client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    _login(client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{user.id}:{user.session_token}"


def test_next_goes_back_to_the_page_asked_for(client, make_user):
    user = make_user()
    first = client.get("/profile")
    assert first.status_code == 302
    login_url = first.headers["Location"]
    assert "next=" in login_url
    response = client.post(login_url, data={"email": user.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/profile"


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example",
    "/\t/evil.example", "/\n/evil.example", "javascript:alert(1)", "",
])
def test_next_never_leaves_the_site(client, make_user, target):
    user = make_user()
    response = client.post("/auth/login", query_string={"next": target},
                           data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_signed_in_person_visiting_login_goes_home(client, make_user, auth):
    auth.login(make_user())
    response = client.get("/auth/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_sign_out_ends_the_session_even_for_a_copied_cookie(client, app, make_user, auth):
    user = make_user()
    auth.login(user)
    stolen = client.get_cookie("session").value
    old_token = user.session_token

    response = auth.logout()
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.session_token != old_token

    # Replaying the cookie from before sign-out no longer works.
    other = app.test_client()
    other.set_cookie("session", stolen)
    assert other.get("/").status_code == 302


def test_sign_out_ends_sessions_on_other_devices_too(app, make_user):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    for device in (laptop, phone):
        assert _login(device, user.email).status_code == 302
    assert phone.get("/").status_code == 200
    laptop.post("/auth/logout")
    assert phone.get("/").status_code == 302


def test_remember_me_cookie_dies_with_sign_out(app, make_user):
    user = make_user()
    browser = app.test_client()
    _login(browser, user.email, remember="y")
    remember = browser.get_cookie("remember_token")
    assert remember is not None
    assert remember.http_only

    # A new browser session carrying only the remember cookie is signed in...
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember.value)
    assert fresh.get("/").status_code == 200

    # ...until the person signs out anywhere.
    browser.post("/auth/logout")
    replay = app.test_client()
    replay.set_cookie("remember_token", remember.value)
    assert replay.get("/").status_code == 302


def test_deactivated_account_is_signed_out_at_once(client, make_user, auth):
    admin = make_user(roles=("admin",))
    user = make_user()
    auth.login(user)
    assert client.get("/").status_code == 200
    from lms.services.accounts import people as accounts

    accounts.update_user(user, actor=admin, name=user.name, email=user.email,
                         roles=["learner"], department=None, is_active=False)
    db.session.commit()
    assert client.get("/").status_code == 302


def test_logout_needs_post(client, make_user, auth):
    auth.login(make_user())
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/").status_code == 200



def test_session_and_remember_cookie_lifetimes(client, make_user):
    user = make_user()
    response = _login(client, user.email, remember="y")
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    session_expiry = parsedate_to_datetime(
        re.search(r"Expires=([^;]+)", cookies["session"]).group(1))
    remember_expiry = parsedate_to_datetime(
        re.search(r"Expires=([^;]+)", cookies["remember_token"]).group(1))
    now = datetime.now(UTC)
    assert timedelta(hours=11) < session_expiry - now <= timedelta(hours=12)
    assert timedelta(days=13) < remember_expiry - now <= timedelta(days=14)


def _session_cookie(response) -> str | None:
    return next((c for c in response.headers.getlist("Set-Cookie")
                 if c.startswith("session=")), None)


def test_an_unchanged_sign_in_cookie_is_sent_again_only_once_it_is_old(
        client, make_user, monkeypatch):
    """Each page would otherwise re-sign and resend the cookie; the expiry still slides."""
    _login(client, make_user().email)
    client.get("/")  # the first page adds the form token to the session
    assert _session_cookie(client.get("/")) is None  # fresh and unchanged: nothing to send
    later = time.time() + 61
    monkeypatch.setattr("lms.sessions.time.time", lambda: later)

    resent = _session_cookie(client.get("/"))

    assert resent is not None
    expiry = parsedate_to_datetime(re.search(r"Expires=([^;]+)", resent).group(1))
    assert timedelta(hours=11) < expiry - datetime.now(UTC) <= timedelta(hours=12)


def test_a_changed_session_is_always_sent(client, make_user):
    _login(client, make_user().email)
    client.get("/")
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Saved.")]
    assert _session_cookie(client.get("/")) is not None  # the message was taken out


def test_the_signed_in_persons_role_names_come_in_one_query_and_follow_a_change(
        make_user, count_queries):
    from sqlalchemy import inspect, select

    from lms.models import Role, User
    from lms.models.users import with_role_names

    person_id = make_user(roles=("learner", "mentor")).id
    db.session.expunge_all()
    with count_queries() as counter:
        loaded = db.session.execute(select(User).options(*with_role_names())
                                    .where(User.id == person_id)).scalar_one()
        assert loaded.role_names == {"learner", "mentor"} and loaded.has_role("mentor")
    assert counter.count == 1 and "roles" in inspect(loaded).unloaded

    loaded.roles = [db.session.execute(select(Role).where(Role.name == "admin")).scalar_one()]
    assert loaded.role_names == {"admin"}  # the objects, once something changed them
