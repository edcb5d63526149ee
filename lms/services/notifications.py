"""In-app notifications, email preferences and the daily digest.

Any area may notify a person with ``notify``; the navigation shows the
unread count (``unread_count``, one COUNT query). Email goes through the
Outbox like all mail. Notification text names people, modules and
challenges, never the words of a reflection or of feedback: the Outbox is
readable by admins, who must not see reflection text.

A notification is kept as a :class:`Notice`: the catalogue's message and the values put
into it (names, titles, counts, days), and is worded when it is read
(:func:`shown_text`), in the reader's language of that moment. Storing the words
already translated would fix them in the language the person had when it was written:
someone who switches to Spanish would keep reading their list in English, a catalogue
correction would never reach rows already written, and a day in it would stay written
the old way. The English text is stored too (``text``), for rows written before and for
anyone reading the table directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext, lazy_ngettext, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from lms import dates, localtime
from lms.extensions import db
from lms.models import EMAIL_CHOICES, Notification, NotificationPreference, User, utcnow
from lms.services.errors import DomainError
from lms.services.mail import queue_for

NEW_SUBMISSION = "new_submission"
FEEDBACK = "feedback"
REVIEW_REMINDER = "review_reminder"


def path_for(endpoint: str, **values) -> str:
    """A site-relative URL for ``endpoint``; works without a request (CLI jobs)."""
    adapter = current_app.url_map.bind("localhost")
    return adapter.build(endpoint, values)


def absolute(path: str) -> str:
    """``path`` on the public address, for links in emails."""
    return current_app.config["LMS_BASE_URL"].rstrip("/") + path


def url(endpoint: str, **values) -> str:
    """An absolute URL for ``endpoint``, for emails."""
    return absolute(path_for(endpoint, **values))


def N_(message: str) -> str:  # noqa: N802 - the name the message extractor looks for
    """Mark ``message`` for the catalogue; it is translated when a notification is read."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - as N_
    """Mark a message with a count, in its singular and plural, for the catalogue."""
    return singular, plural


# Where a counted notice keeps, among its stored params, its plural message and the name
# of the param that counts (rows written before have neither and read as before).
PLURAL_PARAM = "_plural"
COUNT_PARAM = "_count"


@dataclass(frozen=True)
class Notice:
    """A notification's words: ``message`` (an English catalogue message marked with
    :func:`N_`, with ``%(name)s`` placeholders) and the values that fill it. A
    ``datetime.date`` value is kept as its ISO day and written as the reader's language
    writes days. A message with a count (marked with :func:`NP_`) also has its ``plural``
    and the name of the value that is the ``count``; the reader's language chooses the
    form."""

    message: str
    params: dict[str, Any] = field(default_factory=dict)
    plural: str | None = None
    count: str | None = None

    @classmethod
    def counted(cls, forms: tuple[str, str], count: str, params: dict[str, Any]) -> Notice:
        """A notice whose words depend on ``params[count]``: ``forms`` from :func:`NP_`."""
        return cls(forms[0], params, plural=forms[1], count=count)

    def stored_params(self) -> dict[str, Any]:
        stored = {key: {"date": _day_of(value).isoformat()} if isinstance(value, date)
                  else value for key, value in self.params.items()}
        if self.plural is not None:
            stored.update({PLURAL_PARAM: self.plural, COUNT_PARAM: self.count})
        return stored

    def __str__(self) -> str:
        """The words in the current language (the reader's, or the document's)."""
        return _worded(self.message, self.stored_params())


def _day_of(value: date) -> date:
    return localtime.local_date(value) if isinstance(value, datetime) else value


def _worded(message: str, params: dict[str, Any]) -> str:
    values = {key: dates.format_date(date.fromisoformat(value["date"]))
              if isinstance(value, dict) and "date" in value else value
              for key, value in params.items() if key not in (PLURAL_PARAM, COUNT_PARAM)}
    if PLURAL_PARAM in params:
        return ngettext(message, params[PLURAL_PARAM], int(values[params[COUNT_PARAM]]),
                        **values)
    return gettext(message, **values)


def shown_text(notification: Notification) -> str:
    """``notification``'s words in the reader's language; a row written before notices
    were kept as messages shows the text it was written with."""
    if not notification.message:
        return notification.text
    try:
        return _worded(notification.message, notification.params or {})
    except (KeyError, ValueError, TypeError):  # a message whose placeholders changed since
        return notification.text


