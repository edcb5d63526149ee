"""One rule for every redirect to an address that came from the request.

A ``next`` parameter, a stored notification link or any other address a
person could have typed is followed only when it is a path on this site.
Browsers drop tabs and newlines from URLs and read a backslash as a slash,
so ``/\\t/evil.example`` would become ``//evil.example`` (another site) and a
newline would break the ``Location`` header: any control character,
whitespace or backslash, and any scheme or host, means the fallback is used.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def is_local_path(target: str | None) -> bool:
    """True when ``target`` is a path on this site that every browser reads the same way."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ch.isspace() or not ch.isprintable() for ch in target):
        return False
    parts = urlsplit(target)
    return not (parts.scheme or parts.netloc)


def safe_redirect_target(target: str | None, fallback: str) -> str:
    """``target`` when it is a local path (see ``is_local_path``), else ``fallback``."""
    return target if is_local_path(target) else fallback
