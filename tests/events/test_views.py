"""Pages and buttons: htmx fragments, the same actions without JavaScript, clear messages."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import render_template_string
from sqlalchemy import func, select

from lms import clock, localtime
from lms.extensions import db
from lms.models import OutboxMessage, Registration
from lms.services.events import offerings as events
from lms.services.events import registration as event_registration
from tests.events.helpers import text

HX = {"HX-Request": "true"}


def test_register_and_cancel_with_htmx_swap_the_action_box(client, auth, make_user,
                                                           make_offering):
    offering = make_offering(capacity=3)
    auth.login(make_user())
    response = client.post(f"/events/offerings/{offering.id}/register", headers=HX,
                           data={"next": "/events/"})
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<div class="offering-action" id="offering-{offering.id}'
                                    '-action">')
    assert "You're registered" in body
    assert "Cancel my place" in body
    assert "<html" not in body

    response = client.post(f"/events/offerings/{offering.id}/cancel", headers=HX,
                           data={"next": "/events/"})
    body = text(response)
    assert "Your place is cancelled" in body
    assert ">Register<" in body
    assert db.session.get(type(offering), offering.id).seats_taken == 0


def test_the_action_box_shows_the_seats_the_commit_left(client, auth, make_user, make_offering):
    """The answer to a POST is built from the rows the transaction wrote (nothing is read
    again after the commit), so its seat count must be the one the database holds."""
    offering = make_offering(capacity=3)
    event_registration.register(make_user(), offering)  # someone else's seat
    db.session.commit()
    auth.login(make_user())

    body = text(client.post(f"/events/offerings/{offering.id}/register", headers=HX,
                            data={"next": "/events/"}))
    assert "You're registered" in body and "1 of 3 seats left." in body

    body = text(client.post(f"/events/offerings/{offering.id}/cancel", headers=HX,
                            data={"next": "/events/"}))
    assert "Your place is cancelled" in body and "2 of 3 seats left." in body


def test_a_cancelled_seat_taken_by_the_waitlist_shows_the_session_full(client, auth, make_user,
                                                                       make_offering):
    offering = make_offering(capacity=1)
    seated, waiting, later = make_user(), make_user(), make_user()
    event_registration.register(seated, offering)
    db.session.commit()
    auth.login(waiting)
    body = text(client.post(f"/events/offerings/{offering.id}/register", headers=HX,
                            data={"next": "/events/"}))
    assert "On the waitlist: number 1 in line" in body and "Full (1 seats)" in body
    auth.logout()
    event_registration.register(later, offering)
    db.session.commit()
    auth.login(seated)

    body = text(client.post(f"/events/offerings/{offering.id}/cancel", headers=HX,
                            data={"next": "/events/"}))

    assert "Your place is cancelled" in body
    assert "Full (1 seats)" in body  # the freed seat went to the first in line
    assert db.session.get(Registration, db.session.scalar(select(Registration.id).where(
        Registration.user_id == waiting.id))).status == "registered"


def test_register_without_javascript_redirects_back_with_a_message(client, auth, make_user,
                                                                    make_offering):
    offering = make_offering(capacity=1)
    make_first = make_user()
    event_registration.register(make_first, offering)
    db.session.commit()
    auth.login(make_user())
    response = client.post(f"/events/offerings/{offering.id}/register",
                           data={"next": f"/events/trainings/{offering.training.slug}"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/events/trainings/{offering.training.slug}")
    page = text(client.get(response.headers["Location"]))
    assert "on the waitlist (number 1 in line)" in page
    assert "On the waitlist: number 1 in line" in page


def test_next_cannot_point_off_site(client, auth, make_user, make_offering):
    offering = make_offering()
    auth.login(make_user())
    response = client.post(f"/events/offerings/{offering.id}/register",
                           data={"next": "//evil.example.com/"})
    assert response.headers["Location"].endswith(f"/events/offerings/{offering.id}")


def test_bad_registrations_get_a_clear_message_not_a_500(client, auth, admin, make_user,
                                                         make_offering):
    learner = make_user()
    past = make_offering(starts_in=timedelta(days=-2))
    closed = make_offering(registration_closes_at=events.utcnow() - timedelta(minutes=1))
    cancelled = make_offering()
    events.cancel_offering(cancelled, actor=admin)
    twice = make_offering()
    event_registration.register(learner, twice)
    db.session.commit()
    auth.login(learner)
    expected = {past.id: "already taken place", closed.id: "Registration closed",
                cancelled.id: "has been cancelled", twice.id: "already registered"}
    for offering_id, message in expected.items():
        for headers in (HX, {}):
            response = client.post(f"/events/offerings/{offering_id}/register",
                                   headers=headers, follow_redirects=True)
            assert response.status_code == 200
            assert message in text(response)
    assert db.session.scalar(select(func.count(Registration.id))) == 1
    assert client.post("/events/offerings/99999/register").status_code == 404


def test_cancel_without_a_place_says_so(client, auth, make_user, make_offering):
    offering = make_offering()
    auth.login(make_user())
    response = client.post(f"/events/offerings/{offering.id}/cancel", headers=HX)
    assert "You do not have a place" in text(response)


def test_the_video_link_is_shown_only_to_seat_holders(client, auth, make_user, make_offering):
    offering = make_offering(capacity=1)
    seated, waiting = make_user(), make_user()
    event_registration.register(seated, offering)
    event_registration.register(waiting, offering)
    db.session.commit()
    auth.login(waiting)
    page = text(client.get(f"/events/offerings/{offering.id}"))
    assert "video.example.edu" not in page
    assert "The link is shown here once you have a seat." in page
    auth.logout()
    auth.login(seated)
    assert "video.example.edu" in text(client.get(f"/events/offerings/{offering.id}"))


def test_training_partial_for_module_pages(app, client, auth, make_user, make_training,
                                          make_offering):
    training = make_training(slug="disability-and-allyship", title="Disability and Allyship")
    offering = make_offering(training)
    make_offering(training, starts_in=timedelta(days=-3))  # past: not listed
    learner = make_user()
    auth.login(learner)
    with app.test_request_context("/learn/some-module"):
        from flask_login import login_user

        login_user(learner)
        html = render_template_string(
            '{% with training_slug="disability-and-allyship" %}'
            '{% include "events/_training_offerings.html" %}{% endwith %}')
        unknown = render_template_string(
            '{% with training_slug="not-scheduled" %}'
            '{% include "events/_training_offerings.html" %}{% endwith %}')
    assert html.count('class="offering-card"') == 1
    assert f'/events/offerings/{offering.id}/register' in html
    assert 'name="next" value="/learn/some-module"' in html
    assert "not on the calendar yet" in unknown


def test_home_shows_the_next_session_and_a_countdown(client, auth, make_user, make_offering):
    offering = make_offering(starts_in=timedelta(days=3, hours=2))
    learner = make_user()
    event_registration.register(learner, offering)
    from lms.services.events.raffle import WeekData, create_week

    create_week(WeekData(name="We're All In Week",
                         starts_on=events.local_today() + timedelta(days=10),
                         ends_on=events.local_today() + timedelta(days=14)), actor=None)
    db.session.commit()
    auth.login(learner)
    page = text(client.get("/"))
    assert offering.training.title in page
    # Days, hours and minutes, kept current in place by static/js/countdown.js.
    assert re.search(r"\(in <span class=\"countdown\"[^>]*><span class=\"countdown-value\" "
                     r"aria-live=\"off\">3 days, [12] hours? and \d+ minutes?</span>", page)
    assert "We're All In Week" in page
    assert re.search(r'aria-live="off">(9|10) days, ', page)  # local midnight vs. now


def test_countdown_words():
    now = events.utcnow()
    assert events.countdown_text(now + timedelta(days=3, hours=5), now) == "in 3 days"
    assert events.countdown_text(now + timedelta(days=1, hours=2), now) == "in 1 day and 2 hours"
    assert events.countdown_text(now + timedelta(hours=1, minutes=5), now) == "in 1 hour"
    assert events.countdown_text(now + timedelta(minutes=1), now) == "in 1 minute"
    assert events.countdown_text(now - timedelta(minutes=1), now) == "now"


def test_the_whole_story_through_the_pages(client, auth, admin, make_user, make_training,
                                           make_offering):
    """Register, download the .ics, subscribe; a second learner waits and is promoted when
    the first cancels; the facilitator marks attendance and the live step completes."""
    facilitator = make_user(roles=("mentor", "learner"))
    training = make_training(slug="psychological-safety", title="Psychological Safety",
                             facilitators=[facilitator])
    offering = make_offering(training, capacity=1)
    first, second = make_user(), make_user()

    auth.login(first)
    assert "Psychological Safety" in text(client.get("/events/trainings/psychological-safety"))
    client.post(f"/events/offerings/{offering.id}/register")
    assert client.get(f"/events/offerings/{offering.id}/calendar.ics").mimetype == "text/calendar"
    assert "webcal://" in text(client.get("/events/calendar"))
    auth.logout()

    auth.login(second)
    client.post(f"/events/offerings/{offering.id}/register")
    auth.logout()

    auth.login(first)
    client.post(f"/events/offerings/{offering.id}/cancel")
    auth.logout()
    promoted = db.session.execute(select(OutboxMessage).where(
        OutboxMessage.to_address == second.email, OutboxMessage.kind == "event_promoted")
    ).scalar_one()
    assert "Psychological Safety" in promoted.subject

    auth.login(facilitator)
    registration = db.session.execute(select(Registration).where(
        Registration.user_id == second.id)).scalar_one()
    with clock.frozen_at(offering.starts_at + timedelta(minutes=20)):
        client.post(f"/events/offerings/{offering.id}/roster",
                    data={"registration_ids": [registration.id], "attendance": "attended"})
    assert events.attended_training_slugs(second.id) == {"psychological-safety"}
    assert events.attended_training_slugs(first.id) == set()


def test_department_sessions_are_listed_only_for_that_department(client, auth, make_user,
                                                                 make_department,
                                                                 make_offering):
    pediatrics = make_department("Pediatrics")
    team = make_offering(audience="department", department_id=pediatrics.id)
    auth.login(make_user(department=make_department("Cardiology")))
    assert f"/events/offerings/{team.id}\"" not in text(client.get("/events/"))
    auth.logout()
    auth.login(make_user(department=pediatrics))
    assert f"/events/offerings/{team.id}\"" in text(client.get("/events/"))


def test_waitlisted_download_is_tentative(client, auth, make_user, make_offering):
    from icalendar import Calendar

    offering = make_offering(capacity=1)
    event_registration.register(make_user(), offering)
    waiting = make_user()
    event_registration.register(waiting, offering)
    db.session.commit()
    auth.login(waiting)
    data = client.get(f"/events/offerings/{offering.id}/calendar.ics").data
    [event] = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["STATUS"]) == "TENTATIVE"


def test_the_list_page_sorts_places_and_facilitated_sessions(client, auth, admin, make_user,
                                                             make_training, make_offering):
    """One query brings upcoming and facilitated sessions, one the person's places."""
    facilitator = make_user()
    theirs = make_training(title="Their Workshop", facilitators=[facilitator])
    past = make_offering(theirs, starts_in=timedelta(days=-2))
    called_off = make_offering(theirs, starts_in=timedelta(days=3))
    seat = make_offering(make_training(title="A Seat Here"), starts_in=timedelta(days=4))
    left = make_offering(make_training(title="Left This One"), starts_in=timedelta(days=5))
    for offering in (called_off, seat, left):
        event_registration.register(facilitator, offering)
    event_registration.cancel(db.session.scalar(select(Registration).where(
        Registration.offering_id == left.id)), actor=facilitator)
    events.cancel_offering(called_off, actor=admin)
    db.session.commit()
    auth.login(facilitator)

    page = text(client.get("/events/"))

    mine = page.split('id="mine-heading"')[1].split('id="fac-heading"')[0]
    assert "A Seat Here" in mine and "Their Workshop" in mine and "Left This One" not in mine
    assert "Cancelled" in mine
    facilitated = page.split('id="fac-heading"')[1].split("Upcoming workshops")[0]
    assert facilitated.count(">Roster<span") == 2  # the past session and the cancelled one
    upcoming = page.split("Upcoming workshops")[1]
    assert f'id="offering-{seat.id}-action"' in upcoming
    assert f'id="offering-{left.id}-action"' in upcoming
    assert f'id="offering-{past.id}-action"' not in upcoming
    assert f'id="offering-{called_off.id}-action"' not in upcoming


