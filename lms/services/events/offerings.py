"""Live sessions: trainings, offerings and the questions other areas ask about them.

Registration, waitlist and attendance live in ``event_registration``; calendars
in ``event_calendar``; email in ``event_mail``; the raffle in ``event_raffle``;
team requests in ``team_requests``. Everything here flushes, never commits.

Times are stored in UTC. Forms speak the institution's local time
(``LMS_TIMEZONE``); ``local_to_utc`` converts, refusing wall-clock times that a
daylight-saving change skips.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from lms.content.kinds.live import attended_training_slugs as attended_training_slugs
from lms.dates import countdown, format_date
from lms.extensions import db
from lms.localtime import today as local_today
from lms.localtime import utc_to_local as utc_to_local
from lms.localtime import zone as institution_zone
from lms.models import (
    Department,
    EngagementWeek,
    Offering,
    Registration,
    Training,
    User,
    utcnow,
)
from lms.models.events import (
    ACTIVE_STATUSES,
    AUDIENCES,
    CANCELLED,
    DEPARTMENT,
    INTERNAL,
    MODES,
    REGISTERED,
    SCHEDULED,
    WAITLISTED,
    training_facilitators,
)
from lms.services import audit
from lms.services.errors import DomainError

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# --- time ------------------------------------------------------------------------------------

def local_to_utc(value: datetime, field_name: str | None = None) -> datetime:
    """A naive wall-clock time in the institution's zone as an aware UTC datetime.

    Raises ``DomainError`` (at ``field_name``) for a time the clocks skip.
    """
    zone = institution_zone()
    aware = value.replace(tzinfo=zone)
    round_trip = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != value:
        raise DomainError(_("%(time)s on %(day)s does not exist in %(zone)s: the clocks change "
                            "that night. Choose another time.", time=value.strftime("%H:%M"),
                            day=format_date(value.date()), zone=zone.key), field=field_name)
    return aware.astimezone(UTC)


def countdown_text(moment: datetime, now: datetime | None = None) -> str:
    """Plain words for how far away ``moment`` is: "in 3 days", "in 5 hours", "now"
    (``lms.dates.countdown``, in the reader's language)."""
    return countdown(moment, now or utcnow())


# --- trainings -------------------------------------------------------------------------------

@dataclass
class TrainingData:
    title: str
    slug: str = ""
    description: str = ""
    series: str | None = None
    part: int | None = None
    related_module_slugs: list[str] = field(default_factory=list)
    facilitator_ids: list[int] = field(default_factory=list)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:100]


def parse_slug_list(text: str) -> list[str]:
    """Module slugs from a comma/space/newline separated string, de-duplicated in order.

    Raises ``DomainError`` at ``related_modules`` for a malformed slug.
    """
    slugs: list[str] = []
    for part in re.split(r"[\s,]+", text or ""):
        part = part.strip().lower()
        if not part:
            continue
        if not SLUG_RE.match(part):
            raise DomainError(_("“%(slug)s” is not a module slug (lower-case letters, digits "
                                "and hyphens).", slug=part), field="related_modules")
        if part not in slugs:
            slugs.append(part)
    return slugs


def _facilitators(ids: Iterable[int]) -> list[User]:
    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    users = list(db.session.execute(select(User).where(User.id.in_(ids))).scalars())
    if len(users) != len(ids):
        raise DomainError(_("One of the facilitators no longer exists."), field="facilitator_ids")
    return users


def _apply_training(training: Training, data: TrainingData) -> None:
    title = (data.title or "").strip()
    if not title:
        raise DomainError(_("Give the training a title."), field="title")
    slug = (data.slug or "").strip().lower() or slugify(title)
    if not SLUG_RE.match(slug):
        raise DomainError(_("Use lower-case letters, digits and hyphens, e.g. "
                          "psychological-safety."), field="slug")
    taken = db.session.execute(
        select(Training.id).where(Training.slug == slug, Training.id != (training.id or -1))
    ).first()
    if taken:
        raise DomainError(_("Another training already uses this slug."), field="slug")
    if data.part is not None and data.part < 1:
        raise DomainError(_("The part number starts at 1."), field="part")
    training.title = title
    training.slug = slug
    training.description = (data.description or "").strip()
    training.series = (data.series or "").strip() or None
    training.part = data.part
    training.related_module_slugs = list(data.related_module_slugs)
    training.facilitators = _facilitators(data.facilitator_ids)


