"""Syncing content: versions are recorded and history is never rewritten."""

from __future__ import annotations

from sqlalchemy import select

from lms.content.markdown import render_markdown
from lms.content.sync import sync_modules
from lms.extensions import db
from lms.models import Module, ModuleCompletion, ModuleVersion, Step
from lms.services.learning import progress as learning
from tests.content_helpers import page, write_module


def test_sync_is_idempotent(app, tmp_path):
    root = tmp_path / "modules"
    write_module(root, "basics", [page("intro"), page("more")])
    first = sync_modules(root)
    second = sync_modules(root)
    assert first.created == ["basics"]
    assert second.unchanged == ["basics"]
    assert db.session.scalar(select(Module).where(Module.slug == "basics")).steps[1].slug == "more"


def test_editing_a_module_keeps_old_completions(app, tmp_path, make_user):
    root = tmp_path / "modules"
    folder = write_module(root, "basics", [page("intro")])
    sync_modules(root)
    db.session.commit()
    user = make_user()
    module = learning.published_module("basics")
    old_hash = module.content_hash
    learning.start_module(user, module)
    learning.mark_step_done(user, module.steps[0])
    assert learning.refresh_completion(user, module)
    db.session.commit()

    (folder / "intro.md").write_text("## Intro\n\nRewritten for clarity.\n")
    report = sync_modules(root)
    db.session.commit()
    assert report.updated == ["basics"]
    assert module.content_hash != old_hash
    completion = db.session.scalar(select(ModuleCompletion))
    assert completion.content_hash == old_hash
    versions = db.session.scalars(select(ModuleVersion.content_hash)).all()
    assert set(versions) == {old_hash, module.content_hash}


def test_removed_steps_and_modules_are_kept_but_hidden(app, tmp_path):
    root = tmp_path / "modules"
    write_module(root, "basics", [page("intro"), page("extra")])
    write_module(root, "gone", [page("intro")])
    sync_modules(root)
    write_module(root, "basics", [page("intro")])
    for path in (root / "gone").iterdir():
        path.unlink()
    (root / "gone").rmdir()
    report = sync_modules(root)
    db.session.commit()
    assert report.unpublished == ["gone"]
    assert learning.published_module("gone") is None
    extra = db.session.scalar(select(Step).where(Step.slug == "extra"))
    assert extra is not None and not extra.is_active
    assert [s.slug for s in learning.published_module("basics").steps] == ["intro"]


def test_markdown_is_sanitised():
    html = render_markdown("## Title\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))")
    assert "<script" not in html
    assert 'href="javascript' not in html
    assert "<h2>Title</h2>" in html
