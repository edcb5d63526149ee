"""The review loop through the real pages: submit, request a revision, revise, approve."""

from __future__ import annotations

from sqlalchemy import func, select

from lms.demo.reviews import EQUITY_ANSWERS
from lms.extensions import db
from lms.models import (
    Enrollment,
    Notification,
    OutboxMessage,
    ReflectionAccess,
    Review,
    Submission,
)

STEP = "/learn/equity-impact/challenge"
IMPROVE = "Say who was missing from the room when the decision was made."
REVISED = (EQUITY_ANSWERS["biases_in_process"]
           + " Night-shift nurses were never consulted, although the change moves their handover.")


def _form(answers: dict, version: int) -> dict:
    return {"draft_version": version, **{f"p-{k}": v for k, v in answers.items()}}



def _submission(user) -> Submission:
    return db.session.scalar(select(Submission).where(Submission.user_id == user.id))


def _outbox(to: str) -> list[OutboxMessage]:
    return list(db.session.execute(select(OutboxMessage).where(
        OutboxMessage.to_address == to).order_by(OutboxMessage.id)).scalars())


def test_submit_revise_resubmit_approve(app, client, auth, synced, people, client_for):
    learner, mentor = people.learner, people.mentor
    auth.login(learner)
    client.post("/learn/equity-impact/how-the-challenges-work/complete")
    assert client.post(f"{STEP}/submit", data=_form(EQUITY_ANSWERS, 0)).status_code == 302
    submission = _submission(learner)
    assert submission.status == "submitted"

    # The mentor hears about it in the app and by email, without the reflection text.
    [note] = db.session.execute(select(Notification).where(
        Notification.user_id == mentor.id)).scalars().all()
    assert "Priya Shah submitted “Equity Impact Challenge”" in note.text
    [email] = _outbox(mentor.email)
    assert "/review/submissions/" in email.body_text
    assert EQUITY_ANSWERS["decision_context"][:30] not in email.body_text

    mentor_client = client_for(mentor)
    queue = mentor_client.get("/review/").get_data(as_text=True)
    assert "Priya Shah" in queue and "Waiting for review" in queue
    page = mentor_client.get(f"/review/submissions/{submission.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert EQUITY_ANSWERS["decision"] in html
    assert "Breadth of impact analysis" in html  # the rubric from the module YAML
    revision_1 = submission.revisions[0]

    # Asking for a revision needs to say what to improve.
    missing = mentor_client.post(f"/review/submissions/{submission.id}/decide", data={
        "revision_id": revision_1.id, "decision": "revise", "comment": "Thoughtful start."})
    assert missing.status_code == 422
    assert "Say what the learner should improve" in missing.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Review.id))) == 0

    asked = mentor_client.post(f"/review/submissions/{submission.id}/decide", data={
        "revision_id": revision_1.id, "decision": "revise", "comment": "Thoughtful start.",
        "improve": IMPROVE, "rubric_0": "1", "rubric_2": "0"})
    assert asked.status_code == 302
    db.session.refresh(submission)
    assert submission.status == "needs_revision"
    [review] = db.session.execute(select(Review)).scalars().all()
    assert review.mentor_id == mentor.id and review.revision_id == revision_1.id
    assert [(r["criterion"], r["level"]) for r in review.rubric] == [
        ("Breadth of impact analysis", 2), ("Quality of proposed actions", 1)]
    feedback_email = _outbox(learner.email)[-1]
    assert "asked for a revision" in feedback_email.body_text
    assert IMPROVE not in feedback_email.body_text  # the Outbox is readable by admins

    # The learner sees the feedback on the challenge and on the home page, and revises.
    challenge = client.get(STEP).get_data(as_text=True)
    assert "Feedback from your mentor" in challenge and IMPROVE in challenge
    assert "Thoughtful start." in challenge and "Level 2 of 3" in challenge
    home = client.get("/").get_data(as_text=True)
    assert "Recent feedback" in home and "Dr. Amara Okafor" in home
    version = submission.draft_version
    resubmitted = client.post(f"{STEP}/submit", data=_form(
        {**EQUITY_ANSWERS, "biases_in_process": REVISED}, version))
    assert resubmitted.status_code == 302
    db.session.refresh(submission)
    assert submission.status == "submitted"
    assert [r.number for r in submission.revisions] == [1, 2]
    assert submission.revisions[0].answers["biases_in_process"] == \
        EQUITY_ANSWERS["biases_in_process"]  # the old revision stays as it was
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == mentor.id)) == 2

    # The mentor sees what changed, then approves: the module completes.
    diff = mentor_client.get(f"/review/submissions/{submission.id}/compare")
    assert diff.status_code == 200
    diff_html = diff.get_data(as_text=True)
    assert "<ins><span class=\"visually-hidden\">[added: </span>" in diff_html
    assert "Night-shift" in diff_html
    assert "1 of 6 answers changed" in diff_html
    revision_2 = submission.revisions[1]
    approve = {"revision_id": revision_2.id, "decision": "approve", "comment": "Much stronger."}
    assert mentor_client.post(f"/review/submissions/{submission.id}/decide",
                              data=approve).status_code == 302
    # A double click records nothing twice.
    assert mentor_client.post(f"/review/submissions/{submission.id}/decide",
                              data=approve).status_code == 302
    db.session.refresh(submission)
    assert submission.status == "approved"
    assert db.session.scalar(select(func.count(Review.id))) == 2
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == learner.id))
    assert enrollment.status == "completed"
    assert "approved your reflection" in _outbox(learner.email)[-1].body_text

    # History keeps both revisions with their feedback; the learner sees every read.
    history = client.get(f"/review/submissions/{submission.id}/history").get_data(as_text=True)
    assert "Revision 1" in history and "Revision 2 (latest)" in history
    assert IMPROVE in history and "Much stronger." in history
    reads = client.get("/review/mine/reads").get_data(as_text=True)
    assert reads.count("Dr. Amara Okafor") == db.session.scalar(
        select(func.count(ReflectionAccess.id)))
    assert "The review page" in reads and "A comparison of revisions" in reads
    pages = set(db.session.execute(select(ReflectionAccess.page)).scalars())
    assert pages == {"review", "compare"}
    assert db.session.scalar(select(func.count(ReflectionAccess.id)).where(
        ReflectionAccess.reader_id == learner.id)) == 0  # reading your own leaves no trace


