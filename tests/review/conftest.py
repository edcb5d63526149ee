"""Fixtures for the review area: synced modules, mentor links and submitted reflections."""

from __future__ import annotations

import pytest

from lms.demo.reviews import EQUITY_ANSWERS
from lms.extensions import db
from lms.services import notifications
from lms.services.accounts import mentoring
from lms.services.accounts import people as accounts
from lms.services.learning import challenges
from lms.services.learning import progress as learning
from tests.learn.conftest import module_root, sync_root  # noqa: E402,F401  (shared)


def challenge_step(slug: str):
    module = learning.published_module(slug)
    return next(s for s in module.steps if s.kind == "challenge")


@pytest.fixture
def submit(app):
    """``submit(user, slug="equity-impact", answers=None, private=False)``: a submitted
    reflection through the real service (hooks included), committed."""

    def run(user, slug: str = "equity-impact", answers: dict | None = None,
            private: bool = False):
        step = challenge_step(slug)
        learning.start_module(user, step.module)
        submission = challenges.submit(user, step, dict(answers or EQUITY_ANSWERS),
                                       expected_version=None, is_private=private)
        db.session.commit()
        return submission

    return run


@pytest.fixture
def link(app):
    """``link(mentor, learner=..., department=..., cohort=...)``, committed."""

    def run(mentor, **target):
        created = mentoring.link_mentor(actor=None, mentor=mentor, **target)
        db.session.commit()
        return created

    return run


@pytest.fixture
def people(make_user, make_department, link):
    """A learner with a linked mentor, an unlinked mentor, another learner and an admin."""
    from types import SimpleNamespace

    medicine = make_department("Medicine")
    learner = make_user(name="Priya Shah", department=medicine)
    mentor = make_user(roles=("mentor", "learner"), name="Dr. Amara Okafor")
    link(mentor, learner=learner)
    notifications.mark_all_read(learner)  # they have seen that the mentor was linked
    db.session.commit()
    return SimpleNamespace(
        department=medicine, learner=learner, mentor=mentor,
        other_mentor=make_user(roles=("mentor", "learner"), name="Dr. Unlinked",
                               department=medicine),
        other_learner=make_user(name="Jordan Miles", department=medicine),
        admin=make_user(roles=("admin", "learner"), name="Morgan Admin", department=medicine),
    )


@pytest.fixture
def cohort(app):
    def make(name: str = "Ally Champions", members=()):
        created = accounts.create_cohort(name=name, description="")
        created.members = list(members)
        db.session.commit()
        return created

    return make


@pytest.fixture
def client_for(app):
    """``client_for(user)``: a separate signed-in browser for ``user`` (each request in its
    own app context, as with the ``client`` fixture)."""
    from tests.conftest import AuthActions, IsolatedClient

    def make(user):
        app.test_client_class = IsolatedClient
        browser = app.test_client()
        AuthActions(browser).login(user)
        return browser

    return make
