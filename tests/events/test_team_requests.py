"""Team training requests: asking, triaging, scheduling."""

from __future__ import annotations

from sqlalchemy import select

from lms.extensions import db
from lms.models import Offering, OutboxMessage, TeamRequest
from lms.services.events import registration as event_registration
from tests.events.helpers import text


def test_a_department_asks_for_a_session(client, auth, make_user, make_department,
                                         make_training):
    pediatrics = make_department("Pediatrics")
    lead = make_user(department=pediatrics)
    training = make_training(title="Psychological Safety")
    auth.login(lead)
    form = text(client.get("/events/team-requests/new"))
    assert f'value="{lead.email}"' in form
    assert "Team sessions are for groups of 50 people or more." in form
    missing = client.post("/events/team-requests/new", data={
        "department_id": pediatrics.id, "group_size": "0", "preferred_dates": "",
        "contact_name": lead.name, "contact_email": lead.email})
    body = text(missing)
    assert "Choose a workshop or describe the topic." in body
    assert "Team sessions are for groups of 50 to 2,000 people." in body
    assert "Give one or more dates or periods." in body
    assert db.session.execute(select(TeamRequest)).first() is None
    response = client.post("/events/team-requests/new", data={
        "department_id": pediatrics.id, "training_id": training.id, "topic": "",
        "group_size": "49", "preferred_dates": "Tuesday mornings in March",
        "contact_name": lead.name, "contact_email": lead.email})
    assert response.status_code == 200  # the form again, with the message at the field
    assert 'aria-invalid="true"' in text(response)
    assert "Team sessions are for groups of 50 to 2,000 people." in text(response)
    response = client.post("/events/team-requests/new", data={
        "department_id": pediatrics.id, "training_id": training.id, "topic": "",
        "group_size": "50", "preferred_dates": "Tuesday mornings in March",
        "contact_name": lead.name, "contact_email": lead.email})
    assert response.status_code == 303
    request = db.session.execute(select(TeamRequest)).scalar_one()
    assert (request.topic, request.status, request.department_id) == (
        "Psychological Safety", "new", pediatrics.id)
    assert "Psychological Safety" in text(client.get("/events/team-requests"))


def _request(make_user, department, training=None):
    from lms.services.events.requests import RequestData, create_request

    requester = make_user(department=department)
    item = create_request(RequestData(
        topic="Psychological Safety", group_size=60, preferred_dates="March",
        contact_name=requester.name, contact_email=requester.email,
        department_id=department.id, training_id=training.id if training else None),
        requester=requester)
    db.session.commit()
    return requester, item


def test_admin_declines_with_a_note(client, auth, admin, make_user, make_department):
    requester, item = _request(make_user, make_department("Cardiology"))
    auth.login(admin)
    no_note = client.post(f"/events/manage/requests/{item.id}", data={"note": "",
                                                                      "decline": "1"})
    assert "Add a note saying why" in text(no_note)
    response = client.post(f"/events/manage/requests/{item.id}", data={
        "note": "We can run it in the autumn instead.", "decline": "1"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(TeamRequest, item.id).status == "declined"
    mail = db.session.execute(select(OutboxMessage).where(
        OutboxMessage.kind == "team_request")).scalar_one()
    assert mail.to_address == requester.email
    assert "autumn" in mail.body_text


def test_scheduling_a_request_creates_a_department_offering(client, auth, admin, make_user,
                                                            make_department, make_training):
    department = make_department("Emergency Medicine")
    training = make_training(title="Psychological Safety")
    requester, item = _request(make_user, department, training)
    auth.login(admin)
    form = text(client.get(f"/events/manage/requests/{item.id}/schedule"))
    assert 'value="60"' in form  # capacity from the group size
    response = client.post(f"/events/manage/requests/{item.id}/schedule", data={
        "training_id": training.id, "starts_at": "2031-04-02T09:00",
        "ends_at": "2031-04-02T11:00", "mode": "in_person", "location": "ED Conference Room",
        "capacity": "18", "audience": "department", "department_id": department.id,
        "engagement_week_id": "", "note": "See you there."})
    assert response.status_code == 303
    db.session.expire_all()
    request = db.session.get(TeamRequest, item.id)
    offering = db.session.get(Offering, request.offering_id)
    assert request.status == "scheduled"
    assert (offering.audience, offering.department_id, offering.capacity) == (
        "department", department.id, 18)
    assert event_registration.registration_problem(requester, offering) is None
    outsider = make_user()
    assert "reserved for Emergency Medicine" in event_registration.registration_problem(
        outsider, offering)
    again = client.get(f"/events/manage/requests/{item.id}/schedule")
    assert again.status_code == 303  # only new requests can be scheduled


def test_the_smallest_team_is_a_setting_the_service_enforces_too(app, make_user):
    from lms.services.errors import DomainError
    from lms.services.events.requests import RequestData, create_request

    requester = make_user()
    data = RequestData(topic="Allyship", group_size=12, preferred_dates="May",
                       contact_name="Lead", contact_email="lead@example.edu")
    try:
        create_request(data, requester=requester)
    except DomainError as error:
        assert error.field == "group_size"
        assert "groups of 50 to 2,000 people" in error.message
    else:
        raise AssertionError("a group of 12 was accepted")
    app.config["LMS_TEAM_REQUEST_MIN_SIZE"] = 10
    assert create_request(data, requester=requester).group_size == 12
