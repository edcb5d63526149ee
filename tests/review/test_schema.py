"""The migrations build exactly the tables the models describe (mentor review added five;
this checks every table, so drift anywhere is caught)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from lms.extensions import db
from lms.models import Base


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
