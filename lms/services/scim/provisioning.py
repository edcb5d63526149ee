"""What a SCIM User or Group means for people, departments and cohorts.

A User provisions a person: ``userName`` (or the primary email) is the email,
``displayName`` or ``name`` the name, the enterprise extension's
``employeeNumber`` and ``department`` the staff number and department, and
``active`` whether the account works. Deprovisioning (``active`` false or a
DELETE) deactivates the account and ends all its sessions, but keeps the
person's record. A Group provisions a department or a cohort
(``LMS_SCIM_GROUPS``), and its members join it.
"""

from __future__ import annotations

import secrets
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from lms.extensions import db
from lms.models import Cohort, ScimResource, User, normalise_email
from lms.models.users import new_session_token
from lms.services import audit
from lms.services.accounts import people as accounts
from lms.services.sso.accounts import department_named

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


class ProvisioningConflict(Exception):
    """The email a User asks for belongs to another provisioned person."""


def _usable_email(value: str | None) -> str | None:
    if not value or "@" not in value:
        return None
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return None
    return normalise_email(value)


def _email_of(document: dict[str, Any]) -> str | None:
    emails = document.get("emails") or []
    primary = [e for e in emails if e.get("primary")] + emails
    candidates = [document.get("userName")] + [e.get("value") for e in primary]
    return next((email for email in map(_usable_email, candidates) if email), None)


def _name_of(document: dict[str, Any]) -> str:
    name = document.get("name") or {}
    joined = " ".join(part for part in (name.get("givenName"), name.get("familyName")) if part)
    return (document.get("displayName") or name.get("formatted") or joined
            or document.get("userName") or "Provisioned person").strip()[:200]


def provision_user(row: ScimResource, document: dict[str, Any]) -> User:
    """Create or update the person for a SCIM User; flushes, never commits.

    Raises ``ProvisioningConflict`` when the email belongs to someone provisioned
    under another SCIM resource.
    """
    email = _email_of(document)
    user = row.user
    if user is None and email:
        user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
        if user is not None and db.session.execute(select(ScimResource.id).where(
                ScimResource.user_id == user.id, ScimResource.id != row.id)).first():
            raise ProvisioningConflict(email)
    if user is None:
        # A unique address that can neither receive mail nor match an identity provider.
        placeholder = f"scim-user-{secrets.token_hex(8)}@no-email.invalid"
        user = User(email=email or placeholder, name=_name_of(document),
                    password_hash=None, joined_at=None)
        user.roles = [accounts.ensure_roles()["learner"]]
        db.session.add(user)
        db.session.flush()
        audit.record(None, "scim.user_create", user, scim_id=row.id)
    elif email and user.email != email:
        if accounts.email_taken(email, except_user_id=user.id):
            raise ProvisioningConflict(email)
        user.email = email
    row.user = user
    user.name = _name_of(document)
    enterprise = document.get(ENTERPRISE) or {}
    if enterprise.get("employeeNumber"):
        user.employee_id = str(enterprise["employeeNumber"])[:64]
    if enterprise.get("department"):
        user.department = department_named(str(enterprise["department"]))
    set_active(user, document.get("active") is not False)
    accounts.people_changed([user.id])
    db.session.flush()
    return user


def set_active(user: User, active: bool) -> None:
    """(De)activate ``user``; deactivating ends every session and remember-me cookie."""
    if user.is_active_account == active:
        return
    user.is_active_account = active
    if not active:
        user.session_token = new_session_token()
    audit.record(None, "scim.user_activate" if active else "scim.user_deactivate", user)


def deprovision_user(row: ScimResource) -> None:
    """A DELETE from the HR system: the person is deactivated and their record kept."""
    if row.user is not None:
        set_active(row.user, False)
        accounts.people_changed([row.user.id])


def provision_group(row: ScimResource, document: dict[str, Any], kind: str) -> None:
    """Create or rename the department or cohort for a SCIM Group and set its members."""
    name = (document.get("displayName") or "").strip()[:200] or f"Group {row.id}"
    member_ids = [int(m["value"]) for m in document.get("members") or []
                  if str(m.get("value", "")).isdigit()]
    members = list(db.session.execute(select(User).join(
        ScimResource, ScimResource.user_id == User.id).where(
        ScimResource.id.in_(member_ids))).scalars()) if member_ids else []
    if kind == "cohort":
        cohort = db.session.get(Cohort, row.cohort_id) if row.cohort_id else None
        if cohort is None:
            cohort = db.session.execute(select(Cohort).where(
                Cohort.name == name)).scalar_one_or_none() or accounts.create_cohort(name=name)
        cohort.name = name
        cohort.members = members
        row.cohort_id = cohort.id
    else:
        department = department_named(name)
        row.department_id = department.id
        for user in members:
            user.department = department
    accounts.people_changed([user.id for user in members])
    db.session.flush()
