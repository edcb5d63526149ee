"""Throwaway databases for the benchmarks.

Without ``BENCH_DATABASE_URL`` a benchmark gets a SQLite file in a temporary
folder; with it, a fresh schema in that PostgreSQL database, reached through
``options=-csearch_path=<schema>`` so the application, Alembic and every
``flask`` command see only that schema. Both are removed afterwards unless
``keep`` is set.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa


@dataclass(frozen=True)
class Database:
    kind: str  # "SQLite" or "PostgreSQL"
    version: str
    url: str

    @property
    def label(self) -> str:
        return f"{self.kind} {self.version}"


@contextmanager
def throwaway_database(prefix: str = "bench", keep: bool = False) -> Iterator[Database]:
    """An empty database, dropped (or, with ``keep``, left and named) when the block ends."""
    from lms.config import normalise_database_url

    base = os.environ.get("BENCH_DATABASE_URL")
    if not base:
        folder = Path(tempfile.mkdtemp(prefix=f"{prefix}-"))
        path = folder / "bench.sqlite3"
        try:
            yield Database("SQLite", sqlite3.sqlite_version, f"sqlite:///{path}")
        finally:
            if keep:
                print(f"Kept the database {path}")
            else:
                shutil.rmtree(folder, ignore_errors=True)
        return

    base = normalise_database_url(base)
    schema = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        version = connection.execute(sa.text("SHOW server_version")).scalar()
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield Database("PostgreSQL", version,
                       f"{base}{separator}options={quote(f'-csearch_path={schema}')}")
    finally:
        if keep:
            print(f"Kept the schema {schema}")
        else:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
