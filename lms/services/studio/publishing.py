"""Publishing a draft as a new content version, and the versions' history.

Learners' answers and completions name the version they were made under
(``SubmissionRevision.content_hash``, ``ModuleCompletion.content_hash``); publishing
never rewrites them. A change that drops a prompt (or a challenge) somebody has
answered needs the author's confirmation: the answers stay, read with the prompts
of their own version.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from lms.content.sync import apply_definition
from lms.extensions import db
from lms.models import Module, ModuleDraft, ModuleVersion, Step, Submission, User, utcnow
from lms.services import audit
from lms.services.errors import DomainError
from lms.services.studio.drafts import replace_files, validate


class NeedsConfirmation(DomainError):
    """Publishing would leave earlier answers without their prompt in the current version."""

    def __init__(self, orphaned: list[str]):
        super().__init__(_(
            "Earlier answers were given to prompts this version removes: %(prompts)s. They "
            "stay readable with their original prompts. Tick the box to publish anyway.",
            prompts="; ".join(orphaned)), field="confirm")
        self.orphaned = orphaned


def orphaned_prompts(module: Module, steps: list[dict]) -> list[str]:
    """Prompts (``step: prompt``) that have answers now and are missing from ``steps``."""
    new = {s["slug"]: {p["id"] for p in s["config"].get("prompts", [])}
           for s in steps if s["kind"] == "challenge"}
    answered = db.session.execute(
        select(Step, func.count(Submission.id)).join(Submission, Submission.step_id == Step.id)
        .where(Step.module_id == module.id, Step.kind == "challenge")
        .group_by(Step.id)).all()
    lost = []
    for step, _count in answered:
        old_ids = [p["id"] for p in step.config.get("prompts", [])]
        if step.slug not in new:
            lost.append(_("%(title)s (the whole challenge)", title=step.title))
            continue
        lost += [f"{step.title}: {pid}" for pid in old_ids if pid not in new[step.slug]]
    return lost


def publish(draft: ModuleDraft, author: User, *, confirm: bool = False) -> ModuleVersion:
    """Validate the draft and make it the module's current version; flush.

    Raises ``DomainError`` (field ``publish``) while the draft has problems and
    ``NeedsConfirmation`` (field ``confirm``) when answered prompts would go, unless
    ``confirm``.
    """
    result = validate(draft)
    if result.definition is None:
        raise DomainError(ngettext("Fix the %(num)d problem shown before publishing.",
                                   "Fix the %(num)d problem(s) shown before publishing.",
                                   len(result.errors)), field="publish")
    definition = result.definition
    module = draft.module or db.session.scalar(select(Module).where(Module.slug == draft.slug))
    if module is not None and not confirm:
        lost = orphaned_prompts(module, definition.steps)
        if lost:
            raise NeedsConfirmation(lost)
    if module is None:
        module = Module(slug=draft.slug, content_hash=definition.content_hash)
        db.session.add(module)
    apply_definition(module, definition, author_id=author.id, source="studio")
    draft.module = module
    draft.published_hash = definition.content_hash
    draft.is_archived = False
    draft.updated_at = utcnow()
    module.synced_at = draft.updated_at
    db.session.flush()
    audit.record(author, "module.published", module, version=definition.content_hash[:12])
    return current_version(module)


def current_version(module: Module) -> ModuleVersion:
    return db.session.scalar(select(ModuleVersion).where(
        ModuleVersion.module_id == module.id, ModuleVersion.content_hash == module.content_hash))


def archive(draft: ModuleDraft, author: User) -> None:
    """Take the module out of the catalogue; its history and learners' work stay."""
    draft.is_archived = True
    if draft.module is not None:
        draft.module.is_published = False
    db.session.flush()
    audit.record(author, "module.archived", draft.module)


@dataclass
class VersionRow:
    version: ModuleVersion
    author: User | None
    is_current: bool


def history(module: Module) -> list[VersionRow]:
    """Every version of the module, newest first, with who published it (one query)."""
    rows = db.session.execute(
        select(ModuleVersion, User).outerjoin(User, User.id == ModuleVersion.author_id)
        .where(ModuleVersion.module_id == module.id)
        .order_by(ModuleVersion.created_at.desc(), ModuleVersion.id.desc())).all()
    return [VersionRow(v, u, v.content_hash == module.content_hash) for v, u in rows]


def version_of(module: Module, version_id: int) -> ModuleVersion:
    version = db.session.get(ModuleVersion, version_id)
    if version is None or version.module_id != module.id:
        raise LookupError(version_id)
    return version


@dataclass
class FileDiff:
    name: str
    lines: list[str]


def diff(older: ModuleVersion, newer: ModuleVersion) -> list[FileDiff]:
    """A unified diff of each file that differs between two versions."""
    a, b = older.files or {}, newer.files or {}
    out = []
    for name in sorted(set(a) | set(b)):
        if a.get(name) == b.get(name):
            continue
        lines = list(difflib.unified_diff(
            (a.get(name) or "").splitlines(), (b.get(name) or "").splitlines(),
            fromfile=f"{name} ({older.content_hash[:8]})",
            tofile=f"{name} ({newer.content_hash[:8]})", lineterm="", n=2))
        out.append(FileDiff(name, lines))
    return out


def revert(draft: ModuleDraft, version: ModuleVersion, author: User) -> None:
    """Put an earlier version's files into the draft (publish to make it current)."""
    if not version.files:
        raise DomainError(_("This version's files were not stored, so it cannot be restored."))
    replace_files(draft, author, version.files)
