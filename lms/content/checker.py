"""What every check of a module folder shares: the error it reports and the field helpers.

The step kinds (``lms.content.kinds``) and the module schema (``lms.content.schema``)
both check their YAML with a ``Checker``, so a problem reads the same wherever it is found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from lms.content.markdown import render_markdown, serve_images
from lms.content.yamlio import LineDict, LineList

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PROMPT_ID = re.compile(r"^[a-z][a-z0-9_]*$")
ITEM_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
DEFAULT_LIKERT = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
                  "Strongly agree"]


def _part_prefix(name: str, ident: object) -> str:
    texts = {"prompt": lambda: _("prompt '%(id)s': ", id=ident),
             "question": lambda: _("question '%(id)s': ", id=ident),
             "item": lambda: _("item '%(id)s': ", id=ident),
             "column": lambda: _("column '%(id)s': ", id=ident),
             "rubric": lambda: _("rubric: ")}
    return texts[name]()


@dataclass(frozen=True)
class Where:
    """Where in a module.yaml a problem is: a step (its position from 0 and its slug) and
    the parts inside it (``("prompt", "reflection")``, then ``("column", "action")``).
    Read as text it is the prefix of the problem's message, in the reader's language."""

    step: int | None = None
    slug: object = None
    parts: tuple[tuple[str, object], ...] = ()

    def part(self, name: str, ident: object) -> Where:
        return Where(self.step, self.slug, (*self.parts, (name, ident)))

    def within_step(self) -> str:
        """The prefix without the step's: the parts only."""
        return "".join(_part_prefix(name, ident) for name, ident in self.parts)

    def __str__(self) -> str:
        if self.step is None:
            prefix = ""
        elif self.slug:
            prefix = _("step %(number)s ('%(slug)s'): ", number=self.step + 1, slug=self.slug)
        else:
            prefix = _("step %(number)s: ", number=self.step + 1)
        return prefix + self.within_step()


NOWHERE = Where()


