"""Institutional sign-in (OpenID Connect, SAML 2.0): providers, accounts, failures."""

# Where a SAML sign-in keeps its NameID and SessionIndex for single logout.
SINGLE_LOGOUT_KEY = "sso_single_logout"
