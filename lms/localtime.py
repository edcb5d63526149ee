"""The institution's time zone (``LMS_TIMEZONE``): local days, midnights and wall-clock times.

Instants are stored in UTC; people read and type days and times where the
institution is. Every conversion between the two goes through here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from lms import clock


def zone() -> ZoneInfo:
    """The institution's time zone."""
    return ZoneInfo(current_app.config["LMS_TIMEZONE"])


def today(now: datetime | None = None) -> date:
    """The institution's calendar day at ``now`` (default: the clock)."""
    return local_date(now or clock.now())


def local_date(moment: datetime) -> date:
    """The institution's calendar day at the instant ``moment``."""
    return moment.astimezone(zone()).date()


def local_midnight(day: date) -> datetime:
    """The first instant of ``day`` in the institution's zone, in UTC."""
    return datetime.combine(day, time(0), tzinfo=zone()).astimezone(UTC)


def end_of_day(day: date) -> datetime:
    """The last instant of ``day`` in the institution's zone, in UTC."""
    return local_midnight(day + timedelta(days=1)) - timedelta(microseconds=1)


def utc_offset_minutes(now: datetime | None = None) -> int:
    """The zone's current offset from UTC in minutes (e.g. -300 in New York winter)."""
    offset = (now or clock.now()).astimezone(zone()).utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


def utc_to_local(value: datetime | None) -> datetime | None:
    """An aware datetime as a naive wall-clock time in the institution's zone (for forms)."""
    if value is None:
        return None
    return value.astimezone(zone()).replace(tzinfo=None)


def format_local(value: datetime, fmt: str = "%a %d %b %Y, %H:%M") -> str:
    """An instant as the institution's wall-clock time, formatted with ``fmt``."""
    return value.astimezone(zone()).strftime(fmt)


def countdown_words(moment: datetime, now: datetime | None = None) -> str | None:
    """How long until ``moment`` in days, hours and minutes ("2 days, 3 hours and 1 minute";
    the last minute counts as "less than a minute"), or None once it has come."""
    seconds = int((moment - (now or clock.now())).total_seconds())
    if seconds <= 0:
        return None
    if seconds < 60:
        return "less than a minute"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60

    def unit(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    parts = ([unit(days, "day")] if days else []) + (
        [unit(hours, "hour")] if days or hours else []) + [unit(minutes, "minute")]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
