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


def has_usable_password(user, config) -> bool:
    """Whether ``user`` signs in with a password here, so changing it means something.

    People created by their identity provider have none, and people of an
    SSO-only domain may not use one.
    """
    return user.password_hash is not None and password_sign_in_allowed(user.email, config)
