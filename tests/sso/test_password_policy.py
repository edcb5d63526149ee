"""Password sign-in switched off for the institution's SSO domains."""

from __future__ import annotations

import pytest

from lms.extensions import db
from lms.models import OutboxMessage
from tests.conftest import TEST_PASSWORD


@pytest.fixture
def app_config():
    return {"LMS_SSO_ONLY_DOMAINS": "hospital.example, @Clinic.Example"}


def test_password_sign_in_is_refused_for_an_sso_domain(client, make_user):
    make_user(email="nurse@hospital.example")
    response = client.post("/auth/login", data={"email": "nurse@hospital.example",
                                                "password": TEST_PASSWORD})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "sign in with their institution" in page
    assert 'value="nurse@hospital.example"' in page  # what was typed stays
    assert client.get("/").status_code == 302  # still signed out


def test_domain_match_ignores_letter_case(client, make_user):
    make_user(email="doc@clinic.example")
    response = client.post("/auth/login", data={"email": "Doc@CLINIC.example",
                                                "password": TEST_PASSWORD})
    assert "sign in with their institution" in response.get_data(as_text=True)


def test_no_password_reset_for_an_sso_domain(client, make_user, app):
    make_user(email="nurse@hospital.example")
    response = client.post("/auth/forgot", data={"email": "nurse@hospital.example"})
    assert "sign in with their institution" in response.get_data(as_text=True)
    assert db.session.query(OutboxMessage).count() == 0


def test_other_domains_keep_password_sign_in(client, make_user):
    make_user(email="guest@example.org")
    response = client.post("/auth/login", data={"email": "guest@example.org",
                                                "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_development_default_keeps_password_sign_in(app):
    from lms.services.sso.policy import password_sign_in_allowed

    assert app.config["LMS_SSO_ONLY_DOMAINS"] == "hospital.example, @Clinic.Example"
    assert password_sign_in_allowed("nurse@example.org", app.config)
    assert password_sign_in_allowed("nurse@hospital.example", {"LMS_SSO_ONLY_DOMAINS": ""})
