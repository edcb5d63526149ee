"""The programme office manages people: create, edit roles and departments, deactivate."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import AuditEvent, OutboxMessage, User


@pytest.fixture
def admin(make_user, auth):
    """A signed-in administrator."""
    user = make_user(roles=("admin", "learner"), name="Morgan Admin")
    auth.login(user)
    return user


def _user(email: str) -> User | None:
    return db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()


def test_admin_creates_a_person_and_invites_them(client, admin, make_department):
    pediatrics = make_department("Pediatrics")
    response = client.post("/admin/users/new", data={
        "name": "Ana López", "email": "Ana.Lopez@Example.edu", "department_id": pediatrics.id,
        "roles": ["learner", "mentor"], "send_invite": "y"})
    assert response.status_code == 302
    ana = _user("ana.lopez@example.edu")
    assert ana is not None
    assert ana.department_id == pediatrics.id
    assert ana.role_names == {"learner", "mentor"}
    assert ana.password_hash is None
    invite = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.to_address == ana.email)).scalar_one()
    assert invite.kind == "invitation"
    assert "/auth/reset/" not in invite.body_text  # admins read the Outbox
    events = db.session.execute(select(AuditEvent.action)).scalars().all()
    assert "user.create" in events


def test_new_person_form_shows_problems_at_the_fields(client, admin, make_user):
    make_user(email="taken@example.edu")
    response = client.post("/admin/users/new", data={
        "name": "", "email": "taken@example.edu", "roles": []})
    assert response.status_code == 200
    assert b"This field is required." in response.data
    assert b"Choose at least one role." in response.data
    duplicate = client.post("/admin/users/new", data={
        "name": "Someone", "email": "TAKEN@example.edu", "roles": ["learner"]})
    assert b"An account with this email already exists." in duplicate.data
    bad = client.post("/admin/users/new", data={
        "name": "Someone", "email": "not-an-email", "roles": ["learner"]})
    assert b"Invalid email address." in bad.data
    assert db.session.scalar(select(func.count(User.id))) == 2


@pytest.mark.parametrize("field, value", [
    ("roles", "superuser"), ("department_id", "999999"), ("department_id", "abc"),
    ("cohort_ids", "999999"), ("cohort_ids", "x"),
])
def test_forged_choices_are_refused(client, admin, field, value):
    data = {"name": "Someone", "email": "someone@example.edu", "roles": ["learner"]}
    data[field] = value
    response = client.post("/admin/users/new", data=data)
    assert response.status_code == 200
    assert b"Please check the form" in response.data
    assert _user("someone@example.edu") is None


def test_admin_edits_roles_department_and_cohorts(client, admin, make_user, make_department):
    from lms.services.accounts import people as accounts

    cardiology = make_department("Cardiology")
    cohort = accounts.create_cohort(name="Ally Champions")
    db.session.commit()
    person = make_user(roles=("learner",))
    response = client.post(f"/admin/users/{person.id}", data={
        "name": "Renamed Person", "email": person.email, "department_id": cardiology.id,
        "roles": ["learner", "mentor"], "cohort_ids": [cohort.id], "is_active": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.get(User, person.id)
    assert person.name == "Renamed Person"
    assert person.role_names == {"learner", "mentor"}
    assert person.department_id == cardiology.id
    assert [c.name for c in person.cohorts] == ["Ally Champions"]


def test_edit_form_starts_with_the_current_values(client, admin, make_user, make_department):
    surgery = make_department("Surgery")
    person = make_user(roles=("mentor", "learner"), department=surgery)
    page = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert f'<option selected value="{surgery.id}">Surgery</option>' in page
    assert 'checked id="roles-0" name="roles" type="checkbox" value="learner"' in page
    assert 'checked id="roles-1" name="roles" type="checkbox" value="mentor"' in page


def test_deactivating_signs_the_person_out_and_blocks_sign_in(app, client, admin, make_user):
    person = make_user()
    their_browser = app.test_client()
    their_browser.post("/auth/login", data={"email": person.email,
                                            "password": "correct horse battery"})
    assert their_browser.get("/").status_code == 200

    response = client.post(f"/admin/users/{person.id}", data={
        "name": person.name, "email": person.email, "roles": ["learner"]})  # box unticked
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, person.id).is_active_account is False
    assert their_browser.get("/").status_code == 302
    again = their_browser.post("/auth/login", data={"email": person.email,
                                                    "password": "correct horse battery"})
    assert again.status_code == 200  # refused, with the usual message
    listing = client.get("/admin/users").get_data(as_text=True)
    assert "Deactivated" in listing


def test_admin_cannot_lock_themselves_out(client, admin):
    no_admin = client.post(f"/admin/users/{admin.id}", data={
        "name": admin.name, "email": admin.email, "roles": ["learner"], "is_active": "y"})
    assert b"You cannot remove your own admin role." in no_admin.data
    inactive = client.post(f"/admin/users/{admin.id}", data={
        "name": admin.name, "email": admin.email, "roles": ["admin", "learner"]})
    assert b"You cannot deactivate your own account." in inactive.data
    db.session.expire_all()
    me = db.session.get(User, admin.id)
    assert me.has_role("admin") and me.is_active_account


def test_email_change_cannot_take_someone_elses(client, admin, make_user):
    one, two = make_user(), make_user()
    response = client.post(f"/admin/users/{one.id}", data={
        "name": one.name, "email": two.email.upper(), "roles": ["learner"], "is_active": "y"})
    assert b"Another account already uses this email." in response.data
    db.session.expire_all()
    assert db.session.get(User, one.id).email == one.email


def test_unknown_person_is_404(client, admin):
    assert client.get("/admin/users/987654").status_code == 404
    assert client.post("/admin/users/987654/invite").status_code == 404


def test_invite_queues_a_link(client, admin, make_user):
    person = make_user(password=None)
    response = client.post(f"/admin/users/{person.id}/invite")
    assert response.status_code == 302
    message = db.session.execute(select(OutboxMessage)).scalar_one()
    assert message.to_address == person.email


def test_invite_for_deactivated_person_is_refused(client, admin, make_user):
    person = make_user(active=False)
    assert client.post(f"/admin/users/{person.id}/invite").status_code == 400
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_people_list_filters(client, admin, make_user, make_department):
    pediatrics = make_department("Pediatrics")
    make_user(name="Grace Nakamura", department=pediatrics)
    make_user(name="Omar Haddad", roles=("mentor",))
    page = client.get("/admin/users", query_string={"q": "grace"}).get_data(as_text=True)
    assert "Grace Nakamura" in page and "Omar Haddad" not in page
    page = client.get("/admin/users", query_string={"role": "mentor"}).get_data(as_text=True)
    assert "Omar Haddad" in page and "Grace Nakamura" not in page
    page = client.get("/admin/users",
                      query_string={"department": pediatrics.id}).get_data(as_text=True)
    assert "Grace Nakamura" in page and "Omar Haddad" not in page


def test_people_list_query_count_does_not_grow(client, admin, make_user, make_department,
                                              count_queries):
    departments = [make_department() for _ in range(3)]
    for i in range(3):
        make_user(department=departments[i % 3])
    client.get("/admin/users")  # the navigation's counts are kept from the first page on
    with count_queries() as few:
        assert client.get("/admin/users").status_code == 200
    for i in range(30):
        make_user(department=departments[i % 3], roles=("learner", "mentor"))
    client.get("/admin/users")  # a first mentor adds the role, which everyone's counts follow
    with count_queries() as many:
        assert client.get("/admin/users").status_code == 200
    assert many.count == few.count


def test_departments_and_cohorts(client, admin, make_user):
    lead = make_user(name="Lucía Fernández")
    response = client.post("/admin/departments", data={"name": "Internal Medicine",
                                                       "lead_id": lead.id})
    assert response.status_code == 302
    again = client.post("/admin/departments", data={"name": "internal medicine"})
    assert b"A department with this name already exists." in again.data
    page = client.get("/admin/departments").get_data(as_text=True)
    assert "Internal Medicine" in page and "Lucía Fernández" in page

    assert client.post("/admin/cohorts", data={"name": "Champions 2026",
                                               "description": "Monthly"}).status_code == 302
    again = client.post("/admin/cohorts", data={"name": "CHAMPIONS 2026"})
    assert b"A cohort with this name already exists." in again.data
    assert "Champions 2026" in client.get("/admin/cohorts").get_data(as_text=True)


def test_department_and_cohort_pages_query_count_does_not_grow(client, admin, make_user,
                                                              make_department, count_queries):
    from lms.services.accounts import people as accounts

    def grow(n):
        for _ in range(n):
            department = make_department()
            department.lead = make_user(department=department)
            cohort = accounts.create_cohort(name=f"Cohort for {department.name}")
            cohort.members.append(department.lead)
        db.session.commit()

    grow(2)
    with count_queries() as few:
        client.get("/admin/departments")
        client.get("/admin/cohorts")
    grow(20)
    with count_queries() as many:
        client.get("/admin/departments")
        client.get("/admin/cohorts")
    assert many.count == few.count


def test_admin_home_counts(client, admin, make_user):
    make_user()
    page = client.get("/admin/").get_data(as_text=True)
    assert "2 accounts" in page


def test_audit_log_lists_and_filters(client, admin, make_user):
    client.post("/admin/users/new", data={"name": "Ana", "email": "ana@example.edu",
                                          "roles": ["learner"]})
    page = client.get("/admin/audit", query_string={"action": "user.create"})
    assert page.status_code == 200
    assert "user.create" in page.get_data(as_text=True)
    assert "Morgan Admin" in page.get_data(as_text=True)
    empty = client.get("/admin/audit", query_string={"actor": "nobody-like-this"})
    assert "No events match." in empty.get_data(as_text=True)
