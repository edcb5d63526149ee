"""Rules for plain text shared by forms, imports and services."""

from __future__ import annotations

import unicodedata


def has_control_characters(value: str | None) -> bool:
    """True when ``value`` holds a control character (CR, LF, tab, NUL, ...) or a
    Unicode line or paragraph separator: none belongs in one line of text, and in
    a name or title they would reach email headers and page titles."""
    return any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in value or "")
