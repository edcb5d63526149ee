"""Rate limits that guard guessable things, keyed so a crowded room is not locked out."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms import clock
from lms.extensions import db
from lms.services.events import registration as event_registration


@pytest.fixture
def app_config() -> dict:
    return {"RATELIMIT_ENABLED": True}


def test_check_in_guesses_are_limited_per_person(app, client, make_user, make_offering):
    from tests.conftest import AuthActions

    offering = make_offering()
    guesser, neighbour = make_user(), make_user()
    for person in (guesser, neighbour):
        event_registration.register(person, offering)
    db.session.commit()
    url = f"/events/offerings/{offering.id}/check-in"
    with clock.frozen_at(offering.starts_at + timedelta(minutes=1)):
        auth = AuthActions(client)
        auth.login(guesser)
        codes = [client.post(url, data={"code": f"WRONG{i}"}).status_code for i in range(21)]
        assert codes[:20] == [422] * 20
        assert codes[20] == 429
        # Someone else in the same room (same address) can still check in.
        auth.logout()
        auth.login(neighbour)
        assert client.post(url, data={"code": offering.checkin_code}).status_code == 303


def test_each_private_feed_link_has_its_own_fetch_limit(app, client, make_user):
    from lms.services.events import calendar as event_calendar

    app.config["LMS_FEED_RATE_LIMIT"] = "3 per hour"
    busy, other = (event_calendar.feed_for(make_user()).token for _ in range(2))
    db.session.commit()
    codes = [client.get(f"/events/feed/{busy}.ics").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get(f"/events/feed/{other}.ics").status_code == 200
