"""'Delete my reflection': the text of every revision goes, mentors see it was withdrawn."""

from __future__ import annotations

import json

from sqlalchemy import select

from lms.demo.reviews import EQUITY_ANSWERS
from lms.extensions import db
from lms.models import Review, StepProgress, Submission, SubmissionRevision
from lms.services.learning import challenges
from lms.services.reviews import review as reviews
from tests.review.conftest import challenge_step

FEEDBACK = "You name the daycare problem clearly; who decided the new time?"


def _reviewed_and_resubmitted(people, submit):
    submission = submit(people.learner)
    reviews.decide(people.mentor, submission, submission.revisions[-1], decision="revise",
                   comment=FEEDBACK, improve="Say who was in the room.")
    challenges.submit(people.learner, submission.step,
                      {"decision": "Moving the teaching session, decided by three people."},
                      expected_version=None)
    db.session.commit()
    return submission


def _stored_text() -> str:
    rows = [*db.session.scalars(select(Submission.answers)),
            *db.session.scalars(select(SubmissionRevision.answers)),
            *db.session.execute(select(Review.comment, Review.improve)).all()]
    return json.dumps([r if isinstance(r, dict) else list(r) for r in rows])


def test_deleting_keeps_the_completion_and_tells_the_mentor(client, auth, people, submit,
                                                            client_for):
    submission = _reviewed_and_resubmitted(people, submit)
    assert len(submission.revisions) == 2
    progress_before = db.session.scalar(select(StepProgress.id).where(
        StepProgress.user_id == people.learner.id, StepProgress.step_id == submission.step_id))
    auth.login(people.learner)
    page = client.get("/my-data/").get_data(as_text=True)
    url = f"/my-data/reflections/{submission.id}/delete"
    assert url in page
    assert "every revision you submitted (2)" in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"completion": "keep"}, follow_redirects=True)
    assert "was deleted" in response.get_data(as_text=True)

    db.session.expire_all()
    stored = _stored_text()
    assert EQUITY_ANSWERS["decision"] not in stored
    assert "decided by three people" not in stored and FEEDBACK not in stored
    withdrawn = db.session.get(Submission, submission.id)
    assert withdrawn.status == "withdrawn" and withdrawn.withdrawn_at is not None
    assert [r.number for r in withdrawn.revisions] == [1, 2]  # dates and numbers stay
    assert db.session.scalar(select(StepProgress.id).where(
        StepProgress.user_id == people.learner.id,
        StepProgress.step_id == submission.step_id)) == progress_before

    mentor = client_for(people.mentor)
    review_page = mentor.get(f"/review/submissions/{submission.id}").get_data(as_text=True)
    assert f"{people.learner.name} withdrew this reflection" in review_page
    queue = mentor.get("/review/?status=withdrawn").get_data(as_text=True)
    assert "Withdrawn by the learner" in queue and people.learner.name in queue
    # Nothing to review: not among the reflections waiting.
    waiting = mentor.get("/review/?status=waiting").get_data(as_text=True)
    assert f"/review/submissions/{submission.id}\"" not in waiting


def test_deleting_can_take_the_completion_away_and_the_learner_may_write_again(
        client, auth, people, submit):
    submission = submit(people.learner)
    db.session.add(StepProgress(user_id=people.learner.id, step_id=submission.step_id))
    db.session.commit()
    auth.login(people.learner)
    client.post(f"/my-data/reflections/{submission.id}/delete", data={"completion": "remove"})
    db.session.expire_all()
    assert db.session.scalar(select(StepProgress.id).where(
        StepProgress.user_id == people.learner.id,
        StepProgress.step_id == submission.step_id)) is None
    again = challenges.save_draft(people.learner, challenge_step("equity-impact"),
                                  {"decision": "A fresh start."}, expected_version=None)
    assert again.answers == {"decision": "A fresh start."}


def test_the_choice_is_required_and_nobody_else_can_delete(client, auth, people, submit):
    submission = submit(people.learner)
    url = f"/my-data/reflections/{submission.id}/delete"
    auth.login(people.learner)
    refused = client.post(url, data={})
    assert refused.status_code == 422
    assert "Choose whether the challenge still counts as done." in refused.get_data(as_text=True)
    assert client.post(url, data={"completion": "maybe"}).status_code == 422
    auth.logout()
    for other in (people.other_learner, people.mentor, people.admin):
        auth.login(other)
        assert client.get(url).status_code == 404
        assert client.post(url, data={"completion": "keep"}).status_code == 404
        auth.logout()
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).answers == EQUITY_ANSWERS
