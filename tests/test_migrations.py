"""The migrations build exactly the schema the models describe.

Runs on SQLite by default and on PostgreSQL when ``TEST_DATABASE_URL`` is set,
each time on an empty database of its own.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from lms import create_app
from lms.extensions import db
from lms.models import Base
from tests.conftest import test_config
from tests.db import fresh_database, upgrade


def _not_alembic_bookkeeping(name, type_, parent_names) -> bool:
    return not (type_ == "table" and name == "alembic_version")


@pytest.fixture
def migrated_app(tmp_path):
    """An app over a database built only by ``alembic upgrade`` (no rows, no create_all)."""
    with fresh_database(tmp_path, label="drift") as url:
        app = create_app(test_config(url))
        upgrade(app)
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()


def test_models_and_migrations_agree(migrated_app):
    configure = dict(migrated_app.extensions["migrate"].configure_args)
    configure.pop("render_item", None)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={**configure, "include_name": _not_alembic_bookkeeping})
        differences = compare_metadata(context, Base.metadata)
    assert differences == [], (
        "models and migrations differ; create a revision with `flask db migrate`:\n"
        + "\n".join(repr(d) for d in differences))


def test_upgrade_reaches_a_single_head(migrated_app):
    from alembic.script import ScriptDirectory

    config = migrated_app.extensions["migrate"].migrate.get_config()
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"several migration heads, merge them: {heads}"
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    assert set(current) == set(heads)


def test_every_model_table_exists_after_upgrade(migrated_app):
    tables = set(sa.inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
