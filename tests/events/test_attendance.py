"""Roster, bulk attendance, self check-in and what attending completes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms import clock
from lms.extensions import db
from lms.models import Registration
from lms.services.errors import DomainError
from lms.services.events import offerings as events
from lms.services.events import registration as event_registration
from tests.events.helpers import text


@pytest.fixture
def session_with_people(make_user, make_training, make_offering):
    """A two-seat session of "psychological-safety" with its facilitator, two people
    seated and one waitlisted: (facilitator, offering, people, registrations)."""
    facilitator = make_user(roles=("mentor", "learner"), name="Facilitator")
    training = make_training(slug="psychological-safety", facilitators=[facilitator])
    offering = make_offering(training, capacity=2)
    people = [make_user(name=f"Learner {i}") for i in range(3)]
    regs = [event_registration.register(p, offering) for p in people]
    db.session.commit()
    return facilitator, offering, people, regs


def test_roster_is_for_admins_and_the_trainings_facilitators(
        client, auth, admin, make_user, session_with_people):
    facilitator, offering, people, _ = session_with_people
    url = f"/events/offerings/{offering.id}/roster"
    auth.login(make_user(roles=("mentor", "learner")))  # a mentor, but not this training's
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login(people[0])
    assert client.get(url).status_code == 403
    auth.logout()
    for allowed in (facilitator, admin):
        auth.login(allowed)
        page = client.get(url)
        assert page.status_code == 200
        body = text(page)
        assert offering.checkin_code in body
        assert all(p.name in body for p in people)
        auth.logout()


def test_facilitator_marks_attendance_in_bulk(client, auth, session_with_people):
    facilitator, offering, people, regs = session_with_people
    auth.login(facilitator)
    url = f"/events/offerings/{offering.id}/roster"
    with clock.frozen_at(offering.starts_at + timedelta(minutes=30)):
        response = client.post(url, data={"registration_ids": [regs[0].id, regs[1].id],
                                          "attendance": "attended"})
        assert response.status_code == 303
        client.post(url, data={"registration_ids": [regs[2].id], "attendance": "no_show"})
        page = text(client.get(url))
    assert "Marked 2 people as attended." in page
    db.session.expire_all()
    assert [db.session.get(Registration, r.id).attendance for r in regs] == [
        "attended", "attended", "no_show"]
    assert db.session.get(Registration, regs[0].id).attendance_marked_by_id == facilitator.id


def test_bulk_marking_refuses_strangers_ids_and_early_marking(client, auth, admin,
                                                                 session_with_people,
                                                                 make_offering, make_user):
    _, offering, _, regs = session_with_people
    elsewhere = make_offering()
    stranger = event_registration.register(make_user(), elsewhere)
    db.session.commit()
    auth.login(admin)
    url = f"/events/offerings/{offering.id}/roster"
    with clock.frozen_at(offering.starts_at + timedelta(minutes=5)):
        response = client.post(url, data={"registration_ids": [stranger.id],
                                          "attendance": "attended"})
    assert response.status_code == 200
    assert "not a valid choice" in text(response)
    response = client.post(url, data={"registration_ids": [regs[0].id],
                                      "attendance": "attended"})
    assert "once the session has started" in text(response)
    db.session.expire_all()
    assert db.session.get(Registration, stranger.id).attendance is None
    assert db.session.get(Registration, regs[0].id).attendance is None


def test_self_check_in_with_the_code_during_the_session(client, auth, session_with_people):
    _, offering, people, regs = session_with_people
    auth.login(people[0])
    url = f"/events/offerings/{offering.id}/check-in"
    with clock.frozen_at(offering.starts_at - timedelta(hours=1)):
        early = client.post(url, data={"code": offering.checkin_code})
    assert early.status_code == 422
    assert "Check-in opens at" in text(early)
    with clock.frozen_at(offering.starts_at + timedelta(minutes=10)):
        wrong = client.post(url, data={"code": "ZZZZZZ"})
        assert wrong.status_code == 422
        assert "That code is not right" in text(wrong)
        ok = client.post(url, data={"code": offering.checkin_code.lower()})
        assert ok.status_code == 303
        assert client.post(url, data={"code": "anything"}).status_code == 303  # harmless again
    auth.logout()
    auth.login(people[1])
    with clock.frozen_at(offering.ends_at + timedelta(minutes=1)):
        late = client.post(url, data={"code": offering.checkin_code})
    assert late.status_code == 422
    assert "Check-in closed" in text(late)
    db.session.expire_all()
    registration = db.session.get(Registration, regs[0].id)
    assert registration.attendance == "attended"
    assert registration.checked_in_at is not None


def test_check_in_without_a_place_is_refused_unless_drop_in(make_user, make_offering):
    learner = make_user()
    booked = make_offering()
    drop_in = make_offering(rsvp_required=False)
    with clock.frozen_at(booked.starts_at + timedelta(minutes=1)):
        with pytest.raises(DomainError, match="not registered"):
            event_registration.check_in(learner, booked, booked.checkin_code)
        db.session.rollback()
        registration = event_registration.check_in(learner, drop_in, drop_in.checkin_code)
        db.session.commit()
    assert (registration.status, registration.attendance) == ("drop_in", "attended")
    assert drop_in.seats_taken == 0  # drop-ins never take a reserved seat


def test_htmx_check_in_swaps_the_check_in_box(client, auth, session_with_people):
    _, offering, people, _ = session_with_people
    auth.login(people[1])
    with clock.frozen_at(offering.starts_at):
        response = client.post(f"/events/offerings/{offering.id}/check-in",
                               data={"code": offering.checkin_code},
                               headers={"HX-Request": "true"})
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="checkin"')
    assert "You're checked in" in body


def test_attendance_completes_the_trainings_live_step(make_user, session_with_people,
                                                      make_offering, admin):
    _, offering, people, regs = session_with_people
    assert events.attended_training_slugs(people[0].id) == set()
    with clock.frozen_at(offering.starts_at + timedelta(minutes=1)):
        event_registration.mark_attendance(offering, [regs[0].id], "attended", actor=admin)
        event_registration.mark_attendance(offering, [regs[1].id], "no_show", actor=admin)
    db.session.commit()
    assert events.attended_training_slugs(people[0].id) == {"psychological-safety"}
    assert events.attended_training_slugs(people[1].id) == set()
    # The module player lists the other dates of the training:
    other = make_offering(offering.training)
    assert [o.id for o in events.offerings_for_training_slug("psychological-safety")] == [
        offering.id, other.id]
    assert events.offerings_for_training_slug("no-such-training") == []


def test_attended_training_slugs_is_one_query(count_queries, make_user, make_training,
                                              make_offering, admin):
    learner = make_user()
    for n in range(5):
        offering = make_offering(make_training(slug=f"topic-{n}"))
        reg = event_registration.register(learner, offering)
        with clock.frozen_at(offering.starts_at):
            event_registration.mark_attendance(offering, [reg.id], "attended", actor=admin)
    learner_id = learner.id
    db.session.commit()
    with count_queries() as counter:
        slugs = events.attended_training_slugs(learner_id)
    assert slugs == {f"topic-{n}" for n in range(5)}
    assert counter.count == 1
