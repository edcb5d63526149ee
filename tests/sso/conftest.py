"""Identity providers for the sign-in tests, started on the loopback."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests

from tests.sso.oidc_provider import CLIENT_ID, CLIENT_SECRET, OpenIDProvider

LMS_BASE_URL = "http://localhost"  # the test client's own address
OIDC_CALLBACK = LMS_BASE_URL + "/sso/oidc/campus/callback"
ROLE_RULES = [{"attribute": "groups", "value": "ally-mentors", "role": "mentor"}]


@pytest.fixture(scope="session")
def oidc_provider():
    """idpyoidc's OpenID provider on 127.0.0.1 for the whole run, with ``ada`` known."""
    provider = OpenIDProvider([OIDC_CALLBACK]).start()
    yield provider
    provider.stop()


@pytest.fixture
def op(oidc_provider):
    """The provider with fresh people and honest behaviour for each test."""
    oidc_provider.users.clear()
    oidc_provider.add_user("ada", email="ada@hospital.example", email_verified=True,
                           name="Ada Lovelace", department="Cardiology", employee_id="E-1001",
                           groups=["ally-mentors", "staff"])
    oidc_provider.sign_in_as("ada")
    oidc_provider.rewrite_id_token = None
    oidc_provider.foreign_key = False
    oidc_provider.id_token_lifetime = 300
    return oidc_provider


def oidc_settings(provider: OpenIDProvider) -> dict:
    return {
        "LMS_BASE_URL": LMS_BASE_URL,
        "LMS_OIDC_PROVIDERS": [{
            "name": "campus", "label": "Campus ID", "issuer": provider.issuer,
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "role_rules": ROLE_RULES,
        }],
    }


def follow_provider(client, start_url: str, *, session=None):
    """Start a sign-in, let the provider answer over HTTP, and bring the answer back.

    Returns ``(response, callback_path)``: the LMS's answer to the callback and
    the callback address (with code and state) for replay tests.
    """
    start = client.get(start_url)
    assert start.status_code == 302, start.data[:300]
    answer = (session or requests).get(start.headers["Location"], allow_redirects=False,
                                       timeout=10)
    assert answer.status_code == 302, answer.text[:300]
    callback = urlsplit(answer.headers["Location"])
    path = f"{callback.path}?{callback.query}"
    return client.get(path), path


SAML_ACS = LMS_BASE_URL + "/sso/saml/campus-saml/acs"


@pytest.fixture(scope="session")
def saml_provider(tmp_path_factory):
    """pysaml2's identity provider on 127.0.0.1 (skipped without xmlsec1, except in CI)."""
    import os
    import shutil

    if shutil.which("xmlsec1") is None:
        message = "xmlsec1 is not installed (apt-get install -y xmlsec1); SAML needs it"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from tests.sso.saml_provider import SamlIdentityProvider

    provider = SamlIdentityProvider(tmp_path_factory.mktemp("saml-idp")).start()
    yield provider
    provider.stop()


def saml_settings(provider) -> dict:
    return {
        "LMS_BASE_URL": LMS_BASE_URL,
        "LMS_SAML_PROVIDERS": [{
            "name": "campus-saml", "label": "Campus SAML",
            "metadata_file": str(provider.metadata_file), "role_rules": ROLE_RULES_SAML,
        }],
    }


ROLE_RULES_SAML = [{"attribute": "isMemberOf", "value": "ally-mentors", "role": "mentor"}]


@pytest.fixture
def idp(saml_provider, client):
    """The SAML IdP trusting this app's service provider, with ``grace`` known."""
    saml_provider.trust(client.get("/sso/saml/metadata").get_data(as_text=True))
    saml_provider.users.clear()
    saml_provider.users["grace"] = {
        "mail": ["grace@hospital.example"], "displayName": ["Grace Hopper"],
        "ou": ["Pediatrics"], "employeeNumber": ["E-2002"],
        "isMemberOf": ["ally-mentors"],
    }
    saml_provider.user = "grace"
    saml_provider.misbehaviour = {}
    return saml_provider
