"""Creating and changing accounts, departments and cohorts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import func, select

from lms import signals
from lms.extensions import db
from lms.models import ROLE_NAMES, Cohort, Department, Role, User, normalise_email, utcnow
from lms.models.users import new_session_token
from lms.services import audit
from lms.services.accounts import passwords
from lms.services.errors import DomainError


def people_changed(user_ids: Sequence[int]) -> None:
    """Tell the other areas (``signals.people_changed``) that these people were created or
    changed (department, roles, cohorts, active), e.g. so they get the modules their
    group must take."""
    signals.send(signals.people_changed, user_ids=user_ids)


def ensure_roles() -> dict[str, Role]:
    """Create the fixed roles if missing; return them by name."""
    existing = {r.name: r for r in db.session.execute(select(Role)).scalars()}
    for name in ROLE_NAMES:
        if name not in existing:
            existing[name] = Role(name=name)
            db.session.add(existing[name])
    db.session.flush()
    return existing


def email_taken(email: str, except_user_id: int | None = None) -> bool:
    query = select(User.id).where(User.email == normalise_email(email))
    if except_user_id is not None:
        query = query.where(User.id != except_user_id)
    return db.session.execute(query).first() is not None


def _check_identity(email: str, name: str) -> None:
    """Refuse an unusable email or a blank name (forms check too; the CLI relies on this)."""
    try:
        validate_email(normalise_email(email), check_deliverability=False)
    except EmailNotValidError as error:
        raise DomainError(_("That is not a valid email address (%(error)s).", error=error),
                          field="email") from error
    if not (name or "").strip():
        raise DomainError(_("Give the person's name."), field="name")
    if len(name.strip()) > 200:
        raise DomainError(_("Use at most 200 characters for the name."), field="name")


def create_user(*, email: str, name: str, actor: User | None = None,
                roles: Iterable[str] = ("learner",), department: Department | None = None,
                password: str | None = None, pronouns: str | None = None,
                cohorts: Iterable[Cohort] = ()) -> User:
    """Create an active account.

    Raises ``DomainError`` for an invalid or taken email, a blank name, an unknown role
    or a password that is too short.
    """
    _check_identity(email, name)
    roles = list(dict.fromkeys(roles))  # keep order, drop repeats
    if email_taken(email):
        raise DomainError(_("An account with this email already exists."), field="email")
    role_map = ensure_roles()
    unknown = set(roles) - set(role_map)
    if unknown:
        raise DomainError(_("Unknown role: %(roles)s.", roles=", ".join(sorted(unknown))),
                          field="roles")
    password_hash = None
    if password:
        try:
            password_hash = passwords.hash_password(password)
        except passwords.PasswordTooShort as error:
            raise DomainError(str(error), field="password") from error
    user = User(email=email, name=name.strip(), pronouns=pronouns or None,
                department=department, roles=[role_map[r] for r in roles],
                cohorts=list(cohorts), joined_at=utcnow(), password_hash=password_hash)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", user, email=user.email, roles=sorted(roles))
    people_changed([user.id])
    return user


def update_user(user: User, *, actor: User, name: str, email: str, roles: Iterable[str],
                department: Department | None, is_active: bool,
                cohorts: Iterable[Cohort] = ()) -> User:
    """Change an account; deactivating ends all of the person's sessions.

    Raises ``DomainError`` for an invalid or taken email, a blank name, another
    person's email when they have a password, or an admin removing their own admin
    role or deactivating themselves.
    """
    _check_identity(email, name)
    if email_taken(email, except_user_id=user.id):
        raise DomainError(_("Another account already uses this email."), field="email")
    if (normalise_email(email) != user.email and user.id != actor.id
            and user.password_hash is not None):
        # A reset link sent to an address the admin chose would hand them the account.
        raise DomainError(_("%(name)s has set a password, so their email address cannot "
                            "be changed here: a password link sent to a new address would "
                            "let whoever reads it take over the account.", name=user.name),
                          field="email")
    roles = set(roles)
    if user.id == actor.id and "admin" not in roles:
        raise DomainError(_("You cannot remove your own admin role."), field="roles")
    if user.id == actor.id and not is_active:
        raise DomainError(_("You cannot deactivate your own account."), field="is_active")
    role_map = ensure_roles()
    before = {"roles": sorted(user.role_names), "active": user.is_active_account,
              "department": user.department_id}
    user.name = name.strip()
    user.email = email
    user.roles = [role_map[r] for r in ROLE_NAMES if r in roles]
    user.department = department
    user.cohorts = list(cohorts)
    if user.is_active_account and not is_active:
        user.session_token = new_session_token()
    user.is_active_account = is_active
    db.session.flush()
    audit.record(actor, "user.update", user, before=before,
                 after={"roles": sorted(roles), "active": is_active,
                        "department": user.department_id})
    people_changed([user.id])
    return user


def create_department(*, name: str, actor: User | None = None, parent: Department | None = None,
                      lead: User | None = None) -> Department:
    """Add a department. Raises ``DomainError`` for a blank name or one already used
    (in any letter case: CSV imports match department names case-insensitively)."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the department a name."), field="name")
    if db.session.execute(
            select(Department.id).where(func.lower(Department.name) == name.lower())).first():
        raise DomainError(_("A department with this name already exists."), field="name")
    department = Department(name=name, parent=parent, lead=lead)
    db.session.add(department)
    db.session.flush()
    audit.record(actor, "department.create", department, name=name)
    return department


def create_cohort(*, name: str, actor: User | None = None, description: str = "") -> Cohort:
    """Add a cohort. Raises ``DomainError`` for a blank name or one already used (any case)."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the cohort a name."), field="name")
    if db.session.execute(
            select(Cohort.id).where(func.lower(Cohort.name) == name.lower())).first():
        raise DomainError(_("A cohort with this name already exists."), field="name")
    cohort = Cohort(name=name, description=description)
    db.session.add(cohort)
    db.session.flush()
    audit.record(actor, "cohort.create", cohort, name=name)
    return cohort
