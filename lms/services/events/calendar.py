"""Calendar files (RFC 5545) for offerings, and each person's private feed.

Each offering has one stable UID; its SEQUENCE rises on every change and a
cancelled offering is served with ``STATUS:CANCELLED``, so a calendar that
imported or subscribed to it updates its copy instead of adding another.
The call link appears only in calendars of people holding a seat.

The words of an event (its description, "Cancelled:") are in the reader's language: the
recipient's for an emailed invitation (``lms.i18n.written_for``), the feed owner's for a
feed, the page's for a download. Dates and times stay machine dates (UTC, RFC 5545).
"""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from icalendar import Calendar, Event, vCalAddress
from icalendar.parser import Contentline
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.extensions import db
from lms.i18n import language_of, written_for
from lms.models import CalendarFeed, ExternalParticipant, Offering, Registration, User, utcnow
from lms.models.events import CANCELLED, DROP_IN, REGISTERED, WAITLISTED, new_feed_token
from lms.services import audit, personal_cache

PRODID = "-//Ally LMS//Live sessions//EN"
ICS_MIME = "text/calendar"
# RFC 5545 folds content lines longer than this many octets.
FOLD_OCTETS = 75


def external_url(endpoint: str, **values) -> str:
    """An absolute URL on ``LMS_BASE_URL``; works in requests and in CLI jobs alike."""
    base = current_app.config["LMS_BASE_URL"].rstrip("/")
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        with current_app.test_request_context("/"):
            path = url_for(endpoint, **values)
    return base + path


def _host() -> str:
    return urlsplit(current_app.config["LMS_BASE_URL"]).hostname or "ally-lms.invalid"


def offering_uid(offering: Offering) -> str:
    """Stable for the life of the offering, whatever changes about it."""
    return f"offering-{offering.id}@{_host()}"


def _organizer() -> vCalAddress:
    address = vCalAddress(f"mailto:{current_app.config['MAIL_DEFAULT_SENDER']}")
    address.params["cn"] = current_app.config["LMS_INSTITUTION_NAME"]
    return address


def offering_event(offering: Offering, *, include_link: bool, status: str | None = None,
                   attendee: User | ExternalParticipant | None = None) -> Event:
    """One VEVENT for ``offering``. ``status`` overrides CONFIRMED/CANCELLED (e.g. TENTATIVE
    for a waitlist place); ``attendee`` is added for emailed invitations."""
    training = offering.training
    page = external_url("events.offering", offering_id=offering.id)
    where: list[str] = []
    if offering.location:
        where.append(offering.location)
    if offering.video_url:
        where.append(offering.video_url if include_link else _(
            "Video call (link on the session page once you have a seat)"))
    description = [training.description.strip()] if training.description else []
    if offering.video_url and include_link:
        description.append(_("Join the call: %(link)s", link=offering.video_url))
    if offering.fee_note:
        description.append(_("Fee: %(fee)s", fee=offering.fee_note))
    description.append(_("Details and your registration: %(link)s", link=page))

    event = Event()
    event.add("uid", offering_uid(offering))
    event.add("dtstamp", utcnow())
    event.add("dtstart", offering.starts_at)
    event.add("dtend", offering.ends_at)
    event.add("summary", _("Cancelled: %(title)s", title=training.title)
              if offering.status == CANCELLED else training.title)
    event.add("description", "\n\n".join(description))
    if where:
        event.add("location", " · ".join(where))
    event.add("url", page)
    event.add("sequence", offering.sequence or 0)
    event.add("status", "CANCELLED" if offering.status == CANCELLED else (status or "CONFIRMED"))
    event.add("organizer", _organizer())
    if offering.created_at:
        event.add("created", offering.created_at)
    if offering.updated_at:
        event.add("last-modified", offering.updated_at)
    if attendee is not None:
        who = vCalAddress(f"mailto:{attendee.email}")
        who.params["cn"] = attendee.name
        who.params["role"] = "REQ-PARTICIPANT"
        who.params["partstat"] = "ACCEPTED"
        who.params["rsvp"] = "FALSE"
        event.add("attendee", who)
    return event


