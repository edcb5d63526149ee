"""Helpers shared by the action plan tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lms import clock
from lms.extensions import db
from lms.services import plans

# Midday UTC, so the institution's local date (America/Detroit) is the same day.
START = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)


def days_from_today(days: int):
    return plans.local_today() + timedelta(days=days)


@pytest.fixture
def frozen_start():
    """Freeze the clock at START for the whole test; tests move it with ``clock.frozen_at``."""
    with clock.frozen_at(START):
        yield START


@pytest.fixture
def make_goal(app):
    """Factory: ``make_goal(user, title=..., actions=["text", ...])``; committed."""

    def make(user, title: str = "Make meetings more inclusive", actions=(), **fields):
        goal = plans.create_goal(
            user, title=title,
            actions=[plans.ActionDraft(text, days_from_today(14)) for text in actions],
            **fields)
        db.session.commit()
        return goal

    return make
