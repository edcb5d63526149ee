"""Mail: everything is queued in the Outbox; a sender delivers it over SMTP.

Nothing else in the application talks to SMTP. Without ``MAIL_SERVER`` the
messages stay in the Outbox, readable by admins.

Every message to a person goes through :func:`queue_for`, which writes its subject,
body and attachment in that person's language (``lms.i18n.written_for``: their profile's
choice, an external participant's sign-up page, else the institution's default),
whoever's request or job sends it; dates inside follow (``lms.dates``).
"""

from __future__ import annotations

import base64
import smtplib
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from email import policy
from email.errors import MessageError
from email.message import EmailMessage

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import Row, insert, select, update
from sqlalchemy.orm import make_transient_to_detached

from lms.extensions import db
from lms.i18n import document_language, written_for
from lms.models import OutboxMessage, utcnow
from lms.services.upsert import dialect_insert

MAX_ATTEMPTS = 5


def render_email(template: str, **context) -> str:
    """The text of a message from ``template`` in the recipient's language: write it (and
    its subject) inside ``lms.i18n.written_for(recipient)``. Outside one, the institution's
    default language, whoever's request sends it; the dates inside (``lms.dates``) follow."""
    with force_locale(document_language()):
        return render_template(template, **context)


@dataclass(frozen=True)
class Recipient:
    """Someone to write to when no ``User`` is at hand (a job that read only the columns
    it needs): the address and the language chosen, if any."""

    email: str
    locale: str | None = None


def queue_for(recipient, subject, *, template: str | None = None, body=None,
              kind: str = "general", dedupe_key: str | None = None, attachment=None,
              to: str | None = None, **context) -> OutboxMessage | None:
    """Queue one message to ``recipient`` (a ``User``, an external participant, or anyone
    with ``email`` and ``locale``) written in their language.

    ``subject`` and ``body`` are lazy text (``lms.i18n.lazy_text``) or callables returning
    text, worked out inside ``written_for(recipient)``; with ``template``, the body is that
    email template rendered with ``context``. ``attachment`` is ``(filename, mime type,
    bytes)`` or a callable returning one (made in the recipient's language too). ``to``
    overrides the address. Otherwise like :func:`queue_email`.
    """
    with written_for(recipient):
        subject_text = str(subject() if callable(subject) else subject)
        if template is not None:
            text = render_email(template, **context)
        else:
            text = str(body() if callable(body) else body)
        attached = attachment() if callable(attachment) else attachment
    return queue_email(to or recipient.email, subject_text, text, kind=kind,
                       dedupe_key=dedupe_key, attachment=attached)


def queue_email(to: str, subject: str, body: str, *, kind: str = "general",
                dedupe_key: str | None = None, attachment: tuple[str, str, bytes] | None = None
                ) -> OutboxMessage | None:
    """Queue one message. With ``dedupe_key`` already queued, queue nothing and return None.

    ``attachment`` is ``(filename, mime type, bytes)``. The key is claimed by
    the insert itself (``ON CONFLICT DO NOTHING``), so two reminder runs at
    the same time queue a message once, and the later one neither fails nor
    sends it again.
    """
    values = {"to_address": to, "subject": subject, "body_text": body, "kind": kind,
              "dedupe_key": dedupe_key, "status": "queued", "attempts": 0,
              "created_at": utcnow()}
    if attachment is not None:
        name, mime, data = attachment
        values.update(attachment_name=name, attachment_type=mime,
                      attachment_data=base64.b64encode(data).decode())
    session = db.session()
    session.flush()  # what the session holds unwritten goes first, as a flush would
    if dedupe_key is None:
        message_id = session.connection().execute(_INSERT_MESSAGE, values).inserted_primary_key[0]
    else:
        insert = dialect_insert()(OutboxMessage.__table__).values(**values)
        message_id = session.connection().execute(
            insert.on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(OutboxMessage.__table__.c.id)).scalar()
    return None if message_id is None else _in_session(message_id, values)


_INSERT_MESSAGE = insert(OutboxMessage.__table__)
_UNSET_COLUMNS = dict.fromkeys(OutboxMessage.__table__.columns.keys())


def _in_session(message_id: int, values: dict) -> OutboxMessage:
    """The message just inserted, as a row of the session that knows every value it was
    written with: callers may change it (a ``secret_ref``) without it being read back."""
    message = OutboxMessage(**{**_UNSET_COLUMNS, **values, "id": message_id})
    make_transient_to_detached(message)
    db.session.add(message)
    return message


# app.extensions key: {secret kind: filler(message) -> the body with its secret filled in}.
SECRET_FILLERS_KEY = "lms.mail_secret_fillers"


def register_secret_filler(app, kind: str, filler: Callable[[OutboxMessage], str]) -> None:
    """Let an area fill in, at sending time, the secret of the messages whose
    ``secret_ref`` starts with ``kind:`` (the Outbox never stores the secret itself)."""
    app.extensions.setdefault(SECRET_FILLERS_KEY, {})[kind] = filler


