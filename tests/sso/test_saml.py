"""SAML 2.0 sign-in against pysaml2's identity provider (own keys) on the loopback."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import AuditEvent, ExternalIdentity, User
from tests.sso.conftest import SAML_ACS, saml_settings

START = "/sso/campus-saml/start"


@pytest.fixture
def app_config(saml_provider):
    return saml_settings(saml_provider)


def _failures() -> list[dict]:
    return [event.details for event in db.session.execute(
        select(AuditEvent).where(AuditEvent.action == "sso.sign_in_failed")).scalars()]


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


def _sign_in(client, idp, start=START, **misbehaviour):
    start_response = client.get(start)
    assert start_response.status_code == 302
    assert start_response.headers["Location"].startswith(idp.url + "/sso?SAMLRequest=")
    acs, fields = idp.answer(start_response.headers["Location"], **misbehaviour)
    assert acs == SAML_ACS
    return client.post(acs.removeprefix("http://localhost"), data=fields), fields


def test_metadata_announces_the_service_provider(client, idp):
    response = client.get("/sso/saml/metadata")
    assert response.status_code == 200
    assert response.mimetype == "application/samlmetadata+xml"
    xml = response.get_data(as_text=True)
    assert 'entityID="http://localhost/sso/saml/metadata"' in xml
    assert SAML_ACS in xml
    assert 'WantAssertionsSigned="true"' in xml


def test_sign_in_page_offers_the_saml_provider(client, idp):
    assert "Sign in with Campus SAML" in client.get("/auth/login").get_data(as_text=True)


def test_first_sign_in_creates_the_account(client, idp):
    response, _ = _sign_in(client, idp, START + "?next=/profile")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == "/profile"
    user = db.session.execute(select(User)).scalar_one()
    assert user.email == "grace@hospital.example"
    assert (user.name, user.department.name, user.employee_id) == (
        "Grace Hopper", "Pediatrics", "E-2002")
    assert user.role_names == {"learner", "mentor"}
    assert db.session.execute(select(ExternalIdentity.provider)).scalar_one() == "campus-saml"
    assert _signed_in(client)


def test_replayed_assertion_is_refused(client, idp):
    first, fields = _sign_in(client, idp)
    assert first.status_code == 302
    client.post("/auth/logout")
    replay = client.post("/sso/saml/campus-saml/acs", data=fields)
    assert replay.status_code == 400
    assert "already been used" in replay.get_data(as_text=True)
    assert not _signed_in(client)
    assert _failures()[0]["reason"] == "replayed"


FAILURES = {
    "unsigned assertion": ({"sign": False}, "unsigned", "was not signed"),
    "bad signature": ({"signer": "stranger"}, "bad_signature", "cannot verify"),
    "unknown issuer": ({"issuer": "impostor", "signer": "stranger"}, None, "Sign-in with"),
    "wrong audience": ({"audience": "https://another-service.example/sp"}, "wrong_audience",
                       "meant for another service"),
    "wrong recipient": ({"recipient": "http://localhost/elsewhere"}, "wrong_recipient",
                        "addressed to another page"),
    "expired": ({"expired": True}, "expired", "has expired"),
    "InResponseTo mismatch": ({"in_response_to": "id-not-asked-for"}, "state_mismatch",
                              "does not belong"),
}


@pytest.mark.parametrize("case", FAILURES, ids=list(FAILURES))
def test_failure_answers_clearly_and_signs_nobody_in(client, idp, case):
    misbehaviour, reason, message = FAILURES[case]
    response, _ = _sign_in(client, idp, **misbehaviour)
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page
    assert "Sign-in with Campus SAML failed" in page and message in page
    assert db.session.query(User).count() == 0
    assert not _signed_in(client)
    [failure] = _failures()
    assert failure["provider"] == "campus-saml"
    if reason:
        assert failure["reason"] == reason
    assert "PHNhbWw" not in str(failure)  # no assertion in the log


def test_missing_email_creates_nothing(client, idp):
    del idp.users["grace"]["mail"]
    response, _ = _sign_in(client, idp)
    assert response.status_code == 400
    assert "did not send an email address" in response.get_data(as_text=True)
    assert db.session.query(User).count() == 0
    assert _failures()[0]["reason"] == "missing_email"


def test_forged_relay_state_is_refused(client, idp):
    _, fields = _sign_in(client, idp, sign=False)
    response = client.post("/sso/saml/campus-saml/acs",
                           data={**fields, "RelayState": "forged"})
    assert response.status_code == 400
    assert _failures()[-1]["reason"] == "state_mismatch"


def test_a_failed_sign_in_is_explained_in_the_browsers_language(client, idp):
    start_response = client.get(START, headers={"Accept-Language": "es"})
    _acs, fields = idp.answer(start_response.headers["Location"], sign=False)
    response = client.post("/sso/saml/campus-saml/acs", data=fields,
                           headers={"Accept-Language": "es"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "No se pudo iniciar sesión con Campus SAML" in page
    assert "La respuesta de su proveedor de identidad no estaba firmada." in page
    assert "Volver al inicio de sesión" in page and "Sign-in" not in page
    assert _failures()[0]["reason"] == "unsigned"
