"""The prompt types of a challenge, one ``PromptType`` each.

A prompt type holds how it is written in module.yaml (its own keys and their
check), how its answer is read from a posted form, how that answer is checked
(a draft only for hard limits, a submission for everything) and what the scale
generator answers. The studio's prompt form shows ``keys``; the learner's
partial ``templates/learn/_prompt.html`` renders each type.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.datastructures import MultiDict

from lms.content.checker import DEFAULT_LIKERT, PROMPT_ID, Checker, Where
from lms.content.yamlio import LineDict
from lms.formtools import SINGLE_LINE_MESSAGE
from lms.text import has_control_characters

COMMON_PROMPT_KEYS = frozenset({"id", "type", "label", "help", "required"})
COLUMN_TYPES = ("short_text", "long_text", "single_choice")
ROW_KEY = re.compile(r"^p-(?P<prompt>[a-z][a-z0-9_]*)-(?P<row>\d{1,3})-(?P<col>[a-z][a-z0-9_]*)$")
ABSENT = object()


class SampleText(Protocol):
    """Where the scale generator's sample answers get their words."""

    def short(self, rng: random.Random) -> str: ...
    def sentence(self, rng: random.Random) -> str: ...
    def long(self, prompt: dict[str, Any], rng: random.Random) -> str: ...


@dataclass
class AnswerCheck:
    """What ``PromptType.validate`` is told: the prompt, the answer, how strict to be."""

    prompt: dict[str, Any]
    value: Any
    final: bool
    max_chars: int
    errors: list[str]

    @property
    def required(self) -> bool:
        return self.prompt.get("required", True)

    def add(self, message: str) -> None:
        self.errors.append(message)


@dataclass(frozen=True)
class PromptType:
    """One type of challenge prompt: ``check`` adds its own config to the stored prompt,
    ``read`` returns its answer from a form (``ABSENT`` when the form has none),
    ``validate`` adds its problems, ``sample`` answers it for the scale generator."""

    name: str
    label: str
    keys: frozenset[str]
    check: Callable[[Checker, LineDict, str, dict[str, Any]], None]
    read: Callable[[dict[str, Any], MultiDict, set[str]], Any]
    validate: Callable[[AnswerCheck], None]
    sample: Callable[[dict[str, Any], random.Random, SampleText], Any]


def field_name(prompt_id: str) -> str:
    return f"p-{prompt_id}"


def cell_name(prompt_id: str, row: int, column_id: str) -> str:
    return f"p-{prompt_id}-{row}-{column_id}"


def word_count(text: str) -> int:
    return len(re.findall(r"\b\w[\w'’-]*\b", text or ""))


def clean(text: str | None) -> str:
    # Normalise newlines so limits count what the learner sees.
    return (text or "").replace("\r\n", "\n").strip()


# --- reading ---------------------------------------------------------------------------------

def _read_one(prompt: dict[str, Any], form: MultiDict, present: set[str]) -> Any:
    name = field_name(prompt["id"])
    if name in present:
        return clean(form.get(name))
    if f"{name}-shown" in present:
        return ""  # radios with nothing chosen
    return ABSENT


def _read_many(prompt: dict[str, Any], form: MultiDict, present: set[str]) -> Any:
    name = field_name(prompt["id"])
    if name in present or f"{name}-shown" in present:
        return [clean(v) for v in form.getlist(name) if clean(v)]
    return ABSENT


def _read_acknowledge(prompt: dict[str, Any], form: MultiDict, present: set[str]) -> Any:
    name = field_name(prompt["id"])
    if name in present or f"{name}-shown" in present:
        return form.get(name) == "yes"
    return ABSENT


def _read_rows(prompt: dict[str, Any], form: MultiDict, present: set[str]) -> Any:
    pid = prompt["id"]
    rows: dict[int, dict[str, str]] = {}
    for key in present:
        match = ROW_KEY.match(key)
        if match and match["prompt"] == pid:
            rows.setdefault(int(match["row"]), {})[match["col"]] = clean(form.get(key))
    if rows or f"{field_name(pid)}-shown" in present:
        columns = [c["id"] for c in prompt["columns"]]
        return [{c: rows[i].get(c, "") for c in columns}
                for i in sorted(rows) if any(rows[i].get(c) for c in columns)]
    return ABSENT


# --- checking answers ------------------------------------------------------------------------

def _validate_text(a: AnswerCheck) -> None:
    prompt, value = a.prompt, a.value
    short = prompt["type"] == "short_text"
    limit = prompt.get("max_chars") or a.max_chars if short else a.max_chars
    if not isinstance(value, str):
        a.add(_("This answer could not be read."))
        return
    if len(value) > limit:
        a.add(_("This answer is %(length)s characters; the limit is %(limit)s. "
                "Please shorten it (your text is kept below).",
                length=f"{len(value):,}", limit=f"{limit:,}"))
    if short and has_control_characters(value):
        a.add(SINGLE_LINE_MESSAGE)
    if not a.final:
        return
    if not value:
        if a.required:
            a.add(_("Please answer this question."))
        return
    words = word_count(value)
    if not short and prompt.get("min_words") and words < prompt["min_words"]:
        a.add(_("Please write at least %(minimum)d words (you have %(words)d).",
                minimum=prompt["min_words"], words=words))
    if not short and prompt.get("max_words") and words > prompt["max_words"]:
        a.add(_("Please keep this to %(maximum)d words or fewer (you have %(words)d).",
                maximum=prompt["max_words"], words=words))


