"""Demo data: the mentor links and a reflection waiting in Dr. Okafor's queue."""

from __future__ import annotations

from sqlalchemy import func, select

from lms.demo.people import load_demo
from lms.extensions import db
from lms.models import MentorLink, Notification, OutboxMessage, Submission, User
from lms.services.accounts import mentoring
from lms.services.reviews import review as reviews


def _user(email: str) -> User:
    return db.session.execute(select(User).where(User.email == email)).scalar_one()


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_links_and_waiting_reflection(app, synced):
    load_demo()
    db.session.commit()
    load_demo()  # safe to run again
    db.session.commit()
    one, two = _user("mentor.one@example.edu"), _user("mentor.two@example.edu")
    priya, jordan = _user("learner@example.edu"), _user("learner2@example.edu")
    cardiology = _user("learner4@example.edu")  # Cardiology is part of Internal Medicine
    assert _count(MentorLink) == 3
    assert mentoring.is_mentor_of(one, priya) and mentoring.is_mentor_of(one, cardiology)
    assert mentoring.is_mentor_of(two, jordan) and not mentoring.is_mentor_of(two, priya)
    assert [m.email for m in mentoring.mentors_of(jordan)] == [
        "mentor.one@example.edu", "mentor.two@example.edu"]  # department and direct

    [submission] = db.session.execute(select(Submission)).scalars().all()
    assert submission.user_id == priya.id and submission.status == "submitted"
    queue = reviews.review_queue(one, reviews.QueueFilters())
    assert [row.learner_name for row in queue.page.items] == ["Priya Shah"]
    assert reviews.review_queue(two, reviews.QueueFilters()).page.items == []
    # Besides the new reflection, each demo learner a link reaches was told of it.
    notes = dict(db.session.execute(select(Notification.kind, func.count())
                                    .group_by(Notification.kind)).all())
    mails = dict(db.session.execute(select(OutboxMessage.kind, func.count())
                                    .group_by(OutboxMessage.kind)).all())
    assert notes.pop("mentor_link") == mails.pop("mentor_link") >= 3
    assert sum(notes.values()) == 1 and sum(mails.values()) == 1


def test_demo_without_synced_modules_still_links_mentors(app):
    load_demo()
    db.session.commit()
    assert _count(MentorLink) == 3
    assert _count(Submission) == 0
