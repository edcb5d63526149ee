"""Two mentors deciding on the same revision at the same moment: exactly one wins."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import Review, Submission, SubmissionRevision, User
from lms.services.errors import DomainError
from lms.services.reviews import review as reviews
from tests.db import on_postgres

pytestmark = [pytest.mark.postgres_only, pytest.mark.commits,
              pytest.mark.skipif(not on_postgres(), reason="needs PostgreSQL row locking")]


def test_simultaneous_decisions_let_exactly_one_win(app, synced, people, submit, link):
    link(people.other_mentor, learner=people.learner)
    submission = submit(people.learner)
    ids = (submission.id, submission.revisions[0].id)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide(mentor_id: int, decision: str) -> None:
        with app.app_context():
            mentor = db.session.get(User, mentor_id)
            target = reviews.load_submission(ids[0])
            revision = db.session.get(SubmissionRevision, ids[1])
            barrier.wait()
            try:
                reviews.decide(mentor, target, revision, decision=decision,
                               improve="More detail, please.")
                db.session.commit()
                outcomes[decision] = "won"
            except DomainError as error:
                db.session.rollback()
                outcomes[decision] = error.message
            finally:
                db.session.remove()

    threads = [threading.Thread(target=decide, args=(people.mentor.id, "approve")),
               threading.Thread(target=decide, args=(people.other_mentor.id, "revise"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(v == "won" for v in outcomes.values()) == [False, True], outcomes
    loser = next(v for v in outcomes.values() if v != "won")
    assert "has already responded to this revision" in loser
    db.session.expire_all()
    winner = next(k for k, v in outcomes.items() if v == "won")
    status = db.session.scalar(select(Submission.status).where(Submission.id == ids[0]))
    assert status == {"approve": "approved", "revise": "needs_revision"}[winner]
    assert db.session.scalar(select(func.count(Review.id))) == 1