def _validate_single(a: AnswerCheck) -> None:
    options = a.prompt["options"] if a.prompt["type"] == "single_choice" else a.prompt["scale"]
    if a.value and a.value not in options:
        a.add(_("Choose one of the options shown."))
    elif a.final and not a.value and a.required:
        a.add(_("Please choose an option."))


def _validate_multi(a: AnswerCheck) -> None:
    if any(v not in a.prompt["options"] for v in a.value):
        a.add(_("Choose from the options shown."))
    elif a.final and not a.value and a.required:
        a.add(_("Please choose at least one option."))


def _validate_acknowledge(a: AnswerCheck) -> None:
    if a.final and a.value is not True and a.required:
        a.add(_("Please confirm to continue."))


def _validate_rows(a: AnswerCheck) -> None:
    prompt, value, max_chars = a.prompt, a.value, a.max_chars
    columns = {c["id"]: c for c in prompt["columns"]}
    if len(value) > prompt.get("max_rows", 20):
        a.add(_("Use at most %(rows)d rows.", rows=prompt["max_rows"]))
    for index, row in enumerate(value, start=1):
        for col_id, cell in row.items():
            column = columns.get(col_id)
            if column is None:
                continue
            if column["type"] == "single_choice" and cell and cell not in column["options"]:
                a.add(_("Row %(number)d: choose one of the options for “%(column)s”.",
                        number=index, column=column["label"]))
            if len(cell) > max_chars:
                a.add(_("Row %(number)d: “%(column)s” is over %(limit)s characters.",
                        number=index, column=column["label"], limit=f"{max_chars:,}"))
        if a.final and not all(row.get(c) for c in columns):
            a.add(_("Row %(number)d: please fill in every column, or remove the row.",
                    number=index))
    if a.final and len(value) < prompt.get("min_rows", 1) and a.required:
        a.add(ngettext("Please add at least %(num)d row.", "Please add at least %(num)d rows.",
                       prompt.get("min_rows", 1)))


# --- checking module.yaml --------------------------------------------------------------------

def _check_long_text(c: Checker, p: LineDict, where: Where, prompt: dict[str, Any]) -> None:
    prompt["min_words"] = c.integer(p, "min_words", default=0, where=where)
    prompt["max_words"] = c.integer(p, "max_words", default=None, minimum=1, where=where)
    if prompt["max_words"] and prompt["min_words"] and (
            prompt["max_words"] < prompt["min_words"]):
        c.error(p.line_of("max_words"), _("max_words is below min_words"), where)
    prompt["produces_actions"] = c.boolean(p, "produces_actions", default=False, where=where)


def _check_short_text(c: Checker, p: LineDict, where: Where, prompt: dict[str, Any]) -> None:
    prompt["max_chars"] = c.integer(p, "max_chars", default=300, minimum=1, where=where)
    prompt["produces_actions"] = c.boolean(p, "produces_actions", default=False, where=where)


def _check_choice(c: Checker, p: LineDict, where: Where, prompt: dict[str, Any]) -> None:
    prompt["options"] = c.text_list(p, "options", required=True, where=where)
    if len(set(prompt["options"])) != len(prompt["options"]):
        c.error(p.line_of("options"), _("options must be distinct"), where)


def _check_likert(c: Checker, p: LineDict, where: Where, prompt: dict[str, Any]) -> None:
    prompt["scale"] = c.text_list(p, "scale", where=where) or DEFAULT_LIKERT


def _check_acknowledge(c: Checker, p: LineDict, where: Where, prompt: dict[str, Any]) -> None:
    prompt["statement"] = c.text(p, "statement", required=True, where=where)


def _check_rows(c: Checker, p: LineDict, where: Where, prompt: dict[str, Any]) -> None:
    prompt["min_rows"] = c.integer(p, "min_rows", default=1, where=where)
    prompt["max_rows"] = c.integer(p, "max_rows", default=20, minimum=1, where=where)
    columns = []
    seen: set[str] = set()
    for col in c.mapping_list(p, "columns", where=where):
        col_where = where.part("column", col.get("id", "?"))
        c.unknown_keys(col, {"id", "label", "type", "options"}, col_where)
        col_id = c.unique_id(col, seen, PROMPT_ID,
                             invalid=_("'id' must be snake_case"),
                             duplicate=_("duplicate column id"), where=col_where)
        col_type = c.choice(col, "type", COLUMN_TYPES, default="short_text", where=col_where)
        column = {"id": col_id, "type": col_type,
                  "label": c.text(col, "label", required=True, where=col_where)}
        if col_type == "single_choice":
            column["options"] = c.text_list(col, "options", required=True, where=col_where)
        columns.append(column)
    prompt["columns"] = columns


