"""Professionals from outside the institution at sessions open to them.

An external participant signs up without an account (name, email,
organisation, profession, licence number for continuing-education records).
Nothing counts until the email address is confirmed: the sign-up sends a
link, and following it (``verify``) registers the participant through
``registration.register_external``, which shares the offering's seats and
waitlist with staff under the same concurrency guarantee.

The participant manages the place through a private link (cancel, calendar,
receipt, certificate). Both links are signed (itsdangerous, keyed by the
application's secret) and never stored: the Outbox keeps a placeholder and a
``secret_ref`` (``external:verify:12``, ``external:manage:12``) and the sender
fills the link in on the way to the recipient's mailbox, so no admin page
shows them. Erasure on request anonymises the participant and keeps the
registration behind the counts.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import delete, func, select

from lms.extensions import db
from lms.i18n import LANGUAGES
from lms.i18n import lazy_text as _l
from lms.models import ExternalParticipant, Offering, OutboxMessage, Registration, User, utcnow
from lms.models.events import OPEN, REGISTERED, WAITLISTED
from lms.services import audit, notifications
from lms.services.errors import DomainError
from lms.services.events import registration as event_registration
from lms.services.events.mail import HIDDEN_MANAGE_LINK
from lms.services.events.offerings import upcoming_offerings
from lms.services.mail import queue_for
from lms.services.privacy.erasure import sweep

VERIFY_SALT = "external-participant-verify"
MANAGE_SALT = "external-participant-manage"
VERIFY_MAX_AGE = 3 * 24 * 3600  # seconds: a confirmation link works for three days
HIDDEN_VERIFY_LINK = "[your private confirmation link: sent only to your mailbox]"
EXPIRED_LINK = "[this link is no longer available: sign up again on the session page]"
ERASED_DOMAIN = "erased.invalid"  # RFC 2606: never deliverable


@dataclass
class SignUpData:
    name: str
    email: str
    organisation: str
    profession: str
    licence_number: str = ""
    # The language of the page they signed up on: their mail and documents are written in it.
    language: str | None = None


class _ClockSigner(TimestampSigner):
    """Signs with the application's clock, so link lifetimes follow ``lms.clock``."""

    def get_timestamp(self) -> int:
        return int(utcnow().timestamp())


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt,
                                  signer=_ClockSigner)


def verify_token(participant: ExternalParticipant) -> str:
    return _serializer(VERIFY_SALT).dumps(participant.id)


def manage_token(participant: ExternalParticipant) -> str:
    return _serializer(MANAGE_SALT).dumps(participant.id)


