"""The public verification page is rate-limited per address."""

from __future__ import annotations

import pytest

from lms.extensions import limiter


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True}


@pytest.fixture
def limited(app):
    """Rate limiting on for this test only.

    The limiter is one object shared by every app in the run and keeps the
    on/off switch of the last app built; every other test app has it off
    (tests/conftest.py), so switch it off again afterwards.
    """
    limiter.enabled = True
    yield
    limiter.reset()
    limiter.enabled = False


def test_verification_is_rate_limited(client, limited):
    statuses = [client.get(f"/verify/AAAA-BBBB-CC{i:02d}").status_code for i in range(31)]
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429
