"""Live sessions: trainings, their dated offerings, registrations, engagement weeks,
raffle draws, calendar feeds and team training requests."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.models.base import Base, TimestampMixin, utcnow
from lms.models.users import Department, User

# Offering.mode
IN_PERSON, VIRTUAL, HYBRID = "in_person", "virtual", "hybrid"
MODES = (IN_PERSON, VIRTUAL, HYBRID)
MODE_LABELS = {IN_PERSON: _l("In person"), VIRTUAL: _l("Video call"),
               HYBRID: _l("In person and video call")}

# Offering.audience
INTERNAL, OPEN, DEPARTMENT = "internal", "open", "department"
AUDIENCES = (INTERNAL, OPEN, DEPARTMENT)
AUDIENCE_LABELS = {INTERNAL: _l("Staff, faculty, residents and students"),
                   OPEN: _l("Open to external professionals"),
                   DEPARTMENT: _l("One department's team")}

# Offering.status
SCHEDULED, CANCELLED = "scheduled", "cancelled"
OFFERING_STATUSES = (SCHEDULED, CANCELLED)

# Registration.status: only REGISTERED holds a seat (Offering.seats_taken counts them).
# DROP_IN is a person who checked in at a drop-in session without a seat.
REGISTERED, WAITLISTED, DROP_IN = "registered", "waitlisted", "drop_in"
REGISTRATION_STATUSES = (REGISTERED, WAITLISTED, CANCELLED, DROP_IN)
ACTIVE_STATUSES = (REGISTERED, WAITLISTED, DROP_IN)

# Registration.attendance
ATTENDED, NO_SHOW = "attended", "no_show"
ATTENDANCE_VALUES = (ATTENDED, NO_SHOW)

# Registration.fee_status (None: no fee for this place)
FEE_DUE, FEE_PAID, FEE_WAIVED, FEE_REFUNDED = "due", "paid", "waived", "refunded"
FEE_STATUSES = (FEE_DUE, FEE_PAID, FEE_WAIVED, FEE_REFUNDED)
# "Due" as a fee status (payment outstanding), not a due date.
FEE_STATUS_LABELS = {FEE_DUE: lazy_pgettext("fee status", "Due"), FEE_PAID: _l("Paid"),
                     FEE_WAIVED: _l("Waived"), FEE_REFUNDED: _l("Refunded")}

# TeamRequest.status
NEW, DECLINED = "new", "declined"
REQUEST_STATUSES = (NEW, SCHEDULED, DECLINED)

CHECKIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a room


def new_checkin_code() -> str:
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(6))


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


training_facilitators = Table(
    "training_facilitators",
    Base.metadata,
    Column("training_id", ForeignKey("trainings.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Training(Base, TimestampMixin):
    """A live workshop topic (e.g. "Psychological Safety"), offered on several dates.

    Module ``live`` steps name a training by ``slug``; related modules are kept
    as module slugs, not foreign keys, so content can be synced independently.
    """

    __tablename__ = "trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    series: Mapped[str | None] = mapped_column(String(200))
    part: Mapped[int | None]
    related_module_slugs: Mapped[list] = mapped_column(JSON, default=list)

    facilitators: Mapped[list[User]] = relationship(secondary=training_facilitators,
                                                    order_by=User.name)
    offerings: Mapped[list[Offering]] = relationship(back_populates="training",
                                                     order_by="Offering.starts_at")

    @property
    def full_title(self) -> str:
        if self.series and self.part:
            return f"{self.title} ({self.series}, part {self.part})"
        if self.series:
            return f"{self.title} ({self.series})"
        return self.title

    def __repr__(self) -> str:
        return f"<Training {self.slug}>"


class EngagementWeek(Base, TimestampMixin):
    """A named week of events (e.g. "We're All In Week") whose sessions earn raffle entries."""

    __tablename__ = "engagement_weeks"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    starts_on: Mapped[date] = mapped_column(index=True)
    ends_on: Mapped[date]
    description: Mapped[str] = mapped_column(Text, default="")
    prizes: Mapped[str] = mapped_column(Text, default="")

    draws: Mapped[list[RaffleDraw]] = relationship(back_populates="week",
                                                   order_by="RaffleDraw.id.desc()")

    def __repr__(self) -> str:
        return f"<EngagementWeek {self.name}>"


class Offering(Base, TimestampMixin):
    """One dated session of a training.

    ``seats_taken`` counts REGISTERED registrations and is only changed by
    conditional UPDATEs in ``lms.services.events.registration``; the CHECK
    constraint makes overselling impossible even if a bug slipped through.
    """

    __tablename__ = "offerings"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity",
                        name="seats_within_capacity"),
        CheckConstraint(_in("mode", MODES), name="mode_known"),
        CheckConstraint(_in("audience", AUDIENCES), name="audience_known"),
        CheckConstraint(_in("status", OFFERING_STATUSES), name="status_known"),
        CheckConstraint("fee_cents IS NULL OR fee_cents >= 0", name="fee_not_negative"),
        Index("ix_offerings_training_starts", "training_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(ForeignKey("trainings.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    mode: Mapped[str] = mapped_column(String(20), default=IN_PERSON)
    location: Mapped[str | None] = mapped_column(String(300))
    # Shown only to people holding a seat (see can_see_video_link).
    video_url: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int]
    seats_taken: Mapped[int] = mapped_column(default=0)
    # Hands out FIFO waitlist positions; bumped by an atomic UPDATE.
    waitlist_counter: Mapped[int] = mapped_column(default=0)
    registration_opens_at: Mapped[datetime | None]
    registration_closes_at: Mapped[datetime | None]
    audience: Mapped[str] = mapped_column(String(20), default=INTERNAL)
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"), index=True)
    fee_note: Mapped[str | None] = mapped_column(String(300))
    # What an external participant pays, in cents of LMS_CURRENCY; None or 0: free.
    fee_cents: Mapped[int | None]
    rsvp_required: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(20), default=SCHEDULED)
    # RFC 5545 SEQUENCE: raised on every change so calendars replace their copy.
    sequence: Mapped[int] = mapped_column(default=0)
    checkin_code: Mapped[str] = mapped_column(String(12), default=new_checkin_code)
    engagement_week_id: Mapped[int | None] = mapped_column(
        ForeignKey("engagement_weeks.id", ondelete="SET NULL"), index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    cancelled_at: Mapped[datetime | None]

    training: Mapped[Training] = relationship(back_populates="offerings")
    department: Mapped[Department | None] = relationship()
    engagement_week: Mapped[EngagementWeek | None] = relationship()
    registrations: Mapped[list[Registration]] = relationship(back_populates="offering")

    @property
    def is_cancelled(self) -> bool:
        return self.status == CANCELLED

    @property
    def is_open_to_externals(self) -> bool:
        return self.audience == OPEN

    @property
    def has_fee(self) -> bool:
        return bool(self.fee_cents)

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.seats_taken >= self.capacity

    @property
    def mode_label(self) -> str:
        return str(MODE_LABELS.get(self.mode, self.mode))

    @property
    def has_room(self) -> bool:
        return self.mode in (IN_PERSON, HYBRID)

    @property
    def has_video(self) -> bool:
        return self.mode in (VIRTUAL, HYBRID)

    def __repr__(self) -> str:
        return f"<Offering {self.id} of training {self.training_id} at {self.starts_at:%Y-%m-%d}>"


class ExternalParticipant(Base, TimestampMixin):
    """A professional from outside the institution signing up for one open offering.

    Not a ``User``: no account, no department, never on the scorecard. The seat
    is taken only once the email address is verified (``verified_at``); then
    the participant's ``Registration`` shares the offering's capacity and
    waitlist with staff. Erasure anonymises the row and keeps the registration
    behind the counts (``erased_at``).
    """

    __tablename__ = "external_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(ForeignKey("offerings.id", ondelete="CASCADE"),
                                             index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), index=True)
    organisation: Mapped[str | None] = mapped_column(String(200))
    profession: Mapped[str | None] = mapped_column(String(200))
    licence_number: Mapped[str | None] = mapped_column(String(100))
    # The language of the page they signed up on: their messages and documents are in it.
    locale: Mapped[str | None] = mapped_column(String(10))
    verified_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]

    offering: Mapped[Offering] = relationship()

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    def __repr__(self) -> str:
        return f"<ExternalParticipant {self.id} for offering {self.offering_id}>"


class Registration(Base, TimestampMixin):
    """A place (or waitlist place) at an offering: a staff member's (``user_id``) or an
    external participant's (``external_participant_id``), never both."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("offering_id", "user_id"),
        UniqueConstraint("external_participant_id"),
        CheckConstraint("(user_id IS NULL) <> (external_participant_id IS NULL)",
                        name="one_kind_of_person"),
        CheckConstraint(f"fee_status IS NULL OR {_in('fee_status', FEE_STATUSES)}",
                        name="fee_status_known"),
        CheckConstraint(_in("status", REGISTRATION_STATUSES), name="status_known"),
        CheckConstraint(f"attendance IS NULL OR {_in('attendance', ATTENDANCE_VALUES)}",
                        name="attendance_known"),
        Index("ix_registrations_offering_status_position", "offering_id", "status",
              "waitlist_position"),
        Index("ix_registrations_user_status", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(ForeignKey("offerings.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    external_participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("external_participants.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20))
    waitlist_position: Mapped[int | None]
    attendance: Mapped[str | None] = mapped_column(String(20))
    attendance_marked_at: Mapped[datetime | None]
    attendance_marked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    checked_in_at: Mapped[datetime | None]
    registered_at: Mapped[datetime | None]
    promoted_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    # Set by staff (see lms.services.events.payments); the reference is the invoice or
    # receipt number from the institution's finance system.
    fee_status: Mapped[str | None] = mapped_column(String(20))
    fee_reference: Mapped[str | None] = mapped_column(String(100))
    fee_updated_at: Mapped[datetime | None]
    fee_updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)

    offering: Mapped[Offering] = relationship(back_populates="registrations")
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    external: Mapped[ExternalParticipant | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_external(self) -> bool:
        return self.external_participant_id is not None

    @property
    def person(self) -> User | ExternalParticipant:
        """Who holds the place: both kinds have ``name`` and ``email``."""
        return self.external if self.is_external else self.user

    @property
    def fee_label(self) -> str:
        return str(FEE_STATUS_LABELS.get(self.fee_status or "", _l("No fee")))

    def __repr__(self) -> str:
        return f"<Registration {self.user_id}@{self.offering_id} {self.status}>"


class CalendarFeed(Base):
    """A person's private calendar subscription URL; a new token revokes the old URL."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_feed_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<CalendarFeed of user {self.user_id}>"


class RaffleDraw(Base):
    """One reproducible raffle draw: the seed and the entries it was drawn from are kept."""

    __tablename__ = "raffle_draws"

    id: Mapped[int] = mapped_column(primary_key=True)
    week_id: Mapped[int] = mapped_column(ForeignKey("engagement_weeks.id", ondelete="CASCADE"),
                                         index=True)
    seed: Mapped[str] = mapped_column(String(100))
    # {"user id": entries} as drawn from, and the winners' user ids in prize order.
    entries: Mapped[dict] = mapped_column(JSON, default=dict)
    winner_ids: Mapped[list] = mapped_column(JSON, default=list)
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                    index=True)
    drawn_at: Mapped[datetime] = mapped_column(default=utcnow)

    week: Mapped[EngagementWeek] = relationship(back_populates="draws")
    drawn_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<RaffleDraw {self.id} of week {self.week_id}>"


class RaffleConsent(Base):
    """Whether a person agrees to be named as a winner on the public week page."""

    __tablename__ = "raffle_consents"
    __table_args__ = (UniqueConstraint("week_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    week_id: Mapped[int] = mapped_column(ForeignKey("engagement_weeks.id", ondelete="CASCADE"),
                                         index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    show_name: Mapped[bool] = mapped_column(default=False)
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<RaffleConsent {self.user_id}@{self.week_id} {self.show_name}>"


class TeamRequest(Base, TimestampMixin):
    """A department asking for a facilitated session for its own group."""

    __tablename__ = "team_requests"
    __table_args__ = (
        CheckConstraint(_in("status", REQUEST_STATUSES), name="status_known"),
        CheckConstraint("group_size >= 1", name="group_size_positive"),
        Index("ix_team_requests_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"), index=True)
    training_id: Mapped[int | None] = mapped_column(
        ForeignKey("trainings.id", ondelete="SET NULL"), index=True)
    topic: Mapped[str] = mapped_column(String(300))
    group_size: Mapped[int]
    preferred_dates: Mapped[str] = mapped_column(Text)
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(254))
    details: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=NEW)
    admin_note: Mapped[str] = mapped_column(Text, default="")
    triaged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    triaged_at: Mapped[datetime | None]
    offering_id: Mapped[int | None] = mapped_column(
        ForeignKey("offerings.id", ondelete="SET NULL"), index=True)

    requester: Mapped[User | None] = relationship(foreign_keys=[requester_id])
    triaged_by: Mapped[User | None] = relationship(foreign_keys=[triaged_by_id])
    department: Mapped[Department | None] = relationship()
    training: Mapped[Training | None] = relationship()
    offering: Mapped[Offering | None] = relationship()

    def __repr__(self) -> str:
        return f"<TeamRequest {self.id} {self.status}>"
