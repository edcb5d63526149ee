"""One way to write dates and times: every page, email, PDF and CSV formats through here.

People read dates in their language (the interface locale, ``lms.i18n``) and in the
institution's time zone (``lms.localtime``). Machine formats (CSV columns, ``.ics``,
file names) stay ISO 8601 and go through :func:`iso`.

Styles, the same everywhere:

* ``date``: "Jan 31, 2027" / "31 ene 2027" (``"long"``: "January 31, 2027";
  ``"full"``: with the weekday)
* ``time``: "7:15 AM" / "7:15" — the locale's clock, never a bare "7:15" in English
* ``datetime``: "Jan 31, 2027, 7:15 AM"
* ``time_range``: "7:00 – 9:00 AM EST"
* relative: "in 3 weeks", "overdue by 1 day", "due today"
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

from babel import Locale
from babel import dates as babel_dates
from flask import has_app_context
from flask_babel import get_translations, gettext, ngettext

from lms import localtime
from lms.i18n import current_locale

DATE_STYLES = {"short": "yMd", "medium": "yMMMd", "long": "yMMMMd", "full": "yMMMMEEEEd",
               "weekday": "yMMMEd", "day_month": "MMMd", "month": "yMMMM",
               "weekday_day_month": "MMMMEEEEd", "weekday_no_year": "MMMEd"}


def _plain(text: str) -> str:
    """CLDR's narrow and thin spaces as a no-break space and a plain one: they look the
    same, and every mail client, PDF font and search box handles them."""
    return text.replace("\u202f", "\u00a0").replace("\u2009", " ")


def _local(value: datetime) -> datetime:
    return value.astimezone(localtime.zone())


def _day(value: date, skeleton: str) -> str:
    """``value`` with the parts ``skeleton`` names, in the locale's order and words.

    CLDR has a pattern for the nearest skeleton; where that pattern shortens what was
    asked for ("dom" for "domingo"), the full words are put back.
    """
    locale = current_locale()
    return babel_dates.format_date(value, _day_pattern(str(locale), skeleton), locale=locale)


@functools.lru_cache(maxsize=512)
def _day_pattern(locale_name: str, skeleton: str) -> str:
    """The date pattern for ``skeleton`` in a locale; kept, because finding the nearest
    skeleton is slow and a list page asks for the same one on every row."""
    locale = Locale.parse(locale_name)
    key = babel_dates.match_skeleton(skeleton, locale.datetime_skeletons) or "yMMMd"
    pattern = locale.datetime_skeletons[key].pattern
    parts = pattern.split("'")  # even parts are pattern letters, odd parts quoted text
    for index in range(0, len(parts), 2):
        if "EEEE" in skeleton:
            parts[index] = re.sub(r"E+|c+", "EEEE", parts[index])
        if "MMMM" in skeleton:
            parts[index] = re.sub(r"M{3,}", "MMMM", re.sub(r"L{3,}", "LLLL", parts[index]))
    return "'".join(parts)


def _kept_per_reader(formatter):
    """``formatter`` remembered per locale and time zone: its text depends on nothing else,
    and a list page writes the same few instants on every row and every request."""
    @functools.lru_cache(maxsize=4096)
    def kept(locale_name: str, zone_key: str, args: tuple, kwargs: tuple) -> str:
        return formatter(*args, **dict(kwargs))

    @functools.wraps(formatter)
    def wrapper(*args, **kwargs) -> str:
        if not has_app_context():  # no configured zone to key on: write it afresh
            return formatter(*args, **kwargs)
        return kept(str(current_locale()), localtime.zone().key, args,
                    tuple(sorted(kwargs.items())))

    def for_this_reader():
        """``formatter`` for the reader of this request, whose locale and zone are looked up
        once: for the rows of one page (positional arguments only)."""
        locale_name, zone_key = str(current_locale()), localtime.zone().key
        return lambda *args: kept(locale_name, zone_key, args, ())

    wrapper.cache_clear = kept.cache_clear
    wrapper.for_this_reader = for_this_reader
    return wrapper


@_kept_per_reader
def format_date(value: date | datetime | None, style: str = "medium") -> str:
    """A calendar day; an instant is shown as its day in the institution's zone."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value).date()
    if style in ("short", "medium", "long", "full"):
        return babel_dates.format_date(value, style, locale=current_locale())
    return _day(value, DATE_STYLES.get(style, style))