def create_training(data: TrainingData, *, actor: User | None) -> Training:
    """Create a training. Raises ``DomainError`` for a missing title or a taken/bad slug."""
    training = Training()
    _apply_training(training, data)
    db.session.add(training)
    db.session.flush()
    audit.record(actor, "training.create", training, slug=training.slug)
    return training


def update_training(training: Training, data: TrainingData, *, actor: User | None) -> Training:
    """Change a training. A new title or description raises the calendar SEQUENCE of its
    offerings, because their calendar entries show it. Raises ``DomainError`` like create."""
    before = (training.title, training.description)
    _apply_training(training, data)
    if (training.title, training.description) != before:
        db.session.execute(
            update(Offering).where(Offering.training_id == training.id)
            .values(sequence=Offering.sequence + 1)
            .execution_options(synchronize_session="fetch"))
    db.session.flush()
    audit.record(actor, "training.update", training, slug=training.slug)
    return training


def training_by_slug(slug: str) -> Training | None:
    return db.session.execute(select(Training).where(Training.slug == slug)).scalar_one_or_none()


# --- offerings -------------------------------------------------------------------------------

@dataclass
class OfferingData:
    """What an admin states about an offering; times are aware UTC datetimes."""

    starts_at: datetime
    ends_at: datetime
    capacity: int
    mode: str = "in_person"
    location: str | None = None
    video_url: str | None = None
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    audience: str = INTERNAL
    department_id: int | None = None
    fee_note: str | None = None
    fee_cents: int | None = None
    rsvp_required: bool = True
    engagement_week_id: int | None = None
    notes: str = ""


# Changes to these are worth an email with the updated calendar entry.
ATTENDEE_FIELDS = ("starts_at", "ends_at", "mode", "location", "video_url")
EDITABLE_FIELDS = ATTENDEE_FIELDS + (
    "registration_opens_at", "registration_closes_at", "audience", "department_id",
    "fee_note", "fee_cents", "rsvp_required", "engagement_week_id", "notes")


def _clean(data: OfferingData) -> OfferingData:
    """Validate and normalise; raises ``DomainError`` at the field at fault."""
    data.location = (data.location or "").strip() or None
    data.video_url = (data.video_url or "").strip() or None
    data.fee_note = (data.fee_note or "").strip() or None
    data.notes = (data.notes or "").strip()
    if data.starts_at is None:
        raise DomainError(_("Give the start date and time."), field="starts_at")
    if data.ends_at is None:
        raise DomainError(_("Give the end date and time."), field="ends_at")
    # Calendars keep whole seconds; store what they will show.
    data.starts_at = data.starts_at.replace(microsecond=0)
    data.ends_at = data.ends_at.replace(microsecond=0)
    if data.ends_at <= data.starts_at:
        raise DomainError(_("The session must end after it starts."), field="ends_at")
    if data.ends_at - data.starts_at > timedelta(hours=24):
        raise DomainError(_("A session can last at most 24 hours; add one offering per day."),
                          field="ends_at")
    if data.capacity is None or data.capacity < 1:
        raise DomainError(_("Capacity must be at least 1."), field="capacity")
    if data.mode not in MODES:
        raise DomainError(_("Choose how people take part."), field="mode")
    if data.mode in ("in_person", "hybrid") and not data.location:
        raise DomainError(_("Give the room for a session on campus."), field="location")
    if data.mode in ("virtual", "hybrid") and not data.video_url:
        raise DomainError(_("Give the video call link."), field="video_url")
    if data.video_url and not re.match(r"^https://\S+$", data.video_url):
        raise DomainError(_("The video link must start with https://."), field="video_url")
    if data.mode == "in_person":
        data.video_url = None
    if data.mode == "virtual":
        data.location = None
    if data.audience not in AUDIENCES:
        raise DomainError(_("Choose who may register."), field="audience")
    if data.audience == DEPARTMENT:
        if not data.department_id or db.session.get(Department, data.department_id) is None:
            raise DomainError(_("Choose the department this session is for."),
                              field="department_id")
    else:
        data.department_id = None
    if data.fee_cents is not None and not 0 <= data.fee_cents <= 10_000_000:
        raise DomainError(_("Give a fee from 0 to 100,000."), field="fee")
    if data.audience != "open":
        data.fee_note = None
        data.fee_cents = None
    opens, closes = data.registration_opens_at, data.registration_closes_at
    if closes is not None and closes > data.ends_at:
        raise DomainError(_("Registration must close before the session ends."),
                          field="registration_closes_at")
    if opens is not None and opens >= (closes or data.starts_at):
        raise DomainError(_("Registration must open before it closes (and before the session "
                          "starts)."), field="registration_opens_at")
    if data.engagement_week_id is not None and \
            db.session.get(EngagementWeek, data.engagement_week_id) is None:
        raise DomainError(_("That event week no longer exists."), field="engagement_week_id")
    return data


