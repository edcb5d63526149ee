"""Every sign-in does the same work: one password-hash verification (issue 13, finding 7).

Timing itself is too noisy to test; what makes the answers take the same
time is that an unknown, deactivated or password-less account runs the same
argon2 verification as an active one. The spy counts verifications and lets
each one run for real.
"""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from tests.conftest import TEST_PASSWORD


@pytest.fixture
def verifications(monkeypatch) -> list[str]:
    calls: list[str] = []
    real_verify = PasswordHasher.verify

    def counting_verify(self, hash, password):
        calls.append(hash)
        return real_verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting_verify)
    return calls


CASES = {
    "active, right password": ({}, TEST_PASSWORD, 302),
    "active, wrong password": ({}, "wrong password!", 200),
    "deactivated, right password": ({"active": False}, TEST_PASSWORD, 200),
    "deactivated, wrong password": ({"active": False}, "wrong password!", 200),
    "no password set": ({"password": None}, TEST_PASSWORD, 200),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_account_kind_costs_one_verification(client, make_user, verifications, case):
    options, password, status = CASES[case]
    user = make_user(**options)
    response = client.post("/auth/login", data={"email": user.email, "password": password})
    assert response.status_code == status
    assert len(verifications) == 1


def test_an_unknown_email_costs_one_verification(client, verifications):
    response = client.post("/auth/login", data={"email": "nobody@example.edu",
                                                 "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert len(verifications) == 1


def test_a_deactivated_account_is_refused_with_the_usual_message(client, make_user):
    user = make_user(active=False)
    response = client.post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert "That email and password do not match an active account." in response.get_data(
        as_text=True)
    assert client.get("/").status_code == 302  # not signed in
