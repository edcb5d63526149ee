"""Issue 13, finding 2: nobody grants themselves mentor access, every new mentor link is
announced to the learners it reaches, and the learner's page lists who can read and who
did read."""

from __future__ import annotations

from sqlalchemy import select

from lms.extensions import db
from lms.models import MentorLink, Notification, OutboxMessage
from lms.services.accounts import mentoring
from lms.services.errors import DomainError


def test_an_admin_cannot_link_themself_as_mentor(client, auth, make_user):
    admin = make_user(roles=("admin", "mentor", "learner"), name="Morgan Admin")
    learner = make_user(name="Priya Shah")
    auth.login(admin)
    response = client.post("/review/admin/links", data={
        "mentor_id": admin.id, "target": "learner", "learner_email": learner.email})
    assert response.status_code == 422
    assert "You cannot link yourself as a mentor" in response.get_data(as_text=True)
    assert db.session.scalar(select(MentorLink.id)) is None
    assert client.get("/review/submissions/1/history").status_code in (403, 404)


def test_the_service_refuses_self_links_to_any_target(make_user, make_department):
    medicine = make_department("Medicine")
    admin = make_user(roles=("admin", "mentor"), department=medicine)
    for target in ({"learner": make_user()}, {"department": medicine}):
        try:
            mentoring.link_mentor(actor=admin, mentor=admin, **target)
        except DomainError as problem:
            assert problem.field == "mentor_id"
        else:
            raise AssertionError("a self-granted link was made")


def test_a_new_link_tells_each_learner_in_app_and_by_email(client, auth, make_user,
                                                            make_department):
    medicine = make_department("Medicine")
    admin = make_user(roles=("admin",))
    mentor = make_user(roles=("mentor",), name="Dr. Amara Okafor")
    one = make_user(name="Priya Shah", department=medicine)
    two = make_user(name="Jordan Miles", department=medicine)
    auth.login(admin)
    response = client.post("/review/admin/links", data={
        "mentor_id": mentor.id, "target": "department", "department_id": medicine.id})
    assert response.status_code == 302
    for learner in (one, two):
        notes = db.session.execute(select(Notification.text).where(
            Notification.user_id == learner.id)).scalars().all()
        assert notes == ["Dr. Amara Okafor can now read the reflections you submit."]
        mail = db.session.execute(select(OutboxMessage).where(
            OutboxMessage.to_address == learner.email)).scalar_one()
        assert "Dr. Amara Okafor can now read the reflections you submit" in mail.body_text
    assert db.session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.to_address == mentor.email)) is None


def test_the_learners_page_lists_who_can_read_and_who_did(synced, client, auth, make_user, link,
                                                          submit, client_for):
    learner = make_user(name="Priya Shah")
    mentor = make_user(roles=("mentor",), name="Dr. Amara Okafor")
    link(mentor, learner=learner)
    submission = submit(learner)
    assert client_for(mentor).get(f"/review/submissions/{submission.id}").status_code == 200
    auth.login(learner)
    page = client.get("/review/mine").get_data(as_text=True)
    can_read, _, did_read = page.partition("Who has read them")
    assert "Dr. Amara Okafor" in can_read
    assert "Dr. Amara Okafor: 1 time" in did_read


def test_a_learner_the_mentor_already_reads_for_is_not_told_again(make_user, make_department):
    medicine = make_department("Medicine")
    admin = make_user(roles=("admin",))
    mentor = make_user(roles=("mentor",), name="Dr. Amara Okafor")
    priya = make_user(name="Priya Shah", department=medicine)
    mentoring.link_mentor(actor=admin, mentor=mentor, department=medicine)
    db.session.commit()
    mentoring.link_mentor(actor=admin, mentor=mentor, learner=priya)
    db.session.commit()
    told = db.session.execute(select(OutboxMessage.to_address).where(
        OutboxMessage.kind == "mentor_link")).scalars().all()
    assert told == [priya.email]  # once, for the link that made the mentor a reader
