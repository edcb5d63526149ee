"""Drafts: a module's folder (``module.yaml`` and Markdown) as the studio edits it.

A draft's ``files`` are exactly what an export holds. Edits parse ``module.yaml``,
change its data and write it back; the validator of ``flask modules validate``
(``lms.content.schema.read_module``) reads the files from a scratch folder, so the
studio, the command line and publishing agree on what is valid.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.content.checker import SLUG, ContentError
from lms.content.kinds import KINDS
from lms.content.schema import MODULE_KEYS, ModuleDefinition, read_module
from lms.extensions import db
from lms.models import Module, ModuleDraft, ModuleVersion, User, utcnow
from lms.services.errors import DomainError

QUOTED = re.compile(r"'([a-z_]+)'")


def markdown_keys() -> frozenset[str]:
    """The step keys that name a Markdown file of the folder, as the kinds' editors say."""
    return frozenset(key for kind in KINDS.values() for key in kind.editor.markdown_keys)


@dataclass
class Validation:
    """The validator's verdict on a draft: the definition when valid, else its problems,
    placed at a module field (``fields``), a step (``steps``, by index) or the module."""

    definition: ModuleDefinition | None
    errors: list[ContentError]
    fields: dict[str, list[str]] = field(default_factory=dict)
    steps: dict[int, list[str]] = field(default_factory=dict)
    # The same problems of each step, with where in the step each one is.
    step_errors: dict[int, list[ContentError]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)


def status(draft: ModuleDraft) -> str:
    """``draft`` (never published), ``published`` or ``archived``."""
    if draft.is_archived:
        return "archived"
    return "published" if draft.module_id is not None else "draft"


def has_unpublished_changes(draft: ModuleDraft) -> bool:
    """True when the draft was edited after its module was last published or synced."""
    return draft.module is None or draft.updated_at > draft.module.synced_at


def list_drafts() -> list[ModuleDraft]:
    """Every draft with its module and last editor (a fixed number of queries)."""
    return list(db.session.execute(
        select(ModuleDraft).options(selectinload(ModuleDraft.module),
                                    selectinload(ModuleDraft.updated_by))
        .order_by(ModuleDraft.is_archived, ModuleDraft.slug)).scalars())


def modules_outside_studio() -> list[Module]:
    """Modules loaded from the folders that have no studio draft yet (one query)."""
    return list(db.session.execute(
        select(Module).where(~select(ModuleDraft.id).where(
            ModuleDraft.module_id == Module.id).exists()).order_by(Module.title)).scalars())


def dump_yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88)


def data_of(draft: ModuleDraft) -> dict[str, Any]:
    """``module.yaml`` of the draft as data (a mapping with a list of steps)."""
    try:
        data = yaml.safe_load(draft.files.get("module.yaml", "")) or {}
    except yaml.YAMLError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    if not isinstance(data.get("steps"), list):
        data["steps"] = []
    return data


def _touch(draft: ModuleDraft, author: User) -> None:
    draft.updated_by_id = author.id
    draft.updated_at = utcnow()


def save_data(draft: ModuleDraft, data: dict[str, Any], author: User,
              markdown: dict[str, str] | None = None) -> None:
    """Write ``data`` back as ``module.yaml`` (and any Markdown files given); flush."""
    files = dict(draft.files)
    files["module.yaml"] = dump_yaml(data)
    for name, text in (markdown or {}).items():
        files[name] = text.replace("\r\n", "\n")
    keys = markdown_keys()
    referenced = {"module.yaml"} | {
        s.get(key) for s in data.get("steps", []) if isinstance(s, dict) for key in keys}
    draft.files = {name: text for name, text in sorted(files.items()) if name in referenced}
    _touch(draft, author)
    db.session.flush()


def create_draft(author: User, *, slug: str, title: str) -> ModuleDraft:
    """A new module's draft with its title and no steps yet. Raises ``DomainError`` at
    ``slug`` when it is not lowercase words joined by hyphens or is taken."""
    slug = (slug or "").strip()
    if not SLUG.match(slug) or len(slug) > 100:
        raise DomainError(_("Use lowercase letters, digits and hyphens, like 'bias-basics'."),
                          field="slug")
    taken = db.session.scalar(select(ModuleDraft.id).where(ModuleDraft.slug == slug)) or \
        db.session.scalar(select(Module.id).where(Module.slug == slug))
    if taken:
        raise DomainError(_("A module with this short name exists already."), field="slug")
    draft = ModuleDraft(slug=slug, files={}, created_by_id=author.id)
    db.session.add(draft)
    save_data(draft, {"slug": slug, "title": title.strip(), "steps": []}, author)
    return draft


