"""SAML 2.0 service provider with pysaml2.

One service provider (entity id: the metadata address) with an assertion
consumer service per identity provider; each provider gets a pysaml2 client
that knows only that provider's metadata, so an assertion signed by anyone
else is refused. Assertions must be signed; audience, recipient, validity
window and ``InResponseTo`` are checked by pysaml2, and the assertion id is
remembered until it expires so a replay is refused even in another session.
"""

from __future__ import annotations

import base64
import shutil
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app, make_response, url_for
from itsdangerous import BadData, URLSafeTimedSerializer
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, samlp
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor
from saml2.response import StatusError, UnsolicitedResponse
from saml2.s_utils import sid
from saml2.saml import NAMEID_FORMAT_PERSISTENT
from saml2.sigver import SignatureError, SigverError
from saml2.validate import ResponseLifetimeExceed, ToEarly
from sqlalchemy import delete, select

from lms.extensions import db
from lms.models import SeenAssertion, utcnow
from lms.services.sso.failures import SignInFailure
from lms.services.sso.providers import Provider

CLOCK_SKEW_SECONDS = 60
# How long a person may take at the identity provider before the answer is refused.
REQUEST_MAX_AGE_SECONDS = 15 * 60


def xmlsec_binary() -> str | None:
    """Where xmlsec1 is (pysaml2 signs and verifies with it), or None."""
    return shutil.which("xmlsec1")


def _base_url() -> str:
    return current_app.config["LMS_BASE_URL"].rstrip("/")


def entity_id() -> str:
    return _base_url() + url_for("sso.saml_metadata")


def acs_url(provider: Provider) -> str:
    return _base_url() + url_for("sso.saml_acs", provider_name=provider.name)


def slo_url(provider: Provider) -> str:
    return _base_url() + url_for("sso.saml_slo", provider_name=provider.name)


def _saml_providers() -> list[Provider]:
    return [p for p in current_app.config["SSO_PROVIDERS"].values() if p.protocol == "saml"]


def sp_config(providers: list[Provider], *, acs_for: list[Provider] | None = None) -> SPConfig:
    """pysaml2's configuration of this service provider, trusting ``providers``' metadata.

    ``acs_for`` lists the providers whose assertion consumer services it
    announces (by default the same ones).
    """
    binary = xmlsec_binary()
    if binary is None:
        raise SignInFailure("provider_unreachable", "xmlsec1 is not installed")
    metadata: dict[str, list] = {}
    for provider in providers:
        if provider.setting("metadata_file"):
            metadata.setdefault("local", []).append(provider.setting("metadata_file"))
        else:
            metadata.setdefault("remote", []).append({"url": provider.setting("metadata_url")})
    cert, key = (current_app.config.get("LMS_SAML_SP_CERT_FILE"),
                 current_app.config.get("LMS_SAML_SP_KEY_FILE"))
    settings: dict[str, Any] = {
        "entityid": entity_id(),
        "xmlsec_binary": binary,
        "allow_unknown_attributes": True,
        "accepted_time_diff": CLOCK_SKEW_SECONDS,
        "service": {"sp": {
            "name": current_app.config["LMS_INSTITUTION_NAME"],
            "endpoints": {
                "assertion_consumer_service": [
                    (acs_url(provider), BINDING_HTTP_POST)
                    for provider in (providers if acs_for is None else acs_for)],
                "single_logout_service": [
                    (slo_url(provider), BINDING_HTTP_POST)
                    for provider in (providers if acs_for is None else acs_for)]},
            "want_assertions_signed": True,
            "want_response_signed": False,
            "allow_unsolicited": False,
            "authn_requests_signed": bool(cert and key),
            "name_id_format": [NAMEID_FORMAT_PERSISTENT],
        }},
        "metadata": metadata,
    }
    if cert and key:
        settings.update(cert_file=cert, key_file=key)
    config = SPConfig()
    try:
        config.load(settings)
    except (OSError, ValueError, SigverError, Exception) as error:  # pysaml2 raises bare ones
        raise SignInFailure("provider_unreachable", "metadata " + type(error).__name__) \
            from error
    return config


def metadata_xml() -> str:
    """This service provider's metadata, announcing every SAML provider's ACS and SLO.

    Built without fetching any identity provider's metadata, so it answers even
    while a provider is down.
    """
    return str(entity_descriptor(sp_config([], acs_for=_saml_providers())))


def _client(provider: Provider) -> Saml2Client:
    cache = current_app.extensions.setdefault("lms_saml_clients", {})
    if provider.name not in cache:
        cache[provider.name] = Saml2Client(config=sp_config([provider]))
    return cache[provider.name]


def idp_entity_id(provider: Provider) -> str:
    client = _client(provider)
    idps = list(client.metadata.identity_providers())
    if len(idps) != 1:
        raise SignInFailure("provider_unreachable", f"{len(idps)} IdPs in metadata")
    return idps[0]


