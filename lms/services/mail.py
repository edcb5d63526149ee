"""Mail: everything is queued in the Outbox; a sender delivers it over SMTP.

Nothing else in the application talks to SMTP. Without ``MAIL_SERVER`` the
messages stay in the Outbox, readable by admins.
"""

from __future__ import annotations

import base64
import smtplib
from email import policy
from email.errors import MessageError
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from lms.extensions import db
from lms.models import OutboxMessage, utcnow

MAX_ATTEMPTS = 5


def queue_email(to: str, subject: str, body: str, *, kind: str = "general",
                dedupe_key: str | None = None, attachment: tuple[str, str, bytes] | None = None
                ) -> OutboxMessage | None:
    """Queue one message. With ``dedupe_key`` already queued, queue nothing and return None.

    ``attachment`` is ``(filename, mime type, bytes)``.
    """
    if dedupe_key is not None:
        exists = db.session.execute(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
        ).first()
        if exists:
            return None
    message = OutboxMessage(to_address=to, subject=subject, body_text=body, kind=kind,
                            dedupe_key=dedupe_key)
    if attachment is not None:
        name, mime, data = attachment
        message.attachment_name = name
        message.attachment_type = mime
        message.attachment_data = base64.b64encode(data).decode()
    db.session.add(message)
    db.session.flush()
    return message


def smtp_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def _as_email(message: OutboxMessage) -> EmailMessage:
    """The message as MIME; raises ``ValueError`` for a header that holds a line break.

    The ``SMTP`` policy refuses CR and LF in header values, so a name or title
    carrying them can never add headers (``Bcc:``) or split the message.
    """
    email = EmailMessage(policy=policy.SMTP)
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = f"<outbox-{message.id}@{_domain()}>"
    email.set_content(message.body_text)
    if message.attachment_data:
        mime = message.attachment_type or "application/octet-stream"
        maintype, _, subtype = mime.partition("/")
        email.add_attachment(base64.b64decode(message.attachment_data), maintype=maintype,
                             subtype=subtype, filename=message.attachment_name)
    return email


def _domain() -> str:
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    return sender.rpartition("@")[2] or "localhost"


def _connect() -> smtplib.SMTP:
    config = current_app.config
    if config["MAIL_USE_SSL"]:
        client: smtplib.SMTP = smtplib.SMTP_SSL(config["MAIL_SERVER"], config["MAIL_PORT"],
                                                timeout=30)
    else:
        client = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30)
        if config["MAIL_USE_TLS"]:
            client.starttls()
    if config.get("MAIL_USERNAME"):
        client.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return client


def deliver_pending(limit: int = 500) -> tuple[int, int]:
    """Send queued messages over SMTP; returns ``(sent, failed)``.

    Does nothing when SMTP is not configured. Each message is marked as it
    goes, so a crash half-way never sends one message twice.
    """
    if not smtp_configured():
        return (0, 0)
    pending = db.session.execute(
        select(OutboxMessage)
        .where(OutboxMessage.status == "queued", OutboxMessage.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).scalars().all()
    if not pending:
        return (0, 0)
    sent = failed = 0
    try:
        client = _connect()
    except (OSError, smtplib.SMTPException) as error:
        for message in pending:
            message.attempts += 1
            message.last_error = f"connect: {error}"[:500]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = "failed"
        db.session.flush()
        return (0, len(pending))
    with client:
        for message in pending:
            message.attempts += 1
            try:
                email = _as_email(message)
            except (ValueError, TypeError, MessageError) as error:
                # Building it will fail the same way every time: no retry.
                message.status = "failed"
                message.last_error = f"refused: {error}"[:500]
                failed += 1
                db.session.flush()
                continue
            try:
                client.send_message(email)
            except (OSError, smtplib.SMTPException) as error:
                message.last_error = str(error)[:500]
                if message.attempts >= MAX_ATTEMPTS:
                    message.status = "failed"
                failed += 1
            else:
                message.status = "sent"
                message.sent_at = utcnow()
                message.last_error = None
                sent += 1
            db.session.flush()
    return (sent, failed)
