"""How the studio edits a kind of step: the ``Editor`` of a ``StepKind``.

An editor names the fields the studio shows for the kind (``Field``: a module.yaml key,
its label and how it is written in the form), the repeatable parts it edits (``Part``:
prompts, questions, statements, with add, remove and move buttons), the keys a new step
starts with, and, for what fields cannot say, a ``read`` of its own. The studio renders
the fields itself and includes the kind's studio template (``template``, when it has
one) after them; reading a posted form gives the step as module.yaml holds it and its
Markdown files, which the module validator then checks with the kind's own ``check``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

WIDGETS = ("text", "number", "lines", "markdown", "checkbox", "select")


@dataclass(frozen=True)
class Field:
    """One field of a kind's editor, named in the form as its module.yaml ``key``.

    ``widget``: ``text`` (kept as written, even empty, so the validator names a missing
    one), ``number`` (a whole number, or the text so the validator names it), ``lines``
    (a list, one entry per line), ``markdown`` (a Markdown file named by ``file``, a
    pattern with ``{slug}``, kept only when not empty), ``checkbox`` (true or left out)
    or ``select`` (one of ``choices``, left out when it is ``default``). ``start``: what a
    new step holds (for ``markdown``, the file's text).
    """

    key: str
    label: Any
    widget: str = "text"
    hint: Any = None
    file: str = ""
    choices: tuple[tuple[str, Any], ...] = ()
    default: Any = None
    start: Any = None

    def __post_init__(self) -> None:
        if self.widget not in WIDGETS:
            raise ValueError(f"unknown widget {self.widget!r}")
        if self.widget == "markdown" and "{slug}" not in self.file:
            raise ValueError(f"Markdown field {self.key!r} needs a file pattern with {{slug}}")

    def shown(self, step: Mapping[str, Any], markdown: Mapping[str, str]) -> Any:
        """The value the form shows for ``step``."""
        value = step.get(self.key)
        if self.widget == "markdown":
            return markdown.get(value, "") if isinstance(value, str) and value else ""
        if self.widget == "lines":
            return "\n".join(map(str, value)) if isinstance(value, list) else ""
        if self.widget == "checkbox":
            return bool(value)
        if self.widget == "select":
            return value or self.default
        return value


@dataclass(frozen=True)
class Part:
    """A repeatable part of a kind's editor: ``name`` (prompt) in the form's field names
    and buttons (``prompt-0-id``, ``prompt_count``, ``add_prompt``), the module.yaml list
    ``key`` (prompts) it is kept in, ``label`` (a heading with ``%(number)d``), and
    ``blank`` (the entries so far → the entry the add button appends)."""

    name: str
    key: str
    label: Any
    blank: Callable[[list[Any]], dict[str, Any]]


@dataclass(frozen=True)
class Editor:
    """The studio's editor of a kind: its ``fields`` in order, its repeatable ``parts``,
    what a new step holds beyond its fields' ``start`` (``start``), a ``read`` for the
    rest of a posted form (a ``Posted`` → the keys it adds to the step), and the kind's
    studio ``template``, included after the fields (None: the fields are the editor)."""

    fields: tuple[Field, ...] = ()
    parts: tuple[Part, ...] = ()
    start: Mapping[str, Any] = field(default_factory=dict)
    read: Callable[[Posted], dict[str, Any]] | None = None
    template: str | None = None

    @property
    def markdown_keys(self) -> frozenset[str]:
        return frozenset(f.key for f in self.fields if f.widget == "markdown")

    def part(self, name: str) -> Part | None:
        return next((p for p in self.parts if p.name == name), None)

    def new_step(self, slug: str) -> tuple[dict[str, Any], dict[str, str]]:
        """The keys of a new step with ``slug`` and its Markdown files."""
        step: dict[str, Any] = {}
        markdown: dict[str, str] = {}
        for f in self.fields:
            if f.start is None:
                continue
            if f.widget == "markdown":
                name = f.file.format(slug=slug)
                step[f.key] = name
                markdown[name] = f.start
            else:
                step[f.key] = f.start
        step.update({key: _copy(value) for key, value in self.start.items()})
        return step, markdown

    def read_form(self, form: Any, slug: str) -> tuple[dict[str, Any], dict[str, str]]:
        """The kind's keys of a step with ``slug`` from a posted ``form`` (a mapping with
        ``get``), and its Markdown files; the add, remove and move buttons of its parts
        already applied."""
        posted = Posted(form)
        step: dict[str, Any] = {}
        markdown: dict[str, str] = {}
        for f in self.fields:
            if f.widget == "text":
                step[f.key] = posted.text(f.key)
            elif f.widget == "number":
                put(step, f.key, posted.number(f.key))
            elif f.widget == "lines":
                put(step, f.key, posted.lines(f.key))
            elif f.widget == "checkbox":
                if form.get(f.key):
                    step[f.key] = True
            elif f.widget == "select":
                value = form.get(f.key)
                put(step, f.key, value if value != f.default else None)
            else:
                text = form.get(f.key, "")
                if text.strip():
                    name = f.file.format(slug=slug)
                    markdown[name] = text.replace("\r\n", "\n").rstrip("\n") + "\n"
                    step[f.key] = name
        if self.read is not None:
            step.update(self.read(posted))
        for part in self.parts:
            if isinstance(step.get(part.key), list):
                rearrange(step[part.key], form, part)
        return step, markdown

    def rearranging(self, form: Any) -> bool:
        """True when the post was an add, remove or move button, not "Save step"."""
        return any(form.get(f"{action}_{part.name}") for action in ("add", "remove", "move")
                   for part in self.parts)

    def focus(self, form: Any) -> str | None:
        """The element to bring the author back to after an add, remove or move."""
        for part in self.parts:
            name = part.name
            if form.get(f"add_{name}"):
                return f"{name}-new"
            move = form.get(f"move_{name}", "")
            if move:
                index, _colon, direction = move.partition(":")
                if index.isdigit():
                    target = int(index) + (-1 if direction == "up" else 1)
                    return f"{name}-{target}-heading"
            if form.get(f"remove_{name}"):
                return f"{name}s-heading"
        return None


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


# --- reading a posted form ----------------------------------------------------------------

def put(target: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` unless ``value`` is empty (module.yaml leaves defaults out)."""
    if value not in (None, "", [], False):
        target[key] = value


