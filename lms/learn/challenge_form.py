"""Guided reflection forms built from a challenge's YAML definition.

New challenges need no Python: each prompt type knows how to read its
answer from the posted form and how to check it. Drafts are checked only
for hard limits (length, valid choices); submission checks everything.
"""

from __future__ import annotations

import re
from typing import Any

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
                add(pid, "Please answer this question.")
            continue
        value = answers[pid]
        if kind in ("long_text", "short_text"):
            limit = prompt.get("max_chars") or max_chars if kind == "short_text" else max_chars
            if not isinstance(value, str):
                add(pid, "This answer could not be read.")
                continue
            if len(value) > limit:
                add(pid, f"This answer is {len(value):,} characters; the limit is {limit:,}. "
                         "Please shorten it (your text is kept below).")
            if kind == "short_text" and has_control_characters(value):
                add(pid, SINGLE_LINE_MESSAGE)
            if not final:
                continue
            if not value:
                if prompt.get("required", True):
                    add(pid, "Please answer this question.")
                continue
            words = word_count(value)
            if kind == "long_text" and prompt.get("min_words") and words < prompt["min_words"]:
                add(pid, f"Please write at least {prompt['min_words']} words "
                         f"(you have {words}).")
            if kind == "long_text" and prompt.get("max_words") and words > prompt["max_words"]:
                add(pid, f"Please keep this to {prompt['max_words']} words or fewer "
                         f"(you have {words}).")
        elif kind in ("single_choice", "likert"):
            options = prompt["options"] if kind == "single_choice" else prompt["scale"]
            if value and value not in options:
                add(pid, "Choose one of the options shown.")
            elif final and not value and prompt.get("required", True):
                add(pid, "Please choose an option.")
        elif kind == "multi_choice":
            if any(v not in prompt["options"] for v in value):
                add(pid, "Choose from the options shown.")
            elif final and not value and prompt.get("required", True):
                add(pid, "Please choose at least one option.")
        elif kind == "acknowledge":
            if final and value is not True and prompt.get("required", True):
                add(pid, "Please confirm to continue.")
        elif kind == "rows":
            columns = {c["id"]: c for c in prompt["columns"]}
            if len(value) > prompt.get("max_rows", 20):
                add(pid, f"Use at most {prompt['max_rows']} rows.")
            for index, row in enumerate(value, start=1):
                for col_id, cell in row.items():
                    column = columns.get(col_id)
                    if column is None:
                        continue
                    if column["type"] == "single_choice" and cell and \
                            cell not in column["options"]:
                        add(pid, f"Row {index}: choose one of the options for "
                                 f"'{column['label']}'.")
                    if len(cell) > max_chars:
                        add(pid, f"Row {index}: '{column['label']}' is over {max_chars:,} "
                                 "characters.")
                if final and not all(row.get(c) for c in columns):
                    add(pid, f"Row {index}: please fill in every column, or remove the row.")
            if final and len(value) < prompt.get("min_rows", 1) and prompt.get("required", True):
                add(pid, f"Please add at least {prompt.get('min_rows', 1)} "
                         f"row{'s' if prompt.get('min_rows', 1) != 1 else ''}.")
    return errors
