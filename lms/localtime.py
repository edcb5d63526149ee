"""The institution's time zone (``LMS_TIMEZONE``): local days, midnights and wall-clock times.

Instants are stored in UTC; people read and type days and times where the
institution is. Every conversion between the two goes through here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import get_translations

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


def countdown_phrases() -> dict:
    """The words a countdown is written with, in the reader's language: each unit's
    singular and plural ("%(num)d day" / "%(num)d days"), the phrase for the last minute
    and the patterns that join them into a list ("{0}, {1}" / "{0} and {1}", as Babel
    names them; the interface's own "and", not CLDR's Oxford comma). The server writes
    countdowns with them and static/js/countdown.js keeps them ticking with the same words,
    choosing the singular for 1 and the plural otherwise (the rule of every language the
    interface ships in)."""
    translations = get_translations()
    last = translations.gettext("%(first)s and %(last)s").replace(
        "%(first)s", "{0}").replace("%(last)s", "{1}")
    return {
        "day": [translations.ngettext("%(num)d day", "%(num)d days", n) for n in (1, 2)],
        "hour": [translations.ngettext("%(num)d hour", "%(num)d hours", n) for n in (1, 2)],
        "minute": [translations.ngettext("%(num)d minute", "%(num)d minutes", n)
                   for n in (1, 2)],
        "less": translations.gettext("less than a minute"),
        "list": {"2": last, "start": "{0}, {1}", "middle": "{0}, {1}", "end": last},
    }


def countdown_words(moment: datetime, now: datetime | None = None) -> str | None:
    """How long until ``moment`` in days, hours and minutes ("2 days, 3 hours and 1 minute";
    the last minute counts as "less than a minute"), or None once it has come; written with
    ``countdown_phrases``, as the page's script goes on writing it."""
    seconds = int((moment - (now or clock.now())).total_seconds())
    if seconds <= 0:
        return None
    phrases = countdown_phrases()
    if seconds < 60:
        return phrases["less"]
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60

    def unit(n: int, name: str) -> str:
        return phrases[name][0 if n == 1 else 1].replace("%(num)d", str(n))

    parts = ([unit(days, "day")] if days else []) + (
        [unit(hours, "hour")] if days or hours else []) + [unit(minutes, "minute")]
    return join_list(parts, phrases["list"])


def join_list(items: list[str], patterns: dict[str, str]) -> str:
    """``items`` joined with a locale's list patterns, as Babel's ``format_list`` does."""
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return patterns["2"].format(*items)
    result = patterns["end"].format(items[-2], items[-1])
    for item in reversed(items[1:-2]):
        result = patterns["middle"].format(item, result)
    return patterns["start"].format(items[0], result)
