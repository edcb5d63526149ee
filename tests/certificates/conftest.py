from __future__ import annotations

import pytest

from lms.services.learning import progress as learning
from tests.assignments.helpers import write_short_module
from tests.learn.conftest import module_root, sync_root  # noqa: F401 - fixtures


@pytest.fixture
def certificate_module(app, module_root, sync_root):  # noqa: F811 - fixtures from learn
    """A published 90-minute module that awards a certificate and names a standard."""
    write_short_module(module_root, "licensing-course", title="Implicit Bias for Licensing",
                       certificate=True, estimated_minutes=90,
                       standard="State Board of Medicine implicit-bias requirement")
    sync_root()
    return learning.published_module("licensing-course")