@_kept_per_reader
def format_time(value: datetime | None, zone: bool = False) -> str:
    """A wall-clock time in the institution's zone, with am/pm where the locale uses it."""
    if value is None:
        return ""
    text = _plain(babel_dates.format_time(_local(value), "short", locale=current_locale()))
    return f"{text} {zone_name(value)}" if zone else text


@_kept_per_reader
def format_datetime(value: datetime | None, style: str = "medium", zone: bool = False) -> str:
    """A day and a time: "Jan 31, 2027, 7:15 AM" (``style`` is the date's)."""
    if value is None:
        return ""
    pattern = current_locale().datetime_formats["medium"]
    text = (str(pattern).replace("{1}", format_date(value, style))
            .replace("{0}", format_time(value)))
    return f"{text} {zone_name(value)}" if zone else text


@_kept_per_reader
def format_time_range(start: datetime, end: datetime, zone: bool = True) -> str:
    """Two times of one day, written once each the same way: "7:00 – 9:00 AM EST"."""
    locale = current_locale()
    skeleton = "hm" if "a" in locale.time_formats["short"].pattern else "Hm"
    if _local(start).date() != _local(end).date():
        text = f"{format_datetime(start)} – {format_datetime(end)}"
    else:
        text = _plain(babel_dates.format_interval(start, end, skeleton,
                                                  tzinfo=localtime.zone(), locale=locale))
    return f"{text} {zone_name(start)}" if zone else text


@_kept_per_reader
def format_datetime_range(start: datetime, end: datetime, style: str = "weekday") -> str:
    """A session: "Sun, Jan 31, 2027, 7:00 – 9:00 AM EST"."""
    if _local(start).date() != _local(end).date():
        return f"{format_datetime(start, style)} – {format_datetime(end, style, zone=True)}"
    return f"{format_date(start, style)}, {format_time_range(start, end)}"


def zone_name(value: datetime) -> str:
    """The zone as people in it write it ("EST"), or its long name where the locale has no
    abbreviation."""
    local = _local(value)
    short = babel_dates.format_datetime(local, "z", tzinfo=localtime.zone(),
                                        locale=current_locale())
    if re.fullmatch(r"[A-Z]{2,5}", short):
        return short
    return babel_dates.format_datetime(local, "zzzz", tzinfo=localtime.zone(),
                                       locale=current_locale())


def iso(value: date | datetime | None) -> str:
    """The machine format (CSV columns, file names): ISO 8601, days as YYYY-MM-DD."""
    if value is None:
        return ""
    return value.isoformat()


def format_span(delta: timedelta) -> str:
    """A length of time in words, rounded the way people say it: "3 weeks", "1 day"."""
    return babel_dates.format_timedelta(abs(delta), granularity="day", locale=current_locale())


def relative(value: date | datetime, today: date | None = None) -> str:
    """When ``value`` is from today: "today", "tomorrow", "in 3 weeks", "2 days ago"."""
    today = today or localtime.today()
    day = _local(value).date() if isinstance(value, datetime) else value
    days = (day - today).days
    if days == 0:
        return gettext("today")
    if days == 1:
        return gettext("tomorrow")
    if days == -1:
        return gettext("yesterday")
    return babel_dates.format_timedelta(timedelta(days=days), granularity="day",
                                        add_direction=True, locale=current_locale())


