"""The assignment and certificate tables in the migrations match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from lms.extensions import db
from lms.models import Base

TABLES = {"assignments", "assignment_departments", "assignment_cohorts", "assignment_people",
          "obligations", "assignment_reminders", "certificates"}
INDEXES = {"ix_module_completions_user_module_completed"}


def _concerns_this_area(difference) -> bool:
    for item in difference if isinstance(difference, list) else [difference]:
        for part in item[1:]:
            table = getattr(part, "table", None)
            if getattr(part, "name", None) in TABLES | INDEXES or (
                    table is not None and table.name in TABLES) or part in TABLES:
                return True
    return False


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert [d for d in differences if _concerns_this_area(d)] == []
