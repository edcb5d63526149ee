"""Two ``flask reminders send`` runs at once queue each reminder once (issue 13, finding 4)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import OutboxMessage
from lms.services import reminders
from lms.services.events import registration as event_registration
from tests.test_mail_concurrency import _in_threads

# Two runs race on connections of their own: they need real commits.
pytestmark = pytest.mark.commits


def _run_all_and_commit() -> dict[str, int]:
    counts = reminders.run_all()
    db.session.commit()
    return counts


def test_concurrent_reminder_runs_neither_fail_nor_queue_twice(app, make_user, make_offering):
    offering = make_offering(starts_in=timedelta(hours=20), capacity=20)
    people = [make_user() for _ in range(8)]
    for person in people:
        event_registration.register(person, offering)
    db.session.commit()

    results = _in_threads(app, _run_all_and_commit)

    assert all(isinstance(r, dict) for r in results), results  # neither run failed
    assert sum(r["live sessions"] for r in results) == len(people)
    reminders_sent = Counter(db.session.scalars(select(OutboxMessage.to_address).where(
        OutboxMessage.kind == "event_reminder")))
    assert reminders_sent == Counter({p.email: 1 for p in people})
