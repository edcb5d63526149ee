"""Shared parts of the benchmark reports: one section per database in a results file."""

from __future__ import annotations

import contextlib
from pathlib import Path


def write_section(path: Path, header: str, section: str) -> None:
    """Replace the section of ``path`` for this database, keeping the others.

    A section starts with ``## <database kind> ...``; sections are kept in name
    order, so the SQLite and PostgreSQL results live side by side.
    """
    kind = section.removeprefix("## ").split()[0]
    sections: dict[str, str] = {}
    if path.exists():
        for part in path.read_text().split("\n## ")[1:]:
            sections[part.split()[0]] = "## " + part.rstrip() + "\n"
    sections[kind] = section.rstrip() + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header.rstrip() + "\n\n" + "\n".join(sections[k] for k in sorted(sections)))


def cpu_model() -> str:
    """The processor's model name from /proc/cpuinfo (empty where there is none)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return ""
