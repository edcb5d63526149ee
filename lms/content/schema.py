"""Validation of module folders: every problem with its file and line.

``read_modules(root)`` never touches the database. It returns the modules
that are valid and the errors of those that are not; ``flask modules
validate`` prints the errors, ``flask modules sync`` loads the valid ones.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lms.content.markdown import render_markdown
from lms.content.yamlio import LineDict, LineList, load_yaml, plain
from lms.models.content import STEP_KINDS

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PROMPT_ID = re.compile(r"^[a-z][a-z0-9_]*$")
ITEM_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
PROMPT_TYPES = ("long_text", "short_text", "single_choice", "multi_choice", "likert", "rows",
                "acknowledge")
COLUMN_TYPES = ("short_text", "long_text", "single_choice")
DEFAULT_LIKERT = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
                  "Strongly agree"]
MODULE_KEYS = {"slug", "title", "summary", "topics", "estimated_minutes", "audience",
               "prerequisites", "pacing", "certificate", "standard", "steps"}
COMMON_STEP_KEYS = {"slug", "kind", "title", "optional", "unlock_after_days"}
PROMPT_KEYS = {"id", "type", "label", "help", "required", "min_words", "max_words",
               "produces_actions", "max_chars", "options", "scale", "columns", "min_rows",
               "max_rows", "statement"}


@dataclass(frozen=True)
class ContentError:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class ModuleDefinition:
    """A valid module, ready to sync: plain data with Markdown rendered to HTML."""

    slug: str
    data: dict[str, Any]
    steps: list[dict[str, Any]]
    content_hash: str
    folder: Path
    # {language: {"module": {title, summary, ...}, "steps": {slug: {title, config}}}}
    translations: dict[str, Any] = field(default_factory=dict)


@dataclass
class ReadResult:
    modules: list[ModuleDefinition] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)


class _Checker:
    """Collects errors for one module.yaml."""

    def __init__(self, folder: Path, display: str):
        self.folder = folder
        self.display = display
        self.errors: list[ContentError] = []
        self.files: dict[str, bytes] = {}

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
        return render_markdown(text)


def _check_prompt(c: _Checker, p: LineDict, where: str) -> dict[str, Any]:
    c.unknown_keys(p, PROMPT_KEYS, where)
    kind = c.choice(p, "type", PROMPT_TYPES, default="long_text", where=where)
    if "type" not in p:
        c.error(p.line, f"{where}missing required field 'type'")
    prompt: dict[str, Any] = {
        "id": p.get("id"), "type": kind,
        "label": c.text(p, "label", required=True, where=where, max_len=500),
        "help": c.text(p, "help", where=where),
        "required": c.boolean(p, "required", default=True, where=where),
    }
    if kind == "long_text":
        prompt["min_words"] = c.integer(p, "min_words", default=0, where=where)
        prompt["max_words"] = c.integer(p, "max_words", default=None, minimum=1, where=where)
        if prompt["max_words"] and prompt["min_words"] and (
                prompt["max_words"] < prompt["min_words"]):
            c.error(p.line_of("max_words"), f"{where}max_words is below min_words")
        prompt["produces_actions"] = c.boolean(p, "produces_actions", default=False, where=where)
    elif kind == "short_text":
        prompt["max_chars"] = c.integer(p, "max_chars", default=300, minimum=1, where=where)
        prompt["produces_actions"] = c.boolean(p, "produces_actions", default=False, where=where)
    elif kind in ("single_choice", "multi_choice"):
        prompt["options"] = c.text_list(p, "options", required=True, where=where)
        if len(set(prompt["options"])) != len(prompt["options"]):
            c.error(p.line_of("options"), f"{where}options must be distinct")
    elif kind == "likert":
        prompt["scale"] = c.text_list(p, "scale", where=where) or DEFAULT_LIKERT
    elif kind == "acknowledge":
        prompt["statement"] = c.text(p, "statement", required=True, where=where)
    elif kind == "rows":
        prompt["min_rows"] = c.integer(p, "min_rows", default=1, where=where)
        prompt["max_rows"] = c.integer(p, "max_rows", default=20, minimum=1, where=where)
        columns = []
        seen: set[str] = set()
        for col in c.mapping_list(p, "columns", where=where):
            col_where = f"{where}column '{col.get('id', '?')}': "
            c.unknown_keys(col, {"id", "label", "type", "options"}, col_where)
            col_id = c.unique_id(col, seen, PROMPT_ID,
                                 invalid=f"{col_where}'id' must be snake_case",
                                 duplicate=f"{col_where}duplicate column id")
            col_type = c.choice(col, "type", COLUMN_TYPES, default="short_text", where=col_where)
            column = {"id": col_id, "type": col_type,
                      "label": c.text(col, "label", required=True, where=col_where)}
            if col_type == "single_choice":
                column["options"] = c.text_list(col, "options", required=True, where=col_where)
            columns.append(column)
        prompt["columns"] = columns
    return prompt


def _check_challenge(c: _Checker, s: LineDict, where: str) -> dict[str, Any]:
    config: dict[str, Any] = {
        "intro_html": c.markdown_file(s, "intro", required=False, where=where),
        "mode": c.choice(s, "mode", ("individual", "group"), default="individual", where=where),
        "review": c.choice(s, "review", ("required", "optional"), default="required",
                           where=where),
        "allow_private": c.boolean(s, "allow_private", default=False, where=where),
        "guiding_questions": c.text_list(s, "guiding_questions", where=where),
    }
    prompts = []
    seen: set[str] = set()
    for p in c.mapping_list(s, "prompts", where=where):
        prompt_id = c.unique_id(p, seen, PROMPT_ID,
                                invalid=f"{where}prompt 'id' must be snake_case text",
                                duplicate=f"{where}duplicate prompt id '{p.get('id')}'")
        p_where = f"{where}prompt '{prompt_id}': "
        prompts.append(_check_prompt(c, p, p_where))
    config["prompts"] = prompts
    rubric = []
    if "rubric" in s:
        for r in c.mapping_list(s, "rubric", where=where):
            c.unknown_keys(r, {"criterion", "levels", "description"}, where + "rubric: ")
            levels = c.text_list(r, "levels", required=True, where=where + "rubric: ")
            if levels and len(levels) < 2:
                c.error(r.line_of("levels"), f"{where}rubric levels need at least two entries")
            rubric.append({"criterion": c.text(r, "criterion", required=True,
                                               where=where + "rubric: "),
                           "description": c.text(r, "description", where=where + "rubric: "),
                           "levels": levels})
    config["rubric"] = rubric
    return config


def _check_check(c: _Checker, s: LineDict, where: str) -> dict[str, Any]:
    questions = []
    seen: set[str] = set()
    for q in c.mapping_list(s, "questions", where=where):
        q_where = f"{where}question '{q.get('id', '?')}': "
        c.unknown_keys(q, {"id", "prompt", "options"}, q_where)
        qid = c.unique_id(q, seen, ITEM_ID, invalid=f"{q_where}'id' must be lowercase text",
                          duplicate=f"{where}duplicate question id '{q.get('id')}'")
        options = []
        for o in c.mapping_list(q, "options", where=q_where):
            c.unknown_keys(o, {"text", "correct", "feedback"}, q_where)
            options.append({"text": c.text(o, "text", required=True, where=q_where),
                            "correct": c.boolean(o, "correct", default=False, where=q_where),
                            "feedback": c.text(o, "feedback", where=q_where) or ""})
        if options and len(options) < 2:
            c.error(q.line_of("options"), f"{q_where}needs at least two options")
        if options and not any(o["correct"] for o in options):
            c.error(q.line_of("options"), f"{q_where}no option is marked correct: true")
        questions.append({"id": qid, "prompt": c.text(q, "prompt", required=True, where=q_where),
                          "options": options})
    return {"questions": questions,
            "intro_html": c.markdown_file(s, "intro", required=False, where=where)}


def _check_survey(c: _Checker, s: LineDict, where: str) -> dict[str, Any]:
    items = []
    seen: set[str] = set()
    for i in c.mapping_list(s, "items", where=where):
        i_where = f"{where}item '{i.get('id', '?')}': "
        c.unknown_keys(i, {"id", "type", "text", "scale"}, i_where)
        iid = c.unique_id(i, seen, ITEM_ID, invalid=f"{i_where}'id' must be lowercase text",
                          duplicate=f"{where}duplicate item id '{i.get('id')}'")
        kind = c.choice(i, "type", ("likert", "yes_no"), default="likert", where=i_where)
        item = {"id": iid, "type": kind, "text": c.text(i, "text", required=True, where=i_where)}
        if kind == "likert":
            item["scale"] = c.text_list(i, "scale", where=i_where) or DEFAULT_LIKERT
        items.append(item)
    return {"items": items, "intro_html": c.markdown_file(s, "intro", required=False,
                                                          where=where)}


def _check_page(c: _Checker, s: LineDict, where: str) -> dict[str, Any]:
    return {"body_html": c.markdown_file(s, "body", required=True, where=where)}


def _check_video(c: _Checker, s: LineDict, where: str) -> dict[str, Any]:
    url = c.text(s, "url", required=True, where=where)
    if url and not re.match(r"^https?://", url):
        c.error(s.line_of("url"), f"{where}'url' must start with http:// or https://")
    return {"url": url, "minutes": c.integer(s, "minutes", default=None, where=where),
            "transcript_html": c.markdown_file(s, "transcript", required=True, where=where)}


def _check_live(c: _Checker, s: LineDict, where: str) -> dict[str, Any]:
    training = c.text(s, "training", required=True, where=where)
    if training and not SLUG.match(training):
        c.error(s.line_of("training"), f"{where}'training' must be a training slug")
    return {"training": training,
            "body_html": c.markdown_file(s, "body", required=False, where=where)}


def _check_plan(c: _Checker, s: LineDict, where: str) -> dict[str, Any]:
    return {"body_html": c.markdown_file(s, "body", required=False, where=where)}


@dataclass(frozen=True)
class StepSchema:
    """How one step kind is written in module.yaml: its own keys and their checks, which
    return the step's stored ``config``."""

    keys: frozenset[str]
    check: Callable[[_Checker, LineDict, str], dict[str, Any]]


