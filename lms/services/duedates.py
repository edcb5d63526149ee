"""Due dates: calendar days in the institution's time zone, months, and words.

A due date is a day, not an instant: something due on 31 March is on time
all of that day where the institution is. ``today()`` is that calendar day
now. Recertification adds calendar months (31 January + 1 month is 28/29
February).

``shifted_date`` is a small SQL construct (SQLite and PostgreSQL) that turns
a timestamp column into a local date plus N days, so due dates relative to
when each person joined are computed by the database in one statement.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from babel.numbers import format_decimal
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from lms.dates import current_locale, due_phrase
from lms.localtime import end_of_day as end_of_day
from lms.localtime import local_date as local_date
from lms.localtime import local_midnight as local_midnight
from lms.localtime import today as today
from lms.localtime import utc_offset_minutes as utc_offset_minutes
from lms.localtime import zone as zone


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _first_day_where(months: int, on: date, predicate) -> date:
    """The earliest day ``d`` with ``predicate(add_months(d, months))``.

    ``add_months`` never decreases, so the days that qualify form a suffix;
    start near the answer and step to its edge.
    """
    day = add_months(on, -months)
    while predicate(add_months(day - timedelta(days=1), months)):
        day -= timedelta(days=1)
    while not predicate(add_months(day, months)):
        day += timedelta(days=1)
    return day


def valid_from(months: int, on: date | None = None) -> datetime:
    """Completions at or after this instant are still valid on ``on`` (default today).

    A completion on day D with validity N months is valid while
    ``add_months(D, N)`` is later than today.
    """
    on = on or today()
    return local_midnight(_first_day_where(months, on, lambda expiry: expiry > on))


def not_yet_overdue_from(months: int, on: date | None = None) -> datetime:
    """Completions at or after this instant have a renewal date today or later."""
    on = on or today()
    return local_midnight(_first_day_where(months, on, lambda expiry: expiry >= on))


def completion_is_valid(satisfied_at: datetime | None, months: int | None,
                        on: date | None = None) -> bool:
    if satisfied_at is None:
        return False
    if not months:
        return True
    return add_months(local_date(satisfied_at), months) > (on or today())


def effective_due(due_on: date, satisfied_at: datetime | None, months: int | None) -> date:
    """When the module is (next) due: the first due date, or when the last completion expires."""
    if months and satisfied_at is not None:
        return max(due_on, add_months(local_date(satisfied_at), months))
    return due_on


def due_words(due: date, on: date | None = None) -> str:
    """'due today', 'due in 5 days', 'overdue by 3 days' — time left in words, in the
    reader's language (``lms.dates.due_phrase``)."""
    return due_phrase(due, on or today())


def hours_label(minutes: int) -> str:
    """'1 hour', '1.5 hours', '45 minutes', in the reader's language."""
    if minutes < 60:
        return _("%(minutes)s minutes", minutes=minutes)
    hours = round(minutes / 60, 2)
    text = format_decimal(hours, locale=current_locale())
    return ngettext("%(hours)s hour", "%(hours)s hours", 1 if hours == 1 else 2, hours=text)


class shifted_date(FunctionElement):  # noqa: N801 - reads like the SQL function it is
    """SQL: the calendar day of ``moment + minutes`` plus ``days`` days.

    ``minutes`` is the zone's UTC offset (a fixed number for the statement;
    around a daylight-saving change a time within an hour of midnight can
    land on the neighbouring day). ``days`` may be a column.
    """

    type = Date()
    inherit_cache = True
    name = "shifted_date"


@compiles(shifted_date, "sqlite")
def _shifted_date_sqlite(element, compiler, **kw):
    moment, minutes, days = list(element.clauses)
    return (f"date({compiler.process(moment, **kw)}, "
            f"({compiler.process(minutes, **kw)}) || ' minutes', "
            f"({compiler.process(days, **kw)}) || ' days')")


@compiles(shifted_date, "postgresql")
def _shifted_date_postgresql(element, compiler, **kw):
    moment, minutes, days = list(element.clauses)
    return (f"(CAST({compiler.process(moment, **kw)} + make_interval(mins => "
            f"CAST({compiler.process(minutes, **kw)} AS INTEGER)) AS DATE) + "
            f"CAST({compiler.process(days, **kw)} AS INTEGER))")
