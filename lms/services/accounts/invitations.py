"""Emailing people a link to set their first password."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.models import OutboxMessage, User
from lms.services.accounts.password_mail import queue_password_link
from lms.services.errors import DomainError


def send_invitation(user: User) -> OutboxMessage:
    """Queue a 'set your password' email valid for a week from when it is sent.

    Only for an account that has no password yet: a link that replaces someone's
    password is a reset, which only the person can ask for. Raises ``DomainError``
    otherwise. The link reaches only the person's mailbox (``password_mail``).
    """
    if user.password_hash is not None:
        raise DomainError(_("%(name)s already has a password. If they forgot it, they can "
                            "ask for a reset link on the sign-in page; nobody else can set it.",
                            name=user.name))
    return queue_password_link(user, "invite", _l("Your Ally LMS account"),
                               "auth/email/invite.txt", kind="invitation")
