"""OpenID Connect sign-in against idpyoidc's provider on the loopback."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import AuditEvent, ExternalIdentity, OutboxMessage, User
from tests.sso.conftest import follow_provider, oidc_settings

START = "/sso/campus/start"


@pytest.fixture
def app_config(oidc_provider):
    return oidc_settings(oidc_provider)


def _user(email: str) -> User | None:
    return db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()


def _failures() -> list[dict]:
    return [event.details for event in db.session.execute(
        select(AuditEvent).where(AuditEvent.action == "sso.sign_in_failed")).scalars()]


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


def test_sign_in_page_offers_a_button_per_provider(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert "Sign in with Campus ID" in page
    assert 'href="/sso/campus/start' in page


def test_an_account_made_by_the_provider_is_not_offered_a_password_change(client, op):
    follow_provider(client, START)
    profile = client.get("/profile").get_data(as_text=True)
    assert "Change your password" not in profile
    assert "no password for Ally LMS to change" in profile
    response = client.get("/auth/password")
    assert response.status_code == 302 and response.headers["Location"] == "/profile"
    refused = client.post("/auth/password", data={"current": "", "password": "x" * 20,
                                                  "confirm": "x" * 20})
    assert refused.headers["Location"] == "/profile"
    assert _user("ada@hospital.example").password_hash is None


def test_a_password_account_keeps_its_password_change(client, auth, make_user):
    auth.login(make_user(email="pat@example.edu"))
    assert "Change your password" in client.get("/profile").get_data(as_text=True)
    assert client.get("/auth/password").status_code == 200


def test_first_sign_in_creates_the_account_from_the_claims(client, op):
    response, _ = follow_provider(client, START + "?next=/profile")
    assert response.status_code == 302
    assert response.headers["Location"] == "/profile"
    user = _user("ada@hospital.example")
    assert user.name == "Ada Lovelace"
    assert user.department.name == "Cardiology"
    assert user.employee_id == "E-1001"
    assert user.role_names == {"learner", "mentor"}  # ally-mentors -> mentor
    assert user.password_hash is None
    link = db.session.execute(select(ExternalIdentity)).scalar_one()
    assert (link.provider, link.user_id) == ("campus", user.id)
    assert link.last_sign_in_at is not None
    assert _signed_in(client)


def test_later_sign_ins_update_name_and_department(client, op):
    follow_provider(client, START)
    client.post("/auth/logout")
    op.users["ada"].update(name="Ada King", department="Oncology")
    response, _ = follow_provider(client, START)
    assert response.status_code == 302
    user = _user("ada@hospital.example")
    assert (user.name, user.department.name) == ("Ada King", "Oncology")
    assert db.session.query(User).count() == 1


def test_existing_account_is_matched_by_verified_email(client, op, make_user):
    existing = make_user(email="ada@hospital.example", name="Ada (password)")
    response, _ = follow_provider(client, START)
    assert response.status_code == 302
    assert db.session.query(User).count() == 1
    link = db.session.execute(select(ExternalIdentity)).scalar_one()
    assert link.user_id == existing.id
    # The owner is told, by email and on the profile, that a new way in exists.
    notice = db.session.execute(select(OutboxMessage).where(
        OutboxMessage.kind == "security_notice")).scalar_one()
    assert notice.to_address == existing.email
    assert "You can now sign in through" in notice.body_text


def test_unverified_email_does_not_take_over_an_existing_account(client, op, make_user):
    make_user(email="ada@hospital.example")
    op.users["ada"]["email_verified"] = False
    response, _ = follow_provider(client, START)
    assert response.status_code == 400
    assert "not verified" in response.get_data(as_text=True)
    assert db.session.query(ExternalIdentity).count() == 0
    assert not _signed_in(client)
    assert _failures()[0]["reason"] == "unverified_email"


def test_keys_rotated_by_the_provider_are_fetched_again(client, op):
    follow_provider(client, START)
    client.post("/auth/logout")
    old_keys = op.signing_key_ids()
    op.rotate_keys()
    assert op.signing_key_ids() != old_keys
    fetches = op.jwks_fetches
    response, _ = follow_provider(client, START)
    assert response.status_code == 302
    assert op.jwks_fetches > fetches


def _tamper(claim, value):
    def rewrite(claims):
        return {**claims, claim: value}
    return rewrite


FAILURES = {
    "bad signature": ("bad_signature", "signature this site cannot verify",
                      lambda op: setattr(op, "foreign_key", True)),
    "wrong audience": ("wrong_audience", "meant for another service",
                       lambda op: setattr(op, "rewrite_id_token",
                                          _tamper("aud", ["another-service"]))),
    "expired": ("expired", "has expired",
                lambda op: setattr(op, "id_token_lifetime", -600)),
    "unknown issuer": ("unknown_issuer", "does not trust",
                       lambda op: setattr(op, "rewrite_id_token",
                                          _tamper("iss", "https://impostor.example"))),
    "nonce mismatch": ("nonce_mismatch", "does not belong",
                       lambda op: setattr(op, "rewrite_id_token", _tamper("nonce", "other"))),
    "missing email": ("missing_email", "did not send an email address",
                      lambda op: op.users["ada"].pop("email")),
}


@pytest.mark.parametrize("case", FAILURES, ids=list(FAILURES))
def test_failure_answers_clearly_and_signs_nobody_in(client, op, case):
    reason, message, misbehave = FAILURES[case]
    misbehave(op)
    response, _ = follow_provider(client, START)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Sign-in with Campus ID failed" in page and message in page
    assert db.session.query(User).count() == 0
    assert db.session.query(ExternalIdentity).count() == 0
    assert not _signed_in(client)
    [failure] = _failures()
    assert failure["provider"] == "campus" and failure["reason"] == reason
    assert "eyJ" not in str(failure)  # the token itself never reaches the log


def test_replayed_answer_is_refused(client, op):
    first, callback = follow_provider(client, START)
    assert first.status_code == 302
    client.post("/auth/logout")
    replay = client.get(callback)
    assert replay.status_code == 400
    assert "does not belong to a sign-in started here" in replay.get_data(as_text=True)
    assert not _signed_in(client)
    assert _failures()[0]["reason"] == "state_mismatch"


def test_deactivated_account_cannot_sign_in(client, op):
    follow_provider(client, START)
    client.post("/auth/logout")
    _user("ada@hospital.example").is_active_account = False
    db.session.commit()
    response, _ = follow_provider(client, START)
    assert response.status_code == 400
    assert not _signed_in(client)


def test_unknown_provider_is_not_found(client):
    assert client.get("/sso/nobody/start").status_code == 404
    assert client.get("/sso/oidc/nobody/callback").status_code == 404
