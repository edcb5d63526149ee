"""Fixtures every area's tests share live in ``tests/fixtures/`` (loaded here as plugins).

The names tests import from here (``AuthActions``, ``IsolatedClient``,
``TEST_PASSWORD``, ``test_config``) are re-exported.
"""

from __future__ import annotations

import pytest

pytest.register_assert_rewrite("tests.fixtures")

from tests.fixtures.database import (  # noqa: E402
    FAST_HASH,
    TEST_PASSWORD,
    IsolatedClient,
    test_config,
)
from tests.fixtures.people import AuthActions  # noqa: E402

# ``mailbox``: a real SMTP server standing in for people's mailboxes.
pytest_plugins = [
    "tests.fixtures.database",
    "tests.fixtures.people",
    "tests.fixtures.content",
    "tests.mailbox",
]

__all__ = ["FAST_HASH", "TEST_PASSWORD", "AuthActions", "IsolatedClient", "test_config"]


# Fixtures that run a real SMTP server. Delivery claims and records each message on
# its own connection (so two senders never send one twice): the rows it reads must
# be committed for real, so tests that deliver get the ``commits`` treatment.
SMTP_FIXTURES = frozenset({"mailbox", "smtp_server", "slow_smtp"})


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    for item in items:
        if SMTP_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.commits)
