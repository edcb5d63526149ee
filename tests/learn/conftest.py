from __future__ import annotations

from pathlib import Path

import pytest

from lms.content.sync import sync_modules
from lms.extensions import db
from lms.services.learning import progress as learning


@pytest.fixture
def module_root(tmp_path) -> Path:
    root = tmp_path / "modules"
    root.mkdir()
    return root


@pytest.fixture
def sync_root(app, module_root):
    """Sync the test's own module folder; returns a function to call after writing."""

    def run():
        report = sync_modules(module_root)
        db.session.commit()
        assert not report.errors, [str(e) for e in report.errors]
        return report

    return run


@pytest.fixture
def module(app):
    return lambda slug: learning.published_module(slug)

from tests.events.conftest import make_offering, make_training  # noqa: E402,F401  (shared factories)
