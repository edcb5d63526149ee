"""Validation of module folders: every problem with its file and line.

``read_modules(root)`` never touches the database. It returns the modules
that are valid and the errors of those that are not; ``flask modules
validate`` prints the errors, ``flask modules sync`` loads the valid ones.
What each step kind and prompt type accepts is in ``lms.content.kinds``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from flask_babel import gettext as _

from lms.content.checker import DEFAULT_LIKERT as DEFAULT_LIKERT
from lms.content.checker import ITEM_ID as ITEM_ID
from lms.content.checker import PROMPT_ID as PROMPT_ID
from lms.content.checker import SLUG, ContentError, Where
from lms.content.checker import Checker as _Checker
from lms.content.kinds import KINDS
from lms.content.kinds.prompts import COLUMN_TYPES as COLUMN_TYPES
from lms.content.kinds.prompts import PROMPT_KEYS as PROMPT_KEYS
from lms.content.kinds.prompts import PROMPT_TYPES as PROMPT_TYPE_REGISTRY
from lms.content.kinds.prompts import check_prompt
from lms.content.markdown import IMAGE_FOLDER, IMAGE_NAME, serve_images
from lms.content.yamlio import LineDict, LineList, load_yaml, plain

PROMPT_TYPES = tuple(PROMPT_TYPE_REGISTRY)
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
    # {language: {"module": {title, summary, ...}, "steps": {slug: {title, config}}}}
    translations: dict[str, Any] = field(default_factory=dict)
    # The images in its ``images/`` folder, by file name.
    images: dict[str, bytes] = field(default_factory=dict)


@dataclass
class ReadResult:
    modules: list[ModuleDefinition] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)


def _check_step(c: _Checker, s: LineDict, index: int, pacing: str) -> dict[str, Any]:
    slug = s.get("slug")
    where = Where(index, slug)
    kind = s.get("kind")
    if "kind" not in s:
        c.error(s.line, _("missing required field '%(key)s'", key="kind"), where)
    elif kind not in KINDS:
        c.error(s.line_of("kind"), _("unknown step kind '%(kind)s' (use one of %(kinds)s)",
                                     kind=kind, kinds=", ".join(KINDS)), where)
        kind = None
    if not isinstance(slug, str) or not SLUG.match(slug):
        c.error(s.line_of("slug"), _("'slug' must be lowercase words joined by hyphens"), where)
    if kind:
        c.unknown_keys(s, COMMON_STEP_KEYS | KINDS[kind].keys, where)
    step: dict[str, Any] = {
        "slug": slug, "kind": kind,
        "title": c.text(s, "title", required=True, where=where, max_len=300),
        "optional": c.boolean(s, "optional", default=False, where=where),
        "unlock_after_days": c.integer(s, "unlock_after_days", default=0, where=where) or 0,
        "line": s.line,
    }
    if step["unlock_after_days"] and pacing != "spaced":
        c.error(s.line_of("unlock_after_days"),
                _("unlock_after_days needs 'pacing: spaced' on the module"), where)
    step["config"] = KINDS[kind].check(c, s, where) if kind else {}
    return step


def _display(path: Path, root: Path) -> str:
    return str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)


def _read_definition(folder: Path, yaml_path: Path, root: Path, images_at: str | None = None):
    """Check one module.yaml (the original or a translation): ``(module, steps, raw, checker)``,
    module None when the file cannot be read at all."""
    c = _Checker(folder, _display(yaml_path, root), images_at)
    if not yaml_path.is_file():
        c.error(1, _("%(name)s is missing", name=yaml_path.name))
        return None, [], b"", c
    raw = yaml_path.read_bytes()
    try:
        data = load_yaml(raw.decode("utf-8"))
    except UnicodeDecodeError:
        c.error(1, _("%(name)s is not UTF-8 text", name=yaml_path.name))
        return None, [], raw, c
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(error, "problem", None) or str(error)
        c.error(line, _("bad YAML: %(problem)s", problem=problem))
        return None, [], raw, c
    if not isinstance(data, LineDict):
        c.error(1, _("%(name)s must be a mapping of fields", name=yaml_path.name))
        return None, [], raw, c
    c.unknown_keys(data, MODULE_KEYS, Where())
    slug = c.text(data, "slug", required=True, max_len=100)
    if slug and not SLUG.match(slug):
        c.error(data.line_of("slug"), _("'slug' must be lowercase words joined by hyphens"))
    elif slug and slug != folder.name:
        c.error(data.line_of("slug"), _("slug '%(slug)s' must match the folder name '%(folder)s'",
                                        slug=slug, folder=folder.name))
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
                _("'minimum_minutes' must be at most %(limit)s (one day)",
                  limit=MAX_MINIMUM_MINUTES))
    steps = []
    seen: set[str] = set()
    for index, s in enumerate(c.mapping_list(data, "steps")):
        step = _check_step(c, s, index, pacing)
        if step["slug"] in seen:
            c.error(s.line_of("slug"), _("duplicate step slug '%(slug)s'", slug=step["slug"]))
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
                       digest, images_at: str | None = None
                       ) -> tuple[dict[str, Any], list[ContentError]]:
    """Every module.<language>.yaml beside module.yaml, checked on its own and against the
    original: same steps in the same order, same kinds, same prompts, questions and items."""
    translations: dict[str, Any] = {}
    errors: list[ContentError] = []
    for path in sorted(folder.iterdir()):
        found = TRANSLATION_FILE.match(path.name)
        if not found:
            continue
        language = found.group(1)
        module, translated_steps, raw, c = _read_definition(folder, path, root, images_at)
        if module is not None:
            if len(translated_steps) != len(steps):
                c.error(1, _("the translation has %(found)s steps; module.yaml has %(expected)s",
                             found=len(translated_steps), expected=len(steps)))
            for original, translated in zip(steps, translated_steps, strict=False):
                if _shape(original) != _shape(translated):
                    c.error(translated["line"],
                            _("step '%(slug)s' must have the same slug, kind, prompts, options, "
                              "questions and items as step '%(original)s' in module.yaml",
                              slug=translated["slug"], original=original["slug"]))
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


def _read_images(folder: Path, c: _Checker) -> dict[str, bytes]:
    """The images in the folder's ``images/`` (the studio's export puts them there)."""
    found: dict[str, bytes] = {}
    images = folder / IMAGE_FOLDER
    if not images.is_dir():
        return found
    for path in sorted(images.iterdir()):
        if path.name.startswith("."):
            continue
        if not path.is_file() or not IMAGE_NAME.match(path.name):
            c.error(1, _("%(path)s: an image's name is lowercase letters, digits and hyphens "
                         "ending in .png, .jpg, .jpeg, .gif or .webp",
                         path=f"{IMAGE_FOLDER}/{path.name}"))
            continue
        found[path.name] = path.read_bytes()
    return found


def read_module(folder: Path, root: Path, images_at: str | None = None
                ) -> tuple[ModuleDefinition | None, list[ContentError]]:
    """Validate one module folder (and its translations); return its definition when it has
    no errors. ``images_at``: where the folder's images are served once stored
    (``/studio/images/<draft>/``); its Markdown is then rendered, and its files kept,
    naming them there."""
    module, steps, raw, c = _read_definition(folder, folder / "module.yaml", root, images_at)
    images = _read_images(folder, c)
    if module is None or c.errors:
        return None, c.errors
    digest = hashlib.sha256(raw)
    for name in sorted(c.files):
        digest.update(b"\0" + name.encode() + b"\0" + c.files[name])
    for name in sorted(images):  # an image changed is a new version
        digest.update(b"\0" + f"{IMAGE_FOLDER}/{name}".encode() + b"\0" + images[name])
    translations, errors = _read_translations(folder, root, steps, digest, images_at)
    if errors:
        return None, errors
    files = {"module.yaml": raw.decode("utf-8")}
    files.update((name, c.files[name].decode("utf-8")) for name in sorted(c.files))
    if images_at:
        files = {name: serve_images(text, images_at) if name.endswith(".md") else text
                 for name, text in files.items()}
    return ModuleDefinition(slug=module["slug"], data=plain(module), steps=plain(steps),
                            content_hash=digest.hexdigest(), folder=folder, files=files,
                            translations=plain(translations), images=images), []


def read_modules(root: Path) -> ReadResult:
    """Validate every module folder under ``root``, then the links between modules."""
    result = ReadResult()
    if not root.is_dir():
        result.errors.append(ContentError(str(root), 1, _("modules folder not found")))
        return result
    by_slug: dict[str, ModuleDefinition] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        definition, errors = read_module(folder, root)
        result.errors.extend(errors)
        if definition is None:
            continue
        if definition.slug in by_slug:
            result.errors.append(ContentError(
                f"{folder.name}/module.yaml", 1,
                _("duplicate slug '%(slug)s'", slug=definition.slug)))
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
                    _("prerequisite '%(slug)s' is not a module", slug=prerequisite)))
                broken.add(definition.slug)
            elif prerequisite == definition.slug:
                result.errors.append(ContentError(
                    f"{root.name}/{definition.folder.name}/module.yaml",
                    definition.data["prerequisites_line"], _("a module cannot require itself")))
                broken.add(definition.slug)
    for slug in _cycles(by_slug):
        definition = by_slug[slug]
        result.errors.append(ContentError(
            f"{root.name}/{definition.folder.name}/module.yaml",
            definition.data["prerequisites_line"], _("prerequisites form a cycle")))
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
        checker.error(mark.line + 1 if mark else 1, _("this is not valid YAML"))
        return [], checker.errors
    if not isinstance(data, list) or not data:
        checker.error(1, _("write a list of questions, each starting with '- id:'"))
        return [], checker.errors
    prompts = []
    seen: set[str] = set()
    for index, p in enumerate(data):
        if not isinstance(p, LineDict):
            line = data.line_of(index) if isinstance(data, LineList) else 1
            checker.error(line, _("each question must be a mapping ('id:', 'type:', 'label:' …)"))
            continue
        prompt_id = checker.unique_id(p, seen, PROMPT_ID,
                                      invalid=_("question 'id' must be snake_case text"),
                                      duplicate=_("duplicate question id '%(id)s'",
                                                  id=p.get("id")))
        prompts.append(plain(check_prompt(checker, p, Where().part("question", prompt_id))))
    return prompts, checker.errors
