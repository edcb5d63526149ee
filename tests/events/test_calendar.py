"""Calendar files as served: parsed with the icalendar library, the way a calendar app would."""

from __future__ import annotations

import base64
from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import select

from lms.extensions import db
from lms.models import CalendarFeed, OutboxMessage, Registration
from lms.services.events import offerings as events
from lms.services.events import registration as event_registration
from tests.events.helpers import text


def _events(data: bytes):
    calendar = Calendar.from_ical(data)
    return calendar, calendar.walk("VEVENT")


def test_offering_ics_has_a_stable_uid_and_utc_times(client, auth, make_user, make_offering):
    offering = make_offering()
    auth.login(make_user())
    response = client.get(f"/events/offerings/{offering.id}/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    calendar, [event] = _events(response.data)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(event["UID"]) == f"offering-{offering.id}@lms.test"
    assert event.decoded("DTSTART") == offering.starts_at
    assert event.decoded("DTEND") == offering.ends_at
    assert int(event["SEQUENCE"]) == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == offering.training.title
    # Not registered: the call link stays private.
    assert "video.example.edu" not in response.data.decode()


def test_registered_people_get_the_call_link(client, auth, make_user, make_offering):
    offering = make_offering()
    learner = make_user()
    event_registration.register(learner, offering)
    db.session.commit()
    auth.login(learner)
    _, [event] = _events(client.get(f"/events/offerings/{offering.id}/calendar.ics").data)
    assert "https://video.example.edu/j/123" in str(event["DESCRIPTION"])
    page = text(client.get(f"/events/offerings/{offering.id}"))
    assert 'href="https://video.example.edu/j/123"' in page


def test_sequence_rises_and_cancellation_is_served(client, auth, admin, make_user, make_offering):
    offering = make_offering()
    uid_before = f"offering-{offering.id}@lms.test"
    data = events.OfferingData(**{**{n: getattr(offering, n) for n in events.EDITABLE_FIELDS},
                                  "capacity": offering.capacity,
                                  "starts_at": offering.starts_at + timedelta(hours=1),
                                  "ends_at": offering.ends_at + timedelta(hours=1)})
    events.update_offering(offering, data, actor=admin)
    db.session.commit()
    auth.login(make_user())
    _, [event] = _events(client.get(f"/events/offerings/{offering.id}/calendar.ics").data)
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (uid_before, 1)
    events.cancel_offering(offering, actor=admin)
    db.session.commit()
    _, [event] = _events(client.get(f"/events/offerings/{offering.id}/calendar.ics").data)
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (uid_before, 2)
    assert str(event["STATUS"]) == "CANCELLED"


def test_change_and_cancellation_emails_carry_the_updated_ics(admin, make_user, make_offering):
    offering = make_offering(capacity=1)
    seated, waiting = make_user(), make_user()
    event_registration.register(seated, offering)
    event_registration.register(waiting, offering)
    data = events.OfferingData(**{**{n: getattr(offering, n) for n in events.EDITABLE_FIELDS},
                                  "capacity": 1, "video_url": "https://video.example.edu/j/new"})
    events.update_offering(offering, data, actor=admin)
    events.cancel_offering(offering, actor=admin, reason="The facilitator is unwell.")
    db.session.commit()

    def mail(to, kind):
        return db.session.execute(select(OutboxMessage).where(
            OutboxMessage.to_address == to, OutboxMessage.kind == kind)).scalar_one()

    changed = mail(seated.email, "event_changed")
    _, [event] = _events(base64.b64decode(changed.attachment_data))
    assert int(event["SEQUENCE"]) == 1
    assert "j/new" in str(event["DESCRIPTION"])
    assert mail(waiting.email, "event_changed").attachment_data is None  # no seat, no invite
    cancelled = mail(seated.email, "event_cancelled")
    assert "The facilitator is unwell." in cancelled.body_text
    calendar, [event] = _events(base64.b64decode(cancelled.attachment_data))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 2
    assert mail(waiting.email, "event_cancelled") is not None


def test_private_feed_lists_the_persons_sessions(client, auth, make_user, make_offering):
    learner, other = make_user(), make_user()
    mine, full, not_mine = make_offering(), make_offering(capacity=1), make_offering()
    event_registration.register(other, full)
    event_registration.register(learner, mine)
    event_registration.register(learner, full)  # waitlisted
    event_registration.register(other, not_mine)
    db.session.commit()
    auth.login(learner)
    page = text(client.get("/events/calendar"))
    token = db.session.execute(select(CalendarFeed.token).where(
        CalendarFeed.user_id == learner.id)).scalar_one()
    assert f"http://lms.test/events/feed/{token}.ics" in page
    assert f"webcal://lms.test/events/feed/{token}.ics" in page

    auth.logout()  # calendar apps are not signed in
    response = client.get(f"/events/feed/{token}.ics")
    assert response.status_code == 200
    calendar, found = _events(response.data)
    assert "my live sessions" in str(calendar["X-WR-CALNAME"])
    by_uid = {str(e["UID"]): e for e in found}
    assert set(by_uid) == {f"offering-{mine.id}@lms.test", f"offering-{full.id}@lms.test"}
    assert str(by_uid[f"offering-{full.id}@lms.test"]["STATUS"]) == "TENTATIVE"
    assert str(by_uid[f"offering-{mine.id}@lms.test"]["STATUS"]) == "CONFIRMED"


def test_a_new_feed_link_revokes_the_old_one(client, auth, make_user):
    learner = make_user()
    auth.login(learner)
    client.get("/events/calendar")
    old = db.session.execute(select(CalendarFeed.token)).scalar_one()
    assert client.get(f"/events/feed/{old}.ics").status_code == 200
    response = client.post("/events/calendar/new-link")
    assert response.status_code == 303
    db.session.expire_all()
    new = db.session.execute(select(CalendarFeed.token)).scalar_one()
    assert new != old
    assert client.get(f"/events/feed/{old}.ics").status_code == 404
    assert client.get(f"/events/feed/{new}.ics").status_code == 200


def test_unknown_feed_token_is_404(client):
    assert client.get("/events/feed/not-a-token.ics").status_code == 404
    assert client.get("/events/feed/" + "x" * 300 + ".ics").status_code == 404


def test_deactivated_people_lose_their_feed(client, make_user):
    from lms.services.events.calendar import feed_for

    learner = make_user()
    token = feed_for(learner).token
    learner.is_active_account = False
    db.session.commit()
    assert client.get(f"/events/feed/{token}.ics").status_code == 404


def test_the_feed_follows_every_change_at_once(client, admin, make_user, make_offering,
                                               count_queries):
    """The feed is kept between fetches, never past a change to what it shows."""
    from lms.services.events.calendar import feed_for

    learner, other = make_user(), make_user()
    first, second = make_offering(capacity=1), make_offering()
    event_registration.register(learner, first)
    token = feed_for(learner).token
    db.session.commit()

    def statuses():
        response = client.get(f"/events/feed/{token}.ics")
        assert response.status_code == 200
        return {str(e["UID"]).split("@")[0]: str(e["STATUS"]) for e in _events(response.data)[1]}

    seated = {f"offering-{first.id}": "CONFIRMED"}
    assert statuses() == seated
    with count_queries() as counter:
        assert statuses() == seated
    assert counter.count == 1  # the owner by token; the calendar is the kept copy
    event_registration.register(learner, second)
    db.session.commit()
    assert statuses() == {f"offering-{first.id}": "CONFIRMED",
                          f"offering-{second.id}": "CONFIRMED"}
    event_registration.register(other, second)  # someone else's place changes nothing here
    db.session.commit()
    assert len(statuses()) == 2
    events.cancel_offering(second, actor=admin)
    db.session.commit()
    assert statuses()[f"offering-{second.id}"] == "CANCELLED"
    [place] = db.session.scalars(select(Registration).where(
        Registration.user_id == learner.id, Registration.offering_id == first.id))
    event_registration.cancel(place, actor=learner)
    db.session.commit()
    assert set(statuses()) == {f"offering-{second.id}"}


AWKWARD_TEXTS = [
    "",
    "Short",
    "x" * 73, "x" * 74, "x" * 75, "x" * 200,
    "é" * 40, "a" + "é" * 40, "🙂" * 30, "ab🙂" * 25,
    "Commas, semicolons; back\\slashes\\ and\nnew lines\n" * 4,
    ("y" * 72) + "\\" + ("z" * 80),
    "Café · Zürich · 東京 " * 8,
]


def test_calendar_bytes_are_what_the_calendar_library_writes(app):
    from icalendar import Event, vCalAddress

    from lms.services.events.calendar import calendar_bytes

    for text_value in AWKWARD_TEXTS:
        calendar = Calendar()
        calendar.add("prodid", "-//Test//EN")
        calendar.add("method", "REQUEST")
        event = Event()
        event.add("summary", text_value)
        event.add("description", text_value + text_value)
        event.add("location", text_value)
        who = vCalAddress("mailto:someone@example.edu")
        who.params["cn"] = text_value or "Name"
        event.add("attendee", who)
        calendar.add_component(event)
        assert calendar_bytes(calendar) == calendar.to_ical(), text_value
        assert calendar_bytes(calendar) == calendar.to_ical(), text_value  # kept folds too


def test_a_long_calendar_line_is_folded_once(app, make_user, make_offering, monkeypatch):
    from icalendar.parser import Contentline

    from lms.services.events import calendar as event_calendar

    offering = make_offering()
    offering.training.description = "A description long enough to be folded. " * 5
    folds = []
    fold = Contentline.to_ical
    monkeypatch.setattr(Contentline, "to_ical", lambda line: folds.append(line) or fold(line))
    event_calendar._fold_long.cache_clear()
    first = event_calendar.offering_ics(offering, include_link=False)
    folded = len(folds)
    second = event_calendar.offering_ics(offering, include_link=False)
    event_calendar._fold_long.cache_clear()
    assert folded and len(folds) == folded
    assert first.split(b"DTSTAMP")[0] == second.split(b"DTSTAMP")[0]
