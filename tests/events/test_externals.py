"""External professionals at open sessions: sign-up, email confirmation, the shared waitlist,
fees and receipts, check-in and certificate, erasure — through the pages they use."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from lms import clock
from lms.extensions import db
from lms.models import AuditEvent, ExternalParticipant, OutboxMessage, Registration
from lms.services.events import externals
from lms.services.events import registration as event_registration
from lms.services.scorecard.metrics.attendance import compute as attendance_figures
from tests.events.helpers import text

GUEST = {"name": "Dr. Lena Ortiz", "email": "Lena.Ortiz@Clinic.example.org",
         "organisation": "Riverside Community Clinic", "profession": "Family physician",
         "licence_number": "MD-448812"}


@pytest.fixture
def open_offering(make_offering):
    """A one-seat session open to external professionals, with a 50.00 fee."""
    return make_offering(capacity=1, audience="open", fee_cents=5000,
                         fee_note="For participants from outside the institution")


def _sign_up(client, offering, **changes):
    return client.post(f"/events/offerings/{offering.id}/join", data={**GUEST, **changes})


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_sign_up_confirm_by_email_waitlist_promotion_fee_and_receipt(
        client, auth, admin, make_user, open_offering, mailbox):
    staff = make_user()
    event_registration.register(staff, open_offering)  # the only seat
    db.session.commit()

    assert open_offering.training.title in text(client.get("/events/open"))
    form = client.get(f"/events/offerings/{open_offering.id}/join")
    assert "Licence number" in text(form) and "50.00 USD" in text(form)
    response = _sign_up(client, open_offering)
    assert response.status_code == 303
    assert "Check your email" in text(client.get(response.location))
    participant = db.session.execute(select(ExternalParticipant)).scalar_one()
    assert participant.email == "lena.ortiz@clinic.example.org"
    assert db.session.scalar(select(func.count(Registration.id))) == 1  # nothing counts yet

    # The admin's outbox never shows the link; the mailbox does.
    stored = db.session.execute(select(OutboxMessage).where(
        OutboxMessage.kind == "external_verify")).scalar_one()
    assert "/events/external/verify/" not in stored.body_text
    link = mailbox.link(participant.email, "/events/external/verify/")
    page = client.get(link)
    assert "Confirm my place" in text(page)
    assert db.session.scalar(select(func.count(Registration.id))) == 1  # a GET takes nothing
    confirmed = client.post(link)
    assert confirmed.status_code == 303
    manage_url = confirmed.location
    manage = text(client.get(manage_url))
    assert "On the waitlist, number 1 in line" in manage
    assert "50.00 USD: Due" in manage
    # Following the link again changes nothing.
    assert client.post(link).status_code == 303
    assert db.session.scalar(select(func.count(Registration.id))) == 2

    # The staff member cancels; the external participant is promoted and emailed.
    event_registration.cancel(db.session.execute(select(Registration).where(
        Registration.user_id == staff.id)).scalar_one(), actor=staff)
    db.session.commit()
    mail = mailbox.bodies(participant.email)[-1]
    assert "A seat opened up" in mail or "it is yours" in mail
    assert re.search(r"/events/external/\S+", mail)
    assert "You have a seat" in text(client.get(manage_url))
    ics = client.get(manage_url + "/calendar.ics")
    assert ics.status_code == 200 and b"BEGIN:VEVENT" in ics.data

    # The programme office records the payment; the receipt is a real PDF.
    registration = db.session.execute(select(Registration).where(
        Registration.external_participant_id == participant.id)).scalar_one()
    assert client.get(manage_url + "/receipt.pdf").status_code == 404  # not paid yet
    auth.login(admin)
    roster = text(client.get(f"/events/offerings/{open_offering.id}/roster"))
    assert "External: Riverside Community Clinic" in roster
    no_number = client.post(f"/events/manage/registrations/{registration.id}/fee",
                            data={"status": "paid", "reference": ""})
    assert "Enter the invoice or receipt number" in text(no_number)
    saved = client.post(f"/events/manage/registrations/{registration.id}/fee",
                        data={"status": "paid", "reference": "RCPT-2031-0042"})
    assert saved.status_code == 303
    event = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "registration.fee")).scalar_one()
    assert event.actor_id == admin.id and event.details["reference"] == "RCPT-2031-0042"
    auth.logout()
    receipt = client.get(manage_url + "/receipt.pdf")
    assert receipt.status_code == 200 and receipt.mimetype == "application/pdf"
    content = _pdf_text(receipt.data)
    for expected in ("RCPT-2031-0042", "Dr. Lena Ortiz", "Riverside Community Clinic",
                     "50.00 USD", open_offering.training.title):
        assert expected in content


def test_bad_sign_ups_get_field_messages_and_store_nothing(client, open_offering,
                                                          make_offering):
    response = _sign_up(client, open_offering, name="", email="not-an-address",
                        organisation="", profession="")
    body = text(response)
    for message in ("Give your name.", "Give an email address like name@example.org.",
                    "Give the organisation you work for.", "Give your profession."):
        assert message in body
    assert db.session.scalar(select(func.count(ExternalParticipant.id))) == 0
    internal = make_offering()
    assert client.get(f"/events/offerings/{internal.id}/join").status_code == 404
    assert client.get("/events/external/verify/forged-token").status_code == 404
    assert client.get("/events/external/forged-token").status_code == 404


def test_the_same_email_cannot_hold_two_places(client, open_offering):
    for _ in range(2):
        _sign_up(client, open_offering)
    first, second = db.session.execute(select(ExternalParticipant)).scalars().all()
    externals.verify(first)
    with pytest.raises(externals.DomainError, match="already"):
        externals.verify(second)


def test_external_cancels_and_the_seat_goes_to_the_next_in_line(client, make_user,
                                                                open_offering):
    _sign_up(client, open_offering)
    participant = db.session.execute(select(ExternalParticipant)).scalar_one()
    externals.verify(participant)
    waiting = make_user()
    event_registration.register(waiting, open_offering)
    db.session.commit()
    url = f"/events/external/{externals.manage_token(participant)}"
    assert client.post(url + "/cancel").status_code == 303
    assert "You cancelled this place." in text(client.get(url))
    promoted = db.session.execute(select(Registration).where(
        Registration.user_id == waiting.id)).scalar_one()
    assert promoted.status == "registered"


def test_check_in_certificate_and_apart_from_the_scorecard(client, make_offering):
    offering = make_offering(audience="open", starts_in=timedelta(days=2))
    _sign_up(client, offering)
    participant = db.session.execute(select(ExternalParticipant)).scalar_one()
    externals.verify(participant)
    db.session.commit()
    url = f"/events/external/{externals.manage_token(participant)}"
    with clock.frozen_at(offering.starts_at + timedelta(minutes=5)):
        wrong = client.post(url + "/check-in", data={"code": "WRONG1"})
        assert wrong.status_code == 422 and "That code is not right" in text(wrong)
        assert client.post(url + "/check-in",
                           data={"code": offering.checkin_code}).status_code == 303
        assert "You're checked in" in text(client.get(url))
    certificate = client.get(url + "/certificate.pdf")
    content = _pdf_text(certificate.data)
    assert "Certificate of Attendance" in content
    assert "Dr. Lena Ortiz" in content and "MD-448812" in content
    # External participants are not staff: the attendance figure does not count them.
    figures = attendance_figures(type("Ctx", (), {"since": offering.starts_at
                                                  - timedelta(days=400),
                                                  "series_departments": None})())
    assert sum(figures.counts["attended"].values()) == 0


def test_erasure_on_request_keeps_the_counts(client, auth, admin, open_offering, make_user):
    _sign_up(client, open_offering)
    participant = db.session.execute(select(ExternalParticipant)).scalar_one()
    registration = externals.verify(participant)
    waiting = make_user()
    event_registration.register(waiting, open_offering)
    db.session.commit()
    auth.login(admin)
    response = client.post(f"/events/manage/registrations/{registration.id}/erase")
    assert response.status_code == 303
    db.session.expire_all()
    participant = db.session.get(ExternalParticipant, participant.id)
    assert participant.erased_at is not None
    assert participant.name.startswith("Former participant")
    assert participant.licence_number is None and participant.organisation is None
    assert "Ortiz" not in text(client.get(f"/events/offerings/{open_offering.id}/roster"))
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
        func.lower(OutboxMessage.to_address) == GUEST["email"].lower())) == 0
    # The place went to the next in line; the erased registration stays, unnamed.
    assert db.session.get(Registration, registration.id).status == "cancelled"
    assert db.session.execute(select(Registration.status).where(
        Registration.user_id == waiting.id)).scalar_one() == "registered"
    auth.logout()
    assert client.get(f"/events/external/{externals.manage_token(participant)}"
                      ).status_code == 404


def test_open_sessions_page_query_count_does_not_grow(client, make_offering, count_queries):
    make_offering(audience="open")
    with count_queries() as small:
        assert client.get("/events/open").status_code == 200
    for _ in range(6):
        make_offering(audience="open")
    with count_queries() as large:
        assert client.get("/events/open").status_code == 200
    assert large.count == small.count


def test_roster_with_externals_query_count_does_not_grow(client, auth, admin, make_user,
                                                        make_offering, count_queries):
    offering = make_offering(audience="open", capacity=50, fee_cents=2500)

    def add_people(n):
        for i in range(n):
            event_registration.register(make_user(), offering)
            externals.verify(externals.sign_up(offering, externals.SignUpData(
                name=f"Guest {i}", email=f"guest{i}.{offering.seats_taken}@clinic.example.org",
                organisation="Clinic", profession="Nurse")))
        db.session.commit()

    add_people(1)
    auth.login(admin)
    with count_queries() as small:
        assert client.get(f"/events/offerings/{offering.id}/roster").status_code == 200
    add_people(5)
    with count_queries() as large:
        assert client.get(f"/events/offerings/{offering.id}/roster").status_code == 200
    assert large.count == small.count


def test_demo_has_a_fee_based_session_open_to_externals(app):
    from lms.demo.people import load_demo
    from lms.models import Offering

    load_demo()
    load_demo()
    db.session.commit()
    open_ones = db.session.execute(select(Offering).where(Offering.audience == "open")
                                   ).scalars().all()
    assert len(open_ones) == 1 and open_ones[0].fee_cents == 5000


@pytest.mark.parametrize("fee", ["NaN", "Infinity", "-5", "100000.01", "abc"])
def test_a_bad_fee_gets_a_field_message(client, auth, admin, make_training, fee):
    training = make_training()
    auth.login(admin)
    response = client.post(f"/events/manage/trainings/{training.id}/offerings/new", data={
        "starts_at": "2031-04-02T09:00", "ends_at": "2031-04-02T10:00", "mode": "virtual",
        "video_url": "https://video.example.edu/j/9", "capacity": "20", "audience": "open",
        "fee": fee})
    assert response.status_code in (200, 422)
    assert 'aria-invalid="true"' in text(response)


def test_the_fee_is_saved_in_cents_for_open_sessions_only(client, auth, admin, make_training):
    from lms.models import Offering

    training = make_training()
    auth.login(admin)
    base = {"starts_at": "2031-04-02T09:00", "ends_at": "2031-04-02T10:00", "mode": "virtual",
            "video_url": "https://video.example.edu/j/9", "capacity": "20", "fee": "49.50"}
    client.post(f"/events/manage/trainings/{training.id}/offerings/new",
                data={**base, "audience": "open"})
    client.post(f"/events/manage/trainings/{training.id}/offerings/new",
                data={**base, "audience": "internal", "starts_at": "2031-04-03T09:00",
                      "ends_at": "2031-04-03T10:00"})
    fees = db.session.execute(select(Offering.audience, Offering.fee_cents)
                              .order_by(Offering.starts_at)).all()
    assert fees == [("open", 4950), ("internal", None)]


def test_unconfirmed_sign_ups_are_not_kept_beyond_their_link(client, open_offering):
    _sign_up(client, open_offering)
    stale = db.session.execute(select(ExternalParticipant)).scalar_one()
    token = externals.verify_token(stale)
    with clock.frozen_at(clock.now() + timedelta(days=3, minutes=1)):
        assert client.get(f"/events/external/verify/{token}").status_code == 404
        _sign_up(client, open_offering, email="someone.else@clinic.example.org")
    emails = db.session.execute(select(ExternalParticipant.email)).scalars().all()
    assert emails == ["someone.else@clinic.example.org"]


def test_reminders_reach_external_participants_with_their_private_link(
        client, make_offering, mailbox):
    from lms.services.events.mail import send_reminders

    offering = make_offering(audience="open", starts_in=timedelta(hours=20))
    _sign_up(client, offering)
    participant = db.session.execute(select(ExternalParticipant)).scalar_one()
    externals.verify(participant)
    db.session.commit()
    assert send_reminders() == 1
    db.session.commit()
    stored = db.session.execute(select(OutboxMessage).where(
        OutboxMessage.kind == "event_reminder")).scalar_one()
    assert "/events/external/" not in stored.body_text  # not readable in the admin outbox
    body = mailbox.bodies(participant.email)[-1]
    link = re.search(r"https?://[^/\s]+(/events/external/\S+)", body).group(1)
    assert "You have a seat" in text(client.get(link))


def test_an_external_erases_their_own_details_through_their_link(client, open_offering):
    _sign_up(client, open_offering)
    participant = db.session.execute(select(ExternalParticipant)).scalar_one()
    registration = externals.verify(participant)
    db.session.commit()
    url = f"/events/external/{externals.manage_token(participant)}"
    assert "Erase my details" in text(client.get(url))
    response = client.post(url + "/erase")
    assert response.status_code == 303
    assert "Your details are erased" in text(client.get(response.location))
    db.session.expire_all()
    assert db.session.get(ExternalParticipant, participant.id).erased_at is not None
    assert db.session.get(Registration, registration.id).status == "cancelled"
    assert client.get(url).status_code == 404
    event = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "external.erased")).scalar_one()
    assert event.actor_id is None and "Ortiz" not in str(event.details)
