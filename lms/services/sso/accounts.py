"""Accounts from an identity provider: find, create just in time, keep up to date."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from lms.extensions import db
from lms.models import Department, ExternalIdentity, User, normalise_email, utcnow
from lms.models.users import new_session_token
from lms.services import audit
from lms.services.accounts import people as accounts
from lms.services.accounts import security
from lms.services.errors import DomainError
from lms.services.sso.failures import SignInFailure
from lms.services.sso.providers import Provider


@dataclass(frozen=True)
class Identity:
    """What an identity provider asserted about the person signing in."""

    subject: str
    email: str | None
    email_verified: bool
    name: str | None
    department: str | None
    employee_id: str | None
    attributes: Mapping[str, Any]


def _values(raw: Any) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, list | tuple | set):
        return [str(item) for item in raw if item not in (None, "")]
    return [str(raw)] if raw != "" else []


def _first(attributes: Mapping[str, Any], key: str | None) -> str | None:
    values = _values(attributes.get(key)) if key else []
    return values[0].strip() if values and values[0].strip() else None


def identity_from(provider: Provider, subject: str, attributes: Mapping[str, Any], *,
                  email_verified: bool | None = None) -> Identity:
    """Read an ``Identity`` from claims or SAML attributes with the provider's mapping.

    ``email_verified`` overrides the provider's own claim (SAML has none; a
    provider configured with ``"email_verified": true`` vouches for its addresses).
    """
    names = provider.attributes
    if email_verified is None:
        raw = attributes.get(names.get("email_verified", ""))
        email_verified = raw is True or str(raw).lower() == "true"
    email = _first(attributes, names.get("email"))
    return Identity(subject=subject, email=normalise_email(email) if email else None,
                    email_verified=bool(email_verified), name=_first(attributes, names["name"]),
                    department=_first(attributes, names.get("department")),
                    employee_id=_first(attributes, names.get("employee_id")),
                    attributes=attributes)


def granted_roles(provider: Provider, attributes: Mapping[str, Any]) -> set[str]:
    """Roles the provider's rules grant for these attributes (group or attribute values)."""
    return {rule.role for rule in provider.role_rules
            if rule.value in _values(attributes.get(rule.attribute))}


def sign_in(provider: Provider, identity: Identity) -> User:
    """The account for ``identity``: linked before, matched by verified email, or new.

    Name, department and staff number follow the provider on every sign-in, and
    roles granted by the provider's rules are added. Raises ``SignInFailure``
    (``missing_email``, ``unverified_email``, ``inactive``); flushes, never commits.
    """
    link = db.session.execute(select(ExternalIdentity).where(
        ExternalIdentity.provider == provider.name,
        ExternalIdentity.subject == identity.subject)).scalar_one_or_none()
    if link is not None:
        user = link.user
    else:
        user, link = _link_or_create(provider, identity)
    if not user.is_active:
        raise SignInFailure("inactive", f"user {user.id} is deactivated")
    _update_profile(user, identity)
    _grant_roles(user, granted_roles(provider, identity.attributes))
    now = utcnow()
    link.last_sign_in_at = now
    user.last_login_at = now
    audit.record(user, "sso.sign_in", user, provider=provider.name)
    db.session.flush()
    return user


def _link_or_create(provider: Provider, identity: Identity) -> tuple[User, ExternalIdentity]:
    if not identity.email:
        raise SignInFailure("missing_email", "no email attribute")
    user = db.session.execute(
        select(User).where(User.email == identity.email)).scalar_one_or_none()
    if user is not None and not identity.email_verified:
        raise SignInFailure("unverified_email", "existing account, email not verified")
    if user is None:
        try:
            user = accounts.create_user(email=identity.email,
                                        name=identity.name or identity.email.split("@")[0])
        except DomainError as error:
            raise SignInFailure("missing_email", str(error)) from error
    else:
        # An existing account gains a way in: the owner is told by email and on the profile.
        security.sign_in_method_added(user, provider.label, detail=identity.email)
    link = ExternalIdentity(user_id=user.id, provider=provider.name, subject=identity.subject)
    db.session.add(link)
    return user, link


def _update_profile(user: User, identity: Identity) -> None:
    if identity.name:
        user.name = identity.name[:200]
    if identity.employee_id:
        user.employee_id = identity.employee_id[:64]
    if identity.department:
        department = department_named(identity.department)
        if user.department_id != department.id:
            user.department = department
            accounts.people_changed([user.id])


def department_named(name: str) -> Department:
    """The department called ``name`` (any letter case), created when there is none."""
    name = name.strip()[:200]
    department = db.session.execute(select(Department).where(
        func.lower(Department.name) == name.lower())).scalar_one_or_none()
    return department or accounts.create_department(name=name)


def _grant_roles(user: User, roles: Iterable[str]) -> None:
    missing = set(roles) - user.role_names
    if missing:
        role_map = accounts.ensure_roles()
        user.roles.extend(role_map[name] for name in sorted(missing))
        accounts.people_changed([user.id])


def end_sessions(provider: Provider, subject: str) -> User | None:
    """End every session of the person ``provider`` knows as ``subject`` (single logout).

    Rotating the session token signs them out everywhere, remember-me cookies
    too; an unknown subject changes nothing.
    """
    user = db.session.execute(select(User).join(ExternalIdentity).where(
        ExternalIdentity.provider == provider.name,
        ExternalIdentity.subject == subject)).scalar_one_or_none()
    if user is not None:
        user.session_token = new_session_token()
        audit.record(user, "sso.single_logout", user, provider=provider.name)
    return user
