"""Loading validated modules into the database.

A module folder's ``images/`` (as the studio's zip export holds them) are stored by the
image store an area registers (``register_image_store``: the studio keeps them as its
uploaded images, on the module's draft); the module's Markdown then names them at the
address the store serves them from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import select

from lms.content.schema import (
    ContentError,
    ModuleDefinition,
    ReadResult,
    read_module,
    read_modules,
)
from lms.extensions import db
from lms.models import Module, ModuleVersion, Step, utcnow


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)
    # Changed in the studio since: left as the studio published them.
    conflicts: list[str] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)


ImageStore = Callable[[Module, ModuleDefinition], str]
"""Store a module folder's images (the module, its definition read from the folder) and
return the address they are served under (``/studio/images/<draft>/``); raise
``ValueError`` with the problem when one cannot be stored."""


def register_image_store(app: Flask, store: ImageStore) -> None:
    """Make ``store`` keep the images of the module folders this application syncs."""
    app.extensions["lms.content.image_store"] = store


class _ImageProblem(Exception):
    """An image of a module folder that an upload would refuse; stops only that module."""


def _with_images(module: Module, definition: ModuleDefinition, root: Path) -> ModuleDefinition:
    """``definition`` read again with its images stored and named where they are served."""
    store = current_app.extensions.get("lms.content.image_store")
    if store is None:
        raise _ImageProblem("images/ needs the studio to store them")
    try:
        base = store(module, definition)
    except ValueError as problem:
        raise _ImageProblem(str(problem)) from None
    served, errors = read_module(definition.folder, root, images_at=base)
    if served is None or served.content_hash != definition.content_hash:
        raise _ImageProblem("; ".join(str(e) for e in errors) or "the folder changed")
    return served


def sync_modules(root: Path, result: ReadResult | None = None, *,
                 override_studio: bool = False) -> SyncReport:
    """Load every valid module under ``root``; flush, don't commit.

    ``result`` may pass an already validated reading of ``root``.

    A module published from the studio whose folder differs from it is a conflict:
    it is reported and left as the studio published it, unless ``override_studio``
    (then the folder wins, as a new version; the studio's versions stay in history).

    A module whose folder has errors keeps its previously synced version. A
    module whose folder is gone is unpublished, never deleted, so learners'
    history stays intact.
    """
    result = result or read_modules(root)
    report = SyncReport(errors=result.errors)
    existing = {m.slug: m for m in db.session.execute(select(Module)).scalars()}
    for definition in result.modules:
        module = existing.get(definition.slug)
        if module is not None and module.content_hash == definition.content_hash \
                and module.is_published:
            report.unchanged.append(definition.slug)
            continue
        if module is not None and module.studio_published_at is not None \
                and not override_studio:
            report.conflicts.append(definition.slug)
            continue
        try:
            with db.session.begin_nested():
                created = module is None
                if created:
                    module = Module(slug=definition.slug, title=definition.data["title"],
                                    content_hash=definition.content_hash)
                    db.session.add(module)
                    db.session.flush()
                if definition.images:
                    definition = _with_images(module, definition, root)
                apply_definition(module, definition)
        except _ImageProblem as problem:
            # Left as it was (a new module is not created): the folder's images are wrong.
            report.errors.append(ContentError(f"{definition.folder.name}/images", 1,
                                              str(problem)))
            continue
        (report.created if created else report.updated).append(definition.slug)
    present = {p.name for p in root.iterdir() if (p / "module.yaml").is_file()} \
        if root.is_dir() else set()
    for slug, module in existing.items():
        if module.studio_published_at is not None:
            continue  # the studio owns it; its folder need not exist
        if slug not in present and module.is_published:
            module.is_published = False
            report.unpublished.append(slug)
    db.session.flush()
    return report


def apply_definition(module: Module, definition: ModuleDefinition, *, author_id: int | None = None,
           source: str = "files") -> None:
    """Make ``definition`` the module's current version, recording it in its history."""
    data = definition.data
    module.title = data["title"]
    module.summary = data["summary"]
    module.topics = data["topics"]
    module.estimated_minutes = data["estimated_minutes"] or 0
    module.audience = data["audience"]
    module.prerequisites = data["prerequisites"]
    module.pacing = data["pacing"]
    module.has_certificate = data["certificate"]
    module.standard = data["standard"]
    module.minimum_minutes = data.get("minimum_minutes") or 0
    module.attestation = data.get("attestation")
    module.translations = {language: translated["module"]
                           for language, translated in definition.translations.items()}
    module.content_hash = definition.content_hash
    module.is_published = True
    module.synced_at = utcnow()
    module.studio_published_at = utcnow() if source == "studio" else None
    db.session.flush()
    known_version = db.session.execute(select(ModuleVersion.id).where(
        ModuleVersion.module_id == module.id,
        ModuleVersion.content_hash == definition.content_hash)).first()
    if known_version is None:
        db.session.add(ModuleVersion(
            module_id=module.id, content_hash=definition.content_hash,
            definition={"module": data, "steps": definition.steps,
                        "translations": definition.translations},
            files=definition.files, source=source, author_id=author_id))
    steps = {s.slug: s for s in db.session.execute(
        select(Step).where(Step.module_id == module.id)).scalars()}
    wanted = set()
    for position, spec in enumerate(definition.steps):
        wanted.add(spec["slug"])
        step = steps.get(spec["slug"])
        if step is None:
            step = Step(module_id=module.id, slug=spec["slug"])
            db.session.add(step)
        step.position = position
        step.kind = spec["kind"]
        step.title = spec["title"]
        step.is_optional = spec["optional"]
        step.unlock_after_days = spec["unlock_after_days"]
        step.config = dict(spec["config"])
        translated = {language: t["steps"][spec["slug"]]
                      for language, t in definition.translations.items()}
        if translated:
            step.config["translations"] = translated
        step.is_active = True
    for slug, step in steps.items():
        if slug not in wanted:
            step.is_active = False
