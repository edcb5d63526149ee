"""Telling people about changes to how their account is signed in to.

Every password change and every new way to sign in is recorded in the audit
log against the account and emailed to it, so a change the person did not
make cannot go unnoticed. The profile page lists them (``sign_in_history``).
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.extensions import db
from lms.models import AuditEvent, User, utcnow
from lms.services import audit
from lms.services.accounts import passwords
from lms.services.errors import DomainError
from lms.services.mail import queue_for

PASSWORD_CHANGED = "account.password_changed"
SIGN_IN_METHOD_ADDED = "account.sign_in_method_added"
SECURITY_ACTIONS = (PASSWORD_CHANGED, SIGN_IN_METHOD_ADDED)

# How a password came to change, in the words the person reads.
PASSWORD_CHANGES = {
    "profile": _l("Your password was changed on your profile page."),
    "reset": _l("Your password was reset with a link sent to this address."),
    "invitation": _l("Your password was set for the first time with the invitation sent to "
                     "this address."),
}


def change_password(user: User, password: str, *, how: str) -> None:
    """Set ``user``'s password and tell them (``how`` is a key of ``PASSWORD_HOW``); a first
    password is also a new way to sign in. Raises ``DomainError`` for a short password."""
    first = user.password_hash is None
    try:
        passwords.set_password(user, password)
    except passwords.PasswordTooShort as error:
        raise DomainError(str(error), field="password") from error
    if first:
        sign_in_method_added(user, "password")
    _tell(user, PASSWORD_CHANGED, _l("Your Ally LMS password was changed"),
          what=PASSWORD_CHANGES[how], how=how)


def sign_in_method_added(user: User, method: str, *, detail: str = "") -> None:
    """Record and email that ``user`` can now sign in with ``method`` (``password``, or an
    identity provider's name with ``detail`` naming the identity)."""
    if method == "password":
        what = _l("You can now sign in with a password.")
    elif detail:
        what = _l("You can now sign in through %(method)s as %(detail)s.", method=method,
                  detail=detail)
    else:
        what = _l("You can now sign in through %(method)s.", method=method)
    _tell(user, SIGN_IN_METHOD_ADDED, _l("A new way to sign in to your Ally LMS account"),
          what=what, method=method, detail=detail)


def _tell(user: User, action: str, subject, *, what, **details) -> None:
    """Record the change (in the institution's default language) and email it to ``user``
    in theirs; ``subject`` and ``what`` are lazy messages."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        audit.record(user, action, user, what=str(what), **details)
    queue_for(user, subject, template="auth/email/security_notice.txt",
              kind="security_notice", user=user, what=what, when=utcnow())


def sign_in_history(user: User, limit: int = 20) -> list[AuditEvent]:
    """The latest password changes and new sign-in methods of ``user``, newest first."""
    return list(db.session.execute(
        select(AuditEvent).where(AuditEvent.action.in_(SECURITY_ACTIONS),
                                 AuditEvent.target_type == "User",
                                 AuditEvent.target_id == user.id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(limit)).scalars())
