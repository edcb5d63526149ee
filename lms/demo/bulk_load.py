"""Bulk inserts of plain tuples for generated data: COPY on PostgreSQL, executemany elsewhere.

Made for loading millions of rows quickly (``flask demo scale``, the
benchmarks): no ORM objects, no Python-side defaults. Rows go through the
DBAPI cursor of a SQLAlchemy connection, inside its transaction, so the
caller commits (or rolls back) everything at once.

Values are given as the database stores them: naive UTC datetimes (see
``naive_utc``), dates, booleans, ``None``, and JSON columns as JSON text.
Every NOT NULL column without a server default must be listed, because
model defaults are not applied.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from lms.models import Base

BATCH = 20_000


def naive_utc(moment: datetime) -> datetime:
    """``moment`` as the naive UTC value the application stores."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _sqlite_datetimes(values: Sequence[Any]) -> list[Any]:
    # The text SQLAlchemy writes for DateTime on SQLite ("2026-03-04 15:30:00.000000");
    # isoformat is many times faster than strftime.
    return [v.isoformat(" ", "microseconds") if v is not None else None for v in values]


def _sqlite_dates(values: Sequence[Any]) -> list[Any]:
    return [v.isoformat() if v is not None else None for v in values]


class Loader:
    """Insert rows into tables of ``Base.metadata`` on one SQLAlchemy connection.

    ``counts`` keeps the rows inserted per table.
    """

    def __init__(self, connection: sa.Connection, *, batch: int = BATCH):
        self.connection = connection
        self.postgres = connection.dialect.name == "postgresql"
        self.batch = batch
        self.counts: dict[str, int] = {}

    def _table(self, name: str, columns: Sequence[str]) -> sa.Table:
        table = Base.metadata.tables[name]
        unknown = [c for c in columns if c not in table.c]
        if unknown:
            raise ValueError(f"{name} has no column {', '.join(unknown)}")
        serial = [c.name for c in table.primary_key.columns
                  if len(table.primary_key.columns) == 1 and isinstance(c.type, sa.Integer)]
        missing = [c.name for c in table.columns
                   if not c.nullable and c.server_default is None
                   and c.name not in columns and c.name not in serial]
        if missing:
            raise ValueError(f"{name} needs a value for {', '.join(missing)}")
        return table

    def load(self, name: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """Insert ``rows`` (tuples in the order of ``columns``) into table ``name``."""
        table = self._table(name, columns)
        cursor = self.connection.connection.cursor()
        count = 0
        try:
            if self.postgres:
                with cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
            else:
                sql = (f"INSERT INTO {name} ({', '.join(columns)}) "
                       f"VALUES ({', '.join('?' * len(columns))})")
                convert = self._sqlite_converter(table, columns)
                batch: list[Sequence[Any]] = []
                for row in rows:
                    batch.append(row)
                    if len(batch) >= self.batch:
                        cursor.executemany(sql, convert(batch))
                        count += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, convert(batch))
                    count += len(batch)
        finally:
            cursor.close()
        self.counts[name] = self.counts.get(name, 0) + count
        return count

    @staticmethod
    def _sqlite_converter(table: sa.Table, columns: Sequence[str]):
        """A function turning a batch of rows into what SQLite stores, column by column
        (dates and datetimes as SQLAlchemy writes them)."""
        conversions = []
        for index, name in enumerate(columns):
            kind = table.c[name].type
            if isinstance(kind, sa.TypeDecorator):
                kind = kind.impl
            if isinstance(kind, sa.DateTime):
                conversions.append((index, _sqlite_datetimes))
            elif isinstance(kind, sa.Date):
                conversions.append((index, _sqlite_dates))
        if not conversions:
            return lambda batch: batch

        def convert(batch):
            by_column = list(zip(*batch, strict=True))
            for index, function in conversions:
                by_column[index] = function(by_column[index])
            return list(zip(*by_column, strict=True))

        return convert

    @contextmanager
    def indexes_deferred(self, names: Iterable[str]) -> Iterator[None]:
        """Drop the secondary indexes of tables ``names`` (and on PostgreSQL their unique
        and foreign-key constraints) while loading, and build them again afterwards.

        The advice of PostgreSQL's manual for populating a database: building an
        index once is much faster than updating it row by row, and one
        validation of a foreign key replaces a check per row. The definitions
        are read from the database and restored unchanged, inside the same
        transaction (the tables stay locked until it ends).
        """
        if not self.postgres and not self.connection.connection.dbapi_connection.in_transaction:
            # pysqlite opens its transaction at the first write only: DDL before it
            # would be committed at once, and a failed load would lose the indexes.
            self.connection.exec_driver_sql("BEGIN")
        restore: list[str] = []
        for name in names:
            restore += self._drop_indexes(name)
        yield
        for statement in restore:
            self.connection.exec_driver_sql(statement)

    def _drop_indexes(self, name: str) -> list[str]:
        """Drop the table's secondary indexes; returns the statements that restore them."""
        run = self.connection.exec_driver_sql
        drop, restore = [], []
        if self.postgres:
            table = {"table": name}
            constraints = self.connection.execute(sa.text(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = to_regclass(:table) AND contype IN ('u', 'f') "
                "ORDER BY contype DESC, conname"), table).all()
            indexes = self.connection.execute(sa.text(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema() AND tablename = :table AND indexname "
                "NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(:table))"
                " ORDER BY indexname"), table).all()
            for index, definition in indexes:
                drop.append(f'DROP INDEX "{index}"')
                restore.append(definition)
            for constraint, definition in constraints:
                drop.append(f'ALTER TABLE {name} DROP CONSTRAINT "{constraint}"')
                restore.append(f'ALTER TABLE {name} ADD CONSTRAINT "{constraint}" {definition}')
        else:
            # Unique constraints are part of the table on SQLite; plain indexes can go.
            indexes = self.connection.execute(sa.text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :table "
                "AND sql IS NOT NULL ORDER BY name"), {"table": name}).all()
            for index, definition in indexes:
                drop.append(f'DROP INDEX "{index}"')
                restore.append(definition)
        for statement in drop:
            run(statement)
        return restore

    def next_id(self, name: str) -> int:
        """The first free id of table ``name`` (above every existing row)."""
        table = Base.metadata.tables[name]
        return (self.connection.scalar(sa.select(sa.func.max(table.c.id))) or 0) + 1

    def fix_sequences(self, names: Iterable[str]) -> None:
        """After explicit ids: move PostgreSQL's id sequences past the highest id."""
        if not self.postgres:
            return
        for name in names:
            sequence = self.connection.scalar(
                sa.text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": name})
            if sequence is None:
                continue
            highest = self.connection.scalar(sa.text(f"SELECT max(id) FROM {name}"))
            current = self.connection.scalar(sa.text(f"SELECT last_value FROM {sequence}"))
            if highest is not None and highest >= current:
                self.connection.execute(sa.text("SELECT setval(:sequence, :value)"),
                                        {"sequence": sequence, "value": highest})


def analyze(engine: sa.Engine, tables: Iterable[str]) -> None:
    """Refresh the planner's statistics of ``tables`` after a bulk load, as autovacuum
    would soon do.

    On PostgreSQL this is ``VACUUM ANALYZE`` (which also sets the visibility
    map, so index-only scans work as in a database in service); ``ANALYZE``
    on SQLite. Run it outside any transaction.
    """
    names = sorted(set(tables) & set(Base.metadata.tables))
    if not names:
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text(f"VACUUM ANALYZE {', '.join(names)}"))
        else:
            for name in names:
                connection.execute(sa.text(f"ANALYZE {name}"))
