"""Who may still sign in with a password."""

from __future__ import annotations


def sso_only_domains(config) -> set[str]:
    """The email domains in ``LMS_SSO_ONLY_DOMAINS``, lower-cased."""
    return {part.strip().lower().lstrip("@")
            for part in (config.get("LMS_SSO_ONLY_DOMAINS") or "").split(",") if part.strip()}


def password_sign_in_allowed(email: str, config) -> bool:
    """False for people of a domain that signs in only through its identity provider.

    Their accounts then have no password anyone could guess, phish or reset.
    """
    domain = (email or "").rpartition("@")[2].strip().lower()
    return domain not in sso_only_domains(config)
