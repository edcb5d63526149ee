"""CSV downloads that spreadsheet programs open safely.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
would be run as a formula (CSV injection); such cells get a leading
apostrophe, which spreadsheets show as plain text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """``value`` as text a spreadsheet will not run as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """CSV text (CRLF line ends) of ``rows``; every cell passes through ``safe_cell``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([safe_cell(str(cell)) for cell in row] for row in rows)
    return buffer.getvalue()
