"""Template globals and filters shared by every page."""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import NamedTuple

from flask import Flask, current_app, g, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape

from lms import clock, dates
from lms.i18n import LANGUAGES, in_language
from lms.localtime import countdown_phrases, countdown_words
from lms.services import personal_cache


def local_time(value: datetime | None, fmt: str = "%d %b %Y, %H:%M") -> str:
    """An aware UTC datetime in the institution's time zone and the reader's language.

    ``fmt`` names the parts to show in strftime's letters (``"%d %b %Y"``: day, short month,
    year); ``lms.dates`` writes them the locale's way.
    """
    return dates.format_strftime(value, fmt)


ROLE_LABELS = {"learner": _l("learner"), "mentor": _l("mentor"), "admin": _l("admin"),
               "author": _l("author"), "reviewer": _l("reviewer")}


STEP_KIND_LABELS = {"page": _l("page"), "video": _l("video"), "challenge": _l("challenge"),
                    "check": _l("knowledge check"), "survey": _l("survey"),
                    "live": _l("live session"), "plan": _l("action plan")}
STEP_STATUS_LABELS = {
    "done": _l("Done"), "not done yet": _l("Not done yet"), "not started": _l("Not started"),
    "draft saved": _l("Draft saved"), "completed, kept private": _l("Completed, kept private"),
    "submitted, awaiting review": _l("Submitted, awaiting review"),
    "submitted": _l("Submitted"), "revision requested": _l("Revision requested"),
    "approved": _l("Approved")}


def step_kind_label(kind: str) -> str:
    """A step kind as learners read it ("knowledge check")."""
    return str(STEP_KIND_LABELS.get(kind, kind.replace("_", " ")))


def step_status_label(status: str) -> str:
    """A step's status in words, capitalised ("Draft saved")."""
    label = STEP_STATUS_LABELS.get(status)
    return str(label) if label is not None else status.capitalize()


def role_label(name: str) -> str:
    """A role's name in the reader's language."""
    return str(ROLE_LABELS.get(name, name))


_PROSE_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
_HEAD = re.compile(r"<thead>(.*?)</thead>", re.S)
_HEADER_CELL = re.compile(r"<th[^>]*>(.*?)</th>", re.S)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_TAG = re.compile(r"<[^>]+>")


def prose_tables(sanitised_html: str | None) -> Markup:
    """Module HTML (already sanitised at sync) with each table able to stack on a phone:
    class "stack" and every body cell labelled with its column's header (``data-label``).
    """
    def label_rows(table: re.Match) -> str:
        inner = table.group(1)
        head = _HEAD.search(inner)
        if head is None:
            return table.group(0)
        labels = [html.unescape(_TAG.sub("", cell)).strip()
                  for cell in _HEADER_CELL.findall(head.group(1))]

        def label_cells(row: re.Match) -> str:
            names = iter(labels)
            return re.sub(r"<td>", lambda _cell: f'<td data-label="{escape(next(names, ""))}">',
                          row.group(0))

        body = _ROW.sub(label_cells, inner[head.end():])
        return f'<table class="stack">{inner[:head.end()]}{body}</table>'

    return Markup(_PROSE_TABLE.sub(label_rows, sanitised_html or ""))


def register(app: Flask) -> None:
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.globals["countdown_words"] = countdown_words
    app.jinja_env.globals["countdown_phrases"] = countdown_phrases
    app.jinja_env.globals["now_iso"] = lambda: clock.now().isoformat()
    dates.register_filters(app)
    app.jinja_env.filters.update({"role_label": role_label, "step_kind_label": step_kind_label,
                                  "step_status_label": step_status_label,
                                  "in_language": in_language})

    app.jinja_env.filters["prose_tables"] = prose_tables
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def inject_globals():
        return {
            "institution_name": current_app.config["LMS_INSTITUTION_NAME"],
            "page_language": dates.current_locale().language,
            "languages": LANGUAGES,
            "nav_links": nav_links,
            "nav_badge": nav_badge,
            "fixed_url": fixed_url,
        }


class NavLink(NamedTuple):
    endpoint: str
    label: str
    url: str
    current: str  # its aria-current: "page", "true", or "" for none