def _relay_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="sso-saml-relay-state")


def authorize_redirect(provider: Provider, next_url: str):
    """Send the browser to the identity provider with an AuthnRequest (HTTP-Redirect).

    The request's id travels in a signed RelayState rather than the session:
    the identity provider posts its answer from another site, and the session
    cookie (SameSite=Lax) does not come along on such a POST.
    """
    client = _client(provider)
    request_id = sid()
    relay_state = _relay_serializer().dumps({"request": request_id, "provider": provider.name,
                                             "next": next_url})
    request_id, info = client.prepare_for_authenticate(
        entityid=idp_entity_id(provider), binding=BINDING_HTTP_REDIRECT,
        relay_state=relay_state, message_id=request_id,
        assertion_consumer_service_url=acs_url(provider))
    location = dict(info["headers"])["Location"]
    response = make_response("", 302)
    response.headers["Location"] = location
    return response


def read_relay_state(provider: Provider, relay_state: str) -> dict:
    """The signed RelayState sent with the request; ``state_mismatch`` if forged or stale."""
    try:
        state = _relay_serializer().loads(relay_state or "", max_age=REQUEST_MAX_AGE_SECONDS)
    except BadData as error:
        raise SignInFailure("state_mismatch", "RelayState " + type(error).__name__) from error
    if state.get("provider") != provider.name or not state.get("request"):
        raise SignInFailure("state_mismatch", "RelayState for another provider")
    return state


def complete(provider: Provider, saml_response: str, relay_state: dict):
    """Check the posted response; return the NameID, the attributes and pysaml2's response.

    ``relay_state`` (from ``read_relay_state``) names the request it must answer.
    Raises ``SignInFailure`` naming what failed.
    """
    outstanding = {relay_state["request"]: relay_state.get("next") or "/"}
    if not saml_response:
        raise SignInFailure("invalid_response", "no SAMLResponse")
    client = _client(provider)
    try:
        response = client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding=outstanding)
    except SignInFailure:
        raise
    except Exception as error:  # pysaml2 raises plain exceptions with messages
        raise _failure(error) from error
    if response is None or response.assertion is None:
        raise _refused_without_reason(provider, saml_response)
    _remember(provider, response)
    subject = response.get_subject()
    return str(subject.text), dict(response.get_identity()), response


def _refused_without_reason(provider: Provider, saml_response: str) -> SignInFailure:
    """pysaml2 answers None for a response addressed elsewhere; tell that case apart."""
    try:
        parsed = samlp.response_from_string(base64.b64decode(saml_response))
    except (ValueError, TypeError, SyntaxError):
        parsed = None
    if parsed is not None and parsed.destination and parsed.destination != acs_url(provider):
        return SignInFailure("wrong_recipient", "Destination is another address")
    return SignInFailure("invalid_response", "no assertion")


def _remember(provider: Provider, response) -> None:
    """Refuse an assertion id seen before; keep this one until it expires."""
    assertion_id = response.assertion.id
    now = utcnow()
    db.session.execute(delete(SeenAssertion).where(SeenAssertion.expires_at < now))
    seen = db.session.execute(select(SeenAssertion.id).where(
        SeenAssertion.provider == provider.name,
        SeenAssertion.assertion_id == assertion_id)).first()
    if seen is not None:
        raise SignInFailure("replayed", "assertion id seen before")
    expires = now + timedelta(hours=1)
    if getattr(response, "not_on_or_after", 0):
        expires = max(expires, datetime.fromtimestamp(response.not_on_or_after, UTC))
    db.session.add(SeenAssertion(provider=provider.name, assertion_id=assertion_id,
                                 expires_at=expires + timedelta(seconds=CLOCK_SKEW_SECONDS)))
    db.session.flush()


def _failure(error: Exception) -> SignInFailure:
    text = str(error)
    name = type(error).__name__
    if isinstance(error, SignatureError) and "missing" in text.lower():
        return SignInFailure("unsigned", name)
    if isinstance(error, SignatureError | SigverError) or name == "IncorrectlySigned":
        return SignInFailure("bad_signature", name)
    if isinstance(error, ResponseLifetimeExceed | ToEarly):
        return SignInFailure("expired", name)
    if "Condition not OK" in text:  # NotBefore/NotOnOrAfter do not enclose the present
        return SignInFailure("expired", "conditions validity window")
    if "AudienceRestrictions" in text:
        return SignInFailure("wrong_audience", "audience restriction")
    if "recipient" in text.lower() or "destination" in text.lower():
        return SignInFailure("wrong_recipient", name)
    if isinstance(error, UnsolicitedResponse) or "don't recall" in text:
        return SignInFailure("state_mismatch", "InResponseTo unknown")
    if isinstance(error, StatusError):
        return SignInFailure("provider_refused", name)
    if "issuer" in text.lower() or "entity" in text.lower():
        return SignInFailure("unknown_issuer", name)
    return SignInFailure("invalid_response", name)

