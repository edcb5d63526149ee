"""Guided reflection forms built from a challenge's YAML definition.

New challenges need no Python: each prompt type knows how to read its
answer from the posted form and how to check it. Drafts are checked only
for hard limits (length, valid choices); submission checks everything.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from lms.formtools import SINGLE_LINE_MESSAGE
from lms.text import has_control_characters

DEFAULT_MAX_CHARS = 20000
ROW_KEY = re.compile(r"^p-(?P<prompt>[a-z][a-z0-9_]*)-(?P<row>\d{1,3})-(?P<col>[a-z][a-z0-9_]*)$")


def field_name(prompt_id: str) -> str:
    return f"p-{prompt_id}"


def cell_name(prompt_id: str, row: int, column_id: str) -> str:
    return f"p-{prompt_id}-{row}-{column_id}"


def word_count(text: str) -> int:
    return len(re.findall(r"\b\w[\w'’-]*\b", text or ""))


def _clean(text: str | None) -> str:
    # Normalise newlines so limits count what the learner sees.
    return (text or "").replace("\r\n", "\n").strip()


def read_answers(prompts: list[dict[str, Any]], form: MultiDict) -> dict[str, Any]:
    """The answers to ``prompts`` found in ``form``; prompts absent from it are omitted."""
    answers: dict[str, Any] = {}
    present = set(form.keys())
    for prompt in prompts:
        pid, kind = prompt["id"], prompt["type"]
        name = field_name(pid)
        if kind in ("long_text", "short_text", "single_choice", "likert"):
            if name in present:
                answers[pid] = _clean(form.get(name))
            elif f"{name}-shown" in present:
                answers[pid] = ""  # radios with nothing chosen
        elif kind == "multi_choice":
            if name in present or f"{name}-shown" in present:
                answers[pid] = [_clean(v) for v in form.getlist(name) if _clean(v)]
        elif kind == "acknowledge":
            if name in present or f"{name}-shown" in present:
                answers[pid] = form.get(name) == "yes"
        elif kind == "rows":
            rows: dict[int, dict[str, str]] = {}
            for key in present:
                match = ROW_KEY.match(key)
                if match and match["prompt"] == pid:
                    rows.setdefault(int(match["row"]), {})[match["col"]] = _clean(form.get(key))
            if rows or f"{name}-shown" in present:
                columns = [c["id"] for c in prompt["columns"]]
                answers[pid] = [
                    {c: rows[i].get(c, "") for c in columns}
                    for i in sorted(rows) if any(rows[i].get(c) for c in columns)]
    return answers


def validate_answers(prompts: list[dict[str, Any]], answers: dict[str, Any], *, final: bool,
                     max_chars: int = DEFAULT_MAX_CHARS) -> dict[str, list[str]]:
    """Problems per prompt id. ``final`` adds required-field and word-count checks."""
    errors: dict[str, list[str]] = {}

    def add(pid: str, message: str) -> None:
        errors.setdefault(pid, []).append(message)

    for prompt in prompts:
        pid, kind = prompt["id"], prompt["type"]
        if pid not in answers:
            if final and prompt.get("required", True):
                add(pid, _("Please answer this question."))
            continue
        value = answers[pid]
        if kind in ("long_text", "short_text"):
            limit = prompt.get("max_chars") or max_chars if kind == "short_text" else max_chars
            if not isinstance(value, str):
                add(pid, _("This answer could not be read."))
                continue
            if len(value) > limit:
                length, most = f"{len(value):,}", f"{limit:,}"
                add(pid, _("This answer is %(length)s characters; the limit is %(limit)s. "
                           "Please shorten it (your text is kept below).",
                           length=length, limit=most))
            if kind == "short_text" and has_control_characters(value):
                add(pid, SINGLE_LINE_MESSAGE)
            if not final:
                continue
            if not value:
                if prompt.get("required", True):
                    add(pid, _("Please answer this question."))
                continue
            words = word_count(value)
            if kind == "long_text" and prompt.get("min_words") and words < prompt["min_words"]:
                add(pid, _("Please write at least %(minimum)d words (you have %(words)d).",
                           minimum=prompt["min_words"], words=words))
            if kind == "long_text" and prompt.get("max_words") and words > prompt["max_words"]:
                add(pid, _("Please keep this to %(maximum)d words or fewer (you have "
                           "%(words)d).", maximum=prompt["max_words"], words=words))
        elif kind in ("single_choice", "likert"):
            options = prompt["options"] if kind == "single_choice" else prompt["scale"]
            if value and value not in options:
                add(pid, _("Choose one of the options shown."))
            elif final and not value and prompt.get("required", True):
                add(pid, _("Please choose an option."))
        elif kind == "multi_choice":
            if any(v not in prompt["options"] for v in value):
                add(pid, _("Choose from the options shown."))
            elif final and not value and prompt.get("required", True):
                add(pid, _("Please choose at least one option."))
        elif kind == "acknowledge":
            if final and value is not True and prompt.get("required", True):
                add(pid, _("Please confirm to continue."))
        elif kind == "rows":
            columns = {c["id"]: c for c in prompt["columns"]}
            if len(value) > prompt.get("max_rows", 20):
                add(pid, _("Use at most %(rows)d rows.", rows=prompt["max_rows"]))
            for index, row in enumerate(value, start=1):
                for col_id, cell in row.items():
                    column = columns.get(col_id)
                    if column is None:
                        continue
                    if column["type"] == "single_choice" and cell and \
                            cell not in column["options"]:
                        add(pid, _("Row %(number)d: choose one of the options for "
                                   "“%(column)s”.", number=index, column=column["label"]))
                    if len(cell) > max_chars:
                        most = f"{max_chars:,}"
                        add(pid, _("Row %(number)d: “%(column)s” is over %(limit)s "
                                   "characters.", number=index, column=column["label"],
                                   limit=most))
                if final and not all(row.get(c) for c in columns):
                    add(pid, _("Row %(number)d: please fill in every column, or remove the "
                               "row.", number=index))
            if final and len(value) < prompt.get("min_rows", 1) and prompt.get("required", True):
                add(pid, f"Please add at least {prompt.get('min_rows', 1)} "
                         f"row{'s' if prompt.get('min_rows', 1) != 1 else ''}.")
    return errors