def create_offering(training: Training, data: OfferingData, *, actor: User | None) -> Offering:
    """Schedule a new offering of ``training``. Raises ``DomainError`` for invalid data
    (end before start, capacity below 1, a missing room or link, ...)."""
    data = _clean(data)
    offering = Offering(training=training, capacity=data.capacity, seats_taken=0,
                        waitlist_counter=0, sequence=0, status=SCHEDULED)
    for name in EDITABLE_FIELDS:
        setattr(offering, name, getattr(data, name))
    db.session.add(offering)
    db.session.flush()
    audit.record(actor, "offering.create", offering, training=training.slug,
                 starts_at=offering.starts_at.isoformat())
    return offering


def update_offering(offering: Offering, data: OfferingData, *, actor: User | None
                    ) -> list[str]:
    """Change an offering; returns the names of the fields that changed.

    Every change raises SEQUENCE. A change of time, mode, room or link emails
    everyone registered or waitlisted with the updated calendar entry. A larger
    capacity promotes people from the waitlist. Raises ``DomainError`` for a
    cancelled offering, invalid data, or a capacity below the seats already
    taken (checked atomically against concurrent registrations).
    """
    from lms.services.events import mail as event_mail
    from lms.services.events import registration as event_registration

    if offering.is_cancelled:
        raise DomainError(_("This session was cancelled and can no longer be changed."))
    data = _clean(data)
    changed = [name for name in EDITABLE_FIELDS if getattr(offering, name) != getattr(data, name)]
    if data.capacity != offering.capacity:
        # The condition is evaluated by the database under the row lock, so a
        # registration racing this edit cannot leave more seats taken than capacity.
        result = db.session.execute(
            update(Offering)
            .where(Offering.id == offering.id, Offering.seats_taken <= data.capacity)
            .values(capacity=data.capacity)
            .execution_options(synchronize_session=False))
        db.session.expire(offering, ["capacity", "seats_taken"])
        if result.rowcount != 1:
            raise DomainError(
                f"{offering.seats_taken} people are already registered, so the capacity "
                f"cannot be below {offering.seats_taken}. Cancel registrations first or keep "
                "the capacity.", field="capacity")
        changed.append("capacity")
    if not changed:
        return []
    for name in EDITABLE_FIELDS:
        setattr(offering, name, getattr(data, name))
    offering.sequence = (offering.sequence or 0) + 1
    db.session.flush()
    if "capacity" in changed:
        event_registration.fill_from_waitlist(offering)
    if any(name in changed for name in ATTENDEE_FIELDS):
        event_mail.notify_offering_changed(offering)
    audit.record(actor, "offering.update", offering, changed=sorted(changed),
                 sequence=offering.sequence)
    return changed


