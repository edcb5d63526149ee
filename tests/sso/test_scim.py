"""SCIM 2.0 provisioning at /scim/v2 with admin-managed bearer tokens."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import ScimResource, User
from lms.services.scim import tokens

SCIM_JSON = "application/scim+json"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


@pytest.fixture
def app_config():
    return {"LMS_BASE_URL": "http://localhost"}


@pytest.fixture
def bearer(app, make_user):
    admin = make_user(roles=("admin",))
    _, secret = tokens.create_token(name="Workday", actor=admin)
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def _post_user(client, bearer, user_name="nurse@hospital.example", **extra):
    body = {"schemas": [USER_SCHEMA, ENTERPRISE], "userName": user_name,
            "name": {"givenName": "Mary", "familyName": "Seacole"}, "active": True,
            ENTERPRISE: {"employeeNumber": "E-77", "department": "Emergency"}, **extra}
    return client.post("/scim/v2/Users", json=body, headers=bearer,
                       content_type=SCIM_JSON)


def test_requests_without_a_valid_token_are_refused(client, bearer):
    assert client.get("/scim/v2/Users").status_code == 401
    assert client.get("/scim/v2/Users", headers={"Authorization": "Bearer nope"}
                      ).status_code == 401
    assert client.get("/scim/v2/ServiceProviderConfig").status_code == 200


def test_revoked_token_stops_working(client, bearer, app):
    assert client.get("/scim/v2/Users", headers=bearer).status_code == 200
    token = tokens.all_tokens()[0]
    assert token.last_used_at is not None
    tokens.revoke_token(token, actor=token.created_by)
    db.session.commit()
    assert client.get("/scim/v2/Users", headers=bearer).status_code == 401


def test_create_user_provisions_a_person(client, bearer):
    response = _post_user(client, bearer)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["userName"] == "nurse@hospital.example"
    user = db.session.execute(select(User).where(
        User.email == "nurse@hospital.example")).scalar_one()
    assert (user.name, user.employee_id, user.department.name) == (
        "Mary Seacole", "E-77", "Emergency")
    assert user.role_names == {"learner"} and user.password_hash is None


def test_password_sent_by_hr_is_never_stored(client, bearer):
    _post_user(client, bearer, password="Hunter2-secret-value")
    row = db.session.execute(select(ScimResource)).scalar_one()
    assert "password" not in row.document
    assert "Hunter2" not in str(row.document)


def test_filter_by_user_name_and_pagination(client, bearer):
    for n in range(3):
        _post_user(client, bearer, user_name=f"p{n}@hospital.example")
    found = client.get('/scim/v2/Users?filter=userName eq "P1@hospital.example"',
                       headers=bearer).get_json()
    assert found["totalResults"] == 1
    assert found["Resources"][0]["userName"] == "p1@hospital.example"
    page = client.get("/scim/v2/Users?startIndex=2&count=1", headers=bearer).get_json()
    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (3, 2, 1)
    assert page["Resources"][0]["userName"] == "p1@hospital.example"


def test_duplicate_user_name_is_a_conflict(client, bearer):
    _post_user(client, bearer)
    response = _post_user(client, bearer)
    assert response.status_code == 409
    assert db.session.query(ScimResource).count() == 1


def test_patch_active_false_deactivates_and_ends_sessions(client, bearer, app):
    scim_id = _post_user(client, bearer).get_json()["id"]
    user = db.session.execute(select(User)).scalars().all()[-1]
    token_before = user.session_token
    response = client.patch(f"/scim/v2/Users/{scim_id}", headers=bearer,
                            content_type=SCIM_JSON,
                            json={"schemas": [PATCH_SCHEMA], "Operations": [
                                {"op": "replace", "path": "active", "value": False}]})
    assert response.status_code in (200, 204), response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.is_active_account is False
    assert user.session_token != token_before


def test_signed_in_person_is_signed_out_by_deprovisioning(client, bearer, make_user):
    from tests.conftest import AuthActions

    person = make_user(email="nurse@hospital.example")
    scim_id = _post_user(client, bearer).get_json()["id"]  # HR adopts the existing account
    assert db.session.query(User).filter(User.email == "nurse@hospital.example").count() == 1
    browser = client.application.test_client()
    AuthActions(browser).login(person)
    assert browser.get("/").status_code == 200
    assert client.delete(f"/scim/v2/Users/{scim_id}", headers=bearer).status_code == 204
    assert browser.get("/").status_code == 302  # signed out
    assert client.get(f"/scim/v2/Users/{scim_id}", headers=bearer).status_code == 404
    db.session.refresh(person)
    assert person.is_active_account is False  # the record is kept


def test_group_provisions_a_department_with_its_members(client, bearer):
    scim_id = _post_user(client, bearer).get_json()["id"]
    response = client.post("/scim/v2/Groups", headers=bearer, content_type=SCIM_JSON, json={
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "displayName": "Radiology", "members": [{"value": scim_id}]})
    assert response.status_code == 201, response.get_json()
    user = db.session.execute(select(User).where(
        User.email == "nurse@hospital.example")).scalar_one()
    assert user.department.name == "Radiology"


def test_scim2_tester_passes(app, bearer):
    """The independent scim2-tester checker runs every check against the endpoint."""
    from scim2_client.engines.wsgi import WSGISCIMClient
    from scim2_tester import Status, check_server

    scim_client = WSGISCIMClient(app, base_url="http://localhost/scim/v2", headers=bearer)
    results = check_server(scim_client, raise_exceptions=False)
    failures = [f"{r.title}: {r.reason}" for r in results if r.status == Status.ERROR]
    assert failures == []
    passed = [r for r in results if r.status == Status.SUCCESS]
    print(f"scim2-tester: {len(passed)} of {len(results)} checks passed",
          sorted({str(r.status) for r in results}))
    assert len(passed) >= 20  # discovery and CRUD on Users and Groups ran
