"""Mail that carries a secret: links that set a password.

Anyone who holds such a link can take over the account, so the link is never
stored. The Outbox keeps the message with ``HIDDEN_LINK`` where the link goes
and ``secret_ref`` saying which link it is (``password:reset:42``); the
sender mints a fresh link when it hands the message to the SMTP server, so
the link exists only in the recipient's mailbox. Admins reading the Outbox
see that a link was sent, never the link.

Without a mail server, ``development_links`` shows a person's links on the
command line; it refuses in production.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from lms.extensions import db
from lms.models import OutboxMessage, User, normalise_email
from lms.services import notifications
from lms.services.accounts import passwords
from lms.services.errors import DomainError
from lms.services.mail import body_for_recipient, queue_for

HIDDEN_LINK = "[private link: sent only to the recipient's mailbox, never shown here]"
EXPIRED_LINK = ("[this link is no longer available: ask for a new one on the sign-in page, "
                "under 'Forgot your password?']")


def queue_password_link(user: User, purpose: str, subject, template: str, *,
                        kind: str) -> OutboxMessage:
    """Queue ``template`` for ``user``, in their language (``subject`` is best a lazy
    message), with a password link for ``purpose`` (``reset`` or ``invite``) that is made
    only when the message is sent."""
    if purpose not in passwords.TOKEN_PURPOSES:
        raise ValueError(f"unknown password-link purpose {purpose!r}")
    message = queue_for(user, subject, template=template, kind=kind, user=user,
                        link=HIDDEN_LINK)
    message.secret_ref = f"password:{purpose}:{user.id}"
    db.session.flush()
    return message


def _password_link(message: OutboxMessage) -> str:
    _, purpose, user_id = message.secret_ref.split(":")
    user = db.session.get(User, int(user_id))
    if (user is None or not user.is_active or user.email != message.to_address
            or purpose not in passwords.TOKEN_PURPOSES
            or (purpose == "invite" and user.password_hash is not None)):
        return EXPIRED_LINK
    # Made outside any request too (``flask mail deliver``).
    return notifications.url("auth.reset_password",
                             token=passwords.make_reset_token(user, purpose=purpose))


def fill_password_link(message: OutboxMessage) -> str:
    """``message``'s body with a freshly made password link where ``HIDDEN_LINK`` stands
    (registered with the mail sender for ``password:`` secrets by the auth area)."""
    return message.body_text.replace(HIDDEN_LINK, _password_link(message))


def development_links(email: str) -> list[tuple[OutboxMessage, str]]:
    """Every queued message to ``email`` that carries a link, with the link filled in:
    how a developer without a mail server reads their own links.

    Raises ``DomainError`` in production and when a mail server is configured (then the
    links are in the mailbox)."""
    if current_app.config["LMS_ENV"] == "production":
        raise DomainError(_("Links are never shown in production; they go by email only."))
    if current_app.config.get("MAIL_SERVER"):
        raise DomainError(_("A mail server is configured: the links are in the mailbox."))
    messages = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.to_address == normalise_email(email),
                                    OutboxMessage.secret_ref.is_not(None))
        .order_by(OutboxMessage.id)).scalars()
    return [(message, body_for_recipient(message)) for message in messages]
