"""What every check of a module folder shares: the error it reports and the field helpers.

The step kinds (``lms.content.kinds``) and the module schema (``lms.content.schema``)
both check their YAML with a ``Checker``, so a problem reads the same wherever it is found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lms.content.markdown import render_markdown, serve_images
from lms.content.yamlio import LineDict, LineList

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PROMPT_ID = re.compile(r"^[a-z][a-z0-9_]*$")
ITEM_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
DEFAULT_LIKERT = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
                  "Strongly agree"]


@dataclass(frozen=True)
class ContentError:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"



class Checker:
    """Collects errors for one module.yaml."""

    def __init__(self, folder: Path, display: str, images_at: str | None = None):
        self.folder = folder
        self.display = display
        self.errors: list[ContentError] = []
        self.files: dict[str, bytes] = {}
        # Where the folder's images are served (``/studio/images/<draft>/``) once stored:
        # Markdown naming ``images/…`` is rendered with that address.
        self.images_at = images_at

    def error(self, line: int, message: str) -> None:
        self.errors.append(ContentError(self.display, line, message))

    # --- typed field helpers -------------------------------------------------
    def text(self, m: LineDict, key: str, *, required: bool = False, max_len: int = 2000,
             where: str = "") -> str | None:
        if key not in m or m[key] is None:
            if required:
                self.error(m.line, f"{where}missing required field '{key}'")
            return None
        value = m[key]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.error(m.line_of(key), f"{where}'{key}' must be non-empty text")
            return None
        if len(value) > max_len:
            self.error(m.line_of(key), f"{where}'{key}' is longer than {max_len} characters")
        return value.strip()

    def integer(self, m: LineDict, key: str, *, default: int | None = None, minimum: int = 0,
                where: str = "") -> int | None:
        if key not in m:
            return default
        value = m[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.error(m.line_of(key), f"{where}'{key}' must be a whole number ≥ {minimum}")
            return default
        return value

    def boolean(self, m: LineDict, key: str, *, default: bool, where: str = "") -> bool:
        if key not in m:
            return default
        if not isinstance(m[key], bool):
            self.error(m.line_of(key), f"{where}'{key}' must be true or false")
            return default
        return m[key]

    def choice(self, m: LineDict, key: str, allowed: tuple[str, ...], *, default: str,
               where: str = "") -> str:
        if key not in m:
            return default
        if m[key] not in allowed:
            self.error(m.line_of(key),
                       f"{where}'{key}' must be one of {', '.join(allowed)} (got {m[key]!r})")
            return default
        return m[key]

    def text_list(self, m: LineDict, key: str, *, required: bool = False,
                  where: str = "") -> list[str]:
        if key not in m:
            if required:
                self.error(m.line, f"{where}missing required field '{key}'")
            return []
        value = m[key]
        if not isinstance(value, list) or not all(
                isinstance(v, str) and v.strip() for v in value):
            self.error(m.line_of(key), f"{where}'{key}' must be a list of non-empty texts")
            return []
        if required and not value:
            self.error(m.line_of(key), f"{where}'{key}' must not be empty")
        return [v.strip() for v in value]

    def mapping_list(self, m: LineDict, key: str, *, where: str = "") -> list[LineDict]:
        if key not in m:
            self.error(m.line, f"{where}missing required field '{key}'")
            return []
        value = m[key]
        if not isinstance(value, list) or not value:
            self.error(m.line_of(key), f"{where}'{key}' must be a non-empty list")
            return []
        items = []
        for index, item in enumerate(value):
            if not isinstance(item, LineDict):
                line = value.line_of(index) if isinstance(value, LineList) else m.line_of(key)
                self.error(line, f"{where}each entry of '{key}' must be a mapping")
            else:
                items.append(item)
        return items

    def unique_id(self, m: LineDict, seen: set[str], pattern: re.Pattern, *, invalid: str,
                  duplicate: str) -> Any:
        """``m``'s ``id``: ``invalid`` is reported unless it matches ``pattern``, ``duplicate``
        when an earlier sibling in ``seen`` has it; ``seen`` then holds it too."""
        value = m.get("id")
        if not isinstance(value, str) or not pattern.match(value):
            self.error(m.line_of("id"), invalid)
        elif value in seen:
            self.error(m.line_of("id"), duplicate)
        seen.add(str(value))
        return value

    def unknown_keys(self, m: LineDict, allowed: set[str], where: str) -> None:
        for key in m:
            if key not in allowed:
                self.error(m.line_of(str(key)), f"{where}unknown field '{key}'")

    def markdown_file(self, m: LineDict, key: str, *, required: bool, where: str) -> str | None:
        """Read a Markdown file named by ``key`` and return its rendered HTML."""
        name = self.text(m, key, required=required, where=where)
        if name is None:
            return None
        path = (self.folder / name).resolve()
        if self.folder.resolve() not in path.parents or path.suffix != ".md":
            self.error(m.line_of(key), f"{where}'{key}' must name a .md file in this folder")
            return None
        if not path.is_file():
            self.error(m.line_of(key), f"{where}file not found: {name}")
            return None
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.error(m.line_of(key), f"{where}{name} is not UTF-8 text")
            return None
        self.files[name] = raw
        if self.images_at:
            text = serve_images(text, self.images_at)
        return render_markdown(text)
