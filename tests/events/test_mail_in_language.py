"""Live-session mail, calendar files and receipts in each person's language: a staff
member who chose Spanish, or an external participant who signed up on the Spanish page,
reads Spanish (with the session's time as the Spanish page writes it); someone reading
English reads exactly the English as before. Calendar times stay machine dates."""

from __future__ import annotations

import base64
import io
from datetime import timedelta

import pytest
from flask_babel import force_locale
from pypdf import PdfReader
from sqlalchemy import select

from lms import dates
from lms.extensions import db
from lms.models import ExternalParticipant, OutboxMessage, Registration, utcnow
from lms.models.events import FEE_PAID
from lms.services.events import mail as event_mail
from lms.services.events import offerings as events
from lms.services.events import receipts
from lms.services.events import registration as event_registration

GUEST = {"name": "Dra. Elena Ruiz", "email": "elena@clinica.example.org",
         "organisation": "Clínica del Río", "profession": "Médica de familia",
         "licence_number": "MD-1234"}


def _mails(kind: str) -> list[OutboxMessage]:
    return list(db.session.execute(select(OutboxMessage).where(OutboxMessage.kind == kind)
                                   .order_by(OutboxMessage.id)).scalars())


def _to(kind: str, address: str) -> OutboxMessage:
    return next(m for m in _mails(kind) if m.to_address == address)


def _when(app, offering, language: str) -> str:
    """The session's time as a page in ``language`` writes it."""
    with app.test_request_context(), force_locale(language):
        return dates.format_datetime_range(offering.starts_at, offering.ends_at, "full")


@pytest.fixture
def people(make_user):
    lucia = make_user(name="Lucía Gómez", email="lucia@example.edu")
    lucia.locale = "es"
    sam = make_user(name="Sam Okafor", email="sam@example.edu")
    db.session.commit()
    return lucia, sam


def test_a_seat_is_confirmed_in_each_persons_language_with_its_calendar_file(
        app, make_offering, people):
    lucia, sam = people
    offering = make_offering(capacity=5)
    title = offering.training.title
    for person in (lucia, sam):
        event_registration.register(person, offering)
    db.session.commit()

    spanish = _to("event_registered", lucia.email)
    assert spanish.subject == f"Inscripción confirmada: {title}"
    assert spanish.body_text.startswith("Hola, Lucía Gómez:\n\nTiene plaza en:")
    assert f"Cuándo: {_when(app, offering, 'es')}" in spanish.body_text
    assert "Hello" not in spanish.body_text
    ics = base64.b64decode(spanish.attachment_data).decode()
    assert "Unirse a la videollamada" in ics and "Detalles y su inscripción" in ics
    assert f"DTSTART:{offering.starts_at:%Y%m%dT%H%M%S}Z" in ics  # a machine date, as before

    english = _to("event_registered", sam.email)
    assert english.subject == f"You're registered: {title}"
    assert english.body_text.startswith("Hello Sam Okafor,\n\nYou have a seat at:")
    assert f"When: {_when(app, offering, 'en')}" in english.body_text
    english_ics = base64.b64decode(english.attachment_data).decode()
    assert "Join the call: " in english_ics and "Details and your registration: " in \
        english_ics


def test_waitlist_promotion_changes_cancellation_and_reminders_follow_the_person(
        app, make_offering, people, admin):
    lucia, sam = people
    offering = make_offering(capacity=1, starts_in=timedelta(hours=20))
    title = offering.training.title
    seat = event_registration.register(sam, offering)
    event_registration.register(lucia, offering)
    db.session.commit()
    assert _to("event_waitlisted", lucia.email).subject == \
        f"Está en la lista de espera: {title}"
    event_registration.cancel(seat, actor=sam)
    db.session.commit()
    promoted = _to("event_promoted", lucia.email)
    assert promoted.subject == f"Se ha liberado una plaza: {title}"
    assert promoted.body_text.startswith("Hola, Lucía Gómez:") and "Hello" not in \
        promoted.body_text

    assert event_mail.send_reminders(now=utcnow()) == 1
    assert _to("event_reminder", lucia.email).subject == f"Recordatorio: {title}"

    events.cancel_offering(offering, actor=admin, reason="")
    db.session.commit()
    cancelled = _to("event_cancelled", lucia.email)
    assert cancelled.subject == f"Cancelada: {title}"
    assert f"Cuándo: {_when(app, offering, 'es')}" in cancelled.body_text
    ics = base64.b64decode(cancelled.attachment_data).decode()
    assert f"SUMMARY:Cancelada: {title}" in ics


