"""Small helpers shared by every area's forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms import SelectChoice


def choices(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """WTForms choices from ``(value, label)`` pairs."""
    return [SelectChoice("" if value is None else str(value), label) for value, label in pairs]