# One entry per name in ``lms.models.STEP_KINDS``.
STEP_SCHEMAS: dict[str, StepSchema] = {
    "page": StepSchema(frozenset({"body"}), _check_page),
    "video": StepSchema(frozenset({"url", "minutes", "transcript"}), _check_video),
    "challenge": StepSchema(frozenset({"intro", "mode", "review", "allow_private",
                                       "guiding_questions", "prompts", "rubric"}),
                            _check_challenge),
    "check": StepSchema(frozenset({"questions", "intro"}), _check_check),
    "survey": StepSchema(frozenset({"items", "intro"}), _check_survey),
    "live": StepSchema(frozenset({"training", "body"}), _check_live),
    "plan": StepSchema(frozenset({"body"}), _check_plan),
}
STEP_KEYS = {kind: schema.keys for kind, schema in STEP_SCHEMAS.items()}


def _check_step(c: _Checker, s: LineDict, index: int, pacing: str) -> dict[str, Any]:
    slug = s.get("slug")
    where = f"step {index + 1} ('{slug}'): " if slug else f"step {index + 1}: "
    kind = s.get("kind")
    if "kind" not in s:
        c.error(s.line, f"{where}missing required field 'kind'")
    elif kind not in STEP_KINDS:
        c.error(s.line_of("kind"),
                f"{where}unknown step kind '{kind}' (use one of {', '.join(STEP_KINDS)})")
        kind = None
    if not isinstance(slug, str) or not SLUG.match(slug):
        c.error(s.line_of("slug"), f"{where}'slug' must be lowercase words joined by hyphens")
    if kind:
        c.unknown_keys(s, COMMON_STEP_KEYS | STEP_KEYS[kind], where)
    step: dict[str, Any] = {
        "slug": slug, "kind": kind,
        "title": c.text(s, "title", required=True, where=where, max_len=300),
        "optional": c.boolean(s, "optional", default=False, where=where),
        "unlock_after_days": c.integer(s, "unlock_after_days", default=0, where=where) or 0,
        "line": s.line,
    }
    if step["unlock_after_days"] and pacing != "spaced":
        c.error(s.line_of("unlock_after_days"),
                f"{where}unlock_after_days needs 'pacing: spaced' on the module")
    step["config"] = STEP_SCHEMAS[kind].check(c, s, where) if kind else {}
    return step


