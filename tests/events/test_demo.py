"""Demo data: upcoming workshops, a facilitator, a nearly full session, an event week."""

from __future__ import annotations

from sqlalchemy import func, select

from lms.demo.people import load_demo
from lms.extensions import db
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