def _calendar(method: str | None, name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", current_app.config["LMS_TIMEZONE"])
        # Ask subscribing clients to refresh hourly (Outlook and Apple honour these).
        calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
    return calendar


def calendar_bytes(calendar: Calendar) -> bytes:
    """``calendar.to_ical()``, with each long line folded once per process.

    The calendar library folds a long line character by character, and an offering's
    description and location come back in every invitation and feed it is in. Folding is
    a function of the line alone, so a line folded before is folded the same way again.
    """
    return b"\r\n".join(_folded(line) for line in calendar.content_lines() if line) + b"\r\n"


def _folded(line: str) -> bytes:
    text = line.encode()
    return text if len(text) < FOLD_OCTETS else _fold_long(str(line))


@lru_cache(maxsize=1024)
def _fold_long(line: str) -> bytes:
    return Contentline(line).to_ical()


def offering_ics(offering: Offering, *, include_link: bool, status: str | None = None) -> bytes:
    """A downloadable .ics with the one offering (METHOD:PUBLISH); ``status`` as in
    ``offering_event`` (TENTATIVE for someone on the waitlist)."""
    calendar = _calendar("PUBLISH")
    calendar.add_component(offering_event(offering, include_link=include_link, status=status))
    return calendar_bytes(calendar)


def invitation_ics(registration: Registration) -> bytes:
    """The .ics attached to emails: REQUEST for a place, CANCEL for a cancelled offering."""
    offering = registration.offering
    cancelled = offering.status == CANCELLED
    calendar = _calendar("CANCEL" if cancelled else "REQUEST")
    calendar.add_component(offering_event(
        offering, include_link=registration.status in (REGISTERED, DROP_IN),
        attendee=registration.person))
    return calendar_bytes(calendar)


def feed_for(user: User) -> CalendarFeed:
    """The person's feed, created on first use."""
    feed = db.session.execute(
        select(CalendarFeed).where(CalendarFeed.user_id == user.id)).scalar_one_or_none()
    if feed is None:
        feed = CalendarFeed(user_id=user.id, token=new_feed_token())
        db.session.add(feed)
        db.session.flush()
    return feed


def regenerate_feed(user: User) -> CalendarFeed:
    """Give the person a new feed URL; the old one stops working at once."""
    feed = feed_for(user)
    feed.token = new_feed_token()
    feed.created_at = utcnow()
    feed.last_used_at = None
    db.session.flush()
    audit.record(user, "calendar_feed.regenerate", feed)
    return feed


def feed_owner(token: str):
    """The id and chosen language (``id``, ``locale``) of the active person whose current
    feed token this is, else None: all a feed needs to know about its owner."""
    if not token or len(token) > 64:
        return None
    return db.session.execute(
        select(User.id, User.locale).join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token == token, User.is_active_account.is_(True))).first()


def feed_ics(owner) -> bytes:
    """Every place ``owner`` (a person, or ``feed_owner``'s answer) holds or waits for
    (past 90 days and upcoming), as a calendar.

    Cancelled offerings stay in the feed as STATUS:CANCELLED so subscribed
    calendars strike them out rather than silently losing them.
    """
    since = utcnow() - timedelta(days=90)
    places = db.session.execute(
        select(Registration.status, Offering).join(Registration.offering)
        .options(joinedload(Offering.training))
        .where(Registration.user_id == owner.id,
               Registration.status.in_((REGISTERED, WAITLISTED, DROP_IN)),
               Offering.ends_at > since)
        .order_by(Offering.starts_at)).all()
    with written_for(owner):  # the feed's owner reads it, whoever's client fetches it
        calendar = _calendar("PUBLISH", name=_(
            "%(institution)s: my live sessions",
            institution=current_app.config["LMS_INSTITUTION_NAME"]))
        for status, offering in places:
            calendar.add_component(offering_event(
                offering, include_link=status in (REGISTERED, DROP_IN),
                status="TENTATIVE" if status == WAITLISTED else "CONFIRMED"))
    return calendar_bytes(calendar)


def kept_feed_ics(owner) -> bytes:
    """``feed_ics``, kept for the person until something it shows changes.

    Calendar apps fetch the same feed again and again. The copy is kept per person and
    language in ``personal_cache``: their own registrations move their generation, and
    offerings, trainings and seat changes move everyone's, after each commit.
    """
    return personal_cache.cached(owner.id, f"events:feed:{language_of(owner)}",
                                 lambda: feed_ics(owner))
