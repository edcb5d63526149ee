"""Small helpers shared by every area's forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms import SelectChoice, SelectMultipleField, widgets


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes (one label each, no JavaScript)."""

    widget = widgets.ListWidget(html_tag="ul", prefix_label=False)
    option_widget = widgets.CheckboxInput()


def optional_int(value):
    """``coerce`` for a select with an empty choice: the id as an int, or None."""
    return int(value) if value not in (None, "", "None") else None


def choices(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """WTForms choices from ``(value, label)`` pairs."""
    return [SelectChoice("" if value is None else str(value), label) for value, label in pairs]


# Primary and foreign keys are 32-bit integers on PostgreSQL; SQLite stops at 64 bits.
# Anything larger cannot name a row, and sending it to the database is an error there.
MAX_ID = 2**31 - 1
MAX_PAGE = 100_000


def int_arg(name: str, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """Query argument ``name`` as an int within bounds, or ``None`` when absent or unusable."""
    from flask import request

    raw = request.args.get(name, "").strip()
    if not raw.isdigit() and not (raw.startswith("-") and raw[1:].isdigit()):
        return None
    if len(raw) > 12:  # cheaper than building a huge int
        return None
    value = int(raw)
    return value if minimum <= value <= maximum else None


def page_arg() -> int:
    """The ``page`` query argument for ``db.paginate``: 1 when absent or out of range."""
    return int_arg("page", maximum=MAX_PAGE) or 1
