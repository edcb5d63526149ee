"""Emails about live sessions, all through the Outbox.

Confirmations, promotions, changes and cancellations carry the .ics; the
day-before reminders are made idempotent by ``dedupe_key`` so the command can
run as often as a scheduler likes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.extensions import db
from lms.i18n import lazy_text as _l
from lms.localtime import local_midnight, today
from lms.models import Offering, OutboxMessage, Registration, TeamRequest, utcnow
from lms.models.events import DROP_IN, REGISTERED, SCHEDULED, WAITLISTED
from lms.services.events.calendar import ICS_MIME, external_url, invitation_ics
from lms.services.mail import queue_for


def _ics_attachment(registration: Registration) -> tuple[str, str, bytes]:
    name = f"{registration.offering.training.slug}-{registration.offering_id}.ics"
    return (name, ICS_MIME, invitation_ics(registration))


# Where an external participant's private management link goes in a stored message; the
# sender puts the link in on the way to their mailbox (see services.events.externals).
HIDDEN_MANAGE_LINK = "[your private link to manage this registration: sent only to your mailbox]"


def _send(registration: Registration, template: str, subject, *, kind: str,
          dedupe_key: str | None = None, with_ics: bool = True, **context):
    offering = registration.offering
    person = registration.person
    page = (HIDDEN_MANAGE_LINK if registration.is_external
            else external_url("events.offering", offering_id=offering.id))
    # In the person's language: a staff member's profile choice, an external
    # participant's sign-up page (the .ics too).
    message = queue_for(person, subject, template=f"events/email/{template}", kind=kind,
                        dedupe_key=dedupe_key,
                        attachment=(lambda: _ics_attachment(registration)) if with_ics
                        else None,
                        registration=registration, offering=offering,
                        training=offering.training, user=person, page=page, **context)
    if message is not None and registration.is_external:
        message.secret_ref = f"external:manage:{registration.external_participant_id}"
        db.session.flush()
    return message


def notify_registered(registration: Registration):
    """Confirm a seat (with the .ics) or a waitlist place (without)."""
    title = registration.offering.training.title
    if registration.status == REGISTERED:
        return _send(registration, "registered.txt",
                     _l("You're registered: %(title)s", title=title), kind="event_registered")
    return _send(registration, "waitlisted.txt",
                 _l("You're on the waitlist: %(title)s", title=title),
                 kind="event_waitlisted", with_ics=False)


def notify_promoted(registration: Registration, *, position: int | None):
    """Tell a waitlisted person they now have a seat (once per waitlist place)."""
    return _send(registration, "promoted.txt",
                 _l("A seat opened up: %(title)s",
                    title=registration.offering.training.title),
                 kind="event_promoted", dedupe_key=f"event-promoted:{registration.id}:{position}")


def _active_registrations(offering: Offering) -> list[Registration]:
    return list(db.session.execute(
        select(Registration).options(joinedload(Registration.user),
                                     joinedload(Registration.external))
        .where(Registration.offering_id == offering.id,
               Registration.status.in_((REGISTERED, WAITLISTED, DROP_IN)))
        .order_by(Registration.id)).scalars())


def notify_offering_changed(offering: Offering) -> int:
    """Email everyone with a place the new details; seat holders get the updated .ics."""
    count = 0
    for registration in _active_registrations(offering):
        if _send(registration, "changed.txt",
                 _l("Changed: %(title)s", title=offering.training.title),
                 kind="event_changed", with_ics=registration.status != WAITLISTED,
                 dedupe_key=f"event-changed:{offering.id}:{offering.sequence}:{registration.id}"):
            count += 1
    return count


def notify_offering_cancelled(offering: Offering, *, reason: str = "") -> int:
    """Email everyone with a place that the session is cancelled, with a cancelling .ics."""
    count = 0
    for registration in _active_registrations(offering):
        if _send(registration, "cancelled.txt",
                 _l("Cancelled: %(title)s", title=offering.training.title),
                 kind="event_cancelled", reason=reason,
                 dedupe_key=f"event-cancelled:{offering.id}:{registration.id}"):
            count += 1
    return count


def reminder_key(registration: Registration) -> str:
    # The start time is part of the key: a rescheduled session is reminded again.
    return (f"event-reminder:{registration.id}:"
            f"{registration.offering.starts_at:%Y%m%dT%H%M}")


def send_reminders(now: datetime | None = None) -> int:
    """Queue a reminder for every seat at a session starting between now and the end of
    tomorrow (local time). Safe to run repeatedly: each reminder is queued once.
    Returns how many were queued."""
    now = now or utcnow()
    until = local_midnight(today() + timedelta(days=2))
    registrations = list(db.session.execute(
        select(Registration).join(Registration.offering)
        .options(joinedload(Registration.user), joinedload(Registration.external),
                 joinedload(Registration.offering).joinedload(Offering.training))
        .where(Registration.status == REGISTERED, Offering.status == SCHEDULED,
               Offering.starts_at > now, Offering.starts_at < until)
        .order_by(Offering.starts_at, Registration.id)).scalars())
    keys = {reminder_key(r) for r in registrations}
    already = set(db.session.execute(
        select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))).scalars()
    ) if keys else set()
    queued = 0
    for registration in registrations:
        key = reminder_key(registration)
        if key in already:
            continue
        if _send(registration, "reminder.txt",
                 _l("Reminder: %(title)s", title=registration.offering.training.title),
                 kind="event_reminder",
                 dedupe_key=key) is not None:  # None: a run at the same time queued it
            queued += 1
    return queued


def notify_request_update(request: TeamRequest):
    """Tell the contact of a team training request what the programme office decided."""
    return queue_for(request.requester, _l("Your team training request: %(topic)s",
                                              topic=request.topic),
                     template="events/email/team_request.txt", to=request.contact_email,
                     kind="team_request",
                     dedupe_key=f"team-request:{request.id}:{request.status}",
                     request=request, page=external_url("events.my_team_requests"),
                     offering_page=external_url("events.offering",
                                                offering_id=request.offering_id)
                     if request.offering_id else None)
