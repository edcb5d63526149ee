"""SAML 2.0 single logout against pysaml2's identity provider on the loopback."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import ExternalIdentity, User
from tests.sso.conftest import LMS_BASE_URL, saml_settings
from tests.sso.test_saml import _sign_in, _signed_in

SLO = "/sso/saml/campus-saml/slo"
SLO_URL = LMS_BASE_URL + SLO


@pytest.fixture
def app_config(saml_provider):
    return saml_settings(saml_provider)


def _session_token() -> str:
    db.session.expire_all()
    return db.session.execute(select(User.session_token)).scalar_one()


def _subject() -> str:
    """The persistent NameID the IdP gave the person at sign-in."""
    return db.session.execute(select(ExternalIdentity.subject)).scalar_one()


def _start_logout(client, idp) -> str:
    """Sign in through the IdP, sign out of the LMS; the address of the LogoutRequest."""
    response, _ = _sign_in(client, idp)
    assert response.status_code == 302
    signed_out = client.post("/auth/logout")
    assert signed_out.headers["Location"] == "/sso/saml/logout"
    to_idp = client.get("/sso/saml/logout")
    assert to_idp.status_code == 302
    assert to_idp.headers["Location"].startswith(idp.url + "/slo?SAMLRequest=")
    assert not _signed_in(client)  # the local session ended before leaving
    return to_idp.headers["Location"]


def test_metadata_announces_the_single_logout_service(client, idp):
    xml = client.get("/sso/saml/metadata").get_data(as_text=True)
    assert "SingleLogoutService" in xml and SLO_URL in xml


def test_sign_out_round_trip_through_the_identity_provider(client, idp):
    request_url = _start_logout(client, idp)
    destination, fields, request = idp.answer_logout(request_url)
    assert destination == SLO_URL
    assert request.name_id.text == _subject()
    assert request.session_index  # the SessionIndex of the sign-in
    response = client.post(SLO, data=fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == "/auth/login"
    assert "You are signed out" in client.get("/auth/login").get_data(as_text=True)


LOGOUT_RESPONSE_FORGERIES = {
    "unsigned": ({"sign": False}, "was not signed"),
    "signed by a stranger": ({"signer": "stranger"}, "signature cannot be verified"),
    "answering another request": ({"in_response_to": "id-not-asked-for"},
                                  "does not belong"),
}


@pytest.mark.parametrize("case", LOGOUT_RESPONSE_FORGERIES)
def test_untrusted_logout_response_is_refused(client, idp, case):
    misbehaviour, message = LOGOUT_RESPONSE_FORGERIES[case]
    _, fields, _ = idp.answer_logout(_start_logout(client, idp), **misbehaviour)
    response = client.post(SLO, data=fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page
    assert "Sign-out message from Campus SAML refused" in page and message in page
    assert "You are signed out" not in client.get("/auth/login").get_data(as_text=True)


def test_forged_relay_state_on_logout_response_is_refused(client, idp):
    _, fields, _ = idp.answer_logout(_start_logout(client, idp))
    response = client.post(SLO, data={**fields, "RelayState": "forged"})
    assert response.status_code == 400


def test_identity_provider_ends_the_persons_sessions(client, idp):
    _sign_in(client, idp)
    before = _session_token()
    response = client.post(SLO, data=idp.request_logout(SLO_URL, _subject()))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].startswith(idp.url + "/slo?SAMLResponse=")
    assert "RelayState=idp-relay" in response.headers["Location"]
    assert _session_token() != before
    assert not _signed_in(client)


def test_identity_provider_logout_ends_sessions_in_other_browsers(app, client, idp):
    _sign_in(client, idp)
    other_browser = app.test_client()
    response = other_browser.post(SLO, data=idp.request_logout(SLO_URL, _subject()))
    assert response.status_code == 302
    assert not _signed_in(client)


@pytest.mark.parametrize("misbehaviour", [{"sign": False}, {"signer": "stranger"}],
                         ids=["unsigned", "signed by a stranger"])
def test_untrusted_logout_request_changes_nothing(client, idp, misbehaviour):
    _sign_in(client, idp)
    before = _session_token()
    response = client.post(SLO, data=idp.request_logout(SLO_URL, _subject(), **misbehaviour))
    assert response.status_code == 400
    assert "refused" in response.get_data(as_text=True)
    assert _session_token() == before
    assert _signed_in(client)


def test_provider_without_single_logout_signs_out_locally(app, client, saml_provider, idp):
    saml_provider.publish_metadata(single_logout=False)
    app.extensions.pop("lms_saml_clients", None)  # metadata is read once per process
    try:
        _sign_in(client, idp)
        signed_out = client.post("/auth/logout")
        assert signed_out.headers["Location"] == "/auth/login"
        assert "You are signed out" in client.get("/auth/login").get_data(as_text=True)
        assert not _signed_in(client)
    finally:
        saml_provider.publish_metadata()
        app.extensions.pop("lms_saml_clients", None)