@dataclass(frozen=True)
class ContentError:
    """One problem: ``message`` is the whole of it (``where`` and ``detail``), written in
    the language of the moment it was found (``flask modules validate`` reads English)."""

    path: str
    line: int
    message: str
    where: Where = NOWHERE
    detail: str = ""

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

    def error(self, line: int, message: str, where: Where = NOWHERE) -> None:
        """Report ``message`` (already in the reader's language) at ``line``, inside
        ``where``."""
        self.errors.append(ContentError(self.display, line, f"{where}{message}", where,
                                        message))

    # --- typed field helpers -------------------------------------------------
    def text(self, m: LineDict, key: str, *, required: bool = False, max_len: int = 2000,
             where: Where = NOWHERE) -> str | None:
        if key not in m or m[key] is None:
            if required:
                self.error(m.line, _("missing required field '%(key)s'", key=key), where)
            return None
        value = m[key]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.error(m.line_of(key), _("'%(key)s' must be non-empty text", key=key), where)
            return None
        if len(value) > max_len:
            self.error(m.line_of(key), _("'%(key)s' is longer than %(limit)s characters",
                                         key=key, limit=max_len), where)
        return value.strip()

    def integer(self, m: LineDict, key: str, *, default: int | None = None, minimum: int = 0,
                where: Where = NOWHERE) -> int | None:
        if key not in m:
            return default
        value = m[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.error(m.line_of(key), _("'%(key)s' must be a whole number ≥ %(minimum)s",
                                         key=key, minimum=minimum), where)
            return default
        return value

    def boolean(self, m: LineDict, key: str, *, default: bool, where: Where = NOWHERE) -> bool:
        if key not in m:
            return default
        if not isinstance(m[key], bool):
            self.error(m.line_of(key), _("'%(key)s' must be true or false", key=key), where)
            return default
        return m[key]

    def choice(self, m: LineDict, key: str, allowed: tuple[str, ...], *, default: str,
               where: Where = NOWHERE) -> str:
        if key not in m:
            return default
        if m[key] not in allowed:
            self.error(m.line_of(key),
                       _("'%(key)s' must be one of %(allowed)s (got %(value)s)", key=key,
                         allowed=", ".join(allowed), value=repr(m[key])), where)
            return default
        return m[key]

    def text_list(self, m: LineDict, key: str, *, required: bool = False,
                  where: Where = NOWHERE) -> list[str]:
        if key not in m:
            if required:
                self.error(m.line, _("missing required field '%(key)s'", key=key), where)
            return []
        value = m[key]
        if not isinstance(value, list) or not all(
                isinstance(v, str) and v.strip() for v in value):
            self.error(m.line_of(key), _("'%(key)s' must be a list of non-empty texts", key=key),
                       where)
            return []
        if required and not value:
            self.error(m.line_of(key), _("'%(key)s' must not be empty", key=key), where)
        return [v.strip() for v in value]

    def mapping_list(self, m: LineDict, key: str, *, where: Where = NOWHERE) -> list[LineDict]:
        if key not in m:
            self.error(m.line, _("missing required field '%(key)s'", key=key), where)
            return []
        value = m[key]
        if not isinstance(value, list) or not value:
            self.error(m.line_of(key), _("'%(key)s' must be a non-empty list", key=key), where)
            return []
        items = []
        for index, item in enumerate(value):
            if not isinstance(item, LineDict):
                line = value.line_of(index) if isinstance(value, LineList) else m.line_of(key)
                self.error(line, _("each entry of '%(key)s' must be a mapping", key=key), where)
            else:
                items.append(item)
        return items

    def unique_id(self, m: LineDict, seen: set[str], pattern: re.Pattern, *, invalid: str,
                  duplicate: str, where: Where = NOWHERE) -> Any:
        """``m``'s ``id``: ``invalid`` is reported unless it matches ``pattern``, ``duplicate``
        when an earlier sibling in ``seen`` has it; ``seen`` then holds it too."""
        value = m.get("id")
        if not isinstance(value, str) or not pattern.match(value):
            self.error(m.line_of("id"), invalid, where)
        elif value in seen:
            self.error(m.line_of("id"), duplicate, where)
        seen.add(str(value))
        return value

    def item_id(self, m: LineDict, seen: set[str], *, duplicate: str, own_where: Where,
                where: Where) -> Any:
        """A question's or item's lowercase ``id``. An invalid one is placed at the entry
        itself; a duplicate, which has a valid name, at the step that holds both."""
        value = m.get("id")
        if not isinstance(value, str) or not ITEM_ID.match(value):
            return self.unique_id(m, seen, ITEM_ID, invalid=_("'id' must be lowercase text"),
                                  duplicate="", where=own_where)
        return self.unique_id(m, seen, ITEM_ID, invalid="", duplicate=duplicate, where=where)

    def unknown_keys(self, m: LineDict, allowed: set[str], where: Where) -> None:
        for key in m:
            if key not in allowed:
                self.error(m.line_of(str(key)), _("unknown field '%(key)s'", key=key), where)

    def markdown_file(self, m: LineDict, key: str, *, required: bool, where: Where) -> str | None:
        """Read a Markdown file named by ``key`` and return its rendered HTML."""
        name = self.text(m, key, required=required, where=where)
        if name is None:
            return None
        path = (self.folder / name).resolve()
        if self.folder.resolve() not in path.parents or path.suffix != ".md":
            self.error(m.line_of(key), _("'%(key)s' must name a .md file in this folder", key=key),
                       where)
            return None
        if not path.is_file():
            self.error(m.line_of(key), _("file not found: %(name)s", name=name), where)
            return None
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.error(m.line_of(key), _("%(name)s is not UTF-8 text", name=name), where)
            return None
        self.files[name] = raw
        if self.images_at:
            text = serve_images(text, self.images_at)
        return render_markdown(text)