def cancel_offering(offering: Offering, *, actor: User | None, reason: str = "") -> Offering:
    """Cancel an offering and email everyone registered or waitlisted a cancelled
    calendar entry. Raises ``DomainError`` if it is already cancelled or over."""
    from lms.services.events import mail as event_mail

    if offering.is_cancelled:
        raise DomainError(_("This session is already cancelled."))
    if offering.ends_at <= utcnow():
        raise DomainError(_("This session is over; it can no longer be cancelled."))
    offering.status = CANCELLED
    offering.cancelled_at = utcnow()
    offering.sequence = (offering.sequence or 0) + 1
    db.session.flush()
    event_mail.notify_offering_cancelled(offering, reason=reason.strip())
    audit.record(actor, "offering.cancel", offering, reason=reason.strip(),
                 sequence=offering.sequence)
    return offering


def _offering_query():
    return select(Offering).options(joinedload(Offering.training),
                                    joinedload(Offering.department))


def upcoming_offerings(*, training_id: int | None = None, limit: int | None = None
                       ) -> list[Offering]:
    """Scheduled offerings that have not ended, soonest first."""
    query = _offering_query().where(Offering.status == SCHEDULED, Offering.ends_at > utcnow())
    if training_id is not None:
        query = query.where(Offering.training_id == training_id)
    query = query.order_by(Offering.starts_at, Offering.id)
    if limit:
        query = query.limit(limit)
    return list(db.session.execute(query).scalars())


def offerings_for_training_slug(slug: str) -> list[Offering]:
    """Upcoming scheduled offerings of the training named ``slug`` (empty if unknown).

    The module player calls this to list sessions under a ``live`` step.
    """
    query = (_offering_query().join(Offering.training)
             .where(Training.slug == slug, Offering.status == SCHEDULED,
                    Offering.ends_at > utcnow())
             .order_by(Offering.starts_at, Offering.id))
    return list(db.session.execute(query).scalars())


def registrations_for(user_id: int, offering_ids: Iterable[int]) -> dict[int, Registration]:
    """The person's registration per offering id, for the given offerings (one query)."""
    ids = list(offering_ids)
    if not ids:
        return {}
    rows = list(db.session.execute(select(Registration).where(
        Registration.user_id == user_id, Registration.offering_id.in_(ids))).scalars())
    annotate_waitlist_places(rows)
    return {r.offering_id: r for r in rows}


def annotate_waitlist_places(registrations: Iterable[Registration]) -> None:
    """Set ``queue_place`` (1 = next in line) on waitlisted registrations, in one query.

    Positions keep gaps when people leave the waitlist, so the place is counted.
    """
    waiting = {r.id: r for r in registrations if r.status == WAITLISTED}
    if not waiting:
        return
    ahead = aliased(Registration)
    rows = db.session.execute(
        select(Registration.id, func.count(ahead.id))
        .outerjoin(ahead, and_(ahead.offering_id == Registration.offering_id,
                               ahead.status == WAITLISTED,
                               ahead.waitlist_position < Registration.waitlist_position))
        .where(Registration.id.in_(list(waiting)))
        .group_by(Registration.id))
    for registration_id, count in rows.all():
        waiting[registration_id].queue_place = count + 1


def places_ahead(user_id: int) -> list[Registration]:
    """The person's registrations, whatever their status, at offerings not yet over, soonest
    first, with their offerings and trainings; waitlist places annotated (one query, two
    with a waitlist place)."""
    rows = list(db.session.execute(
        select(Registration).join(Registration.offering)
        .options(contains_eager(Registration.offering).joinedload(Offering.training))
        .where(Registration.user_id == user_id, Offering.ends_at > utcnow())
        .order_by(Offering.starts_at, Registration.id)).scalars())
    annotate_waitlist_places(rows)
    return rows


def held(registrations: Iterable[Registration]) -> list[Registration]:
    """The registrations that hold a seat, a waitlist place or a drop-in."""
    return [r for r in registrations if r.status in ACTIVE_STATUSES]


def next_registered_offering(user_id: int) -> Offering | None:
    """The soonest scheduled offering, not yet ended, where the person holds a seat."""
    return db.session.execute(
        _offering_query().join(Registration, Registration.offering_id == Offering.id)
        .where(Registration.user_id == user_id, Registration.status == REGISTERED,
               Offering.status == SCHEDULED, Offering.ends_at > utcnow())
        .order_by(Offering.starts_at).limit(1)).scalar_one_or_none()


