"""Studio pages: the module list, the editor, preview, publishing, history and exchange."""

from __future__ import annotations

import re

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.content.checker import Where
from lms.content.kinds import KINDS
from lms.content.kinds.prompts import PROMPT_TYPES
from lms.content.markdown import render_markdown
from lms.extensions import db
from lms.learn.player import page_context
from lms.models import Module, ModuleDraft, Step
from lms.permissions import can_see_studio_image, login_required, roles_required
from lms.services.errors import DomainError
from lms.services.learning.progress import ModuleProgress, StepState
from lms.services.studio import drafts, exchange, images, publishing
from lms.studio import AUTHORS, bp
from lms.studio.forms import (
    AddStepForm,
    CsrfForm,
    ImageForm,
    ImportForm,
    MetadataForm,
    NewModuleForm,
    PublishForm,
    read_step,
)
from lms.urlargs import query_int
from lms.viewtools import REFUSED, is_htmx, run_service


def _draft(draft_id: int) -> ModuleDraft:
    return db.get_or_404(ModuleDraft, draft_id)


def _csrf_or_400() -> None:
    if not CsrfForm().validate_on_submit():
        abort(400)


STATUS_LABELS = {"draft": _l("Draft"), "published": _l("Published"),
                 "archived": _l("Archived")}


def _index(new_form=None, import_form=None, status: int = 200):
    return render_template(
        "studio/index.html", drafts=drafts.list_drafts(), synced=drafts.modules_outside_studio(),
        new_form=new_form or NewModuleForm(formdata=None),
        import_form=import_form or ImportForm(formdata=None), status=drafts.status,
        data_of=drafts.data_of, pending=drafts.has_unpublished_changes,
        status_labels=STATUS_LABELS), status


@bp.route("/")
@roles_required(*AUTHORS)
def index():
    return _index()


@bp.route("/new", methods=["POST"])
@roles_required(*AUTHORS)
def new_module():
    form = NewModuleForm()
    if form.validate_on_submit():
        draft = run_service(form, lambda: drafts.create_draft(
            current_user, slug=form.slug.data, title=form.title.data))
        if draft is not REFUSED:
            flash(_("Module created as a draft."), "success")
            return redirect(url_for("studio.edit", draft_id=draft.id))
    return _index(new_form=form, status=422)


