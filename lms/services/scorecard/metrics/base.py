"""What a scorecard metric provider is, and the per-application registry the scorecard reads.

A provider is a small function that runs a fixed number of set-based
queries (GROUP BY department, filtered aggregates; never a loop over
people) and returns :class:`Figures`: counts of people per department for
the columns it declares, and monthly series. The scorecard service adds the
hierarchy, totals, suppression and formatting, so a provider only says
*what* to count.

Every count is a count of distinct people who are active accounts today,
in their current department (``None`` = no department), except where a
column says otherwise (survey responses cannot be tied to a person).

Providers that read tables owned by other areas name those tables in
``tables``; :func:`active_providers` leaves a provider out while any of them
is missing from the schema, so the scorecard works before those areas exist
and picks them up as soon as their models are imported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from lms.models import Base


@dataclass(frozen=True)
class CoreModule:
    id: int
    slug: str
    title: str


@dataclass(frozen=True)
class Context:
    """What every provider needs to know about the scorecard being built."""

    now: datetime
    months: tuple[str, ...]          # "YYYY-MM", oldest first, UTC calendar months
    since: datetime                  # start of the first month (aware UTC)
    core_modules: tuple[CoreModule, ...]
    target: int                      # trained allies each department should have
    min_cell: int
    # Department ids whose people the monthly series describe; None = everyone.
    series_departments: tuple[int, ...] | None = None


@dataclass(frozen=True)
class People:
    """A count of people per department (kind: count of people)."""

    key: str
    label: str
    description: str
    # True when the count can never exceed the department's staff count
    # (readers know that bound, so suppression takes it into account).
    within_staff: bool = True
    shown: bool = True               # False: only feeds a rate
    admin_only: bool = False
    kind: str = "people"


@dataclass(frozen=True)
class Rate:
    """``numerator`` as a percentage of ``denominator`` (both People keys).

    ``kind`` is "rate" when the denominator is people (staff, assigned) and
    "share" when it is survey responses.
    """

    key: str
    label: str
    description: str
    numerator: str
    denominator: str
    admin_only: bool = False
    kind: str = "rate"


@dataclass(frozen=True)
class Coverage:
    """Whether a department has at least ``Context.target`` of ``allies``."""

    key: str
    label: str
    description: str
    allies: str
    staff: str
    admin_only: bool = False
    kind: str = "coverage"


Column = People | Rate | Coverage


@dataclass
class Series:
    """One monthly series: ``values`` maps "YYYY-MM" to a number (missing = 0).

    ``unit`` "people" values are suppressed like any count of people;
    "departments" values count departments (each already reported, or not,
    in the table) and carry ``out_of``, the number of departments reported.
    ``cumulative`` series count what had happened by the end of each month.
    """

    key: str
    label: str
    description: str
    values: dict[str, int]
    unit: str = "people"
    out_of: int | None = None
    cumulative: bool = False


@dataclass
class Figures:
    """What a provider returns."""

    columns: list[Column] = field(default_factory=list)
    # column key -> department id (None = no department) -> count
    counts: dict[str, dict[int | None, int]] = field(default_factory=dict)
    series: list[Series] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Provider:
    key: str
    label: str
    compute: Callable[[Context], Figures]
    tables: tuple[str, ...] = ()
    order: int = 100

    def available(self) -> bool:
        return all(name in Base.metadata.tables for name in self.tables)


# app.extensions key: {provider key: Provider}, filled by the scorecard area's init_app.
PROVIDERS_KEY = "lms.scorecard_providers"


def register(app: Flask, provider: Provider) -> Provider:
    """Add ``provider`` to ``app``'s scorecard (once per key; registering again replaces it)."""
    app.extensions.setdefault(PROVIDERS_KEY, {})[provider.key] = provider
    return provider


def active_providers() -> list[Provider]:
    """The current app's providers whose tables exist in the schema, in display order."""
    providers = current_app.extensions.get(PROVIDERS_KEY, {}).values()
    return sorted((p for p in providers if p.available()), key=lambda p: (p.order, p.key))


def table(name: str, columns: Sequence[str] = ()) -> sa.Table | None:
    """The table another area owns, or None when it (or a needed column) is absent."""
    found = Base.metadata.tables.get(name)
    if found is None or any(c not in found.c for c in columns):
        return None
    return found


def rows_to_counts(rows) -> dict[int | None, int]:
    """``(department_id, count)`` rows as a dict."""
    return {department_id: int(count or 0) for department_id, count in rows}


class month_of(FunctionElement):  # noqa: N801 - reads like the SQL function it is
    """Calendar month ("YYYY-MM", UTC) of a timestamp column, on SQLite and PostgreSQL."""

    type = sa.String()
    inherit_cache = True


@compiles(month_of)
def _month_default(element, compiler, **kw):
    # PostgreSQL and most others; the format has no "%" to escape.
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


@compiles(month_of, "sqlite")
def _month_sqlite(element, compiler, **kw):
    return compiler.process(sa.func.strftime("%Y-%m", *element.clauses), **kw)


class latest_of(FunctionElement):  # noqa: N801 - reads like the SQL function it is
    """The latest of several timestamps, or NULL when any of them is NULL."""

    inherit_cache = True


@compiles(latest_of)
def _latest_default(element, compiler, **kw):
    # greatest() skips NULLs on PostgreSQL, so say "all present" explicitly.
    args = list(element.clauses)
    present = sa.and_(*[arg.is_not(None) for arg in args])
    return compiler.process(sa.case((present, sa.func.greatest(*args))), **kw)


@compiles(latest_of, "sqlite")
def _latest_sqlite(element, compiler, **kw):
    # SQLite's many-argument max() is already NULL when any argument is.
    args = list(element.clauses)
    return compiler.process(sa.func.max(*args) if len(args) > 1 else args[0], **kw)
