"""The public verification page is rate-limited per address."""

from __future__ import annotations

import pytest


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True}


def test_verification_is_rate_limited(client):
    statuses = [client.get(f"/verify/AAAA-BBBB-CC{i:02d}").status_code for i in range(31)]
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429