def nav_links() -> list[NavLink]:
    """The signed-in person's navigation, worked out once per request and only when a
    page shows it (htmx fragments do not)."""
    if "_nav_links" not in g:
        items = navigation_for(current_user)
        urls = [fixed_url(endpoint) for endpoint, _label in items]
        current, value = _current_item(urls)
        g._nav_links = [NavLink(endpoint, label, url, value if index == current else "")
                        for index, ((endpoint, label), url) in enumerate(zip(items, urls,
                                                                             strict=True))]
    return g._nav_links


def fixed_url(endpoint: str, **values: str) -> str:
    """``url_for(endpoint, **values)`` for an address that is the same for every request
    under one script root (navigation, a static file), worked out once: every page
    links some dozen of them."""
    urls = current_app.extensions.setdefault("lms.fixed_urls", {})
    key = (request.script_root, endpoint, *sorted(values.items()))
    if key not in urls:
        urls[key] = url_for(endpoint, **values)
    return urls[key]


def _current_item(urls: list[str]) -> tuple[int | None, str]:
    """The one navigation item to mark as current: ``(index, aria-current value)``.

    The item for this exact address is the "page"; otherwise the item whose address is
    the longest prefix of this one is "true" (a review under "Review queue", not also
    under "My reflections"). Home marks only itself.
    """
    here = request.script_root + request.path  # addresses carry the script root too
    home = fixed_url("main.home")
    best, best_length = None, 0
    for index, address in enumerate(urls):
        if address == here:
            return index, "page"
        if address != home and here.startswith(address.rstrip("/") + "/") \
                and len(address) > best_length:
            best, best_length = index, len(address)
    return best, "true"


def navigation_for(user) -> list[tuple[str, str]]:
    """(endpoint, label) pairs for the signed-in person's roles; blueprints add theirs."""
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[tuple[str, str]] = [("main.home", _l("Home"))]

    # Learning first, then the person's own things, then mentor and admin tools.
    ordered = sorted(current_app.extensions.get(NAV_KEY, []), key=lambda entry: (
        entry[1] != "learn.catalogue", entry[0] == ("admin",), entry[0] == ("mentor",)))
    for roles, endpoint, label in ordered:
        if roles is None or user.has_role(*roles):
            items.append((endpoint, label))
    return items


# app.extensions keys: [(roles or None for everyone, endpoint, label)] and
# {endpoint: (fn(user) -> int, noun)}, filled by each area's ``init_app``.
NAV_KEY = "lms.navigation"
NAV_BADGES_KEY = "lms.navigation_badges"


def add_nav(app: Flask, endpoint: str, label: str,
            roles: tuple[str, ...] | None = None) -> None:
    """Show ``label`` in the navigation of people holding one of ``roles`` (everyone: None)."""
    items = app.extensions.setdefault(NAV_KEY, [])
    if all(existing[1] != endpoint for existing in items):
        items.append((roles, endpoint, label))


def add_nav_badge(app: Flask, endpoint: str, count, noun: str) -> None:
    """Show ``count(user)`` beside the ``endpoint`` navigation item, read out as
    "<label> (<n> <noun>)". ``count`` should be one cheap COUNT query (e.g. unread
    notifications) over rows that name the person (a ``user_id``): its result is kept
    per person until a commit writes such a row (see ``personal_cache``)."""
    app.extensions.setdefault(NAV_BADGES_KEY, {})[endpoint] = (count, noun)


def nav_badge(endpoint: str) -> tuple[int, str] | None:
    """``(count, noun)`` for a navigation item with a badge, else None.

    Computed only when a page renders the navigation, once per request, so
    htmx fragments run no extra queries.
    """
    badge = current_app.extensions.get(NAV_BADGES_KEY, {}).get(endpoint)
    if badge is None or not getattr(current_user, "is_authenticated", False):
        return None
    cache = g.setdefault("_nav_badges", {})
    if endpoint not in cache:
        count, noun = badge
        user = current_user._get_current_object()
        cache[endpoint] = (personal_cache.cached(user.id, f"badge:{endpoint}",
                                                 lambda: count(user)), noun)
    return cache[endpoint]
