"""Tests marked ``commits`` write for real and find the tables emptied after them.

(Apart from ``test_isolation.py``: its world, held open for the whole module,
would keep other connections from writing on SQLite.)
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.extensions import db
from lms.models import User

LEFT_BEHIND = "left-behind@example.edu"


def _emails() -> set[str]:
    return set(db.session.scalars(sa.select(User.email)))


@pytest.mark.commits
def test_marked_tests_commit_for_real(app, make_user):
    make_user(email=LEFT_BEHIND)
    other = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with other.connect() as connection:
            seen = connection.scalar(sa.select(sa.func.count()).select_from(User.__table__)
                                     .where(User.email == LEFT_BEHIND))
    finally:
        other.dispose()
    assert seen == 1


def test_marked_tests_leave_empty_tables(app):
    assert _emails() == set()