def _display(path: Path, root: Path) -> str:
    return str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)


def _read_definition(folder: Path, yaml_path: Path, root: Path):
    """Check one module.yaml (the original or a translation): ``(module, steps, raw, checker)``,
    module None when the file cannot be read at all."""
    c = _Checker(folder, _display(yaml_path, root))
    if not yaml_path.is_file():
        c.error(1, f"{yaml_path.name} is missing")
        return None, [], b"", c
    raw = yaml_path.read_bytes()
    try:
        data = load_yaml(raw.decode("utf-8"))
    except UnicodeDecodeError:
        c.error(1, f"{yaml_path.name} is not UTF-8 text")
        return None, [], raw, c
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(error, "problem", None) or str(error)
        c.error(line, f"bad YAML: {problem}")
        return None, [], raw, c
    if not isinstance(data, LineDict):
        c.error(1, f"{yaml_path.name} must be a mapping of fields")
        return None, [], raw, c
    c.unknown_keys(data, MODULE_KEYS, "")
    slug = c.text(data, "slug", required=True, max_len=100)
    if slug and not SLUG.match(slug):
        c.error(data.line_of("slug"), "'slug' must be lowercase words joined by hyphens")
    elif slug and slug != folder.name:
        c.error(data.line_of("slug"), f"slug '{slug}' must match the folder name '{folder.name}'")
    pacing = c.choice(data, "pacing", ("self-paced", "spaced"), default="self-paced")
    module = {
        "slug": slug,
        "title": c.text(data, "title", required=True, max_len=300),
        "summary": c.text(data, "summary") or "",
        "topics": c.text_list(data, "topics"),
        "estimated_minutes": c.integer(data, "estimated_minutes", default=0),
        "audience": c.text(data, "audience", max_len=300) or "",
        "prerequisites": c.text_list(data, "prerequisites"),
        "pacing": pacing,
        "certificate": c.boolean(data, "certificate", default=False),
        "standard": c.text(data, "standard", max_len=300),
        "prerequisites_line": data.line_of("prerequisites"),
    }
    steps = []
    seen: set[str] = set()
    for index, s in enumerate(c.mapping_list(data, "steps")):
        step = _check_step(c, s, index, pacing)
        if step["slug"] in seen:
            c.error(s.line_of("slug"), f"duplicate step slug '{step['slug']}'")
        seen.add(step["slug"])
        steps.append(step)
    return module, steps, raw, c


