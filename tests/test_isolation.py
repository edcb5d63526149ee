"""Tests cannot see each other's rows: each one is rolled back, even after commits.

The tests here run in file order (xdist sends a file to one worker): the
first ones write, the later ones check that nothing of it is left.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from lms import clock
from lms.extensions import db
from lms.models import User
from tests.conftest import AuthActions
from tests.fixtures.database import cached_app, detach, rolled_back
from tests.fixtures.people import create_user

LEFT_BEHIND = "left-behind@example.edu"
THROUGH_A_REQUEST = "made-by-a-request@example.edu"


@pytest.fixture(scope="module")
def kept(database_url, _app_cache):
    """A person made once for the module, there for every test and gone after it."""
    app = cached_app(database_url, {})
    with rolled_back(app):
        with app.app_context():
            people = SimpleNamespace(kept=create_user(email="kept@example.edu"))
            detach(people)
        yield people


def _emails() -> set[str]:
    return set(db.session.scalars(sa.select(User.email)))


def test_a_commit_is_not_written_for_other_connections(app, database_url, make_user):
    make_user(email=LEFT_BEHIND)
    other = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with other.connect() as connection:
            seen = connection.scalar(sa.select(sa.func.count()).select_from(User.__table__)
                                     .where(User.email == LEFT_BEHIND))
    finally:
        other.dispose()
    assert seen == 0


def test_commits_in_the_test_and_in_requests_stay_until_the_test_ends(
        app, client, make_user, kept):
    make_user(email=LEFT_BEHIND)
    admin = make_user(roles=("admin",))
    AuthActions(client).login(admin)
    response = client.post("/admin/users/new", data={
        "email": THROUGH_A_REQUEST, "name": "Made By A Request", "department_id": "",
        "roles": ["learner"], "is_active": "y"})
    assert response.status_code == 302
    assert {LEFT_BEHIND, THROUGH_A_REQUEST, "kept@example.edu"} <= _emails()


def test_the_next_test_starts_from_the_module_rows_only(app, kept):
    assert _emails() == {"kept@example.edu"}


def test_a_failed_request_keeps_what_the_test_committed(app, client, make_user):
    make_user(email=LEFT_BEHIND)
    client.post("/auth/login", data={"email": LEFT_BEHIND, "password": "wrong"})
    db.session.rollback()
    assert LEFT_BEHIND in _emails()


def test_a_frozen_clock_does_not_outlive_its_test(app):
    assert clock.now().year >= 2026 and clock._frozen is None