def commas(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def lines(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").replace("\r\n", "\n").split("\n") if t.strip()]


def number(text: str | None) -> Any:
    """A whole number when it is one; the text otherwise, so the validator names it."""
    text = (text or "").strip()
    if not text:
        return None
    return int(text) if re.fullmatch(r"\d{1,9}", text) else text


class Posted:
    """A posted studio form, read the way its fields are written."""

    def __init__(self, form: Any) -> None:
        self.form = form

    def get(self, name: str, default: str = "") -> str:
        return self.form.get(name, default)

    def text(self, name: str) -> str:
        return self.form.get(name, "").strip()

    def number(self, name: str) -> Any:
        return number(self.form.get(name))

    def lines(self, name: str) -> list[str]:
        return lines(self.form.get(name))

    def indexes(self, part: str) -> list[int]:
        """Positions of the entries of a repeatable part (at most 100)."""
        count = self.form.get(f"{part}_count", "0")
        return list(range(int(count))) if count.isdigit() and int(count) <= 100 else []


def rearrange(items: list, form: Any, part: Part) -> None:
    """The add, remove and move buttons of a repeatable part (they are submit buttons)."""
    name = part.name
    if form.get(f"add_{name}"):
        items.append(part.blank(items))
    remove = form.get(f"remove_{name}", "")
    if remove.isdigit() and int(remove) < len(items):
        items.pop(int(remove))
    index, _, direction = form.get(f"move_{name}", "").partition(":")
    if index.isdigit() and int(index) < len(items):
        i = int(index)
        j = i - 1 if direction == "up" else i + 1
        if 0 <= j < len(items):
            items[i], items[j] = items[j], items[i]