def _participant(token: str, salt: str, max_age: int | None) -> ExternalParticipant | None:
    try:
        participant_id = _serializer(salt).loads(token or "", max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(participant_id, int):
        return None
    participant = db.session.get(ExternalParticipant, participant_id)
    if participant is None or participant.erased_at is not None:
        return None
    return participant


def participant_for_verify_token(token: str) -> ExternalParticipant | None:
    """The participant a confirmation link names, or None (forged, expired, erased)."""
    return _participant(token, VERIFY_SALT, VERIFY_MAX_AGE)


def participant_for_manage_token(token: str) -> ExternalParticipant | None:
    """The participant a management link names, or None (forged or erased)."""
    return _participant(token, MANAGE_SALT, None)


def signup_problem(offering: Offering) -> str | None:
    """Why externals cannot sign up for ``offering`` now, or None."""
    if offering.audience != OPEN:
        return _("This session is not open to participants from outside the institution.")
    return event_registration.timing_problem(offering)


def sign_up(offering: Offering, data: SignUpData) -> ExternalParticipant:
    """Record a sign-up and email the confirmation link; no seat is taken yet.

    Raises ``DomainError`` (at the field) for a missing name, email, organisation or
    profession, and (without a field) when the offering is not open to externals
    or not open for registration.
    """
    problem = signup_problem(offering)
    if problem:
        raise DomainError(problem)
    values = {"name": (data.name or "").strip(), "email": (data.email or "").strip().lower(),
              "organisation": (data.organisation or "").strip(),
              "profession": (data.profession or "").strip()}
    messages = {"name": _("Give your name."), "email": _("Give your email address."),
                "organisation": _("Give the organisation you work for."),
                "profession": _("Give your profession.")}
    for field, message in messages.items():
        if not values[field]:
            raise DomainError(message, field=field)
    if "@" not in values["email"]:
        raise DomainError(_("Give an email address like name@example.org."), field="email")
    purge_unconfirmed()
    participant = ExternalParticipant(
        offering_id=offering.id, licence_number=(data.licence_number or "").strip() or None,
        locale=data.language if data.language in LANGUAGES else None, **values)
    db.session.add(participant)
    db.session.flush()
    audit.record(None, "external.sign_up", offering, external_participant_id=participant.id)
    message = queue_for(participant, _l("Confirm your registration: %(title)s",
                                        title=offering.training.title),
                        template="events/email/external_verify.txt", kind="external_verify",
                        participant=participant, offering=offering,
                        training=offering.training, link=HIDDEN_VERIFY_LINK)
    message.secret_ref = f"external:verify:{participant.id}"
    db.session.flush()
    return participant


def purge_unconfirmed() -> int:
    """Delete sign-ups whose confirmation link has expired unused; returns how many.

    Nobody confirmed these addresses, so nothing about them is kept longer than the
    link lives (run with every new sign-up)."""
    cutoff = utcnow() - timedelta(seconds=VERIFY_MAX_AGE)
    return db.session.execute(delete(ExternalParticipant).where(
        ExternalParticipant.verified_at.is_(None), ExternalParticipant.created_at < cutoff)
    ).rowcount


def verify(participant: ExternalParticipant) -> Registration:
    """Confirm the email address and register (seat or waitlist place).

    Following the link again returns the registration it made. Raises
    ``DomainError`` like ``registration.register_external``.
    """
    existing = registration_of(participant)
    if existing is not None:
        return existing
    if participant.verified_at is None:
        participant.verified_at = utcnow()
        db.session.flush()
    return event_registration.register_external(participant)


def registration_of(participant: ExternalParticipant) -> Registration | None:
    return db.session.execute(select(Registration).where(
        Registration.external_participant_id == participant.id)).scalar_one_or_none()


def cancel(participant: ExternalParticipant) -> list[Registration]:
    """The participant gives up their place; the first person waiting is promoted.

    Raises ``DomainError`` when there is no active place or the session has started."""
    registration = registration_of(participant)
    if registration is None or registration.status not in (REGISTERED, WAITLISTED):
        raise DomainError(_("You do not have a place at this session."))
    return event_registration.cancel(registration, actor=None)


def erase(participant: ExternalParticipant, *, actor: User | None) -> ExternalParticipant:
    """Erase an external participant's personal data on their request (``actor`` is the
    admin acting for them, or None when they did it themselves through their link).

    An upcoming place is cancelled first (the seat goes to the waitlist); the name,
    email, organisation, profession and licence number are replaced or removed,
    mail still addressed to them is deleted, and the old name and email are swept
    from every text column. The registration and its attendance stay, unnamed, so
    the session's counts do not change. Raises ``DomainError`` when already erased.
    """
    if participant.erased_at is not None:
        raise DomainError(_("This participant's details were already erased."))
    registration = registration_of(participant)
    if registration is not None and registration.status in (REGISTERED, WAITLISTED) \
            and registration.offering.starts_at > utcnow():
        event_registration.cancel(registration, actor=actor)
    old_name, old_email = participant.name, participant.email
    db.session.execute(delete(OutboxMessage).where(
        func.lower(OutboxMessage.to_address) == old_email.lower()))
    label = f"Former participant {secrets.token_hex(3)}"
    participant.name = label
    participant.email = f"erased-{secrets.token_hex(8)}@{ERASED_DOMAIN}"
    participant.organisation = None
    participant.profession = None
    participant.licence_number = None
    participant.erased_at = utcnow()
    db.session.flush()
    for needle in {old_name, old_email}:
        if needle:
            sweep(needle, label if needle == old_name else participant.email)
    audit.record(actor, "external.erased", participant.offering,
                 external_participant_id=participant.id)
    db.session.flush()
    return participant


# --- links filled in at sending time --------------------------------------------------------

def fill_external_link(message: OutboxMessage) -> str:
    """``message``'s body with a freshly signed confirmation or management link where its
    placeholder stands (registered with the mail sender for ``external:`` secrets)."""
    _kind, purpose, participant_id = message.secret_ref.split(":")
    participant = db.session.get(ExternalParticipant, int(participant_id))
    usable = (participant is not None and participant.erased_at is None
              and participant.email == message.to_address)
    if purpose == "verify":
        link = (notifications.url("events.external_verify", token=verify_token(participant))
                if usable else EXPIRED_LINK)
        return message.body_text.replace(HIDDEN_VERIFY_LINK, link)
    link = (notifications.url("events.external_manage", token=manage_token(participant))
            if usable else EXPIRED_LINK)
    return message.body_text.replace(HIDDEN_MANAGE_LINK, link)


def open_offerings() -> list[Offering]:
    """Upcoming offerings open to external professionals, soonest first."""
    return [o for o in upcoming_offerings() if o.audience == OPEN]