# A translation of a module sits beside its module.yaml as module.<language>.yaml (e.g.
# module.es.yaml), naming its own Markdown files (e.g. identity-mapping.es.md).
TRANSLATION_FILE = re.compile(r"^module\.([a-z]{2})\.yaml$")
# What a learner reads, per step kind and per prompt: a translation replaces these and
# must keep everything else (ids, types, how many options) as the original has it.
TRANSLATED_MODULE_FIELDS = ("title", "summary", "audience", "standard")


def _shape(step: dict[str, Any]) -> Any:
    """What must match between an original step and its translation."""
    config = step["config"]
    shape: list[Any] = [step["slug"], step["kind"]]
    if step["kind"] == "challenge":
        for prompt in config.get("prompts", []):
            shape.append((prompt["id"], prompt["type"], len(prompt.get("options") or []),
                          len(prompt.get("scale") or []),
                          [(col["id"], col["type"], len(col.get("options") or []))
                           for col in prompt.get("columns", [])]))
        shape.append(("rubric", [len(r["levels"]) for r in config.get("rubric", [])]))
        shape.append(("guiding", len(config.get("guiding_questions", []))))
    elif step["kind"] == "check":
        shape.extend((q["id"], [o["correct"] for o in q["options"]])
                     for q in config.get("questions", []))
    elif step["kind"] == "survey":
        shape.extend((i["id"], i["type"], len(i.get("scale") or []))
                     for i in config.get("items", []))
    elif step["kind"] == "video":
        shape.append(config.get("url"))
    elif step["kind"] == "live":
        shape.append(config.get("training"))
    return shape


def _labels(original: list[str], translated: list[str]) -> dict[str, str]:
    return dict(zip(original, translated, strict=False))


def _translated_config(original: dict[str, Any], translated: dict[str, Any]) -> dict[str, Any]:
    """The translation's config for the player. Answers are stored in the original's words
    (an option chosen in Spanish is saved as the original option), so choices keep their
    original values and carry their translated labels beside them."""
    config = dict(translated)
    if "prompts" in original:
        prompts = []
        for source, target in zip(original["prompts"], translated["prompts"], strict=True):
            prompt = dict(target)
            for key in ("options", "scale"):
                if source.get(key):
                    prompt[key] = source[key]
                    prompt["option_labels"] = _labels(source[key], target[key])
            columns = []
            for source_col, target_col in zip(source.get("columns", []),
                                              target.get("columns", []), strict=True):
                column = dict(target_col)
                if source_col.get("options"):
                    column["options"] = source_col["options"]
                    column["option_labels"] = _labels(source_col["options"],
                                                      target_col["options"])
                columns.append(column)
            if columns:
                prompt["columns"] = columns
            prompts.append(prompt)
        config["prompts"] = prompts
    if "items" in original:
        items = []
        for source, target in zip(original["items"], translated["items"], strict=True):
            item = dict(target)
            if source.get("scale"):
                item["scale"] = source["scale"]
                item["option_labels"] = _labels(source["scale"], target["scale"])
            items.append(item)
        config["items"] = items
    return config


