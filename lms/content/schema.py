"""Validation of module folders: every problem with its file and line.

``read_modules(root)`` never touches the database. It returns the modules
that are valid and the errors of those that are not; ``flask modules
validate`` prints the errors, ``flask modules sync`` loads the valid ones.
What each step kind and prompt type accepts is in ``lms.content.kinds``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lms.content.checker import DEFAULT_LIKERT as DEFAULT_LIKERT
from lms.content.checker import ITEM_ID as ITEM_ID
from lms.content.checker import PROMPT_ID as PROMPT_ID
from lms.content.checker import SLUG, ContentError
from lms.content.checker import Checker as _Checker
from lms.content.kinds import KINDS
from lms.content.kinds.prompts import COLUMN_TYPES as COLUMN_TYPES
from lms.content.kinds.prompts import PROMPT_KEYS as PROMPT_KEYS
from lms.content.kinds.prompts import PROMPT_TYPES as PROMPT_TYPE_REGISTRY
from lms.content.kinds.prompts import check_prompt
from lms.content.yamlio import LineDict, LineList, load_yaml, plain

PROMPT_TYPES = tuple(PROMPT_TYPE_REGISTRY)
STEP_KINDS = tuple(KINDS)
MODULE_KEYS = {"slug", "title", "summary", "topics", "estimated_minutes", "audience",
               "prerequisites", "pacing", "certificate", "standard", "steps",
               "minimum_minutes", "attestation"}
MAX_MINIMUM_MINUTES = 24 * 60
COMMON_STEP_KEYS = {"slug", "kind", "title", "optional", "unlock_after_days"}


@dataclass
class ModuleDefinition:
    """A valid module, ready to sync: plain data with Markdown rendered to HTML."""

    slug: str
    data: dict[str, Any]
    steps: list[dict[str, Any]]
    content_hash: str
    folder: Path
    # The folder's files as read (module.yaml and the Markdown it names), for history,
    # the studio and export.
    files: dict[str, str] = field(default_factory=dict)


@dataclass
class ReadResult:
    modules: list[ModuleDefinition] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)


@dataclass(frozen=True)
class StepSchema:
    """How one step kind is written in module.yaml: its own keys and their checks, which
    return the step's stored ``config``."""

    keys: frozenset[str]
    check: Callable[[_Checker, LineDict, str], dict[str, Any]]


# A view of the registry, in its order.
STEP_SCHEMAS: dict[str, StepSchema] = {
    name: StepSchema(kind.keys, kind.check) for name, kind in KINDS.items()}
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


def read_module(folder: Path, root: Path) -> tuple[ModuleDefinition | None, list[ContentError]]:
    """Validate one module folder; return its definition when it has no errors."""
    yaml_path = folder / "module.yaml"
    display = str(yaml_path.relative_to(root.parent)) if root.parent in yaml_path.parents \
        else str(yaml_path)
    c = _Checker(folder, display)
    if not yaml_path.is_file():
        c.error(1, "module.yaml is missing")
        return None, c.errors
    raw = yaml_path.read_bytes()
    try:
        data = load_yaml(raw.decode("utf-8"))
    except UnicodeDecodeError:
        c.error(1, "module.yaml is not UTF-8 text")
        return None, c.errors
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(error, "problem", None) or str(error)
        c.error(line, f"bad YAML: {problem}")
        return None, c.errors
    if not isinstance(data, LineDict):
        c.error(1, "module.yaml must be a mapping of fields")
        return None, c.errors
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
        "minimum_minutes": c.integer(data, "minimum_minutes", default=0),
        "attestation": c.text(data, "attestation", max_len=1000),
        "prerequisites_line": data.line_of("prerequisites"),
    }
    if (module["minimum_minutes"] or 0) > MAX_MINIMUM_MINUTES:
        c.error(data.line_of("minimum_minutes"),
                f"'minimum_minutes' must be at most {MAX_MINIMUM_MINUTES} (one day)")
    steps = []
    seen: set[str] = set()
    for index, s in enumerate(c.mapping_list(data, "steps")):
        step = _check_step(c, s, index, pacing)
        if step["slug"] in seen:
            c.error(s.line_of("slug"), f"duplicate step slug '{step['slug']}'")
        seen.add(step["slug"])
        steps.append(step)
    if c.errors:
        return None, c.errors
    digest = hashlib.sha256(raw)
    for name in sorted(c.files):
        digest.update(b"\0" + name.encode() + b"\0" + c.files[name])
    files = {"module.yaml": raw.decode("utf-8")}
    files.update((name, c.files[name].decode("utf-8")) for name in sorted(c.files))
    return ModuleDefinition(slug=slug, data=plain(module), steps=plain(steps),
                            content_hash=digest.hexdigest(), folder=folder, files=files), []


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


def read_prompts(text: str, display: str = "questions") -> tuple[list[dict[str, Any]],
                                                                 list[ContentError]]:
    """Prompts written in YAML outside a module (a list in the format of a challenge's
    ``prompts``), checked by the same rules: ``(prompts, errors)``; prompts are only
    meaningful when ``errors`` is empty."""
    checker = _Checker(Path("."), display)
    try:
        data = load_yaml(text or "")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        checker.error(mark.line + 1 if mark else 1, "this is not valid YAML")
        return [], checker.errors
    if not isinstance(data, list) or not data:
        checker.error(1, "write a list of questions, each starting with '- id:'")
        return [], checker.errors
    prompts = []
    seen: set[str] = set()
    for index, p in enumerate(data):
        if not isinstance(p, LineDict):
            line = data.line_of(index) if isinstance(data, LineList) else 1
            checker.error(line, "each question must be a mapping ('id:', 'type:', 'label:' …)")
            continue
        prompt_id = checker.unique_id(p, seen, PROMPT_ID,
                                      invalid="question 'id' must be snake_case text",
                                      duplicate=f"duplicate question id '{p.get('id')}'")
        prompts.append(plain(check_prompt(checker, p, f"question '{prompt_id}': ")))
    return prompts, checker.errors