def draft_for_module(module: Module, author: User, files: dict[str, str] | None = None
                     ) -> ModuleDraft:
    """The studio draft of a module, made from its current version's files (or ``files``)
    the first time. Raises ``DomainError`` when neither is at hand."""
    draft = db.session.scalar(select(ModuleDraft).where(ModuleDraft.module_id == module.id))
    if draft is not None:
        return draft
    if files is None:
        version = db.session.scalar(select(ModuleVersion).where(
            ModuleVersion.module_id == module.id,
            ModuleVersion.content_hash == module.content_hash))
        if version is None or not version.files:
            raise DomainError(_("This module's files are not stored; run flask modules sync "
                                "or import its zip."))
        files = dict(version.files)
    draft = ModuleDraft(slug=module.slug, module_id=module.id, files=files,
                        published_hash=module.content_hash, created_by_id=author.id,
                        updated_by_id=author.id)
    db.session.add(draft)
    db.session.flush()
    return draft


# --- editing -----------------------------------------------------------------------------

def update_metadata(draft: ModuleDraft, author: User, values: dict[str, Any]) -> None:
    """Set the module's own fields (title, summary, topics …); empty optional ones are left
    out of module.yaml."""
    data = data_of(draft)
    for key, value in values.items():
        if key not in MODULE_KEYS or key in ("slug", "steps"):
            continue
        if value in (None, "", [], False) and key not in ("title",):
            data.pop(key, None)
        else:
            data[key] = value
    data["slug"] = draft.slug
    data["steps"] = data.pop("steps", [])  # keep the steps last
    save_data(draft, data, author)


def add_step(draft: ModuleDraft, author: User, kind: str) -> int:
    """Append a new step of ``kind`` with a fresh slug; returns its index."""
    if kind not in KINDS:
        raise DomainError(_("Choose a kind of step."), field="kind")
    data = data_of(draft)
    slugs = {s.get("slug") for s in data["steps"] if isinstance(s, dict)}
    number = len(data["steps"]) + 1
    while f"{kind}-{number}" in slugs:
        number += 1
    slug = f"{kind}-{number}"
    # In the author's language: the title is theirs to change, and read first by them.
    title = _("New %(kind)s", kind=str(KINDS[kind].label).lower())
    step: dict[str, Any] = {"slug": slug, "kind": kind, "title": title}
    fields, markdown = KINDS[kind].editor.new_step(slug)
    step.update(fields)
    data["steps"].append(step)
    save_data(draft, data, author, markdown)
    return len(data["steps"]) - 1


def step_at(draft: ModuleDraft, index: int) -> dict[str, Any]:
    steps = data_of(draft)["steps"]
    if not 0 <= index < len(steps) or not isinstance(steps[index], dict):
        raise LookupError(index)
    return steps[index]


def move_step(draft: ModuleDraft, author: User, index: int, offset: int) -> int:
    """Move a step up (-1) or down (+1); returns where it is now."""
    data = data_of(draft)
    steps = data["steps"]
    target = index + offset
    if not 0 <= index < len(steps) or not 0 <= target < len(steps):
        return index
    steps[index], steps[target] = steps[target], steps[index]
    save_data(draft, data, author)
    return target


def remove_step(draft: ModuleDraft, author: User, index: int) -> None:
    data = data_of(draft)
    if 0 <= index < len(data["steps"]):
        data["steps"].pop(index)
        save_data(draft, data, author)


def replace_step(draft: ModuleDraft, author: User, index: int, step: dict[str, Any],
                 markdown: dict[str, str]) -> None:
    """Put the edited ``step`` (its Markdown files in ``markdown``) at ``index``."""
    data = data_of(draft)
    if not 0 <= index < len(data["steps"]):
        raise LookupError(index)
    data["steps"][index] = step
    save_data(draft, data, author, markdown)


def replace_files(draft: ModuleDraft, author: User, files: dict[str, str]) -> None:
    """Make ``files`` the draft's folder (an import, a revert)."""
    draft.files = dict(sorted(files.items()))
    _touch(draft, author)
    db.session.flush()


# --- validating ---------------------------------------------------------------------------

def validate(draft: ModuleDraft, files: dict[str, str] | None = None) -> Validation:
    """Read the draft's files with the validator of ``flask modules validate``."""
    files = draft.files if files is None else files
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "modules"
        folder = root / draft.slug
        folder.mkdir(parents=True)
        for name, text in files.items():
            (folder / name).write_bytes(text.encode("utf-8"))
        definition, errors = read_module(folder, root)
    result = Validation(definition, errors)
    for error in errors:
        message = error.message
        if error.where.step is not None:
            result.steps.setdefault(error.where.step, []).append(
                error.where.within_step() + error.detail)
            result.step_errors.setdefault(error.where.step, []).append(error)
            continue
        quoted = QUOTED.search(message)
        if quoted and quoted[1] in MODULE_KEYS:
            result.fields.setdefault(quoted[1], []).append(message)
        else:
            result.general.append(message)
    return result
