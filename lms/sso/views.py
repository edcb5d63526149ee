"""Starting and finishing an institutional sign-in, and the failure page."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user

from lms.extensions import csrf, db
from lms.models import User
from lms.permissions import public
from lms.safe_redirect import safe_redirect_target
from lms.services.sso import accounts
from lms.services.sso.failures import SignInFailure, record_failure
from lms.services.sso.providers import Provider
from lms.sso import bp, oidc_client, saml_client

NEXT_KEY = "sso_next"


def configured(name: str, protocol: str | None = None) -> Provider:
    provider = current_app.config["SSO_PROVIDERS"].get(name)
    if provider is None or (protocol and provider.protocol != protocol):
        abort(404)
    return provider


def external_url(endpoint: str, **values) -> str:
    """This site's public address for ``endpoint`` (what the provider has registered)."""
    return current_app.config["LMS_BASE_URL"].rstrip("/") + url_for(endpoint, **values)


@bp.route("/<provider_name>/start")
@public
def start(provider_name: str):
    provider = configured(provider_name)
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    session[NEXT_KEY] = safe_redirect_target(request.args.get("next"), url_for("main.home"))
    try:
        if provider.protocol == "oidc":
            return oidc_client.authorize_redirect(
                provider, external_url("sso.oidc_callback", provider_name=provider.name))
        return saml_client.authorize_redirect(provider, session[NEXT_KEY])
    except SignInFailure as failure:
        return failed(provider, failure)


@bp.route("/oidc/<provider_name>/callback")
@public
def oidc_callback(provider_name: str):
    provider = configured(provider_name, "oidc")
    try:
        subject, claims = oidc_client.complete(provider)
        identity = accounts.identity_from(provider, subject, claims)
        user = accounts.sign_in(provider, identity)
    except SignInFailure as failure:
        return failed(provider, failure)
    return signed_in(user)


@bp.route("/saml/metadata")
@public
def saml_metadata():
    """This service provider's SAML metadata, for the identity providers to register."""
    try:
        xml = saml_client.metadata_xml()
    except SignInFailure:
        abort(503)
    return Response(xml, mimetype="application/samlmetadata+xml")


@bp.route("/saml/<provider_name>/acs", methods=["POST"])
@csrf.exempt  # posted by the identity provider's page; the signed assertion is the check
@public
def saml_acs(provider_name: str):
    provider = configured(provider_name, "saml")
    try:
        state = saml_client.read_relay_state(provider, request.form.get("RelayState", ""))
        session[NEXT_KEY] = state.get("next")
        subject, attributes = saml_client.complete(
            provider, request.form.get("SAMLResponse", ""), state)
        identity = accounts.identity_from(
            provider, subject, attributes,
            email_verified=bool(provider.setting("email_verified", True)))
        user = accounts.sign_in(provider, identity)
    except SignInFailure as failure:
        return failed(provider, failure)
    return signed_in(user)


def signed_in(user: User):
    """Start a fresh session for ``user`` and go where they were heading."""
    next_url = session.get(NEXT_KEY) or url_for("main.home")
    session.clear()  # nothing from before sign-in survives
    session.permanent = True
    login_user(user)
    db.session.commit()
    return redirect(next_url)


def failed(provider: Provider, failure: SignInFailure):
    """Undo anything the attempt wrote, record why it failed, and say so plainly."""
    db.session.rollback()
    record_failure(provider.name, failure)
    db.session.commit()
    session.pop(NEXT_KEY, None)
    return render_template("sso/failed.html", provider=provider, failure=failure), 400
