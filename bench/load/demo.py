"""A manifest for the small ``flask demo load`` data set (``--demo``: development only).

It gives each demo learner what ``flask demo scale`` promises: an enrollment
in a module with a saved draft on its first open challenge, and a calendar
feed. Twelve learners are far from an institution, so timings from it say
little; it is here to exercise the harness quickly.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

LEARNERS = ["learner@example.edu", *(f"learner{n}@example.edu" for n in range(2, 13))]
TABLES = ("users", "departments", "modules", "enrollments", "submissions", "offerings",
          "registrations", "assignments")


def write_demo_manifest(database_url: str, path: Path) -> None:
    from lms import create_app
    from lms.demo.people import DEMO_PASSWORD
    from lms.extensions import db
    from lms.models import Assignment, Base, User
    from lms.services.events import calendar as event_calendar
    from lms.services.events import offerings as events
    from lms.services.events import registration as event_registration
    from lms.services.learning import challenges
    from lms.services.learning import progress as learning

    app = create_app({"DATABASE_URL": database_url, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        people = {u.email: u for u in db.session.execute(select(User)).scalars()}
        learners = [people[email] for email in LEARNERS]
        module, step = _module_with_open_challenge(learners[0], learning)
        for learner in learners:
            learning.start_module(learner, module)
            challenges.save_draft(learner, step, {}, None)
        offerings = [o.id for o in events.upcoming_offerings()
                     if event_registration.registration_problem(learners[0], o) is None]
        manifest = {
            "password": DEMO_PASSWORD,
            "admin": "admin@example.edu",
            "mentor": "mentor.one@example.edu",
            "learners": LEARNERS,
            "module_slug": module.slug,
            "challenge_step_slug": step.slug,
            "offering_ids": offerings,
            "feed_tokens": [event_calendar.feed_for(person).token for person in people.values()],
            "assignment_id": db.session.scalar(select(func.min(Assignment.id))),
            "counts": {table: db.session.scalar(select(func.count()).select_from(
                Base.metadata.tables[table])) for table in TABLES},
        }
        db.session.commit()
    path.write_text(json.dumps(manifest, indent=2))


def _module_with_open_challenge(learner, learning):
    """The first published module whose first challenge is open right after starting."""
    from lms.extensions import db
    from lms.models import Module

    for module in db.session.execute(select(Module).where(Module.is_published)
                                     .order_by(Module.slug)).scalars():
        progress = learning.module_progress(learner, module)
        if progress.missing_prerequisites:
            continue
        for state in progress.states:
            if state.step.kind == "challenge":
                if not state.locked:
                    return module, state.step
                break
    raise RuntimeError("no module in the demo content has an open challenge")