# --- sample answers --------------------------------------------------------------------------

def _sample_rows(prompt: dict[str, Any], rng: random.Random, text: SampleText) -> Any:
    def cell(column: dict[str, Any]) -> str:
        if column["type"] == "single_choice":
            return rng.choice(column["options"])
        if column["type"] == "long_text":
            return text.sentence(rng)
        return text.short(rng)

    rows = min(max(prompt.get("min_rows", 1), rng.randint(2, 4)), prompt.get("max_rows", 20))
    return [{c["id"]: cell(c) for c in prompt["columns"]} for _ in range(rows)]


PROMPT_TYPES: dict[str, PromptType] = {t.name: t for t in (
    PromptType("long_text", _l("Long text"),
               frozenset({"min_words", "max_words", "produces_actions"}),
               _check_long_text, _read_one, _validate_text,
               lambda p, rng, text: text.long(p, rng)),
    PromptType("short_text", _l("Short text"), frozenset({"max_chars", "produces_actions"}),
               _check_short_text, _read_one, _validate_text,
               lambda p, rng, text: text.short(rng)[:p.get("max_chars") or 300]),
    PromptType("single_choice", _l("Single choice"), frozenset({"options"}), _check_choice,
               _read_one, _validate_single, lambda p, rng, text: rng.choice(p["options"])),
    PromptType("multi_choice", _l("Multiple choice"), frozenset({"options"}), _check_choice,
               _read_many, _validate_multi,
               lambda p, rng, text: rng.sample(p["options"], k=min(2, len(p["options"])))),
    PromptType("likert", _l("Agreement scale"), frozenset({"scale"}), _check_likert, _read_one,
               _validate_single,
               lambda p, rng, text: rng.choice(p["scale"][len(p["scale"]) // 2:])),
    PromptType("rows", _l("Repeatable rows"), frozenset({"columns", "min_rows", "max_rows"}),
               _check_rows, _read_rows, _validate_rows, _sample_rows),
    PromptType("acknowledge", _l("Acknowledgement"), frozenset({"statement"}), _check_acknowledge,
               _read_acknowledge, _validate_acknowledge, lambda p, rng, text: True),
)}
PROMPT_KEYS = COMMON_PROMPT_KEYS | frozenset().union(*(t.keys for t in PROMPT_TYPES.values()))


def check_prompt(c: Checker, p: LineDict, where: Where) -> dict[str, Any]:
    """The stored form of one prompt of a challenge (its ``id`` checked by the caller)."""
    c.unknown_keys(p, set(PROMPT_KEYS), where)
    kind = c.choice(p, "type", tuple(PROMPT_TYPES), default="long_text", where=where)
    if "type" not in p:
        c.error(p.line, _("missing required field '%(key)s'", key="type"), where)
    prompt: dict[str, Any] = {
        "id": p.get("id"), "type": kind,
        "label": c.text(p, "label", required=True, where=where, max_len=500),
        "help": c.text(p, "help", where=where),
        "required": c.boolean(p, "required", default=True, where=where),
    }
    PROMPT_TYPES[kind].check(c, p, where, prompt)
    return prompt


def read_answers(prompts: list[dict[str, Any]], form: MultiDict) -> dict[str, Any]:
    """The answers to ``prompts`` found in ``form``; prompts absent from it are omitted."""
    answers: dict[str, Any] = {}
    present = set(form.keys())
    for prompt in prompts:
        value = PROMPT_TYPES[prompt["type"]].read(prompt, form, present)
        if value is not ABSENT:
            answers[prompt["id"]] = value
    return answers


def validate_answers(prompts: list[dict[str, Any]], answers: dict[str, Any], *, final: bool,
                     max_chars: int) -> dict[str, list[str]]:
    """Problems per prompt id. ``final`` adds required-field and word-count checks."""
    errors: dict[str, list[str]] = {}
    for prompt in prompts:
        pid = prompt["id"]
        if pid not in answers:
            if final and prompt.get("required", True):
                errors.setdefault(pid, []).append(_("Please answer this question."))
            continue
        found: list[str] = []
        PROMPT_TYPES[prompt["type"]].validate(
            AnswerCheck(prompt, answers[pid], final, max_chars, found))
        if found:
            errors.setdefault(pid, []).extend(found)
    return errors


def sample_answers(prompts: list[dict[str, Any]], rng: random.Random, text: SampleText, *,
                   draft: bool = False) -> dict[str, Any]:
    """Answers that pass the final checks of a submission; a draft answers the first half."""
    chosen = prompts[:max(1, len(prompts) // 2)] if draft else prompts
    return {p["id"]: PROMPT_TYPES[p["type"]].sample(p, rng, text) for p in chosen}
