"""Institutional sign-in: anyone may start and finish one (the provider decides who)."""

from tests.authz_matrix import ADMINS, EVERYONE, Rule

ROWS = [
    Rule("sso.start", EVERYONE, args={"provider_name": "=matrix-idp"}),
    Rule("sso.oidc_callback", EVERYONE, args={"provider_name": "=matrix-idp"}),
    Rule("sso.saml_metadata", EVERYONE),
    Rule("sso.saml_acs", EVERYONE, "POST", args={"provider_name": "=matrix-saml"}),
    # Single logout: the identity provider's messages carry their own signature.
    Rule("sso.saml_logout_start", EVERYONE),
    Rule("sso.saml_slo", EVERYONE, "POST", args={"provider_name": "=matrix-saml"}),
]


def build_world(world, factories):
    """An OpenID provider that does not answer, so the sign-in pages show their failure.

    The providers live in the app's config, which the ``app`` fixture restores
    after each test, so other tests never see this one.
    """
    from flask import current_app

    from lms.services.sso.providers import configured_providers

    extra = configured_providers({"LMS_OIDC_PROVIDERS": [{
        "name": "matrix-idp", "label": "Matrix IdP", "issuer": "http://127.0.0.1:9",
        "client_id": "matrix"}], "LMS_SAML_PROVIDERS": [{
        "name": "matrix-saml", "label": "Matrix SAML", "metadata_file": "missing.xml"}]})
    current_app.config["SSO_PROVIDERS"] = {**current_app.config["SSO_PROVIDERS"], **extra}
    build_scim_token(world)

# SCIM answers to bearer tokens, never to a browser session: with any role or none,
# the discovery document is open (RFC 7643 §5) and everything else is a 401 (tests/sso).
ROWS.append(Rule("scim.endpoint", EVERYONE, args={"path": "=ServiceProviderConfig"}))

ROWS += [
    Rule("identity.index", ADMINS),
    Rule("identity.create_token", ADMINS, "POST", data={"name": "Matrix HR"}),
    Rule("identity.revoke_token", ADMINS, "POST", args={"token_id": "scim_token.id"}),
]


def build_scim_token(world):
    from lms.services.scim import tokens

    world.scim_token, _ = tokens.create_token(name="Matrix token", actor=world.admin)
