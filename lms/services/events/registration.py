"""Registering, cancelling, the FIFO waitlist, check-in and attendance.

Capacity is guarded by the database, not by Python: a seat is taken with

    UPDATE offerings SET seats_taken = seats_taken + 1
    WHERE id = :id AND seats_taken < capacity AND status = 'scheduled'

and the row count says whether it worked. PostgreSQL re-checks the condition
after waiting for the row lock, SQLite runs one writer at a time, and a CHECK
constraint (``seats_taken <= capacity``) backs both. A unique constraint on
``(offering_id, user_id)`` makes a second registration of the same person fail
even when two requests race. Waitlist positions come from an atomic counter on
the offering, so the queue is first come, first served.

On ``DomainError`` the caller must roll back the session: a failed insert may
have left the transaction unusable (views always roll back on errors).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from lms.dates import format_datetime
from lms.extensions import db
from lms.models import ExternalParticipant, Offering, Registration, User, utcnow
from lms.models.events import (
    ACTIVE_STATUSES,
    ATTENDANCE_VALUES,
    ATTENDED,
    CANCELLED,
    DROP_IN,
    FEE_DUE,
    OPEN,
    REGISTERED,
    SCHEDULED,
    WAITLISTED,
)
from lms.services import audit
from lms.services.errors import DomainError
from lms.services.events import mail as event_mail
from lms.services.events.offerings import audience_problem

# Self check-in opens this long before the start and closes at the end.
CHECKIN_OPENS_BEFORE = timedelta(minutes=15)


def registration_problem(user: User, offering: Offering) -> str | None:
    """Why ``user`` cannot register for ``offering`` now, or None if they can.

    Covers cancelled, started or past offerings, the registration window and the
    audience; not whether the person is already registered.
    """
    return timing_problem(offering) or audience_problem(user, offering)


def timing_problem(offering: Offering) -> str | None:
    """Why nobody can register for ``offering`` now (cancelled, started, past, outside the
    registration window), or None."""
    now = utcnow()
    if offering.status != SCHEDULED:
        return _("This session has been cancelled.")
    if now >= offering.ends_at:
        return _("This session has already taken place.")
    if now >= offering.starts_at:
        return _("This session has already started; registration is closed.")
    if offering.registration_opens_at and now < offering.registration_opens_at:
        return _("Registration opens on %(when)s.",
                 when=format_datetime(offering.registration_opens_at))
    if offering.registration_closes_at and now >= offering.registration_closes_at:
        return _("Registration closed on %(when)s.",
                 when=format_datetime(offering.registration_closes_at))
    return None


def _already_message(status: str) -> str:
    if status == WAITLISTED:
        return _("You are already on the waitlist for this session.")
    if status == DROP_IN:
        return _("You are already checked in to this session.")
    return _("You are already registered for this session.")


def _take_seat(offering: Offering) -> bool:
    """Atomically take one seat if one is free; True when it was taken."""
    return _move_seat(offering, +1, Offering.status == SCHEDULED,
                      Offering.seats_taken < Offering.capacity)


def _release_seat(offering: Offering) -> None:
    _move_seat(offering, -1, Offering.seats_taken > 0)


def _move_seat(offering: Offering, change: int, *conditions) -> bool:
    """Change ``seats_taken`` by ``change`` where ``conditions`` hold; True when it changed.

    The UPDATE returns the new count (under the row's lock), so the offering shows it
    without reading the row again; when nothing changed, the count is read afresh.
    """
    row = db.session.execute(
        update(Offering).where(Offering.id == offering.id, *conditions)
        .values(seats_taken=Offering.seats_taken + change)
        .returning(Offering.seats_taken, Offering.updated_at)
        .execution_options(synchronize_session=False)).first()
    if row is None:
        db.session.expire(offering, ["seats_taken", "updated_at"])
        return False
    set_committed_value(offering, "seats_taken", row.seats_taken)
    set_committed_value(offering, "updated_at", row.updated_at)
    return True


def _next_waitlist_position(offering: Offering) -> int:
    """The next FIFO position, from a counter bumped under the offering's row lock (which
    also gives the seat count of that moment)."""
    row = db.session.execute(
        update(Offering).where(Offering.id == offering.id)
        .values(waitlist_counter=Offering.waitlist_counter + 1)
        .returning(Offering.waitlist_counter, Offering.seats_taken, Offering.updated_at)
        .execution_options(synchronize_session=False)).one()
    for name in ("waitlist_counter", "seats_taken", "updated_at"):
        set_committed_value(offering, name, getattr(row, name))
    return row.waitlist_counter


def _set_status(registration: Registration, expected: str | Iterable[str], **values) -> bool:
    """Change a registration only if it still has the ``expected`` status (compare-and-set)."""
    statuses = [expected] if isinstance(expected, str) else list(expected)
    row = db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id, Registration.status.in_(statuses))
        .values(**values)
        .returning(Registration.updated_at)
        .execution_options(synchronize_session=False)).first()
    if row is None:
        return False
    # The row now holds ``values``: the object shows them without reading it again.
    for name, value in {**values, "updated_at": row.updated_at}.items():
        set_committed_value(registration, name, value)
    return True


# ``register``'s default: the person's registration is not known yet, so it is read.
UNREAD = object()


def register(user: User, offering: Offering, *, notify: bool = True,
             place: Registration | None | object = UNREAD) -> Registration:
    """Give ``user`` a seat, or a place at the back of the waitlist when the offering is full.

    Returns the registration (status ``registered`` or ``waitlisted``) and queues a
    confirmation email. Raises ``DomainError`` when the offering is cancelled,
    started or past, registration is not open, the person is outside the audience,
    or they already have a place (also when two of their requests race). ``place`` is
    the person's registration at the offering (None: they never had one) when the
    caller read it with the offering.

    The seat (or the waitlist position) is taken first and the registration is then
    written with it in one statement: the unique constraint and the compare-and-set
    still refuse a double submit, whose transaction the caller rolls back, seat and all.
    """
    problem = registration_problem(user, offering)
    if problem:
        raise DomainError(problem)
    existing = _place_of(user, offering) if place is UNREAD else place
    if existing is not None and existing.status != CANCELLED:
        raise DomainError(_already_message(existing.status))
    status, position = _seat_or_position(offering)
    now = utcnow()
    if existing is None:
        registration = Registration(offering_id=offering.id, user_id=user.id, status=status,
                                    waitlist_position=position, registered_at=now)
        db.session.add(registration)
        try:
            db.session.flush()
        except IntegrityError:
            raise DomainError(_already_message(REGISTERED)) from None
    else:
        registration = existing
        if not _set_status(registration, CANCELLED, status=status, waitlist_position=position,
                           registered_at=now, cancelled_at=None, promoted_at=None,
                           attendance=None, checked_in_at=None, attendance_marked_at=None,
                           attendance_marked_by_id=None):
            raise DomainError(_already_message(REGISTERED))
    audit.record(user, "registration.create", offering, status=registration.status,
                 waitlist_position=registration.waitlist_position)
    if notify:
        event_mail.notify_registered(registration)
    return registration


def _place_of(user: User, offering: Offering) -> Registration | None:
    return db.session.execute(select(Registration).where(
        Registration.offering_id == offering.id, Registration.user_id == user.id)
    ).scalar_one_or_none()


def _seat_or_position(offering: Offering) -> tuple[str, int | None]:
    """A seat if one is free, else the back of the one waitlist staff and externals share:
    the status and waitlist position a registration takes."""
    if _take_seat(offering):
        return REGISTERED, None
    return WAITLISTED, _next_waitlist_position(offering)


def _seat_or_queue(registration: Registration, offering: Offering) -> None:
    registration.status, registration.waitlist_position = _seat_or_position(offering)
    db.session.flush()


def register_external(participant: ExternalParticipant) -> Registration:
    """Give a verified external participant a seat or a waitlist place at their offering.

    Same guarantees as ``register``: the seat comes from the conditional UPDATE
    staff registrations use, the waitlist position from the same counter, and
    the unique constraint on the participant stops a double verification. A fee
    on the offering starts the registration as ``due``. Queues the confirmation
    (with the .ics for a seat). Raises ``DomainError`` when the offering is not
    open to externals or not open for registration, the participant is not
    verified, or the same email already has a place at this offering.
    """
    offering = participant.offering
    if not participant.is_verified or participant.erased_at is not None:
        raise DomainError(_("Confirm your email address first."))
    if offering.audience != OPEN:
        raise DomainError(_("This session is not open to participants from outside the "
                          "institution."))
    problem = timing_problem(offering)
    if problem:
        raise DomainError(problem)
    existing = db.session.execute(select(Registration).where(
        Registration.external_participant_id == participant.id)).scalar_one_or_none()
    if existing is not None:
        if existing.status != CANCELLED:
            raise DomainError(_already_message(existing.status))
        raise DomainError(_("This registration was cancelled. Sign up again for a new place."))
    twin = db.session.execute(
        select(Registration.status).join(Registration.external)
        .where(Registration.offering_id == offering.id,
               Registration.status.in_(ACTIVE_STATUSES),
               ExternalParticipant.email == participant.email)).first()
    if twin is not None:
        raise DomainError(_already_message(twin.status))
    registration = Registration(offering_id=offering.id, external_participant_id=participant.id,
                                status=WAITLISTED, registered_at=utcnow(),
                                fee_status=FEE_DUE if offering.has_fee else None)
    db.session.add(registration)
    try:
        db.session.flush()
    except IntegrityError:
        raise DomainError(_already_message(REGISTERED)) from None
    _seat_or_queue(registration, offering)
    audit.record(None, "registration.create_external", offering,
                 external_participant_id=participant.id, status=registration.status,
                 waitlist_position=registration.waitlist_position)
    event_mail.notify_registered(registration)
    return registration


def cancel(registration: Registration, *, actor: User | None) -> list[Registration]:
    """Give up a seat or a waitlist place; returns the people promoted into a freed seat.

    The first waitlisted person is promoted in the same transaction and emailed.
    Raises ``DomainError`` if the registration is not active or the session has
    started.
    """
    offering = registration.offering
    if registration.status not in (REGISTERED, WAITLISTED):
        raise DomainError(_("You do not have a place at this session."))
    if utcnow() >= offering.starts_at and offering.status == SCHEDULED:
        raise DomainError(_("This session has already started, so the place can no longer be "
                          "cancelled here. Tell the facilitator instead."))
    held = registration.status
    if not _set_status(registration, held, status=CANCELLED, cancelled_at=utcnow(),
                       waitlist_position=None):
        raise DomainError(_("This place was changed a moment ago. Reload the page and try again."))
    promoted: list[Registration] = []
    if held == REGISTERED:
        _release_seat(offering)
        promoted = fill_from_waitlist(offering)
    db.session.flush()
    audit.record(actor, "registration.cancel", offering, user_id=registration.user_id,
                 external_participant_id=registration.external_participant_id,
                 was=held, promoted=[r.user_id for r in promoted])
    return promoted


def fill_from_waitlist(offering: Offering) -> list[Registration]:
    """Promote waitlisted people, first in line first, while seats are free.

    Each promoted person is emailed with the calendar entry. Does nothing for
    cancelled or finished offerings. Returns the promoted registrations.
    """
    now = utcnow()
    if offering.status != SCHEDULED or offering.ends_at <= now:
        return []
    promoted: list[Registration] = []
    skipped: set[int] = set()
    while True:
        query = (select(Registration)
                 .where(Registration.offering_id == offering.id,
                        Registration.status == WAITLISTED)
                 .order_by(Registration.waitlist_position, Registration.id).limit(1))
        if skipped:
            query = query.where(Registration.id.not_in(skipped))
        candidate = db.session.execute(query).scalar_one_or_none()
        if candidate is None or not _take_seat(offering):
            break
        position = candidate.waitlist_position
        if not _set_status(candidate, WAITLISTED, status=REGISTERED, promoted_at=now,
                           waitlist_position=None):
            # Someone changed this person's place meanwhile: give the seat back.
            _release_seat(offering)
            skipped.add(candidate.id)
            continue
        promoted.append(candidate)
        event_mail.notify_promoted(candidate, position=position)
    return promoted


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def checkin_window(offering: Offering):
    return offering.starts_at - CHECKIN_OPENS_BEFORE, offering.ends_at


def check_in(user: User, offering: Offering, code: str) -> Registration:
    """Record that ``user`` is present, with the code shown in the room or the call.

    Works during the session (from 15 minutes before the start to the end) for
    people with a seat or a waitlist place; at a drop-in session (RSVP not
    required) anyone with the code is recorded. Calling it again is harmless.
    Raises ``DomainError`` (field ``code``) for a wrong code, outside the
    window, a cancelled session, or a person without a place.
    """
    now = utcnow()
    registration = db.session.execute(select(Registration).where(
        Registration.offering_id == offering.id, Registration.user_id == user.id)
    ).scalar_one_or_none()
    if registration is not None and registration.status in ACTIVE_STATUSES \
            and registration.attendance == "attended":
        return registration  # already recorded as present: a second try changes nothing
    _check_code(offering, code)
    present = {"attendance": "attended", "checked_in_at": now, "attendance_marked_at": now,
               "attendance_marked_by_id": user.id}
    if registration is not None and registration.status in ACTIVE_STATUSES:
        _set_status(registration, ACTIVE_STATUSES, **present)
    elif not offering.rsvp_required:
        if registration is None:
            registration = Registration(offering_id=offering.id, user_id=user.id,
                                        status=DROP_IN, **present)
            db.session.add(registration)
            try:
                db.session.flush()
            except IntegrityError:
                raise DomainError(_("You are already checked in."), field="code") from None
        elif not _set_status(registration, CANCELLED, status=DROP_IN, cancelled_at=None,
                             **present):
            raise DomainError(_("You are already checked in."), field="code")
    else:
        raise DomainError(_("You are not registered for this session, so you cannot check "
                          "in. Ask the facilitator to add you to the roster."), field="code")
    db.session.flush()
    audit.record(user, "registration.check_in", offering)
    return registration


def _check_code(offering: Offering, code: str) -> None:
    """Raise ``DomainError`` (field ``code``) unless ``code`` is this session's check-in code
    and check-in is open now."""
    now = utcnow()
    opens, closes = checkin_window(offering)
    if offering.status != SCHEDULED:
        raise DomainError(_("This session was cancelled."), field="code")
    if now < opens:
        raise DomainError(_("Check-in opens at %(when)s.", when=format_datetime(opens)),
                          field="code")
    if now > closes:
        raise DomainError(_("Check-in closed when the session ended (%(when)s). Ask the "
                            "facilitator to mark your attendance.", when=format_datetime(closes)),
                          field="code")
    if not normalise_code(code):
        raise DomainError(_("Enter the code shown in the room or on the call."), field="code")
    if not hmac.compare_digest(normalise_code(code), normalise_code(offering.checkin_code)):
        raise DomainError(_("That code is not right. Check the code shown in the room or on the "
                          "call and try again."), field="code")


def check_in_external(registration: Registration, code: str) -> Registration:
    """Record an external participant as present, with the code shown in the session.

    Like ``check_in`` for people with a seat or a waitlist place; a second try
    changes nothing. Raises ``DomainError`` (field ``code``) as ``check_in`` does.
    """
    if registration.attendance == ATTENDED and registration.status in ACTIVE_STATUSES:
        return registration
    _check_code(registration.offering, code)
    if registration.status not in ACTIVE_STATUSES:
        raise DomainError(_("You do not have a place at this session, so you cannot check in."),
                          field="code")
    now = utcnow()
    _set_status(registration, ACTIVE_STATUSES, attendance=ATTENDED, checked_in_at=now,
                attendance_marked_at=now, attendance_marked_by_id=None)
    db.session.flush()
    db.session.refresh(registration)
    audit.record(None, "registration.check_in_external", registration.offering,
                 external_participant_id=registration.external_participant_id)
    return registration


def roster(offering: Offering) -> list[Registration]:
    """Everyone with a place or a waitlist place, seated first, then the waitlist in order."""
    rows = db.session.execute(
        select(Registration).where(Registration.offering_id == offering.id,
                                   Registration.status.in_(ACTIVE_STATUSES))
        .options(joinedload(Registration.user).joinedload(User.department),
                 joinedload(Registration.external))).scalars().all()
    order = {REGISTERED: 0, DROP_IN: 1, WAITLISTED: 2}
    return sorted(rows, key=lambda r: (order[r.status], r.waitlist_position or 0,
                                       r.person.name.lower(), r.id))


def mark_attendance(offering: Offering, registration_ids: Iterable[int], attendance: str | None,
                    *, actor: User) -> int:
    """Mark many people attended, no-show, or unmarked (None) in one UPDATE.

    Only active registrations of this offering are touched; returns how many.
    Raises ``DomainError`` before the session has started, for a cancelled session
    or for an unknown value.
    """
    if attendance is not None and attendance not in ATTENDANCE_VALUES:
        raise DomainError(_("Choose attended or no-show."), field="attendance")
    if offering.status != SCHEDULED:
        raise DomainError(_("This session was cancelled."))
    if utcnow() < offering.starts_at - CHECKIN_OPENS_BEFORE:
        raise DomainError(_("Attendance can be marked once the session has started."))
    ids = sorted({int(i) for i in registration_ids})
    if not ids:
        raise DomainError(_("Select at least one person."), field="registration_ids")
    result = db.session.execute(
        update(Registration)
        .where(Registration.offering_id == offering.id, Registration.id.in_(ids),
               Registration.status.in_(ACTIVE_STATUSES))
        .values(attendance=attendance, attendance_marked_at=utcnow(),
                attendance_marked_by_id=actor.id)
        .execution_options(synchronize_session="fetch"))
    audit.record(actor, "registration.mark_attendance", offering, attendance=attendance,
                 count=result.rowcount)
    return result.rowcount