def _read_translations(folder: Path, root: Path, steps: list[dict[str, Any]],
                       digest) -> tuple[dict[str, Any], list[ContentError]]:
    """Every module.<language>.yaml beside module.yaml, checked on its own and against the
    original: same steps in the same order, same kinds, same prompts, questions and items."""
    translations: dict[str, Any] = {}
    errors: list[ContentError] = []
    for path in sorted(folder.iterdir()):
        found = TRANSLATION_FILE.match(path.name)
        if not found:
            continue
        language = found.group(1)
        module, translated_steps, raw, c = _read_definition(folder, path, root)
        if module is not None:
            if len(translated_steps) != len(steps):
                c.error(1, f"the translation has {len(translated_steps)} steps; module.yaml "
                           f"has {len(steps)}")
            for original, translated in zip(steps, translated_steps, strict=False):
                if _shape(original) != _shape(translated):
                    c.error(translated["line"],
                            f"step '{translated['slug']}' must have the same slug, kind, "
                            f"prompts, options, questions and items as step "
                            f"'{original['slug']}' in module.yaml")
        errors.extend(c.errors)
        if c.errors or module is None:
            continue
        digest.update(b"\0" + path.name.encode() + b"\0" + raw)
        for name in sorted(c.files):
            digest.update(b"\0" + name.encode() + b"\0" + c.files[name])
        translations[language] = {
            "module": {key: module[key] for key in TRANSLATED_MODULE_FIELDS},
            "steps": {t["slug"]: {"title": t["title"],
                                  "config": _translated_config(o["config"], t["config"])}
                      for o, t in zip(steps, translated_steps, strict=True)},
        }
    return translations, errors


def read_module(folder: Path, root: Path) -> tuple[ModuleDefinition | None, list[ContentError]]:
    """Validate one module folder (and its translations); return its definition when it has
    no errors."""
    module, steps, raw, c = _read_definition(folder, folder / "module.yaml", root)
    if module is None or c.errors:
        return None, c.errors
    digest = hashlib.sha256(raw)
    for name in sorted(c.files):
        digest.update(b"\0" + name.encode() + b"\0" + c.files[name])
    translations, errors = _read_translations(folder, root, steps, digest)
    if errors:
        return None, errors
    return ModuleDefinition(slug=module["slug"], data=plain(module), steps=plain(steps),
                            content_hash=digest.hexdigest(), folder=folder,
                            translations=plain(translations)), []


def read_modules(root: Path) -> ReadResult:
    """Validate every module folder under ``root``, then the links between modules."""
    result = ReadResult()
    if not root.is_dir():
        result.errors.append(ContentError(str(root), 1, "modules folder not found"))
        return result
    by_slug: dict[str, ModuleDefinition] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        definition, errors = read_module(folder, root)
        result.errors.extend(errors)
        if definition is None:
            continue
        if definition.slug in by_slug:
            result.errors.append(ContentError(
                f"{folder.name}/module.yaml", 1, f"duplicate slug '{definition.slug}'"))
            continue
        by_slug[definition.slug] = definition
    known_slugs = set(by_slug) | {
        p.name for p in root.iterdir() if (p / "module.yaml").is_file()}
    broken: set[str] = set()
    for definition in by_slug.values():
        for prerequisite in definition.data["prerequisites"]:
            if prerequisite not in known_slugs:
                result.errors.append(ContentError(
                    f"{root.name}/{definition.folder.name}/module.yaml",
                    definition.data["prerequisites_line"],
                    f"prerequisite '{prerequisite}' is not a module"))
                broken.add(definition.slug)
            elif prerequisite == definition.slug:
                result.errors.append(ContentError(
                    f"{root.name}/{definition.folder.name}/module.yaml",
                    definition.data["prerequisites_line"], "a module cannot require itself"))
                broken.add(definition.slug)
    for slug in _cycles(by_slug):
        definition = by_slug[slug]
        result.errors.append(ContentError(
            f"{root.name}/{definition.folder.name}/module.yaml",
            definition.data["prerequisites_line"], "prerequisites form a cycle"))
        broken.add(slug)
    result.modules = [d for s, d in sorted(by_slug.items()) if s not in broken]
    return result


def _cycles(by_slug: dict[str, ModuleDefinition]) -> set[str]:
    """Slugs that sit on a prerequisite cycle."""
    on_cycle: set[str] = set()
    for start in by_slug:
        stack = [(start, iter(by_slug[start].data["prerequisites"]))]
        path = [start]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
            elif child == start:
                on_cycle.add(start)
                break
            elif child in by_slug and child not in path:
                stack.append((child, iter(by_slug[child].data["prerequisites"])))
                path.append(child)
    return on_cycle