def _paid(participant: ExternalParticipant) -> Registration:
    registration = event_registration.register_external(participant)
    registration.fee_status = FEE_PAID
    registration.fee_reference = "RCPT-7"
    registration.fee_updated_at = utcnow()
    db.session.commit()
    return registration


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_an_external_participant_keeps_the_language_of_the_page_they_signed_up_on(
        app, client, make_offering):
    offering = make_offering(capacity=5, audience="open", fee_cents=5000)
    title = offering.training.title
    response = client.post(f"/events/offerings/{offering.id}/join", data=GUEST,
                           headers={"Accept-Language": "es"})
    assert response.status_code == 303
    participant = db.session.execute(select(ExternalParticipant)).scalar_one()
    assert participant.locale == "es"
    verify = _to("external_verify", participant.email)
    assert verify.subject == f"Confirme su inscripción: {title}"
    assert verify.body_text.startswith("Hola, Dra. Elena Ruiz:")

    # Whoever's request sends them, their messages and receipt stay in Spanish.
    with app.test_request_context(headers={"Accept-Language": "en"}):
        participant.verified_at = utcnow()
        registration = _paid(participant)
        text = _pdf_text(receipts.render_receipt(registration))
    assert _to("event_registered", participant.email).subject == \
        f"Inscripción confirmada: {title}"
    for expected in ("Recibo", "Número de recibo", "RCPT-7", "Recibido de", "Concepto",
                     "50,00 USD", "Pagada", "Conserve este recibo"):
        assert expected in text, expected
    assert "Receipt" not in text
    certificate = _pdf_text(receipts.render_attendance_certificate(registration))
    with app.test_request_context(), force_locale("es"):
        held = dates.format_date(offering.starts_at, "long")
    for expected in ("Certificado de asistencia", "Se certifica que", "Dra. Elena Ruiz",
                     "N.º de colegiación MD-1234", "asistió a la sesión en vivo", f"el {held}"):
        assert expected in certificate, expected


def test_an_english_sign_up_and_receipt_read_as_before(app, client, make_offering):
    offering = make_offering(capacity=5, audience="open", fee_cents=5000)
    client.post(f"/events/offerings/{offering.id}/join", data=GUEST,
                headers={"Accept-Language": "en"})
    participant = db.session.execute(select(ExternalParticipant)).scalar_one()
    assert participant.locale == "en"
    verify = _to("external_verify", participant.email)
    assert verify.subject == f"Confirm your registration: {offering.training.title}"
    participant.verified_at = utcnow()
    text = _pdf_text(receipts.render_receipt(_paid(participant)))
    for expected in ("Receipt", "Receipt number", "Received from", "For", "50.00 USD",
                     "Paid", "Keep this receipt for your records."):
        assert expected in text, expected


def test_a_team_request_answer_and_a_calendar_feed_are_in_their_owners_language(
        app, make_offering, people, admin):
    from lms.services.events import calendar as event_calendar
    from lms.services.events import requests as team_requests

    lucia, _sam = people
    request = team_requests.create_request(team_requests.RequestData(
        topic="Escucha activa", group_size=60, preferred_dates="Marzo",
        contact_name="Lucía Gómez", contact_email=lucia.email), requester=lucia)
    team_requests.decline_request(request, actor=admin, note="Ya no quedan fechas.")
    db.session.commit()
    answer = _to("team_request", lucia.email)
    assert answer.subject == "Su solicitud de formación para equipos: Escucha activa"
    assert answer.body_text.startswith("Hola, Lucía Gómez:") and "Hello" not in \
        answer.body_text

    offering = make_offering(capacity=5)
    event_registration.register(lucia, offering)
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        feed = event_calendar.feed_ics(lucia).decode()
    assert "mis sesiones en vivo" in feed and "Detalles y su inscripción" in feed
    assert "Details and your registration" not in feed
