"""Engagement weeks: entries from attended sessions, reproducible weighted draws."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms import clock
from lms.extensions import db
from lms.models import AuditEvent, RaffleDraw
from lms.services.errors import DomainError
from lms.services.events import raffle as event_raffle
from lms.services.events import registration as event_registration
from tests.events.helpers import text


@pytest.fixture
def week(app):
    """An event week with three prizes."""
    item = event_raffle.create_week(event_raffle.WeekData(
        name="We're All In Week", starts_on=date(2031, 9, 9), ends_on=date(2031, 9, 13),
        prizes="Headphones\nSunrise alarm\nE-reader"), actor=None)
    db.session.commit()
    return item


def _attend(offering, people, admin):
    regs = [event_registration.register(p, offering) for p in people]
    with clock.frozen_at(offering.starts_at):
        event_registration.mark_attendance(offering, [r.id for r in regs], "attended",
                                           actor=admin)


def test_entries_count_attended_sessions_of_the_week(week, admin, make_user, make_offering):
    a, b, c = make_user(), make_user(), make_user()
    first = make_offering(engagement_week_id=week.id)
    second = make_offering(engagement_week_id=week.id)
    unrelated = make_offering()
    _attend(first, [a, b], admin)
    _attend(second, [a], admin)
    _attend(unrelated, [c], admin)
    event_registration.register(c, second)  # registered but never marked present
    db.session.commit()
    assert event_raffle.entries_for_week(week.id) == {a.id: 2, b.id: 1}
    assert event_raffle.user_entries(a.id, week.id) == 2


def test_draw_is_reproducible_and_weighted():
    entries = {1: 5, 2: 1, 3: 1, 4: 3}
    assert event_raffle.draw_winners(entries, "seed-42", 3) == \
        event_raffle.draw_winners(dict(reversed(list(entries.items()))), "seed-42", 3)
    winners = event_raffle.draw_winners(entries, "seed-42", 4)
    assert sorted(winners) == [1, 2, 3, 4]  # nobody wins twice
    firsts = Counter(event_raffle.draw_winners(entries, f"s{i}", 1)[0] for i in range(2000))
    assert firsts[1] > firsts[4] > firsts[2]  # chances follow the entries
    assert 0.4 < firsts[1] / 2000 < 0.6  # 5 of 10 entries


def test_admin_draws_winners_and_the_seed_goes_into_the_audit_log(
        client, auth, week, admin, make_user, make_offering):
    people = [make_user() for _ in range(4)]
    _attend(make_offering(engagement_week_id=week.id), people, admin)
    _attend(make_offering(engagement_week_id=week.id), people[:2], admin)
    db.session.commit()
    auth.login(admin)
    response = client.post(f"/events/manage/weeks/{week.id}/draw",
                           data={"winners": "3", "seed": "wai-2031"})
    assert response.status_code == 303
    draw = db.session.execute(select(RaffleDraw)).scalar_one()
    expected = event_raffle.draw_winners({p.id: (2 if i < 2 else 1)
                                          for i, p in enumerate(people)}, "wai-2031", 3)
    assert draw.winner_ids == expected
    event = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "raffle.draw")).scalar_one()
    assert event.details["seed"] == "wai-2031"
    assert event.details["winners"] == expected
    page = text(client.get(f"/events/manage/weeks/{week.id}"))
    assert "wai-2031" in page
    names = {p.id: p.name for p in people}
    assert all(names[i] in page for i in expected)
    public = text(client.get(f"/events/weeks/{week.id}"))
    assert "Congratulations to" in public


def test_bad_draws_are_refused_with_a_message(client, auth, week, admin, make_user,
                                              make_offering):
    auth.login(admin)
    empty = client.post(f"/events/manage/weeks/{week.id}/draw", data={"winners": "1"})
    assert empty.status_code == 422
    assert "Nobody has an entry yet" in text(empty)
    _attend(make_offering(engagement_week_id=week.id), [make_user()], admin)
    db.session.commit()
    too_many = client.post(f"/events/manage/weeks/{week.id}/draw", data={"winners": "2"})
    assert "Only 1 people have entries" in text(too_many)
    zero = client.post(f"/events/manage/weeks/{week.id}/draw", data={"winners": "0"})
    assert "Draw between 1 and 100 winners." in text(zero)
    assert db.session.execute(select(RaffleDraw)).first() is None


def test_week_dates_are_checked(week):
    with pytest.raises(DomainError, match="cannot be before"):
        event_raffle.create_week(event_raffle.WeekData(
            name="Backwards", starts_on=date(2031, 1, 10),
            ends_on=date(2031, 1, 10) - timedelta(days=1)), actor=None)
    with pytest.raises(DomainError, match="already has this name"):
        event_raffle.create_week(event_raffle.WeekData(
            name="We're All In Week", starts_on=date(2032, 1, 1), ends_on=date(2032, 1, 2)),
            actor=None)


def test_admin_creates_a_week_through_the_form(client, auth, admin):
    auth.login(admin)
    response = client.post("/events/manage/weeks", data={
        "name": "Belonging Week", "starts_on": "2031-10-06", "ends_on": "2031-10-03"})
    assert "The last day cannot be before the first day." in text(response)
    response = client.post("/events/manage/weeks", data={
        "name": "Belonging Week", "starts_on": "2031-10-06", "ends_on": "2031-10-10"})
    assert response.status_code == 303