def test_two_mentors_answer_the_same_revision(app, synced, people, submit, link, client_for):
    second = people.other_mentor
    link(second, learner=people.learner)
    submission = submit(people.learner)
    revision = submission.revisions[0]
    first_client = client_for(people.mentor)
    second_client = client_for(second)
    # Both opened the page; the first approves, then the second asks for a revision.
    assert first_client.post(f"/review/submissions/{submission.id}/decide", data={
        "revision_id": revision.id, "decision": "approve"}).status_code == 302
    late = second_client.post(f"/review/submissions/{submission.id}/decide", data={
        "revision_id": revision.id, "decision": "revise", "improve": "More detail."})
    assert late.status_code == 409
    assert "Dr. Amara Okafor has already responded to this revision (approved)" in \
        late.get_data(as_text=True)
    db.session.refresh(submission)
    assert submission.status == "approved"
    assert db.session.scalar(select(func.count(Review.id))) == 1


def test_a_response_to_an_outdated_revision_is_refused(app, synced, people, submit, client_for):
    from lms.services.learning import challenges
    from lms.services.reviews import review as reviews

    submission = submit(people.learner)
    first = submission.revisions[0]
    reviews.decide(people.mentor, submission, first, decision="revise", improve="More.")
    challenges.submit(people.learner, submission.step, {"decision": "Changed"},
                      expected_version=None)
    db.session.commit()
    mentor_client = client_for(people.mentor)
    stale = mentor_client.post(f"/review/submissions/{submission.id}/decide", data={
        "revision_id": first.id, "decision": "approve"})
    assert stale.status_code == 409
    assert "submitted revision 2 since you opened this page" in stale.get_data(as_text=True)
    db.session.refresh(submission)
    assert submission.status == "submitted"


