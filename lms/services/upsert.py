"""``INSERT … ON CONFLICT`` for the database in use (SQLite or PostgreSQL)."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite

from lms.extensions import db


def dialect_insert():
    """The ``insert`` construct that offers ``on_conflict_do_nothing``/``_do_update``."""
    if db.engine.dialect.name == "postgresql":
        return postgresql.insert
    return sqlite.insert
