"""Institutional sign-in (OpenID Connect, SAML 2.0): providers, accounts, failures."""
