"""Engagement weeks: entries from attended sessions, reproducible weighted draws."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from lms import clock
from lms.extensions import db
from lms.models import AuditEvent, RaffleConsent, RaffleDraw
from lms.services.errors import DomainError
from lms.services.events import raffle as event_raffle
from lms.services.events import registration as event_registration
from tests.events.helpers import text

AFTER_THE_WEEK = datetime(2031, 9, 14, 16, tzinfo=UTC)  # the Sunday after, in Detroit too


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
    with clock.frozen_at(AFTER_THE_WEEK):
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
    # Nobody agreed to be named yet: the week page names no winner.
    public = text(client.get(f"/events/weeks/{week.id}"))
    assert "3 winners chose not to be named here." in public
    assert not any(names[i] in public for i in expected)
    first = next(p for p in people if p.id == expected[0])
    auth.logout()
    auth.login(first)
    answered = client.post(f"/events/weeks/{week.id}/raffle-consent", data={"show_name": "yes"})
    assert answered.status_code == 303
    public = text(client.get(f"/events/weeks/{week.id}"))
    assert f"Congratulations to {first.name}!" in public
    assert "2 winners chose not to be named here." in public
    auth.logout()
    auth.login(admin)
    assert "(named on the week page)" in text(client.get(f"/events/manage/weeks/{week.id}"))


def test_a_draw_before_the_week_has_ended_needs_a_reason_kept_in_the_audit_log(
        client, auth, week, admin, make_user, make_offering):
    _attend(make_offering(engagement_week_id=week.id), [make_user(), make_user()], admin)
    db.session.commit()
    auth.login(admin)
    during = datetime(2031, 9, 12, 16, tzinfo=UTC)
    with clock.frozen_at(during):
        page = text(client.get(f"/events/manage/weeks/{week.id}"))
        assert "Reason for drawing before the week has ended" in page
        refused = client.post(f"/events/manage/weeks/{week.id}/draw", data={"winners": "1"})
        assert refused.status_code == 422
        assert "people can still earn entries" in text(refused)
        assert db.session.execute(select(RaffleDraw)).first() is None
        drawn = client.post(f"/events/manage/weeks/{week.id}/draw", data={
            "winners": "1", "reason": "Prizes are handed out at the Friday closing event."})
    assert drawn.status_code == 303
    event = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "raffle.draw")).scalar_one()
    assert event.details["early_reason"] == "Prizes are handed out at the Friday closing event."
    with clock.frozen_at(AFTER_THE_WEEK):
        assert "Reason for drawing" not in text(client.get(f"/events/manage/weeks/{week.id}"))


def test_consent_can_be_withdrawn_and_a_blank_answer_gets_a_field_message(
        client, auth, week, make_user):
    auth.login(make_user())
    blank = client.post(f"/events/weeks/{week.id}/raffle-consent", data={})
    assert blank.status_code == 422
    assert "Choose yes or no." in text(blank)
    client.post(f"/events/weeks/{week.id}/raffle-consent", data={"show_name": "yes"})
    client.post(f"/events/weeks/{week.id}/raffle-consent", data={"show_name": "no"})
    consent = db.session.execute(select(RaffleConsent)).scalar_one()
    assert consent.show_name is False
    assert "You chose not to be named here." in text(client.get(f"/events/weeks/{week.id}"))


def test_bad_draws_are_refused_with_a_message(client, auth, week, admin, make_user,
                                              make_offering):
    auth.login(admin)
    frozen = clock.frozen_at(AFTER_THE_WEEK)
    frozen.__enter__()
    empty = client.post(f"/events/manage/weeks/{week.id}/draw", data={"winners": "1"})
    assert empty.status_code == 422
    assert "Nobody has an entry yet" in text(empty)
    _attend(make_offering(engagement_week_id=week.id), [make_user()], admin)
    db.session.commit()
    too_many = client.post(f"/events/manage/weeks/{week.id}/draw", data={"winners": "2"})
    assert "Only 1 person has an entry" in text(too_many)
    zero = client.post(f"/events/manage/weeks/{week.id}/draw", data={"winners": "0"})
    assert "Draw between 1 and 100 winners." in text(zero)
    frozen.__exit__(None, None, None)
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
