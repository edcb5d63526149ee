"""SAML 2.0 single logout with pysaml2, for identity providers that offer it.

Outgoing messages (our LogoutRequest, our LogoutResponse) go to the identity
provider's SingleLogoutService with the HTTP-Redirect binding; incoming ones
arrive at this service provider's SingleLogoutService with HTTP-POST, where
they must carry an XML signature by the provider's key from its metadata, the
provider's issuer and, for a LogoutResponse, the id of the request we sent
(kept in a signed RelayState, since the provider's POST comes without our
session cookie).
"""

from __future__ import annotations

import traceback

from flask import current_app, make_response
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeTimedSerializer
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.s_utils import UnsupportedBinding, sid
from saml2.saml import NameID
from saml2.xmldsig import SIG_RSA_SHA256

from lms.services.sso.failures import SignInFailure
from lms.services.sso.providers import Provider
from lms.sso.saml_client import REQUEST_MAX_AGE_SECONDS, _client, idp_entity_id


class LogoutRefused(Exception):
    """An incoming logout message that cannot be trusted; nothing was changed."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="sso-saml-logout")


def _signs_requests() -> bool:
    return bool(current_app.config.get("LMS_SAML_SP_CERT_FILE")
                and current_app.config.get("LMS_SAML_SP_KEY_FILE"))


def idp_logout_url(provider: Provider) -> str | None:
    """The provider's SingleLogoutService (HTTP-Redirect), or None if it offers none."""
    try:
        client = _client(provider)
        services = client.metadata.single_logout_service(
            idp_entity_id(provider), BINDING_HTTP_REDIRECT, "idpsso")
    except (SignInFailure, UnsupportedBinding):
        return None
    return services[0]["location"] if services else None


def session_details(provider: Provider, response) -> dict | None:
    """What a later LogoutRequest must name (NameID, SessionIndex), if the provider has SLO."""
    if idp_logout_url(provider) is None:
        return None
    name_id = response.assertion.subject.name_id
    statements = response.assertion.authn_statement or []
    return {"provider": provider.name, "name_id": name_id.text, "format": name_id.format,
            "name_qualifier": name_id.name_qualifier,
            "sp_name_qualifier": name_id.sp_name_qualifier,
            "session_index": statements[0].session_index if statements else None}


def _redirect(provider: Provider, message, destination: str, relay_state: str, *,
              response: bool):
    client = _client(provider)
    sign = _signs_requests()
    info = client.apply_binding(BINDING_HTTP_REDIRECT, str(message), destination, relay_state,
                                response=response, sign=sign,
                                sigalg=SIG_RSA_SHA256 if sign else None)
    answer = make_response("", 302)
    answer.headers["Location"] = dict(info["headers"])["Location"]
    return answer


def request_logout(provider: Provider, details: dict):
    """Send the browser to the provider with a LogoutRequest for the saved sign-in."""
    destination = idp_logout_url(provider)
    if destination is None:
        return None
    client = _client(provider)
    name_id = NameID(text=details["name_id"], format=details.get("format"),
                     name_qualifier=details.get("name_qualifier"),
                     sp_name_qualifier=details.get("sp_name_qualifier"))
    request_id = sid()
    index = details.get("session_index")
    _, request = client.create_logout_request(
        destination, idp_entity_id(provider), name_id=name_id, message_id=request_id,
        session_indexes=[index] if index else None, sign=False)
    relay_state = _serializer().dumps({"request": request_id, "provider": provider.name})
    return _redirect(provider, request, destination, relay_state, response=False)


def _let_go(error: Exception) -> None:
    """Free the frames of pysaml2's failed check now, closing the temporary key files they hold."""
    traceback.clear_frames(error.__traceback__)


def _check_origin(provider: Provider, message) -> None:
    if message.signature is None:
        raise LogoutRefused(_l("the message was not signed"))
    if message.issuer is None or message.issuer.text != idp_entity_id(provider):
        raise LogoutRefused(_l("the message came from another identity provider"))


def finish_logout(provider: Provider, saml_response: str, relay_state: str) -> None:
    """Verify the provider's LogoutResponse to our request; ``LogoutRefused`` if not genuine."""
    try:
        state = _serializer().loads(relay_state or "", max_age=REQUEST_MAX_AGE_SECONDS)
    except BadData as error:
        raise LogoutRefused(_l("the answer does not belong to a sign-out started here")) \
            from error
    if state.get("provider") != provider.name:
        raise LogoutRefused(_l("the answer does not belong to a sign-out started here"))
    try:
        parsed = _client(provider).parse_logout_request_response(
            saml_response, BINDING_HTTP_POST)
    except SignInFailure:
        raise LogoutRefused(_l("the identity provider's metadata cannot be read")) from None
    except Exception as error:  # pysaml2 raises plain exceptions for bad signatures
        _let_go(error)
        raise LogoutRefused(_l("its signature cannot be verified")) from None
    if parsed is None:
        raise LogoutRefused(_l("it is not a logout answer addressed to this service"))
    _check_origin(provider, parsed.response)
    if parsed.response.in_response_to != state.get("request"):
        raise LogoutRefused(_l("the answer does not belong to a sign-out started here"))


def read_logout_request(provider: Provider, saml_request: str):
    """The provider's verified LogoutRequest message; ``LogoutRefused`` if not genuine."""
    try:
        parsed = _client(provider).parse_logout_request(saml_request, BINDING_HTTP_POST)
    except SignInFailure:
        raise LogoutRefused(_l("the identity provider's metadata cannot be read")) from None
    except Exception as error:  # pysaml2 raises plain exceptions for bad signatures
        _let_go(error)
        raise LogoutRefused(_l("its signature cannot be verified")) from None
    if parsed is None or parsed.message is None or parsed.message.name_id is None:
        raise LogoutRefused(_l("it is not a logout request addressed to this service"))
    _check_origin(provider, parsed.message)
    return parsed.message


def answer_logout_request(provider: Provider, message, relay_state: str):
    """Redirect the browser back to the provider with a LogoutResponse (success)."""
    destination = idp_logout_url(provider)
    if destination is None:
        raise LogoutRefused(_l("the identity provider has no single logout service"))
    response = _client(provider).create_logout_response(
        message, [BINDING_HTTP_REDIRECT], sign=False)
    return _redirect(provider, response, destination, relay_state, response=True)