def due_phrase(due: date, today: date | None = None) -> str:
    """How a due date stands today: "due today", "due in 3 weeks", "overdue by 1 day".

    Overdue is counted in days, exactly: a person who is late wants to know by how much.
    """
    today = today or localtime.today()
    days = (due - today).days
    if days == 0:
        return gettext("due today")
    if days == 1:
        return gettext("due tomorrow")
    if days < 0:
        return ngettext("overdue by %(num)d day", "overdue by %(num)d days", -days)
    if days < 14:
        return ngettext("due in %(num)d day", "due in %(num)d days", days)
    if days < 63:
        return ngettext("due in %(num)d week", "due in %(num)d weeks", days // 7)
    return ngettext("due in %(num)d month", "due in %(num)d months", round(days / 30.4))


def countdown(moment: datetime, now: datetime) -> str:
    """How far away ``moment`` is, to the hour: "in 3 days", "in 1 day and 2 hours",
    "in 5 hours", "in 1 minute"; "now" once it has come."""
    seconds = int((moment - now).total_seconds())
    if seconds <= 0:
        return "now"  # a key the templates test for, never shown as such
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = max(rest // 60, 1)
    if days >= 2 or (days == 1 and hours == 0):
        return ngettext("in %(num)d day", "in %(num)d days", days)
    if days == 1:
        return ngettext("in 1 day and %(num)d hour", "in 1 day and %(num)d hours", hours)
    if hours >= 1:
        return ngettext("in %(num)d hour", "in %(num)d hours", hours)
    return ngettext("in %(num)d minute", "in %(num)d minutes", minutes)


def days_ago(value: datetime, now: datetime) -> str:
    """"today" or "3 days ago" for something that happened at ``value``."""
    return days_ago_writer(now)(value)


def days_ago_writer(now: datetime) -> Callable[[datetime], str]:
    """:func:`days_ago` for the rows of one page: the reader's catalogue is looked up once,
    and each number of days written once however many rows share it."""
    translations = get_translations()
    written: dict[int, str] = {}

    def write(value: datetime) -> str:
        days = max((now - value).days, 0)
        text = written.get(days)
        if text is None:
            text = written[days] = (
                translations.gettext("today") if days == 0
                else translations.ngettext("%(num)d day ago", "%(num)d days ago", days)
                % {"num": days})
        return text

    return write


def date_writer(style: str = "medium") -> Callable[[datetime | None], str]:
    """:func:`format_date` of instants for the rows of one page: the reader's locale and zone
    are looked up once, and each day written once however many rows fall on it."""
    zone, write_day = localtime.zone(), format_date.for_this_reader()
    written: dict[date, str] = {}

    def write(value: datetime | None) -> str:
        if value is None:
            return ""
        day = value.astimezone(zone).date()
        text = written.get(day)
        if text is None:
            text = written[day] = write_day(day, style)
        return text

    return write


# Templates written with strftime patterns (``|local_time("%d %b %Y")``) keep working: the
# pattern only says which parts to show, the locale decides how.
_STRFTIME_PARTS = {"%a": "EEE", "%A": "EEEE", "%d": "d", "%e": "d", "%b": "MMM", "%B": "MMMM",
                   "%m": "M", "%Y": "y", "%y": "y"}


@_kept_per_reader
def format_strftime(value: datetime | date | None, fmt: str) -> str:
    """``value`` with the parts ``fmt`` names (weekday, day, month, year, time, zone), each
    written the locale's way."""
    if value is None:
        return ""
    skeleton = "".join(part for code, part in _STRFTIME_PARTS.items() if code in fmt)
    has_time = any(code in fmt for code in ("%H", "%I", "%M"))
    has_zone = "%Z" in fmt
    if isinstance(value, date) and not isinstance(value, datetime):
        return _day(value, skeleton or "yMMMd")
    if not skeleton:
        return format_time(value, zone=has_zone) if has_time else ""
    day = _day(_local(value).date(), skeleton)

    if not has_time:
        return day
    pattern = str(current_locale().datetime_formats["medium"])
    text = pattern.replace("{1}", day).replace("{0}", format_time(value))
    return f"{text} {zone_name(value)}" if has_zone else text


def register_filters(app) -> None:
    """The Jinja filters every template uses for dates and times."""
    app.jinja_env.filters.update({
        "date": format_date, "time": format_time, "datetime": format_datetime,
        "time_range": format_time_range, "datetime_range": format_datetime_range,
        "relative": relative, "due_phrase": due_phrase, "iso": iso, "days_ago": days_ago,
    })
