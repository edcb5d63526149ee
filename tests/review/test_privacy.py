"""Who may read a reflection: its author and the author's linked mentors, nobody else."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lms.demo.reviews import EQUITY_ANSWERS
from lms.extensions import db
from lms.models import Notification, OutboxMessage, ReflectionAccess, Submission
from lms.services import notifications
from lms.services.learning import challenges, coauthoring
from lms.services.learning import progress as learning
from lms.services.reviews import review as reviews
from tests.review.conftest import challenge_step

TEXT_PAGES = ("/review/submissions/{id}", "/review/submissions/{id}/history",
              "/review/submissions/{id}/compare")
SECRET = EQUITY_ANSWERS["impact_on_people"][:40]



def _accesses() -> int:
    return db.session.scalar(select(func.count(ReflectionAccess.id)))


@pytest.mark.parametrize("who", ["other_mentor", "admin", "other_learner"])
def test_unlinked_people_get_403_on_every_page_with_text(synced, people, submit, who,
                                                        client_for):
    submission = submit(people.learner)
    client = client_for(getattr(people, who))
    for page in TEXT_PAGES:
        response = client.get(page.format(id=submission.id))
        assert response.status_code == 403, page
        assert SECRET not in response.get_data(as_text=True)
    refused = client.post(f"/review/submissions/{submission.id}/decide", data={
        "revision_id": submission.revisions[0].id, "decision": "approve"})
    assert refused.status_code == 403
    db.session.refresh(submission)
    assert submission.status == "submitted"
    assert _accesses() == 0


def test_an_admin_who_is_also_a_linked_mentor_may_read(synced, people, submit, link,
                                                       client_for):
    people.admin.roles = [*people.admin.roles, *people.mentor.roles]
    db.session.commit()
    link(people.admin, learner=people.learner)
    submission = submit(people.learner)
    client = client_for(people.admin)
    assert client.get(f"/review/submissions/{submission.id}").status_code == 200


def test_admins_see_status_and_counts_not_text(synced, people, submit, client_for):
    submit(people.learner)
    submit(people.other_learner)  # nobody is linked to mentor them
    client = client_for(people.admin)
    page = client.get("/review/admin")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Equity Impact Challenge" in html
    assert '<td class="num">2</td>' in html  # both waiting, counted together
    assert "1 reflection waits for review with no mentor linked" in html
    assert SECRET not in html and "Priya Shah" not in html and "Jordan Miles" not in html


def test_linked_mentor_reads_and_each_read_is_recorded(app, client, auth, synced, people,
                                                       submit, client_for):
    submission = submit(people.learner)
    mentor = client_for(people.mentor)
    assert SECRET in mentor.get(f"/review/submissions/{submission.id}").get_data(as_text=True)
    assert SECRET in mentor.get(
        f"/review/submissions/{submission.id}/history").get_data(as_text=True)
    mentor.get(f"/review/submissions/{submission.id}")
    rows = db.session.execute(select(ReflectionAccess).order_by(ReflectionAccess.id)).scalars()
    assert [(r.reader_id, r.page, r.revision_id) for r in rows] == [
        (people.mentor.id, "review", submission.revisions[0].id),
        (people.mentor.id, "history", submission.revisions[0].id),
        (people.mentor.id, "review", submission.revisions[0].id)]

    auth.login(people.learner)
    assert SECRET in client.get(
        f"/review/submissions/{submission.id}/history").get_data(as_text=True)
    assert _accesses() == 3  # the author's own reading is not recorded
    reads = client.get("/review/mine/reads").get_data(as_text=True)
    assert reads.count("Dr. Amara Okafor") == 3
    assert "The revision history" in reads


def test_the_reads_page_shows_only_my_own_reflections(app, client, auth, synced, people,
                                                      submit, link, client_for):
    link(people.mentor, learner=people.other_learner)
    mine = submit(people.learner)
    theirs = submit(people.other_learner)
    mentor = client_for(people.mentor)
    mentor.get(f"/review/submissions/{mine.id}")
    mentor.get(f"/review/submissions/{theirs.id}")
    auth.login(people.other_learner)
    reads = client.get("/review/mine/reads").get_data(as_text=True)
    assert reads.count("Dr. Amara Okafor") == 1


def test_mentors_never_see_a_working_draft(app, synced, people, submit, client_for):
    submission = submit(people.learner)
    reviews.decide(people.mentor, submission, submission.revisions[0], decision="revise",
                   improve="Go deeper.")
    db.session.commit()
    challenges.save_draft(people.learner, submission.step,
                          {"decision_context": "HALF-WRITTEN DRAFT"}, expected_version=None)
    db.session.commit()
    mentor = client_for(people.mentor)
    for page in TEXT_PAGES[:2]:
        html = mentor.get(page.format(id=submission.id)).get_data(as_text=True)
        assert "HALF-WRITTEN DRAFT" not in html


def test_a_draft_that_was_never_submitted_is_not_found(app, synced, people, client_for):
    step = challenge_step("equity-impact")
    draft = challenges.save_draft(people.learner, step, {"decision": "Private thoughts"},
                                  expected_version=None)
    db.session.commit()
    mentor = client_for(people.mentor)
    assert mentor.get(f"/review/submissions/{draft.id}").status_code == 404


def test_keep_private_counts_completion_only(app, synced, people, submit, client_for):
    step = challenge_step("power-dynamics")
    submission = submit(people.learner, "power-dynamics", answers={"situation": "Private."},
                        private=True)
    assert submission.is_private
    # Review-required, but nobody may read it, so it counts as soon as it is submitted.
    assert step.review_required
    assert learning.challenge_counts_as_done(step, submission)
    progress = learning.module_progress(people.learner, step.module)
    assert progress.state_for(step.id).status == "completed, kept private"
    # No mentor is told, and the mentor cannot open it.
    assert db.session.scalar(select(func.count(Notification.id))
                             .where(Notification.kind != "mentor_link")) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))
                             .where(OutboxMessage.kind != "mentor_link")) == 0
    mentor = client_for(people.mentor)
    for page in TEXT_PAGES:
        assert mentor.get(page.format(id=submission.id)).status_code == 403
    queue = mentor.get("/review/?status=private").get_data(as_text=True)
    assert "Priya Shah" in queue and "Text not shared" in queue
    assert f"/review/submissions/{submission.id}" not in queue


def test_private_is_only_honoured_where_the_challenge_allows_it(app, synced, people, submit):
    submission = submit(people.learner, private=True)  # equity-impact: allow_private false
    assert not submission.is_private
    assert not learning.challenge_counts_as_done(submission.step, submission)


def test_the_learner_sees_their_mentors(client, auth, synced, people):
    auth.login(people.learner)
    assert "Dr. Amara Okafor" in client.get("/review/mine").get_data(as_text=True)
    assert "Dr. Amara Okafor" in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login(people.other_learner)
    assert "No mentor is linked to you yet" in client.get("/review/mine").get_data(as_text=True)


def test_group_coauthors_are_authors_once_they_accept(app, synced, people, make_user,
                                                     client_for):
    coauthor = make_user(name="Co Author")
    step = challenge_step("us-vs-them")
    submission = challenges.submit(people.learner, step, {"situation": "Shared."},
                                   expected_version=None, coauthors=[coauthor])
    db.session.commit()
    assert not reviews.is_author(coauthor, submission)  # invited, not yet agreed
    client = client_for(coauthor)
    assert client.get(f"/review/submissions/{submission.id}/history").status_code == 403
    [invitation] = coauthoring.pending_for(coauthor)
    coauthoring.accept(coauthor, invitation)
    db.session.commit()
    assert reviews.is_author(coauthor, submission)
    assert client.get(f"/review/submissions/{submission.id}/history").status_code == 200
    assert _accesses() == 0
    assert db.session.get(Submission, submission.id).coauthors == [coauthor]


def test_coauthors_hear_about_feedback_and_get_credit(synced, people, make_user):
    from lms.models import Enrollment

    coauthor = make_user(name="Co Author")
    step = challenge_step("us-vs-them")
    submission = challenges.submit(people.learner, step, {"situation": "Shared."},
                                   expected_version=None, coauthors=[coauthor])
    coauthoring.accept(coauthor, coauthoring.pending_for(coauthor)[0])
    db.session.commit()
    reviews.decide(people.mentor, submission, submission.revisions[0], decision="approve")
    db.session.commit()
    note = db.session.execute(select(Notification).where(
        Notification.user_id == coauthor.id,
        Notification.kind == notifications.FEEDBACK)).scalar_one()
    assert note.link == f"/review/submissions/{submission.id}/history"
    assert learning.challenge_counts_as_done(step, submission)
    assert db.session.scalar(select(func.count(Enrollment.id)).where(
        Enrollment.user_id == coauthor.id)) == 1  # completion was refreshed for them too