def test_optional_review_takes_comments_and_never_holds_completion(app, client, auth, synced,
                                                                  people, submit, client_for):
    submission = submit(people.learner, "identity-mapping", answers={
        "identity_map": [{"identity": "Woman", "privilege_or_hardship": "Mostly hardship",
                          "how_it_shows_up": "Talked over."}],
        "catalyst_for_change": "I will ask whose voice is missing."})
    from lms.services.learning import progress as learning

    assert learning.challenge_counts_as_done(submission.step, submission)
    mentor_client = client_for(people.mentor)
    page = mentor_client.get(f"/review/submissions/{submission.id}").get_data(as_text=True)
    assert "Send comment" in page and "Approve" not in page
    refused = mentor_client.post(f"/review/submissions/{submission.id}/decide", data={
        "revision_id": submission.revisions[0].id, "decision": "approve"})
    assert refused.status_code == 422
    assert "optional: leave a comment instead" in refused.get_data(as_text=True)
    empty = mentor_client.post(f"/review/submissions/{submission.id}/decide", data={
        "revision_id": submission.revisions[0].id, "decision": "comment"})
    assert empty.status_code == 422
    sent = mentor_client.post(f"/review/submissions/{submission.id}/decide", data={
        "revision_id": submission.revisions[0].id, "decision": "comment",
        "comment": "Your map is honest and specific."})
    assert sent.status_code == 302
    db.session.refresh(submission)
    assert submission.status == "submitted"
    commented = mentor_client.get("/review/?status=commented").get_data(as_text=True)
    assert "Priya Shah" in commented
    auth.login(people.learner)
    challenge = client.get("/learn/identity-mapping/challenge").get_data(as_text=True)
    assert "Your map is honest and specific." in challenge


def test_after_a_decision_the_mentor_can_still_comment(app, synced, people, submit, client_for):
    from lms.services.reviews import review as reviews

    submission = submit(people.learner)
    revision = submission.revisions[0]
    reviews.decide(people.mentor, submission, revision, decision="approve")
    db.session.commit()
    mentor_client = client_for(people.mentor)
    page = mentor_client.get(f"/review/submissions/{submission.id}").get_data(as_text=True)
    assert "Send comment" in page
    assert mentor_client.post(f"/review/submissions/{submission.id}/decide", data={
        "revision_id": revision.id, "decision": "comment",
        "comment": "Please share this with your committee."}).status_code == 302
    db.session.refresh(submission)
    assert submission.status == "approved"


def test_answers_are_shown_as_text_never_as_markup(synced, people, submit, client_for):
    submission = submit(people.learner, answers={
        **EQUITY_ANSWERS, "decision": '<script>alert("x")</script><b>bold</b>'})
    html = client_for(people.mentor).get(
        f"/review/submissions/{submission.id}").get_data(as_text=True)
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in html


def test_a_rubric_level_that_is_not_offered_is_refused(synced, people, submit, client_for):
    submission = submit(people.learner)
    response = client_for(people.mentor).post(
        f"/review/submissions/{submission.id}/decide",
        data={"revision_id": submission.revisions[0].id, "decision": "approve",
              "rubric_0": "7"})
    assert response.status_code == 422
    assert "Choose one of the levels shown." in response.get_data(as_text=True)
    db.session.refresh(submission)
    assert submission.status == "submitted"


def test_a_revision_of_another_reflection_is_a_bad_request(synced, people, submit, link,
                                                          client_for):
    mine = submit(people.learner)
    link(people.mentor, learner=people.other_learner)
    other = submit(people.other_learner)
    response = client_for(people.mentor).post(
        f"/review/submissions/{mine.id}/decide",
        data={"revision_id": other.revisions[0].id, "decision": "approve"})
    assert response.status_code == 400
    db.session.refresh(mine)
    assert mine.status == "submitted"
