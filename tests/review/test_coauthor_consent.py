"""Issue 13, finding 5: co-authors only with consent. Naming someone invites them; they
get access and credit only on accepting; declining leaves no trace; a reviewer is never an
author; the form never tells which addresses have accounts; accepted co-authors see the
group's reflection and progress instead of a blank form."""

from __future__ import annotations

from sqlalchemy import func, select

from lms import permissions
from lms.extensions import db
from lms.models import AuditEvent, CoauthorInvitation, Notification, Submission
from lms.services.accounts import mentoring
from lms.services.learning import challenges, coauthoring
from lms.services.learning import progress as learning
from lms.services.reviews import review as reviews
from tests.learn.coauthor_helpers import complete_answers

STEP = "/learn/us-vs-them/challenge"


def _group_step():
    module = learning.published_module("us-vs-them")
    return next(s for s in module.steps if s.kind == "challenge")


def _submit_through_the_form(client, user, coauthors: str):
    """``user`` wrote complete answers, then submits naming ``coauthors``."""
    step = _group_step()
    learning.start_module(user, step.module)
    draft = challenges.save_draft(user, step, complete_answers(step), expected_version=0)
    db.session.commit()
    return client.post(f"{STEP}/submit", data={"draft_version": draft.draft_version,
                                                "coauthors": coauthors},
                       follow_redirects=True)


def _submission_of(user) -> Submission:
    return db.session.execute(select(Submission).where(
        Submission.user_id == user.id)).scalar_one()


def test_naming_someone_gives_them_nothing_until_they_accept(synced, client, auth, make_user,
                                                             client_for):
    learner = make_user(name="Priya Shah")
    admin = make_user(roles=("admin", "learner"), name="Morgan Admin",
                      email="morgan@example.edu")
    auth.login(learner)
    response = _submit_through_the_form(client, learner, admin.email)
    assert response.status_code == 200
    submission = _submission_of(learner)
    assert submission.coauthors == []
    assert not reviews.is_author(admin, submission)
    admin_browser = client_for(admin)
    assert admin_browser.get(f"/review/submissions/{submission.id}/history").status_code == 403
    step = _group_step()
    assert not learning.module_progress(admin, step.module).state_for(step.id).done
    # The invitation waits for them, and accepting grants access.
    page = admin_browser.get("/learn/co-authoring").get_data(as_text=True)
    assert "Priya Shah named you as a co-author" in page
    [invitation] = coauthoring.pending_for(admin)
    accepted = admin_browser.post(f"/learn/co-authoring/{invitation.id}/accept")
    assert accepted.status_code == 302
    assert admin_browser.get(f"/review/submissions/{submission.id}/history").status_code == 200


def test_the_answer_is_the_same_for_unknown_and_existing_addresses(synced, client, auth,
                                                                   make_user):
    make_user(email="colleague@example.edu")
    answers = []
    for named in ("colleague@example.edu", "nobody@example.edu"):
        learner = make_user()
        auth.login(learner)
        page = _submit_through_the_form(client, learner, named).get_data(as_text=True)
        auth.logout()
        assert "No active account" not in page
        answers.append(page.split('role="status"')[1].split("</")[0] if 'role="status"'
                       in page else page)
        assert coauthoring.pending_emails(_submission_of(learner)) == [named]
    assert answers[0] == answers[1]
    # A malformed address is still refused at the field, the same for everyone.
    learner = make_user()
    auth.login(learner)
    refused = _submit_through_the_form(client, learner, "not-an-address")
    assert "Not an email address: not-an-address." in refused.get_data(as_text=True)


def test_declining_leaves_no_trace(synced, client, auth, make_user, client_for):
    learner = make_user()
    invitee = make_user(name="Jordan Miles")
    auth.login(learner)
    _submit_through_the_form(client, learner, invitee.email)
    [invitation] = coauthoring.pending_for(invitee)
    browser = client_for(invitee)
    assert browser.post(f"/learn/co-authoring/{invitation.id}/decline").status_code == 302
    assert db.session.scalar(select(func.count(CoauthorInvitation.id))) == 0
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == invitee.id)) == 0
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.actor_id == invitee.id)) == 0
    assert _submission_of(learner).coauthors == []


def test_only_the_invitee_can_answer(synced, client, auth, make_user, client_for):
    learner = make_user()
    invitee = make_user()
    auth.login(learner)
    _submit_through_the_form(client, learner, invitee.email)
    [invitation] = coauthoring.pending_for(invitee)
    stranger = client_for(make_user())
    assert stranger.post(f"/learn/co-authoring/{invitation.id}/accept").status_code == 404
    assert client.post(f"/learn/co-authoring/{invitation.id}/accept").status_code == 404


def test_a_reviewer_is_never_an_author(synced, client, auth, make_user, client_for):
    learner = make_user(name="Priya Shah")
    mentor = make_user(roles=("mentor", "learner"), name="Dr. Amara Okafor")
    other_mentor = make_user(roles=("mentor", "learner"), name="Dr. Zed")
    for m in (mentor, other_mentor):
        mentoring.link_mentor(actor=None, mentor=m, learner=learner)
    db.session.commit()
    auth.login(learner)
    _submit_through_the_form(client, learner, f"{mentor.email}\n{other_mentor.email}")
    submission = _submission_of(learner)
    # A co-author who accepted may not review it.
    accepting = client_for(mentor)
    [invitation] = coauthoring.pending_for(mentor)
    accepting.post(f"/learn/co-authoring/{invitation.id}/accept")
    assert not permissions.can_review(mentor, _submission_of(learner))
    assert accepting.get(f"/review/submissions/{submission.id}").status_code == 403
    # A mentor who reviewed it may not become an author.
    reviewer = client_for(other_mentor)
    reviews.decide(other_mentor, submission, submission.revisions[0], decision="approve",
                   comment="Thoughtful.")
    db.session.commit()
    [invitation] = coauthoring.pending_for(other_mentor)
    response = reviewer.post(f"/learn/co-authoring/{invitation.id}/accept",
                             follow_redirects=True)
    assert "You reviewed this reflection" in response.get_data(as_text=True)
    assert not reviews.is_author(other_mentor, _submission_of(learner))


def test_an_accepted_coauthor_sees_the_groups_reflection_and_progress(synced, client, auth,
                                                                      make_user, client_for):
    learner = make_user(name="Priya Shah")
    coauthor = make_user(name="Jordan Miles")
    auth.login(learner)
    _submit_through_the_form(client, learner, coauthor.email)
    coauthoring.accept(coauthor, coauthoring.pending_for(coauthor)[0])
    db.session.commit()
    browser = client_for(coauthor)
    page = browser.get(STEP).get_data(as_text=True)
    assert "Your group&#39;s reflection" in page or "Your group's reflection" in page
    assert "Priya Shah submitted for your group" in page
    assert "Save and continue" not in page  # not a blank form of their own
    home = learning.dashboard_summary(coauthor)
    [item] = home["in_progress"]
    assert item["percent"] == 0  # waiting for review: nothing counts yet
    learning.mark_step_done(coauthor, _group_step().module.steps[0])
    db.session.commit()
    assert learning.dashboard_summary(coauthor)["in_progress"][0]["percent"] == 50
