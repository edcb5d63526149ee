"""Test databases: a migrated SQLite file, or a private PostgreSQL schema.

``TEST_DATABASE_URL`` selects PostgreSQL. Each test run works in its own
schema (so parallel runs never meet) built by running the real migrations.
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa

from lms.config import normalise_database_url

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")


def on_postgres() -> bool:
    return bool(POSTGRES_URL)


@contextmanager
def fresh_database(tmp_dir: Path, label: str = "lms"):
    """Yield the URL of an empty database that disappears afterwards."""
    if POSTGRES_URL:
        base = normalise_database_url(POSTGRES_URL)
        schema = f"t_{label}_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in base else "?"
        # Losing the last commits in a crash does not matter for a throwaway schema;
        # not waiting for the disk on every commit makes the suite several times faster.
        options = f"-csearch_path={schema} -csynchronous_commit=off"
        try:
            yield f"{base}{separator}options={quote(options)}"
        finally:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    else:
        path = tmp_dir / f"{label}-{uuid.uuid4().hex[:8]}.sqlite3"
        yield f"sqlite:///{path}"


def upgrade(app) -> None:
    """Run every migration against the app's database."""
    from flask_migrate import upgrade as alembic_upgrade

    with app.app_context():
        alembic_upgrade()


def empty_all_tables(engine: sa.Engine, metadata: sa.MetaData) -> None:
    """Delete every row (not the schema) so the next test starts clean."""
    # DELETE beats TRUNCATE for the handful of rows a test leaves behind.
    with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.execute(table.delete())