def test_offering_addresses_built_once_match_url_for(app):
    from flask import url_for

    from lms.events.home import offering_url

    for root in ("", "/lms"):
        with app.test_request_context("/events/", base_url=f"http://localhost{root}/"):
            for endpoint in ("events.offering", "events.register", "events.cancel",
                             "events.roster"):
                for offering_id in (7, 1234567):
                    assert offering_url(endpoint, offering_id) == url_for(
                        endpoint, offering_id=offering_id)
            assert offering_url("events.register", 7).startswith(f"{root}/events/")


def test_the_kept_list_follows_other_peoples_seats_at_once(client, auth, make_user,
                                                           make_offering):
    offering = make_offering(capacity=2)
    learner = make_user()
    auth.login(learner)
    assert "2 of 2 seats left." in text(client.get("/events/"))
    event_registration.register(make_user(), offering)
    db.session.commit()
    assert "1 of 2 seats left." in text(client.get("/events/"))
    event_registration.register(make_user(), offering)
    db.session.commit()
    page = text(client.get("/events/"))
    assert "Full (2 seats)" in page and ">Join the waitlist<" in page


def test_the_kept_list_changes_when_registration_opens_and_the_session_starts(
        client, auth, make_user, make_offering):
    """Within one day (the day is part of every kept entry's key), the list changes at the
    moments time alone changes it."""
    noon = localtime.local_midnight(localtime.today() + timedelta(days=7)) + timedelta(hours=12)
    opens = noon - timedelta(hours=2)
    offering = make_offering(starts_in=noon - events.utcnow(), registration_opens_at=opens)
    auth.login(make_user())
    with clock.frozen_at(opens - timedelta(minutes=1)):
        page = text(client.get("/events/"))
        assert "Registration opens on" in page and ">Register<" not in page
    with clock.frozen_at(opens + timedelta(minutes=1)):
        page = text(client.get("/events/"))
        assert "Registration opens on" not in page and ">Register<" in page
        assert 'name="csrf_token" value=""' not in page
    with clock.frozen_at(offering.starts_at + timedelta(minutes=1)):
        assert "has already started" in text(client.get("/events/"))
    with clock.frozen_at(offering.ends_at + timedelta(minutes=1)):
        assert f'id="offering-{offering.id}-action"' not in text(client.get("/events/"))


def test_the_kept_list_carries_this_browsers_csrf_token(app, client, auth, make_user,
                                                        make_offering):
    make_offering()
    auth.login(make_user())
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        first = text(client.get("/events/"))
        again = text(client.get("/events/"))
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    tokens = re.findall(r'name="csrf_token" value="([^"]+)"', first + again)
    assert tokens and "\x00" not in "".join(tokens)
    header = re.search(r'"X-CSRFToken": "([^"]+)"', again).group(1)
    assert set(re.findall(r'name="csrf_token" value="([^"]+)"', again)) == {header}


def test_the_kept_list_is_each_persons_own(client, auth, make_user, make_offering):
    offering = make_offering()
    seated, other = make_user(), make_user()
    auth.login(seated)
    client.post(f"/events/offerings/{offering.id}/register", data={"next": "/events/"})
    assert "You have a seat" in text(client.get("/events/"))
    auth.logout()
    auth.login(other)
    page = text(client.get("/events/"))
    assert "You have a seat" not in page and ">Register<" in page