def next_engagement_week() -> EngagementWeek | None:
    """The event week happening now or next (by local date)."""
    return db.session.execute(
        select(EngagementWeek).where(EngagementWeek.ends_on >= local_today())
        .order_by(EngagementWeek.starts_on).limit(1)).scalar_one_or_none()


def waitlist_counts(offering_ids: Iterable[int]) -> dict[int, int]:
    """Waitlisted people per offering (one query)."""
    ids = list(offering_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Registration.offering_id, func.count(Registration.id))
        .where(Registration.offering_id.in_(ids), Registration.status == WAITLISTED)
        .group_by(Registration.offering_id))
    return dict(rows.all())


# --- who may do what ---------------------------------------------------------------------------

def internal_domains() -> set[str]:
    raw = current_app.config.get("LMS_INTERNAL_EMAIL_DOMAINS") or ""
    return {d.strip().lower().lstrip("@") for d in raw.split(",") if d.strip()}


def is_internal(user: User) -> bool:
    """Whether the person belongs to the institution (by email domain, when configured)."""
    domains = internal_domains()
    if not domains:
        return True
    return user.email.rpartition("@")[2].lower() in domains


def audience_problem(user: User, offering: Offering) -> str | None:
    """Why ``user`` is outside the offering's audience, or None if they are inside it."""
    if offering.audience == "open":
        return None
    if offering.audience == DEPARTMENT:
        if user.department_id != offering.department_id:
            if offering.department is None:
                return _("This session is reserved for one department.")
            return _("This session is reserved for %(name)s.", name=offering.department.name)
        return None
    if not is_internal(user):
        return _("This session is for members of the institution only.")
    return None


def visible_to(user: User, offerings: Iterable[Offering]) -> list[Offering]:
    """Drop sessions reserved for another department (admins see everything)."""
    if user.has_role("admin"):
        return list(offerings)
    return [o for o in offerings
            if o.audience != DEPARTMENT or o.department_id == user.department_id]


def is_facilitator(user: User, training_id: int) -> bool:
    return db.session.execute(
        select(training_facilitators.c.user_id).where(
            training_facilitators.c.training_id == training_id,
            training_facilitators.c.user_id == user.id)).first() is not None


FACILITATED_SINCE = timedelta(days=30)


def upcoming_and_facilitated(user_id: int) -> tuple[list[Offering], list[Offering]]:
    """Scheduled offerings not yet over, soonest first (``upcoming_offerings``), and the
    offerings, recent and upcoming, of trainings the person facilitates: one query."""
    now = utcnow()
    facilitated = Offering.training_id.in_(
        select(training_facilitators.c.training_id)
        .where(training_facilitators.c.user_id == user_id))
    upcoming = and_(Offering.status == SCHEDULED, Offering.ends_at > now)
    rows = db.session.execute(
        _offering_query().add_columns(facilitated.label("facilitated"))
        .where(or_(upcoming, and_(facilitated, Offering.ends_at > now - FACILITATED_SINCE)))
        .order_by(Offering.starts_at, Offering.id)).all()
    return ([o for o, _ in rows if o.status == SCHEDULED and o.ends_at > now],
            [o for o, theirs in rows if theirs])


def next_change(now: datetime, shown: Iterable[Offering],
                facilitated: Iterable[Offering] = ()) -> datetime | None:
    """The first moment after ``now`` when time alone changes a list of these offerings:
    one starts (no more registering or cancelling), ends (it leaves the list),
    registration opens or closes, or a facilitated one leaves the facilitator's list."""
    moments = [moment for o in shown for moment in (
        o.starts_at, o.ends_at, o.registration_opens_at, o.registration_closes_at)]
    moments += [o.ends_at + FACILITATED_SINCE for o in facilitated]
    return min((m for m in moments if m is not None and m > now), default=None)


def trainings_with_offerings() -> list[Training]:
    """Every training with its offerings loaded (admin overview; two queries)."""
    return list(db.session.execute(
        select(Training).options(selectinload(Training.offerings),
                                 selectinload(Training.facilitators))
        .order_by(Training.series, Training.part, Training.title)).scalars())
