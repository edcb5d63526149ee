"""Live sessions: who may open what.

The world's mentor facilitates the training, so the roster is open to them
and to admins only; the calendar feed is public but needs the owner's token.
External participants have no account: their pages are public and the signed
link from their email is the credential; fees and erasure are the programme
office's.
"""

from __future__ import annotations

from datetime import timedelta

from lms.models import utcnow
from tests.authz_matrix import ADMINS, EVERYONE, MENTOR, SIGNED_IN, Rule

FACILITATORS = frozenset({MENTOR, "admin"})
OFFERING = {"offering_id": "events_offering.id"}
OPEN_OFFERING = {"offering_id": "events_open_offering.id"}
MANAGE = {"token": "events_manage_token"}
EXTERNAL_REGISTRATION = {"registration_id": "events_external_registration.id"}

ROWS = [
    Rule("events.index", SIGNED_IN),
    Rule("events.training", SIGNED_IN, args={"slug": "events_training.slug"}),
    Rule("events.offering", SIGNED_IN, args=OFFERING),
    Rule("events.register", SIGNED_IN, "POST", args=OFFERING),
    Rule("events.cancel", SIGNED_IN, "POST", args=OFFERING),
    Rule("events.check_in", SIGNED_IN, "POST", args=OFFERING, data={"code": "WRONG1"}),
    Rule("events.offering_ics", SIGNED_IN, args=OFFERING),
    Rule("events.calendar", SIGNED_IN),
    Rule("events.regenerate_feed", SIGNED_IN, "POST"),
    Rule("events.feed", EVERYONE, args={"token": "events_feed.token"}),
    Rule("events.week", SIGNED_IN, args={"week_id": "events_week.id"}),
    Rule("events.roster", FACILITATORS, args=OFFERING),
    Rule("events.roster", FACILITATORS, "POST", args=OFFERING,
         data={"attendance": "attended"}),
    Rule("events.raffle_consent", SIGNED_IN, "POST", args={"week_id": "events_week.id"},
         data={"show_name": "yes"}),
    Rule("events.my_team_requests", SIGNED_IN),
    # external professionals (no account; the link in their email is the credential)
    Rule("events.open_sessions", EVERYONE),
    Rule("events.external_register", EVERYONE, args=OPEN_OFFERING),
    Rule("events.external_check_email", EVERYONE, args=OPEN_OFFERING),
    Rule("events.external_verify", EVERYONE, args={"token": "events_verify_token"}),
    Rule("events.external_manage", EVERYONE, args=MANAGE),
    Rule("events.external_cancel", EVERYONE, "POST", args=MANAGE),
    Rule("events.external_erase", EVERYONE, "POST", args=MANAGE),
    Rule("events.external_check_in", EVERYONE, "POST", args=MANAGE, data={"code": "WRONG1"}),
    Rule("events.external_ics", EVERYONE, args=MANAGE),
    Rule("events.external_receipt", EVERYONE, args=MANAGE),
    Rule("events.external_certificate", EVERYONE, args=MANAGE),
    Rule("events.new_team_request", SIGNED_IN),
    # programme office
    Rule("events.manage", ADMINS),
    Rule("events.new_training", ADMINS),
    Rule("events.edit_training", ADMINS, args={"training_id": "events_training.id"}),
    Rule("events.new_offering", ADMINS, args={"training_id": "events_training.id"}),
    Rule("events.edit_offering", ADMINS, args=OFFERING),
    Rule("events.cancel_offering", ADMINS, args=OFFERING),
    Rule("events.weeks", ADMINS),
    Rule("events.manage_week", ADMINS, args={"week_id": "events_week.id"}),
    Rule("events.draw", ADMINS, "POST", args={"week_id": "events_week.id"}),
    Rule("events.team_requests_list", ADMINS),
    Rule("events.team_request", ADMINS, args={"request_id": "events_request.id"}),
    Rule("events.schedule_request", ADMINS, args={"request_id": "events_request.id"}),
    Rule("events.registration_fee", ADMINS, args=EXTERNAL_REGISTRATION),
    Rule("events.registration_fee", ADMINS, "POST", args=EXTERNAL_REGISTRATION,
         data={"status": "waived"}),
    Rule("events.registration_receipt", ADMINS, args=EXTERNAL_REGISTRATION),
    Rule("events.erase_external", ADMINS, "POST", args=EXTERNAL_REGISTRATION),
]


def build_world(world, factories) -> None:
    """A training the mentor facilitates, an upcoming offering the learner registered for,
    an event week, a team request by the learner and the learner's calendar feed."""
    from datetime import date

    from lms.services.events import calendar as event_calendar
    from lms.services.events import offerings as events
    from lms.services.events import raffle as event_raffle
    from lms.services.events import registration as event_registration
    from lms.services.events.requests import RequestData, create_request

    world.events_training = events.create_training(events.TrainingData(
        title="Psychological Safety", slug="psychological-safety",
        facilitator_ids=[world.mentor.id]), actor=world.admin)
    start = utcnow() + timedelta(days=7)
    world.events_offering = events.create_offering(world.events_training, events.OfferingData(
        starts_at=start, ends_at=start + timedelta(hours=2), capacity=10, mode="virtual",
        video_url="https://video.example.edu/j/1"), actor=world.admin)
    event_registration.register(world.learner, world.events_offering)
    world.events_week = event_raffle.create_week(event_raffle.WeekData(
        name="We're All In Week", starts_on=date.today(), ends_on=date.today()), actor=None)
    world.events_request = create_request(RequestData(
        topic="Psychological Safety", group_size=60, preferred_dates="March",
        contact_name="Lead", contact_email="lead@example.edu"), requester=world.learner)
    world.events_feed = event_calendar.feed_for(world.learner)
    # An external participant who confirmed, paid and attended an open session.
    from lms.services.events import externals, payments

    world.events_open_offering = events.create_offering(world.events_training, events.OfferingData(
        starts_at=start, ends_at=start + timedelta(hours=1), capacity=10, mode="virtual",
        video_url="https://video.example.edu/j/2", audience="open", fee_cents=5000),
        actor=world.admin)
    participant = externals.sign_up(world.events_open_offering, externals.SignUpData(
        name="Guest Nurse", email="guest@clinic.example.org", organisation="Clinic",
        profession="Nurse"))
    registration = externals.verify(participant)
    payments.set_fee_status(registration, status="paid", reference="R-1", actor=world.admin)
    registration.attendance = "attended"
    world.events_external_registration = registration
    world.events_verify_token = externals.verify_token(participant)
    world.events_manage_token = externals.manage_token(participant)
