"""The admin page of identity providers and SCIM tokens."""

from __future__ import annotations

import re

import pytest

from lms.extensions import db
from lms.models import AuditEvent, ScimToken
from tests.sso.conftest import follow_provider, oidc_settings


@pytest.fixture
def app_config(oidc_provider):
    return oidc_settings(oidc_provider)


@pytest.fixture
def admin(make_user, auth):
    user = make_user(roles=("admin",))
    return user


def test_lists_providers_with_metadata_status_and_last_sign_ins(client, op, admin, auth):
    follow_provider(client, "/sso/campus/start")  # Ada signs in through Campus ID
    client.post("/auth/logout")
    auth.login(admin)
    page = client.get("/admin/identity/").get_data(as_text=True)
    assert "Campus ID" in page and "OpenID Connect" in page
    assert "Loaded" in page and f"Issuer {op.issuer}" in page
    assert "Ada Lovelace (ada@hospital.example)" in page


def test_unreachable_metadata_is_reported_not_a_crash(client, admin, auth, app):
    from lms.services.sso.providers import configured_providers

    app.config["SSO_PROVIDERS"] = configured_providers({"LMS_OIDC_PROVIDERS": [{
        "name": "down", "label": "Down IdP", "issuer": "http://127.0.0.1:9",
        "client_id": "x"}]})
    auth.login(admin)
    response = client.get("/admin/identity/")
    assert response.status_code == 200
    assert "Not available" in response.get_data(as_text=True)


def test_create_token_shows_it_once_and_stores_only_a_hash(client, admin, auth):
    auth.login(admin)
    response = client.post("/admin/identity/tokens", data={"name": "Workday"})
    assert response.status_code == 200
    secret = re.search(r'<code id="new-token">([^<]+)</code>', response.get_data(as_text=True))[1]
    token = db.session.query(ScimToken).one()
    assert token.name == "Workday" and secret not in token.token_hash
    assert secret not in client.get("/admin/identity/").get_data(as_text=True)
    assert secret not in str([e.details for e in db.session.query(AuditEvent)])
    assert client.get("/scim/v2/Users", headers={"Authorization": f"Bearer {secret}"}
                      ).status_code == 200
    page = client.get("/admin/identity/").get_data(as_text=True)
    assert "Never" not in page  # last used is shown


def test_blank_token_name_is_refused_at_the_field(client, admin, auth):
    auth.login(admin)
    response = client.post("/admin/identity/tokens", data={"name": "  "})
    assert response.status_code == 400
    assert db.session.query(ScimToken).count() == 0


def test_revoke_token(client, admin, auth):
    auth.login(admin)
    client.post("/admin/identity/tokens", data={"name": "Old HR"})
    token = db.session.query(ScimToken).one()
    response = client.post(f"/admin/identity/tokens/{token.id}/revoke")
    assert response.status_code == 302
    db.session.refresh(token)
    assert token.revoked_at is not None
    assert "Revoked" in client.get("/admin/identity/").get_data(as_text=True)


def test_token_list_costs_the_same_queries_for_one_or_many(client, admin, auth, make_user,
                                                           count_queries):
    from lms.services.scim import tokens

    auth.login(admin)

    def queries_with(n: int) -> int:
        for i in range(n):
            tokens.create_token(name=f"HR {i}", actor=make_user(roles=("admin",)))
        db.session.commit()
        with count_queries() as counter:
            assert client.get("/admin/identity/").status_code == 200
        return counter.count

    assert queries_with(1) == queries_with(20)