def body_for_recipient(message: OutboxMessage | Row) -> str:
    """The text that goes to the recipient: the stored body with its secret filled in by
    the area that registered its kind. Call only on the way to the recipient's mailbox."""
    if not message.secret_ref:
        return message.body_text
    kind = message.secret_ref.partition(":")[0]
    return current_app.extensions[SECRET_FILLERS_KEY][kind](message)


def smtp_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def _as_email(message: OutboxMessage | Row) -> EmailMessage:
    """The message as MIME; raises ``ValueError`` for a header that holds a line break.

    The ``SMTP`` policy refuses CR and LF in header values, so a name or title
    carrying them can never add headers (``Bcc:``) or split the message.
    """
    email = EmailMessage(policy=policy.SMTP)
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = f"<outbox-{message.id}@{_domain()}>"
    email.set_content(body_for_recipient(message))
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


# A claim older than this belongs to a sender that died mid-message.
ABANDONED_AFTER = timedelta(minutes=30)
_CLAIMED = (OutboxMessage.id, OutboxMessage.to_address, OutboxMessage.subject,
            OutboxMessage.body_text, OutboxMessage.attachment_name,
            OutboxMessage.attachment_type, OutboxMessage.attachment_data,
            OutboxMessage.attempts, OutboxMessage.secret_ref)


def _claim_next(after_id: int) -> Row | None:
    """Claim the oldest queued message after ``after_id`` for this sender alone.

    One conditional ``UPDATE … RETURNING`` in its own committed transaction:
    a concurrent sender either skips the row (``FOR UPDATE SKIP LOCKED`` on
    PostgreSQL; SQLite runs writes one at a time) or finds it no longer
    queued, so each message is claimed once and its attempt is counted once.
    """
    candidate = (select(OutboxMessage.id)
                 .where(OutboxMessage.status == "queued",
                        OutboxMessage.attempts < MAX_ATTEMPTS,
                        OutboxMessage.id > after_id)
                 .order_by(OutboxMessage.id).limit(1)
                 .with_for_update(skip_locked=True)
                 .scalar_subquery())
    claim = (update(OutboxMessage)
             .where(OutboxMessage.id == candidate, OutboxMessage.status == "queued")
             .values(status="sending", claimed_at=utcnow(),
                     attempts=OutboxMessage.attempts + 1)
             .returning(*_CLAIMED))
    with db.engine.begin() as connection:
        return connection.execute(claim).first()


def _record(message_id: int, **values) -> None:
    """Write one message's outcome in its own transaction (it survives a later crash)."""
    with db.engine.begin() as connection:
        connection.execute(update(OutboxMessage).where(OutboxMessage.id == message_id)
                           .values(claimed_at=None, **values))


def _retry_or_fail(message: Row, error: str) -> None:
    _record(message.id, last_error=error[:500],
            status="failed" if message.attempts >= MAX_ATTEMPTS else "queued")


def _fail_abandoned_claims() -> None:
    """Messages a crashed sender left "sending" may have gone out: never send them again."""
    with db.engine.begin() as connection:
        connection.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == "sending",
                   OutboxMessage.claimed_at < utcnow() - ABANDONED_AFTER)
            .values(status="failed", claimed_at=None,
                    last_error="The sender stopped while sending; it may have arrived."))


def deliver_pending(limit: int = 500) -> tuple[int, int]:
    """Send up to ``limit`` queued messages over SMTP; returns ``(sent, failed)``.

    Does nothing when SMTP is not configured. Each message is claimed
    atomically before it is sent (see ``_claim_next``) and its outcome is
    written at once, so senders running at the same time (cron and the
    admin's "deliver now") never send a message twice, and a crash half-way
    never re-sends what went out. Claims and outcomes are committed on their
    own connection for that reason: call this with no unsaved writes pending
    in the session. A message whose headers cannot be built is failed with
    the reason and the others still go out; when the server cannot be
    reached, the claimed message is put back and the run stops.
    """
    if not smtp_configured():
        return (0, 0)
    _fail_abandoned_claims()
    sent = failed = last_id = 0
    client: smtplib.SMTP | None = None
    try:
        while sent + failed < limit:
            message = _claim_next(last_id)
            if message is None:
                break
            last_id = message.id
            try:
                email = _as_email(message)
            except (ValueError, TypeError, MessageError) as error:
                # Building it will fail the same way every time: no retry.
                _record(message.id, status="failed", last_error=f"refused: {error}"[:500])
                failed += 1
                continue
            if client is None:
                try:
                    client = _connect()
                except (OSError, smtplib.SMTPException) as error:
                    _retry_or_fail(message, f"connect: {error}")
                    return (sent, failed + 1)
            try:
                client.send_message(email)
            except (OSError, smtplib.SMTPException) as error:
                _retry_or_fail(message, str(error))
                failed += 1
            else:
                _record(message.id, status="sent", sent_at=utcnow(), last_error=None)
                sent += 1
    finally:
        if client is not None:
            with suppress(OSError, smtplib.SMTPException):
                client.quit()
        db.session.expire_all()  # the session's copies of these rows are out of date
    return (sent, failed)
