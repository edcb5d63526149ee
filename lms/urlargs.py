"""Every integer read from a URL goes through here.

Primary and foreign keys are 32-bit integers on PostgreSQL and SQLite stops
at 64 bits: a larger number cannot name a row, and sending it to the
database is an error there (a 500). So a number in a path segment beyond
``MAX_ID`` does not match the route (a 404: ``register_url_converters`` bounds
``<int:...>``), and a number in the query string that is not a whole number
within bounds is refused with a 400 that says which part of the address is
wrong.
"""

from __future__ import annotations

from flask import abort, request

MAX_ID = 2**31 - 1
MAX_PAGE = 100_000
_MAX_DIGITS = len(str(MAX_ID)) + 1  # longer input is refused before building a huge int


def parse_int(raw: str | None, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """``raw`` as an int within bounds, or ``None`` when it is not one (never raises)."""
    text = (raw or "").strip()
    digits = text[1:] if text.startswith("-") else text
    if not digits.isascii() or not digits.isdigit() or len(digits) > _MAX_DIGITS:
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def query_int(name: str, default: int | None = None, *, minimum: int = 1,
              maximum: int = MAX_ID) -> int | None:
    """Query argument ``name`` as an int; ``default`` when absent or empty.

    Aborts with 400 when the value is present but not a whole number from
    ``minimum`` to ``maximum``: a hand-edited address gets a clear answer,
    never a 500 and never a silently different page.
    """
    raw = request.args.get(name, "")
    if not raw.strip():
        return default
    value = parse_int(raw, minimum=minimum, maximum=maximum)
    if value is None:
        abort(400, description=f"The “{name}” part of the address must be a whole number "
                               f"from {minimum:,} to {maximum:,}.")
    return value


def query_page() -> int:
    """The ``page`` query argument: 1 when absent, 400 when not a page number."""
    return query_int("page", 1, maximum=MAX_PAGE)


def id_suffix(text: str, prefix: str) -> int | None:
    """The id in ``<prefix><id>`` (e.g. ``submission-42``), or ``None`` when there is none."""
    if not text.startswith(prefix):
        return None
    return parse_int(text[len(prefix):])
