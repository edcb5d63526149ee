"""Passwords: argon2id hashes, emailed reset links that work once, and changing one's own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from lms import clock
from lms.extensions import db
from lms.models import OutboxMessage
from lms.services.accounts import passwords
from tests.conftest import TEST_PASSWORD

NEW_PASSWORD = "a brand new long passphrase"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _ask_for_reset(client, email):
    return client.post("/auth/forgot", data={"email": email})


def _set_password(client, link, password=NEW_PASSWORD, confirm=None):
    return client.post(link, data={"password": password,
                                   "confirm": password if confirm is None else confirm})


def test_hashes_are_argon2id_and_verify(app, make_user):
    user = make_user()
    assert user.password_hash.startswith("$argon2id$")
    assert passwords.check_password(user, TEST_PASSWORD)
    assert not passwords.check_password(user, TEST_PASSWORD + "x")


def test_short_passwords_are_refused(app):
    with pytest.raises(passwords.PasswordTooShort):
        passwords.hash_password("elevenchars")
    assert passwords.hash_password("twelve chars").startswith("$argon2id$")


def test_reset_by_emailed_link(mailbox, client, make_user):
    user = make_user(email="ana@example.edu")
    response = _ask_for_reset(client, "ANA@example.edu")
    assert response.status_code == 302
    link = mailbox.link("ana@example.edu")

    assert client.get(link).status_code == 200
    response = _set_password(client, link)
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"

    db.session.refresh(user)
    assert passwords.check_password(user, NEW_PASSWORD)
    assert not passwords.check_password(user, TEST_PASSWORD)
    signed_in = client.post("/auth/login", data={"email": user.email, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302


def test_reset_link_works_only_once(mailbox, client, make_user):
    make_user(email="ana@example.edu")
    _ask_for_reset(client, "ana@example.edu")
    link = mailbox.link("ana@example.edu")
    assert _set_password(client, link).status_code == 302

    again = client.get(link)
    assert again.status_code == 400
    assert b"This link no longer works" in again.data
    reused = _set_password(client, link, password="someone else's passphrase")
    assert reused.status_code == 400


def test_reset_link_expires_after_an_hour(mailbox, client, make_user):
    user = make_user(email="ana@example.edu")
    with clock.frozen_at(START):
        _ask_for_reset(client, "ana@example.edu")
        link = mailbox.link("ana@example.edu")
    with clock.frozen_at(START + timedelta(minutes=59)):
        assert client.get(link).status_code == 200
    with clock.frozen_at(START + timedelta(minutes=61)):
        response = _set_password(client, link)
    assert response.status_code == 400
    db.session.refresh(user)
    assert passwords.check_password(user, TEST_PASSWORD)


def test_invitation_link_lasts_a_week(mailbox, app, client, make_user):
    from lms.services.accounts.invitations import send_invitation

    user = make_user(email="new@example.edu", password=None)
    with clock.frozen_at(START), app.test_request_context():
        send_invitation(user)
        db.session.commit()
        link = mailbox.link("new@example.edu")
    with clock.frozen_at(START + timedelta(days=6)):
        assert client.get(link).status_code == 200
    with clock.frozen_at(START + timedelta(days=8)):
        assert client.get(link).status_code == 400


@pytest.mark.parametrize("token", ["garbage", "x" * 500, "eyJ1IjoxfQ.AAAA.BBBB"])
def test_forged_or_mangled_links_are_refused(client, token):
    response = client.get(f"/auth/reset/{token}")
    assert response.status_code == 400
    assert b"Ask for a new link" in response.data


def test_token_for_a_deactivated_account_is_refused(mailbox, client, make_user):
    user = make_user(email="ana@example.edu")
    _ask_for_reset(client, "ana@example.edu")
    link = mailbox.link("ana@example.edu")
    user.is_active_account = False
    db.session.commit()
    assert client.get(link).status_code == 400


def test_reset_request_looks_the_same_for_unknown_email(client, make_user):
    make_user(email="known@example.edu")
    known = client.post("/auth/forgot", data={"email": "known@example.edu"},
                        follow_redirects=True)
    unknown = client.post("/auth/forgot", data={"email": "stranger@example.edu"},
                          follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert known.data == unknown.data
    assert b"If that email belongs to an account" in known.data
    addresses = db.session.execute(select(OutboxMessage.to_address)).scalars().all()
    assert addresses == ["known@example.edu"]


def test_reset_form_refuses_mismatch_and_short_passwords(mailbox, client, make_user):
    user = make_user(email="ana@example.edu")
    _ask_for_reset(client, "ana@example.edu")
    link = mailbox.link("ana@example.edu")
    mismatch = _set_password(client, link, confirm="something different entirely")
    assert b"The two passwords do not match." in mismatch.data
    short = _set_password(client, link, password="too short")
    assert b"Use at least 12 characters" in short.data
    db.session.refresh(user)
    assert passwords.check_password(user, TEST_PASSWORD)
    # The link still works after refused attempts.
    assert _set_password(client, link).status_code == 302


def test_reset_signs_out_every_session(mailbox, app, client, make_user):
    user = make_user(email="ana@example.edu")
    elsewhere = app.test_client()
    elsewhere.post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert elsewhere.get("/").status_code == 200
    _ask_for_reset(client, user.email)
    _set_password(client, mailbox.link(user.email))
    assert elsewhere.get("/").status_code == 302


def test_change_password_keeps_this_session_and_ends_the_others(app, client, make_user, auth):
    user = make_user()
    phone = app.test_client()
    phone.post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD})
    auth.login(user)
    old_token = user.session_token

    response = client.post("/auth/password", data={
        "current": TEST_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.session_token != old_token
    assert passwords.check_password(user, NEW_PASSWORD)
    assert client.get("/").status_code == 200
    assert phone.get("/").status_code == 302


def test_change_password_needs_the_current_one(client, make_user, auth):
    user = make_user()
    auth.login(user)
    response = client.post("/auth/password", data={
        "current": "not my password at all", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 200
    assert b"That is not your current password." in response.data
    db.session.refresh(user)
    assert passwords.check_password(user, TEST_PASSWORD)