@bp.route("/adopt/<int:module_id>", methods=["POST"])
@roles_required(*AUTHORS)
def adopt(module_id: int):
    module = db.get_or_404(Module, module_id)
    _csrf_or_400()
    try:
        draft = drafts.draft_for_module(module, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
        return redirect(url_for("studio.index"))
    db.session.commit()
    return redirect(url_for("studio.edit", draft_id=draft.id))


def _editor(draft: ModuleDraft, meta_form=None, publish_form=None, image_form=None,
            status: int = 200):
    data = drafts.data_of(draft)
    if meta_form is None:
        meta_form = MetadataForm(formdata=None)
        meta_form.fill(data)
    validation = drafts.validate(draft)
    for name, messages in validation.fields.items():
        if name in meta_form._fields and not meta_form[name].errors:
            meta_form[name].errors = list(messages)
    return render_template(
        "studio/edit.html", draft=draft, data=data, meta_form=meta_form,
        add_form=AddStepForm(), publish_form=publish_form or PublishForm(),
        validation=validation, kinds=KINDS, status=drafts.status(draft),
        status_labels=STATUS_LABELS,
        pending=drafts.has_unpublished_changes(draft), image_form=image_form or ImageForm(),
        images=images.images_of(draft)), status


@bp.route("/<int:draft_id>", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def edit(draft_id: int):
    draft = _draft(draft_id)
    form = MetadataForm()
    if request.method == "POST":
        if form.validate_on_submit():
            result = run_service(form, lambda: drafts.update_metadata(
                draft, current_user, form.values()))
            if result is not REFUSED:
                flash(_("Details saved to the draft."), "success")
                return redirect(url_for("studio.edit", draft_id=draft.id))
        return _editor(draft, meta_form=form, status=422)
    return _editor(draft)


@bp.route("/<int:draft_id>/steps", methods=["POST"])
@roles_required(*AUTHORS)
def add_step(draft_id: int):
    draft = _draft(draft_id)
    form = AddStepForm()
    if not form.validate_on_submit():
        return _editor(draft, status=422)
    index = drafts.add_step(draft, current_user, form.kind.data)
    db.session.commit()
    return redirect(url_for("studio.edit_step", draft_id=draft.id, index=index))


@bp.route("/<int:draft_id>/steps/<int:index>/move", methods=["POST"])
@roles_required(*AUTHORS)
def move_step(draft_id: int, index: int):
    draft = _draft(draft_id)
    _csrf_or_400()
    offset = -1 if request.form.get("direction") == "up" else 1
    moved_to = drafts.move_step(draft, current_user, index, offset)
    db.session.commit()
    data = drafts.data_of(draft)
    direction = "up" if offset < 0 else "down"
    if moved_to == 0 and direction == "up":
        direction = "down"
    elif moved_to == len(data["steps"]) - 1 and direction == "down":
        direction = "up"
    focus = f"move-{moved_to}-{direction}" if len(data["steps"]) > 1 else None
    if is_htmx():
        return render_template("studio/_steps.html", draft=draft, data=data,
                               validation=drafts.validate(draft), kinds=KINDS, focus=focus,
                               moved=_("Moved to position %(number)d.", number=moved_to + 1))
    flash(_("Moved to position %(number)d.", number=moved_to + 1), "success")
    return redirect(url_for("studio.edit", draft_id=draft.id, _anchor=focus or "steps-heading"))


@bp.route("/<int:draft_id>/steps/<int:index>/remove", methods=["POST"])
@roles_required(*AUTHORS)
def remove_step(draft_id: int, index: int):
    draft = _draft(draft_id)
    _csrf_or_400()
    drafts.remove_step(draft, current_user, index)
    db.session.commit()
    flash(_("Step removed from the draft."), "success")
    return redirect(url_for("studio.edit", draft_id=draft.id, _anchor="steps-heading"))


def _step_errors(validation, index: int, step: dict, kind) -> tuple[list[str],
                                                                    dict[str, list[str]]]:
    """The step's problems: those of one entry of a repeatable part of its kind's editor
    (a prompt, question or statement) under ``<part>-<position>`` (shown in its fieldset),
    and the rest (shown above the form)."""
    general, placed = [], {}
    for error in validation.step_errors.get(index, []):
        parts = error.where.parts
        part = kind.editor.part(parts[0][0]) if parts else None
        items = step.get(part.key) if part else None
        ids = [str(item.get("id")) for item in items if isinstance(item, dict)] \
            if isinstance(items, list) else []
        if part and str(parts[0][1]) in ids:
            inner = Where(parts=parts[1:]).within_step() + error.detail
            placed.setdefault(f"{part.name}-{ids.index(str(parts[0][1]))}", []).append(inner)
        else:
            general.append(error.where.within_step() + error.detail)
    return general, placed


@bp.route("/<int:draft_id>/steps/<int:index>", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def edit_step(draft_id: int, index: int):
    draft = _draft(draft_id)
    try:
        step = drafts.step_at(draft, index)
    except LookupError:
        abort(404)
    if step.get("kind") not in KINDS:
        abort(404)
    kind = KINDS[step["kind"]]
    markdown = dict(draft.files)
    if request.method == "POST":
        _csrf_or_400()
        step, new_markdown = read_step(kind.name, request.form)
        markdown.update(new_markdown)
        if kind.editor.rearranging(request.form):
            # Shown again unsaved, with the rows added, removed or moved.
            return render_template("studio/step.html", draft=draft, index=index, step=step,
                                   kind=kind, markdown=markdown, errors=[],
                                   placed={}, prompt_types=PROMPT_TYPES,
                                   focus=kind.editor.focus(request.form))
        drafts.replace_step(draft, current_user, index, step, new_markdown)
        db.session.commit()
        errors, placed = _step_errors(drafts.validate(draft), index, step, kind)
        if not errors and not placed:
            flash(_("Step saved to the draft."), "success")
            return redirect(url_for("studio.edit", draft_id=draft.id, _anchor=f"step-{index}"))
        flash(_("Step saved to the draft; it has problems to fix before publishing."), "warning")
        return redirect(url_for("studio.edit_step", draft_id=draft.id, index=index))
    errors, placed = _step_errors(drafts.validate(draft), index, step, kind)
    return render_template("studio/step.html", draft=draft, index=index, step=step,
                           kind=kind, markdown=markdown, errors=errors, placed=placed,
                           prompt_types=PROMPT_TYPES, focus=None)


@bp.route("/markdown-preview", methods=["POST"])
@roles_required(*AUTHORS)
def markdown_preview():
    _csrf_or_400()
    field = request.form.get("field", "body")
    text = request.form.get(field, "")[:200_000]
    template = "studio/_markdown_preview.html" if is_htmx() else "studio/markdown_preview.html"
    return render_template(template, html=render_markdown(text))


@bp.route("/<int:draft_id>/publish", methods=["POST"])
@roles_required(*AUTHORS)
def publish(draft_id: int):
    draft = _draft(draft_id)
    form = PublishForm()
    if not form.validate_on_submit():
        return _editor(draft, publish_form=form, status=422)
    result = run_service(form, lambda: publishing.publish(
        draft, current_user, confirm=bool(form.confirm.data)))
    if result is REFUSED:
        return _editor(draft, publish_form=form, status=422)
    flash(_("Published. Learners now get this version; earlier answers keep theirs."), "success")
    return redirect(url_for("studio.edit", draft_id=draft.id))


@bp.route("/<int:draft_id>/archive", methods=["POST"])
@roles_required(*AUTHORS)
def archive(draft_id: int):
    draft = _draft(draft_id)
    _csrf_or_400()
    publishing.archive(draft, current_user)
    db.session.commit()
    flash(_("Archived: the module left the catalogue; its history stays."), "success")
    return redirect(url_for("studio.index"))


# --- preview ------------------------------------------------------------------------------

def _preview_objects(draft: ModuleDraft):
    """The draft as transient Module and Step objects, never added to the session (the
    steps' negative ids name no learner's record), set as publishing would set them."""
    definition = drafts.validate(draft).definition
    if definition is None:
        return None, []
    data = definition.data
    module = Module(slug=draft.slug, title=data["title"], summary=data["summary"],
                    topics=data["topics"], estimated_minutes=data["estimated_minutes"] or 0,
                    audience=data["audience"], prerequisites=data["prerequisites"],
                    pacing=data["pacing"], has_certificate=data["certificate"],
                    standard=data["standard"], content_hash=definition.content_hash,
                    minimum_minutes=data.get("minimum_minutes") or 0,
                    attestation=data.get("attestation"),
                    translations={language: translated["module"] for language, translated
                                  in definition.translations.items()})
    steps = []
    for position, spec in enumerate(definition.steps):
        config = dict(spec["config"])
        translated = {language: t["steps"][spec["slug"]]
                      for language, t in definition.translations.items()}
        if translated:
            config["translations"] = translated
        step = Step(id=-(position + 1), slug=spec["slug"], position=position, kind=spec["kind"],
                    title=spec["title"], is_optional=spec["optional"],
                    unlock_after_days=spec["unlock_after_days"], config=config)
        step.module = module
        steps.append(step)
    return module, steps


def _inert(html: str, draft: ModuleDraft, step_slug: str) -> str:
    """The learner's page with its addresses kept in the preview: links to the module's
    steps open their preview, and every form (and autosave, and the time heartbeat)
    posts to the preview, which saves nothing."""
    learn = re.escape(url_for("learn.module", slug=draft.slug))
    answer = url_for("studio.preview_answer", draft_id=draft.id, step_slug=step_slug)

    def address(match: re.Match[str]) -> str:
        attribute, rest = match["attribute"], match["rest"] or ""
        if attribute != "href":
            return f'{attribute}="{answer}"'
        slug, _slash, tail = rest.lstrip("/").partition("?")
        slug, _hash, anchor = slug.partition("#")
        target = url_for("studio.preview", draft_id=draft.id, step_slug=slug or None)
        query = f"?{tail}" if tail else ""
        return f'href="{target}{query}{"#" + anchor if anchor else ""}"'

    return re.sub(r'(?P<attribute>action|href|data-hx-post|data-engaged-url)="' + learn
                  + r'(?P<rest>/[^"]*)?"', address, html)


@bp.route("/<int:draft_id>/preview")
@bp.route("/<int:draft_id>/preview/<step_slug>")
@roles_required(*AUTHORS)
def preview(draft_id: int, step_slug: str | None = None):
    """The learner's page of a step of the draft (the player's templates and the step
    kinds' own context), as for a learner who has not begun it."""
    draft = _draft(draft_id)
    module, steps = _preview_objects(draft)
    if module is None or not steps:
        flash(_("Fix the problems shown before previewing the draft."), "warning")
        return redirect(url_for("studio.edit", draft_id=draft.id))
    step = next((s for s in steps if s.slug == step_slug), steps[0])
    states = [StepState(step=s, number=i + 1) for i, s in enumerate(steps)]
    progress = ModuleProgress(module=module, enrollment=None, states=states)
    html = render_template("studio/preview.html", preview_of=draft, preview_steps=steps,
                           **page_context(module, step, states[steps.index(step)], progress,
                                          preview=True))
    return _inert(html, draft, step.slug)


@bp.route("/<int:draft_id>/preview/<step_slug>", methods=["POST"])
@roles_required(*AUTHORS)
def preview_answer(draft_id: int, step_slug: str):
    """Where the preview's forms post: nothing is saved, and the author is told so."""
    draft = _draft(draft_id)
    message = _("This is a preview: nothing is saved.")
    if is_htmx():
        return render_template("learn/_save_status.html", problem=message)
    flash(message, "info")
    return redirect(url_for("studio.preview", draft_id=draft.id, step_slug=step_slug))


# --- history ------------------------------------------------------------------------------

def _module_of(draft: ModuleDraft) -> Module:
    if draft.module is None:
        abort(404)
    return draft.module


@bp.route("/<int:draft_id>/history")
@roles_required(*AUTHORS)
def history(draft_id: int):
    draft = _draft(draft_id)
    rows = publishing.history(draft.module) if draft.module is not None else []
    return render_template("studio/history.html", draft=draft, rows=rows)


@bp.route("/<int:draft_id>/diff")
@roles_required(*AUTHORS)
def diff(draft_id: int):
    draft = _draft(draft_id)
    module = _module_of(draft)
    rows = publishing.history(module)
    try:
        newer = publishing.version_of(module, query_int("to") or rows[0].version.id)
        before = [r.version for r in rows if r.version.created_at <= newer.created_at
                  and r.version.id != newer.id]
        older = publishing.version_of(
            module, query_int("from") or (before[0].id if before else newer.id))
    except (LookupError, IndexError):
        abort(404)
    return render_template("studio/diff.html", draft=draft, older=older, newer=newer,
                           files=publishing.diff(older, newer))


@bp.route("/<int:draft_id>/revert/<int:version_id>", methods=["POST"])
@roles_required(*AUTHORS)
def revert(draft_id: int, version_id: int):
    draft = _draft(draft_id)
    module = _module_of(draft)
    _csrf_or_400()
    try:
        version = publishing.version_of(module, version_id)
        publishing.revert(draft, version, current_user)
    except LookupError:
        abort(404)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
        return redirect(url_for("studio.history", draft_id=draft.id))
    db.session.commit()
    flash(_("The draft now holds that version. Publish to make it current."), "success")
    return redirect(url_for("studio.edit", draft_id=draft.id))


def _take_upload(form, field: str, limit: int, missing: str, act):
    """``act(file name, bytes)`` on the file sent in ``form``'s ``field``, read up to one
    byte over ``limit`` (so the service can say it is too large) and closed after; the
    service's result, or ``REFUSED`` with the message at the field when the form is not
    valid, no file came or the service refused it."""
    if not form.validate_on_submit():
        return REFUSED
    upload = form[field].data
    data = b""
    if upload:
        try:
            data = upload.read(limit + 1)
        finally:
            upload.close()
    if not data:
        form[field].errors = [missing]
        return REFUSED
    return run_service(form, lambda: act(upload.filename or "", data), field=field)


# --- exchange -----------------------------------------------------------------------------

@bp.route("/<int:draft_id>/export")
@roles_required(*AUTHORS)
def export(draft_id: int):
    draft = _draft(draft_id)
    data = exchange.export_draft(draft)
    return Response(data, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{draft.slug}.zip"'})


@bp.route("/import", methods=["POST"])
@roles_required(*AUTHORS)
def import_module():
    form = ImportForm()
    draft = _take_upload(form, "archive", exchange.MAX_ZIP_BYTES,
                         _("Choose a zip file to import."),
                         lambda name, data: exchange.import_zip(data, current_user))
    if draft is REFUSED:
        return _index(import_form=form, status=422)
    flash(_("Imported into the draft. Check it, then publish."), "success")
    return redirect(url_for("studio.edit", draft_id=draft.id))


# --- images -------------------------------------------------------------------------------

@bp.route("/<int:draft_id>/images", methods=["POST"])
@roles_required(*AUTHORS)
def upload_image(draft_id: int):
    draft = _draft(draft_id)
    form = ImageForm()
    image = _take_upload(form, "image", images.MAX_BYTES, _("Choose an image to upload."),
                         lambda name, data: images.upload(draft, current_user, name, data))
    if image is REFUSED:
        return _editor(draft, image_form=form, status=422)
    flash(_("Image uploaded. Use it in Markdown as %(markdown)s",
            markdown=f"![description]({images.url_of(image)})"), "success")
    return redirect(url_for("studio.edit", draft_id=draft.id, _anchor="images"))


@bp.route("/images/<int:draft_id>/<filename>")
@login_required
def image(draft_id: int, filename: str):
    """An uploaded image: a published one for anyone signed in (learners read the pages it
    is on), one only a draft uses for authors and admins."""
    found = images.find(draft_id, filename)
    if found is None or not can_see_studio_image(current_user, found):
        abort(404)
    response = Response(found.data, mimetype=found.media_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Content-Disposition"] = f'inline; filename="{found.filename}"'
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