def notify(user: User | int, kind: str, text: str | Notice, link: str = "", *,
           ref: str | None = None) -> Notification | None:
    """Add a notification for ``user``: a :class:`Notice`, worded when it is read, or
    fixed text. With ``ref`` already notified for ``kind``, add nothing and return None,
    so callers may run twice safely."""
    user_id = user if isinstance(user, int) else user.id
    if ref is not None and db.session.execute(select(Notification.id).where(
            Notification.user_id == user_id, Notification.kind == kind,
            Notification.ref == ref)).first():
        return None
    message = params = None
    if isinstance(text, Notice):
        message, params = text.message, text.stored_params()
        with force_locale("en"):  # the stored text reads as the catalogue's own words
            text = str(text)
    notification = Notification(user_id=user_id, kind=kind, text=text[:500], link=link,
                                ref=ref, message=message, params=params, created_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(notification)
    except IntegrityError:
        return None  # the same notification was added a moment ago
    return notification


def unread_count(user: User) -> int:
    """How many of ``user``'s notifications are unread (one COUNT query)."""
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def for_user(user: User, page: int = 1, per_page: int = 30):
    """``user``'s notifications, newest first, as a Flask-SQLAlchemy page."""
    return db.paginate(select(Notification).where(Notification.user_id == user.id)
                       .order_by(Notification.created_at.desc(), Notification.id.desc()),
                       page=page, per_page=per_page, error_out=False)


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()


def mark_all_read(user: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many changed."""
    result = db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow()))
    return result.rowcount


def email_choice(user: User) -> str:
    """``immediate`` (the default) or ``digest``: how ``user`` hears about new submissions."""
    choice = db.session.scalar(select(NotificationPreference.submission_emails).where(
        NotificationPreference.user_id == user.id))
    return choice or "immediate"


def email_choices(user_ids: list[int]) -> dict[int, str]:
    """The email choice of each of ``user_ids`` in one query."""
    if not user_ids:
        return {}
    stored = dict(db.session.execute(select(
        NotificationPreference.user_id, NotificationPreference.submission_emails)
        .where(NotificationPreference.user_id.in_(user_ids))).all())
    return {uid: stored.get(uid, "immediate") for uid in user_ids}


def set_email_choice(user: User, choice: str) -> None:
    """Store ``user``'s choice. Raises ``DomainError`` for an unknown choice."""
    if choice not in EMAIL_CHOICES:
        raise DomainError("Choose immediately or a daily digest.", field="submission_emails")
    preference = db.session.get(NotificationPreference, user.id)
    if preference is None:
        preference = NotificationPreference(user_id=user.id)
        db.session.add(preference)
    preference.submission_emails = choice
    db.session.flush()


def send_digests() -> int:
    """Email each person one digest of their new-submission notifications not yet emailed.

    At most one digest per person per local day (a second run the same day
    queues nothing; what arrives later waits for tomorrow's digest). Returns
    the number of emails queued.
    """
    now = utcnow()
    pending = db.session.execute(
        select(Notification, User).join(User, User.id == Notification.user_id)
        .where(Notification.kind == NEW_SUBMISSION, Notification.emailed_at.is_(None),
               User.is_active_account.is_(True))
        .order_by(Notification.user_id, Notification.created_at)).all()
    people: dict[int, User] = {}
    by_user: dict[int, list[Notification]] = {}
    for notification, user in pending:
        people[user.id] = user
        by_user.setdefault(user.id, []).append(notification)
    queued = 0
    for user_id, notifications in by_user.items():
        user = people[user_id]
        message = queue_for(
            user, lazy_ngettext("Reflections to review: %(num)s new",
                                "Reflections to review: %(num)s new", len(notifications)),
            body=lambda user=user, notifications=notifications: _digest(user, notifications),
            kind="review_digest",
            dedupe_key=f"review-digest:{user.id}:{localtime.local_date(now)}")
        if message is None:
            continue  # today's digest went out already
        db.session.execute(update(Notification).where(
            Notification.id.in_([n.id for n in notifications])).values(emailed_at=now))
        queued += 1
    db.session.flush()
    return queued


def _digest(user: User, notifications: list[Notification]) -> str:
    """The digest's text, in the language it is being written in."""
    lines = [f"- {shown_text(n)} ({dates.format_datetime(n.created_at, 'day_month')})"
             for n in notifications]
    return (_("Hello %(name)s,", name=user.name) + "\n\n"
            + ngettext("%(num)d reflection arrived for you to review since your last digest:",
                       "%(num)d reflections arrived for you to review since your last digest:",
                       len(notifications))
            + "\n\n" + "\n".join(lines) + "\n\n"
            + _("Your review queue: %(link)s", link=url("review.queue")) + "\n\n"
            + _("You get this daily digest because you chose it in your notification "
                "settings: %(link)s", link=url("review.notifications")) + "\n")
