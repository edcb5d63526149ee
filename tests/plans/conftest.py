"""Helpers shared by the action plan tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lms import clock
from lms.extensions import db
from lms.services.plans import action_plans as plans

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


@pytest.fixture
def make_user(make_user):
    """As the shared factory, but a mentor made in a department (or cohort) is linked to it.

    The plan tests are about sharing, not about how links are made: this keeps
    "the mentor of the learner's department" true through real mentor links.
    """
    from lms.services.accounts.mentoring import link_mentor

    def make(**kwargs):
        user = make_user(**kwargs)
        if "mentor" in kwargs.get("roles", ()):
            if kwargs.get("department") is not None:
                link_mentor(actor=None, mentor=user, department=kwargs["department"])
            for cohort in kwargs.get("cohorts", ()):
                link_mentor(actor=None, mentor=user, cohort=cohort)
            db.session.commit()
        return user

    return make
