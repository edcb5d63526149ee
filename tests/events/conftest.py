"""Factories for live-session tests."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from lms.extensions import db
from lms.models import utcnow
from lms.services.events import offerings as events

_n = itertools.count(1)


@pytest.fixture
def make_training(app, admin):
    """Factory: ``make_training(slug=..., facilitators=[user])``."""

    def make(*, title: str | None = None, slug: str | None = None, facilitators=(),
             related=()) -> events.Training:
        n = next(_n)
        training = events.create_training(events.TrainingData(
            title=title or f"Workshop {n}", slug=slug or f"workshop-{n}",
            description="What we will explore together.",
            related_module_slugs=list(related),
            facilitator_ids=[u.id for u in facilitators]), actor=admin)
        db.session.commit()
        return training

    return make


@pytest.fixture
def make_offering(app, admin, make_training):
    """Factory: ``make_offering(training=None, starts_in=timedelta(days=7), capacity=10, ...)``.

    Extra keyword arguments go to ``OfferingData``.
    """

    def make(training=None, *, starts_in: timedelta = timedelta(days=7),
             duration: timedelta = timedelta(hours=2), capacity: int = 10, **extra):
        training = training or make_training()
        start = (utcnow() + starts_in).replace(second=0, microsecond=0)
        values = {"mode": "virtual", "video_url": "https://video.example.edu/j/123"}
        values.update(extra)
        offering = events.create_offering(training, events.OfferingData(
            starts_at=start, ends_at=start + duration, capacity=capacity, **values), actor=admin)
        db.session.commit()
        return offering

    return make
