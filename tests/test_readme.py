"""The README documents what the code reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.config import ENV_SETTINGS
from lms.demo.people import DEMO_PASSWORD

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(ENV_SETTINGS))
def test_every_setting_is_in_the_configuration_table(name):
    assert f"| `{name}` |" in README, f"{name} is missing from the README configuration table"


def test_quick_start_and_demo_logins():
    assert "make run" in README and "make test" in README
    assert DEMO_PASSWORD in README
    for email in ("admin@example.edu", "mentor.one@example.edu", "learner@example.edu"):
        assert email in README
