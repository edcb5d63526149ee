"""Mentor links: who mentors whom, and how an admin manages the links."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import AuditEvent, MentorLink, User
from lms.services.accounts import mentoring
from lms.services.errors import DomainError


def _mentees(mentor: User) -> set[int]:
    return set(db.session.execute(mentoring.learner_ids_query(mentor)).scalars())


def test_direct_department_and_cohort_links(make_user, make_department, link, cohort):
    medicine = make_department("Internal Medicine")
    cardiology = make_department("Cardiology", parent=medicine)
    pediatrics = make_department("Pediatrics")
    direct = make_user(department=pediatrics, name="Direct Learner")
    in_medicine = make_user(department=medicine)
    in_cardiology = make_user(department=cardiology)
    in_cohort = make_user(department=pediatrics)
    elsewhere = make_user(department=pediatrics)
    mentor = make_user(roles=("mentor", "learner"), department=medicine, name="Dr. One")
    champions = cohort(members=[in_cohort, mentor])

    link(mentor, learner=direct)
    link(mentor, department=medicine)
    link(mentor, cohort=champions)

    assert _mentees(mentor) == {direct.id, in_medicine.id, in_cardiology.id, in_cohort.id}
    for learner in (direct, in_medicine, in_cardiology, in_cohort):
        assert mentoring.is_mentor_of(mentor, learner)
    assert not mentoring.is_mentor_of(mentor, elsewhere)
    # Linked to their own department and cohort, a mentor still never mentors themself.
    assert not mentoring.is_mentor_of(mentor, mentor)
    assert mentor.id not in _mentees(mentor)


def test_a_learner_may_have_several_mentors_listed_by_name(make_user, make_department, link):
    medicine = make_department("Medicine")
    learner = make_user(department=medicine)
    zed = make_user(roles=("mentor",), name="Dr. Zed")
    amara = make_user(roles=("mentor",), name="Dr. Amara")
    make_user(roles=("mentor",), name="Dr. Unlinked", department=medicine)
    link(zed, learner=learner)
    link(amara, department=medicine)
    assert [m.name for m in mentoring.mentors_of(learner)] == ["Dr. Amara", "Dr. Zed"]


def test_only_active_mentor_role_holders_mentor(make_user, link):
    learner = make_user()
    mentor = make_user(roles=("mentor", "learner"))
    link(mentor, learner=learner)
    assert mentoring.is_mentor_of(mentor, learner)

    mentor.is_active_account = False
    db.session.commit()
    assert not mentoring.is_mentor_of(mentor, learner)
    assert mentoring.mentors_of(learner) == []

    mentor.is_active_account = True
    mentor.roles = [r for r in mentor.roles if r.name != "mentor"]
    db.session.commit()
    assert not mentoring.is_mentor_of(mentor, learner)
    assert _mentees(mentor) == set()


def test_link_rules(make_user, make_department, link):
    learner = make_user()
    mentor = make_user(roles=("mentor",))
    not_a_mentor = make_user(roles=("admin",))
    with pytest.raises(DomainError, match="mentor role"):
        mentoring.link_mentor(actor=None, mentor=not_a_mentor, learner=learner)
    with pytest.raises(DomainError, match="own mentor"):
        mentoring.link_mentor(actor=None, mentor=mentor, learner=mentor)
    with pytest.raises(DomainError, match="Choose one"):
        mentoring.link_mentor(actor=None, mentor=mentor)
    with pytest.raises(DomainError, match="Choose one"):
        mentoring.link_mentor(actor=None, mentor=mentor, learner=learner,
                              department=make_department())
    link(mentor, learner=learner)
    with pytest.raises(DomainError, match="already linked"):
        mentoring.link_mentor(actor=None, mentor=mentor, learner=learner)
    db.session.rollback()
    assert db.session.scalar(select(MentorLink.id).where(MentorLink.mentor_id == mentor.id))


def test_a_department_loop_does_not_hang(make_user, make_department, link):
    a = make_department("A")
    b = make_department("B", parent=a)
    a.parent = b  # a mistake an admin could make
    db.session.commit()
    learner = make_user(department=b)
    mentor = make_user(roles=("mentor",))
    link(mentor, department=a)
    assert mentoring.is_mentor_of(mentor, learner)


def test_admin_links_a_mentor_to_a_learner_and_removes_it(client, auth, make_user):
    admin = make_user(roles=("admin", "learner"))
    mentor = make_user(roles=("mentor", "learner"), name="Dr. Cho")
    learner = make_user(name="Jordan Miles", email="jordan@example.edu")
    auth.login(admin)

    page = client.get("/review/admin/links")
    assert page.status_code == 200 and "No mentor links yet." in page.get_data(as_text=True)

    response = client.post("/review/admin/links", data={
        "mentor_id": mentor.id, "target": "learner", "learner_email": "Jordan@Example.edu"})
    assert response.status_code == 302
    assert mentoring.is_mentor_of(mentor, learner)
    listing = client.get("/review/admin/links").get_data(as_text=True)
    assert "Dr. Cho" in listing and "Learner: Jordan Miles" in listing
    assert db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "mentor_link.create"))

    again = client.post("/review/admin/links", data={
        "mentor_id": mentor.id, "target": "learner", "learner_email": "jordan@example.edu"})
    assert again.status_code == 422
    assert "already linked to Jordan Miles" in again.get_data(as_text=True)

    link_id = db.session.scalar(select(MentorLink.id))
    assert client.post(f"/review/admin/links/{link_id}/delete").status_code == 302
    assert not mentoring.is_mentor_of(mentor, learner)


def test_link_form_errors_are_shown_at_the_field(client, auth, make_user, make_department):
    admin = make_user(roles=("admin",))
    mentor = make_user(roles=("mentor",))
    plain = make_user(name="Not A Mentor")
    auth.login(admin)

    nobody = client.post("/review/admin/links", data={"target": "cohort"})
    assert nobody.status_code == 422 and "Choose a mentor." in nobody.get_data(as_text=True)

    missing = client.post("/review/admin/links", data={"mentor_id": mentor.id,
                                                      "target": "department"})
    assert missing.status_code == 422
    assert "Fill this in for the link you chose." in missing.get_data(as_text=True)

    unknown = client.post("/review/admin/links", data={
        "mentor_id": mentor.id, "target": "learner", "learner_email": "nobody@example.edu"})
    assert unknown.status_code == 422
    assert "No account has this email address." in unknown.get_data(as_text=True)

    # Only mentors are offered; a forged id for anyone else is refused, not linked.
    forged = client.post("/review/admin/links", data={
        "mentor_id": plain.id, "target": "department",
        "department_id": make_department().id})
    assert forged.status_code == 422
    assert db.session.scalar(select(MentorLink.id)) is None
