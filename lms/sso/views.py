"""Starting and finishing an institutional sign-in, and the failure page."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user

from lms.extensions import csrf, db
from lms.models import User
from lms.permissions import public
from lms.safe_redirect import safe_redirect_target
from lms.services.sso import SINGLE_LOGOUT_KEY, accounts
from lms.services.sso.failures import SignInFailure, record_failure
from lms.services.sso.providers import Provider
from lms.sso import bp

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
    from lms.sso import oidc_client, saml_client

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
    from lms.sso import oidc_client

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
    from lms.sso import saml_client

    try:
        xml = saml_client.metadata_xml()
    except SignInFailure:
        abort(503)
    return Response(xml, mimetype="application/samlmetadata+xml")


@bp.route("/saml/<provider_name>/acs", methods=["POST"])
@csrf.exempt  # posted by the identity provider's page; the signed assertion is the check
@public
def saml_acs(provider_name: str):
    from lms.sso import saml_client, saml_logout

    provider = configured(provider_name, "saml")
    try:
        state = saml_client.read_relay_state(provider, request.form.get("RelayState", ""))
        session[NEXT_KEY] = state.get("next")
        subject, attributes, response = saml_client.complete(
            provider, request.form.get("SAMLResponse", ""), state)
        identity = accounts.identity_from(
            provider, subject, attributes,
            email_verified=bool(provider.setting("email_verified", True)))
        user = accounts.sign_in(provider, identity)
    except SignInFailure as failure:
        return failed(provider, failure)
    return signed_in(user, single_logout=saml_logout.session_details(provider, response))


@bp.route("/saml/logout")
@public
def saml_logout_start():
    """After the local sign-out, ask the identity provider to end its session too.

    ``auth.logout`` leaves the NameID and SessionIndex of a SAML sign-in in the
    (otherwise fresh) session and sends the browser here.
    """
    from lms.sso import saml_logout

    details = session.pop(SINGLE_LOGOUT_KEY, None)
    provider = current_app.config["SSO_PROVIDERS"].get((details or {}).get("provider"))
    redirect_to_idp = None
    if provider is not None and provider.protocol == "saml":
        redirect_to_idp = saml_logout.request_logout(provider, details)
    if redirect_to_idp is None:
        flash(_("You are signed out."), "info")
        return redirect(url_for("auth.login"))
    return redirect_to_idp


@bp.route("/saml/<provider_name>/slo", methods=["POST"])
@csrf.exempt  # posted by the identity provider's page; the message's signature is the check
@public
def saml_slo(provider_name: str):
    """The single logout service: the provider's answer to our request, or its own request."""
    from lms.sso import saml_logout

    provider = configured(provider_name, "saml")
    relay_state = request.form.get("RelayState", "")
    try:
        if "SAMLResponse" in request.form:
            saml_logout.finish_logout(provider, request.form["SAMLResponse"], relay_state)
            flash(_("You are signed out."), "info")
            return redirect(url_for("auth.login"))
        message = saml_logout.read_logout_request(provider, request.form.get("SAMLRequest", ""))
        accounts.end_sessions(provider, str(message.name_id.text))
        answer = saml_logout.answer_logout_request(provider, message, relay_state)
    except saml_logout.LogoutRefused as refused:
        db.session.rollback()
        return render_template("sso/logout_failed.html", provider=provider,
                               reason=str(refused)), 400
    db.session.commit()
    if current_user.is_authenticated:
        session.clear()  # this browser's session was among those ended
    return answer


def signed_in(user: User, *, single_logout: dict | None = None):
    """Start a fresh session for ``user`` and go where they were heading.

    ``single_logout`` keeps what a later LogoutRequest must name.
    """
    next_url = session.get(NEXT_KEY) or url_for("main.home")
    session.clear()  # nothing from before sign-in survives
    session.permanent = True
    if single_logout:
        session[SINGLE_LOGOUT_KEY] = single_logout
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
