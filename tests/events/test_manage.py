"""The programme office's forms: trainings, offerings in local time, cancelling."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from lms.extensions import db
from lms.models import Offering, OutboxMessage, Training
from lms.services.events import offerings as events
from lms.services.events import registration as event_registration
from tests.events.helpers import text


def _offering_form(**overrides) -> dict:
    values = {"starts_at": "2031-03-10T12:00", "ends_at": "2031-03-10T14:00",
              "mode": "in_person", "location": "Upjohn Campus, Room 1120", "video_url": "",
              "capacity": "30", "audience": "internal", "department_id": "",
              "engagement_week_id": "", "notes": ""}
    values.update(overrides)
    return values


def test_admin_creates_a_training_with_facilitators_and_modules(client, auth, admin, synced,
                                                                make_user):
    mentor = make_user(roles=("mentor", "learner"), name="Dr. Amara Okafor")
    auth.login(admin)
    response = client.post("/events/manage/trainings/new", data={
        "title": "Systemic Racism Pt. 2", "slug": "", "series": "Systemic Racism", "part": "2",
        "description": "With ERACCE.",
        "related_modules": ["implicit-bias-foundations", "inclusive-allyship"],
        "facilitator_ids": [str(mentor.id)]})
    assert response.status_code == 303
    training = db.session.execute(select(Training)).scalar_one()
    assert training.slug == "systemic-racism-pt-2"
    assert training.related_module_slugs == ["implicit-bias-foundations", "inclusive-allyship"]
    assert [u.id for u in training.facilitators] == [mentor.id]
    again = client.post("/events/manage/trainings/new", data={
        "title": "Another", "slug": "systemic-racism-pt-2"})
    assert "Another training already uses this slug." in text(again)
    bad = client.post("/events/manage/trainings/new", data={
        "title": "Bad", "related_modules": ["no-such-module"]})
    assert bad.status_code == 200 and "not a valid choice" in text(bad)
    assert db.session.scalar(select(func.count(Training.id))) == 1

    # The edit form offers the modules by title, ticks the chosen ones, and keeps one
    # that is no longer published instead of dropping it unseen.
    training.related_module_slugs = ["inclusive-allyship", "retired-module"]
    db.session.commit()
    form = client.get(f"/events/manage/trainings/{training.id}").get_data(as_text=True)
    boxes = {value: bool(checked) for checked, value in re.findall(
        r'<input( checked)? id="related_modules-\d+" name="related_modules" '
        r'type="checkbox" value="([a-z0-9-]+)">', form)}
    assert boxes["inclusive-allyship"] and boxes["retired-module"]
    assert not boxes["implicit-bias-foundations"]
    assert "Inclusive Allyship Programme" in form and "retired-module (not published)" in form


def test_offering_times_are_entered_in_local_time_and_stored_in_utc(client, auth, admin,
                                                                    make_training):
    training = make_training()
    auth.login(admin)
    response = client.post(f"/events/manage/trainings/{training.id}/offerings/new",
                           data=_offering_form())
    assert response.status_code == 303
    offering = db.session.execute(select(Offering)).scalar_one()
    # America/Detroit is UTC-4 on 10 March 2031 (daylight time began on 9 March).
    assert offering.starts_at == datetime(2031, 3, 10, 16, 0, tzinfo=UTC)
    page = text(client.get(f"/events/offerings/{offering.id}"))
    assert "12:00 – 2:00\u00a0PM EDT" in page
    edit = text(client.get(f"/events/manage/offerings/{offering.id}"))
    assert 'value="2031-03-10T12:00"' in edit


def test_a_time_skipped_by_the_clock_change_is_refused(client, auth, admin, make_training):
    training = make_training()
    auth.login(admin)
    response = client.post(f"/events/manage/trainings/{training.id}/offerings/new",
                           data=_offering_form(starts_at="2031-03-09T02:30",
                                               ends_at="2031-03-09T04:00"))
    assert response.status_code == 200
    assert "does not exist in America/Detroit" in text(response)
    assert db.session.scalar(select(func.count(Offering.id))) == 0


def test_bad_offering_input_is_shown_at_the_field(client, auth, admin, make_training):
    training = make_training()
    auth.login(admin)
    url = f"/events/manage/trainings/{training.id}/offerings/new"
    cases = [
        (_offering_form(ends_at="2031-03-10T11:00"), "The session must end after it starts."),
        (_offering_form(location=""), "Give the room for a session on campus."),
        (_offering_form(mode="virtual", location="", video_url=""), "Give the video call link."),
        (_offering_form(mode="virtual", video_url="http://insecure.example.edu/j/1"),
         "must start with https://"),
        (_offering_form(capacity="0"), "Seats must be between 1 and 10,000."),
        (_offering_form(audience="department"), "Choose the department this session is for."),
        (_offering_form(registration_closes_at="2031-03-11T09:00"),
         "Registration must close before the session ends."),
        (_offering_form(starts_at="not a date"), "Give the start date and time."),
    ]
    for data, message in cases:
        response = client.post(url, data=data)
        assert response.status_code == 200, message
        assert message in text(response), message
        assert 'aria-invalid="true"' in text(response)
    assert db.session.scalar(select(func.count(Offering.id))) == 0


def test_capacity_below_registrations_is_refused_in_the_form(client, auth, admin, make_user,
                                                             make_offering):
    offering = make_offering(capacity=3, mode="in_person", location="Room 1", video_url=None)
    for _ in range(2):
        event_registration.register(make_user(), offering)
    db.session.commit()
    auth.login(admin)
    local = events.utc_to_local(offering.starts_at).strftime("%Y-%m-%dT%H:%M")
    local_end = events.utc_to_local(offering.ends_at).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/events/manage/offerings/{offering.id}", data=_offering_form(
        starts_at=local, ends_at=local_end, location="Room 1", capacity="1"))
    assert response.status_code == 200
    assert "2 people are already registered" in text(response)
    db.session.expire_all()
    assert db.session.get(Offering, offering.id).capacity == 3


def test_moving_a_session_emails_participants(client, auth, admin, make_user, make_offering):
    offering = make_offering(mode="in_person", location="Room 1", video_url=None)
    learner = make_user()
    event_registration.register(learner, offering)
    db.session.commit()
    auth.login(admin)
    new_start = events.utc_to_local(offering.starts_at + timedelta(days=1))
    response = client.post(f"/events/manage/offerings/{offering.id}", data=_offering_form(
        starts_at=new_start.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(new_start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        location="Room 1", capacity="10"))
    assert response.status_code == 303
    changed = db.session.execute(select(OutboxMessage).where(
        OutboxMessage.kind == "event_changed")).scalar_one()
    assert changed.to_address == learner.email
    assert changed.attachment_name.endswith(".ics")


def test_cancelling_a_session_from_its_page(client, auth, admin, make_user, make_offering):
    offering = make_offering()
    learner = make_user()
    event_registration.register(learner, offering)
    db.session.commit()
    auth.login(admin)
    assert "Cancel " in text(client.get(f"/events/manage/offerings/{offering.id}/cancel"))
    response = client.post(f"/events/manage/offerings/{offering.id}/cancel",
                           data={"reason": "Room flooded."})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Offering, offering.id).status == "cancelled"
    again = client.post(f"/events/manage/offerings/{offering.id}/cancel", data={"reason": ""})
    assert "already cancelled" in text(again)
    edit = client.post(f"/events/manage/offerings/{offering.id}", data=_offering_form())
    assert edit.status_code == 303  # refused with a message, nothing changed
    assert "can no longer be changed" in text(client.get(edit.headers["Location"]))


def test_manage_overview_query_count_does_not_grow(client, auth, admin, make_training,
                                                   make_offering, count_queries):
    auth.login(admin)
    make_offering(make_training())
    with count_queries() as small:
        assert client.get("/events/manage").status_code == 200
    for _ in range(6):
        training = make_training()
        make_offering(training)
        make_offering(training)
    with count_queries() as large:
        assert client.get("/events/manage").status_code == 200
    assert large.count == small.count
