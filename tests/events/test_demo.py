"""Demo data: upcoming workshops, a facilitator, a nearly full session, an event week."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from lms.clock import frozen_at
from lms.demo.people import load_demo
from lms.extensions import db
from lms.localtime import local_date
from lms.models import EngagementWeek, Offering, Registration, Training, utcnow
from lms.services.events import offerings as events


def test_demo_load_is_idempotent_and_upcoming(app):
    load_demo()
    db.session.commit()
    counts = (db.session.scalar(select(func.count(Training.id))),
              db.session.scalar(select(func.count(Offering.id))),
              db.session.scalar(select(func.count(Registration.id))))
    load_demo()
    db.session.commit()
    assert counts == (db.session.scalar(select(func.count(Training.id))),
                      db.session.scalar(select(func.count(Offering.id))),
                      db.session.scalar(select(func.count(Registration.id))))
    for slug in ("psychological-safety", "disability-and-allyship", "systemic-racism-pt-2"):
        training = events.training_by_slug(slug)
        assert "mentor.one@example.edu" in [u.email for u in training.facilitators]
        upcoming = [o for o in training.offerings if o.starts_at > utcnow()]
        assert len(upcoming) >= 2
        modes = {o.mode for o in upcoming}
        assert modes & {"virtual", "hybrid"} and modes & {"in_person", "hybrid"}
        assert all(o.video_url for o in upcoming if o.mode != "in_person")
        assert all(o.location for o in upcoming if o.mode != "virtual")
    nearly_full = [o for o in events.training_by_slug("disability-and-allyship").offerings
                   if o.seats_left == 1]
    assert nearly_full
    week = db.session.execute(select(EngagementWeek)).scalar_one()
    assert week.name == "We're All In Week"
    assert week.starts_on > events.local_today()


@pytest.mark.parametrize("today", range(7))
def test_demo_workshops_fall_on_weekdays(app, today):
    """Whatever day the demo is loaded on: no workshop on a Saturday or Sunday, and the
    event week runs Monday to Friday."""
    moment = datetime(2026, 12, 7, 15, 0, tzinfo=UTC) + timedelta(days=today)  # a Monday + n
    with frozen_at(moment):
        load_demo()
        db.session.commit()
        offerings = db.session.execute(select(Offering)).scalars().all()
        days = {o.training.slug + " " + local_date(o.starts_at).strftime("%a %d %b")
                for o in offerings}
        assert offerings and not [d for d in days if d.split()[1] in ("Sat", "Sun")], days
        week = db.session.execute(select(EngagementWeek)).scalar_one()
        assert (week.starts_on.weekday(), week.ends_on.weekday()) == (0, 4)
        assert week.starts_on > events.local_today()
        assert all(week.starts_on <= local_date(o.starts_at) <= week.ends_on
                   for o in offerings if o.engagement_week_id == week.id)
