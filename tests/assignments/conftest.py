from __future__ import annotations

import pytest

from lms.services.learning import progress as learning
from tests.assignments.helpers import write_short_module
from tests.learn.conftest import module_root, sync_root  # noqa: F401 - fixtures


@pytest.fixture
def short_module(app, module_root, sync_root):  # noqa: F811 - fixtures from learn
    """A published two-page module, 'short-course' (no certificate)."""
    write_short_module(module_root)
    sync_root()
    return learning.published_module("short-course")
