"""The learner's own data: the shipped modules synced, people from the review area."""

import pytest

from tests.review.conftest import client_for, link, people, submit  # noqa: F401


@pytest.fixture(autouse=True)
def _modules(request):
    """Every test here works with the real modules/ content."""
    return request.getfixturevalue("synced")
