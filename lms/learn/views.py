"""The learner's side: catalogue, module page, step player, challenges, checks, surveys."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.content.kinds import KINDS
from lms.content.kinds.challenge import player_context
from lms.extensions import db
from lms.i18n import in_language
from lms.learn import bp
from lms.learn.challenge_form import cell_name, read_answers, validate_answers
from lms.learn.forms import AttestForm, ChallengeMetaForm, SubmitChallengeForm
from lms.learn.player import page_context, visit
from lms.models import Enrollment, Module, Step
from lms.permissions import login_required
from lms.services.errors import DomainError
from lms.services.learning import challenges, coauthoring, evidence, step_kinds
from lms.services.learning import progress as learning
from lms.viewtools import is_htmx

LENGTH_FILTERS = {"short": (0, 30), "medium": (31, 90), "long": (91, 100000)}


def _load(slug: str, step_slug: str | None = None
          ) -> tuple[Module, Step | None, Enrollment | None]:
    """The module (404 unless published), its step at ``step_slug`` (404 if none) and the
    learner's enrollment in it, in one query."""
    module, enrollment = learning.learners_module(current_user.id, slug)
    if module is None:
        abort(404)
    if step_slug is None:
        return module, None, enrollment
    step = next((s for s in module.steps if s.slug == step_slug), None)
    if step is None:
        abort(404)
    return module, step, enrollment


def _open_state(module: Module, step: Step, enrollment: Enrollment | None):
    """Progress and the step's state; a locked step gets a 403 page that says why."""
    progress = learning.module_progress(current_user, module, enrollment)
    state = progress.state_for(step.id)
    if state is None:
        abort(404)
    if state.locked:
        response = render_template("learn/locked.html", module=in_language(module),
                                   state=state, progress=progress)
        abort(current_app.make_response((response, 403)))
    return progress, state


def _open_step_of_kind(slug: str, step_slug: str, *kinds: str
                       ) -> tuple[Module, Step, Enrollment | None]:
    """Load an open step for a POST: 404 if unknown, 403 if locked, 400 for the wrong kind.
    Only the step's lock is worked out (the locked page shows the whole progress).
    Returns the module, the step and the learner's enrollment."""
    module, step, enrollment = _load(slug, step_slug)
    if learning.step_lock(current_user, module, step, enrollment).locked:
        _open_state(module, step, enrollment)
    if step.kind not in kinds:
        abort(400)
    return module, step, enrollment


@bp.route("/")
@login_required
def catalogue():
    q = request.args.get("q", "").strip()[:100]
    topic = request.args.get("topic", "")
    length = request.args.get("length", "")
    status = request.args.get("status", "")
    modules = db.session.execute(
        select(Module).where(Module.is_published).order_by(Module.title)).scalars().all()
    enrollments = {e.module_id: e for e in db.session.execute(
        select(Enrollment).where(Enrollment.user_id == current_user.id)).scalars()}
    topics = sorted({t for m in modules for t in m.topics})
    shown = []
    for module in modules:
        enrollment = enrollments.get(module.id)
        module_status = ("completed" if enrollment and enrollment.is_complete
                         else "in_progress" if enrollment else "not_started")
        text = f"{module.title} {module.summary} {' '.join(module.topics)}".lower()
        if q and q.lower() not in text:
            continue
        if topic and topic not in module.topics:
            continue
        if length in LENGTH_FILTERS:
            low, high = LENGTH_FILTERS[length]
            if not low <= module.estimated_minutes <= high:
                continue
        if status and status != module_status:
            continue
        shown.append((module, module_status))
    return render_template("learn/catalogue.html", modules=shown, topics=topics, q=q,
                           topic=topic, length=length, status=status, total=len(modules))


@bp.route("/<slug>")
@login_required
def module(slug: str):
    module, _step, enrollment = _load(slug)
    progress = learning.module_progress(current_user, module, enrollment)
    if progress.enrollment is not None and learning.refresh_completion(
            current_user, module, progress):
        db.session.commit()  # a live or plan step finished elsewhere completed it
    last = None
    if progress.enrollment and progress.enrollment.last_step_id:
        last = progress.state_for(progress.enrollment.last_step_id)
    return render_template("learn/module.html", module=in_language(module), progress=progress,
                           last=last, requirements=evidence.requirements(current_user, module),
                           attest_form=AttestForm())


@bp.route("/<slug>/start", methods=["POST"])
@login_required
def start(slug: str):
    module, _step, enrollment = _load(slug)
    progress = learning.module_progress(current_user, module, enrollment)
    if progress.missing_prerequisites:
        flash(progress.states[0].lock_reason if progress.states else _("Locked."), "warning")
        return redirect(url_for("learn.module", slug=slug))
    learning.start_module(current_user, module)
    db.session.commit()
    progress = learning.module_progress(current_user, module)
    target = progress.next_state or (progress.states[0] if progress.states else None)
    if target is None:
        return redirect(url_for("learn.module", slug=slug))
    return redirect(url_for("learn.step", slug=slug, step_slug=target.step.slug))


@bp.route("/<slug>/<step_slug>")
@login_required
def step(slug: str, step_slug: str):
    module, step, enrollment = _load(slug, step_slug)
    progress, state = _open_state(module, step, enrollment)
    wrote = learning.touch(current_user, module, step, progress.enrollment)
    if module.minimum_minutes:  # only a module that counts time writes on every read
        evidence.credit_time(current_user, step, heartbeat=False)
        wrote = True
    page = render_template("learn/step.html", **page_context(module, step, state, progress))
    if wrote:
        # After rendering: the commit expires every loaded object, which the page would
        # load again. A failed commit raises, so the page is never sent without it.
        db.session.commit()
    return page


def _neighbours(progress, step):
    states = progress.states
    index = next(i for i, s in enumerate(states) if s.step.id == step.id)
    previous = states[index - 1] if index > 0 else None
    following = states[index + 1] if index + 1 < len(states) else None
    return previous, following


def _after_step(module: Module, step: Step):
    """Where to go once a step is done: the next step, or the module page at the end."""
    progress = learning.module_progress(current_user, module)
    completed = learning.refresh_completion(current_user, module, progress)
    db.session.commit()
    if completed:
        flash(_("You completed %(title)s. Well done.", title=module.title), "success")
        return redirect(url_for("learn.module", slug=module.slug))
    _previous, following = _neighbours(progress, step)
    if following is not None and not following.locked:
        return redirect(url_for("learn.step", slug=module.slug, step_slug=following.step.slug))
    return redirect(url_for("learn.module", slug=module.slug))


@bp.route("/<slug>/<step_slug>/complete", methods=["POST"])
@login_required
def complete_step(slug: str, step_slug: str):
    module, step, _enrollment = _open_step_of_kind(slug, step_slug,
                                                   *step_kinds.marked_done_kinds())
    learning.mark_step_done(current_user, step)
    return _after_step(module, step)


# --- challenges -----------------------------------------------------------------------

def _parts(step: Step) -> int:
    return len(step.config["prompts"])


def _challenge_context(step: Step, part: int | None, answers=None, errors=None,
                       meta_form=None) -> dict:
    return player_context(visit(step), part, answers=answers, errors=errors,
                          meta_form=meta_form)


def _render_step(module, step, status: int = 200, **context):
    """The step page again (after a refused POST), with what the learner sent."""
    progress = learning.module_progress(current_user, module)
    state = progress.state_for(step.id)
    return render_template("learn/step.html",
                           **page_context(module, step, state, progress, **context)), status


@bp.route("/<slug>/<step_slug>/draft", methods=["POST"])
@login_required
def save_draft(slug: str, step_slug: str):
    module, step, enrollment = _open_step_of_kind(slug, step_slug, "challenge")
    meta = ChallengeMetaForm()
    if not meta.validate_on_submit():
        abort(400)
    prompts = step.config["prompts"]
    answers = read_answers(prompts, request.form)
    _apply_row_buttons(prompts, answers)
    part = meta.part.data or 1
    errors = validate_answers(prompts, answers, final=False,
                              max_chars=current_app.config["LMS_MAX_ANSWER_CHARS"])
    htmx = is_htmx()
    if errors:
        if htmx:
            return render_template("learn/_save_status.html", problem=(
                _("Not saved:") + " " + " ".join(m for ms in errors.values() for m in ms))), 200
        db.session.rollback()
        return _render_step(module, step, 422, **_challenge_context(
            step, part, answers=_merged(step, answers), errors=errors, meta_form=None))
    try:
        submission = challenges.save_draft(current_user, step, answers, meta.draft_version.data)
    except challenges.StaleDraft as stale:
        db.session.rollback()
        if htmx:
            return render_template("learn/_save_status.html", problem=stale.message,
                                   stale=True), 200
        context = _challenge_context(step, part, answers=_merged(step, answers))
        context["stale_message"] = stale.message
        return _render_step(module, step, 409, **context)
    except DomainError as error:
        db.session.rollback()
        if htmx:
            return render_template("learn/_save_status.html", problem=error.message), 200
        flash(error.message, "warning")
        return redirect(url_for("learn.step", slug=slug, step_slug=step_slug))
    learning.touch(current_user, module, step, enrollment)
    if htmx:
        # Rendered before the commit, from what the save stored: the commit expires every
        # loaded object (the person too), and the page would load them again. A failed
        # commit raises, so "Draft saved" is never sent for a draft that was not.
        saved = render_template("learn/_save_status.html", submission=submission)
        db.session.commit()
        return saved
    db.session.commit()
    target = {"next": part + 1, "back": part - 1}.get(meta.go.data or request.form.get("go"),
                                                       part)
    flash(_("Draft saved."), "success")
    return redirect(url_for("learn.step", slug=slug, step_slug=step_slug,
                            part=max(1, min(target, _parts(step) + 1)),
                            _anchor=_row_button_anchor(prompts, answers)))


def _merged(step: Step, answers: dict) -> dict:
    submission = challenges.submission_for(current_user, step)
    return {**(submission.answers if submission else {}), **answers}


def _apply_row_buttons(prompts, answers: dict) -> None:
    """'Add a row' and 'Remove row' are plain submit buttons, so they work without JS."""
    add = request.form.get("add_row")
    remove = request.form.get("remove_row")
    for prompt in prompts:
        if prompt["type"] != "rows":
            continue
        rows = answers.setdefault(prompt["id"], []) if (add == prompt["id"] or (
            remove and remove.startswith(prompt["id"] + ":"))) else answers.get(prompt["id"])
        if add == prompt["id"] and len(rows) < prompt.get("max_rows", 20):
            rows.append({c["id"]: "" for c in prompt["columns"]})
        if remove and remove.startswith(prompt["id"] + ":"):
            index = remove.partition(":")[2]
            if index.isdigit() and int(index) < len(rows):
                rows.pop(int(index))


def _row_button_anchor(prompts, answers: dict) -> str | None:
    """After 'Add a row' or 'Remove row', the field to land on: the new row's first
    field, or the first field of the row that took the removed one's place."""
    add = request.form.get("add_row")
    remove_prompt, _colon, remove_index = (request.form.get("remove_row") or "").partition(":")
    for prompt in prompts:
        if prompt["type"] != "rows" or prompt["id"] not in (add, remove_prompt):
            continue
        count = len(answers.get(prompt["id"]) or [])
        if prompt["id"] == add:
            index = count - 1
        else:
            index = int(remove_index) if remove_index.isdigit() else 0
        index = max(0, min(index, count - 1))
        return cell_name(prompt["id"], index, prompt["columns"][0]["id"])
    return None


@bp.route("/<slug>/<step_slug>/submit", methods=["POST"])
@login_required
def submit_challenge(slug: str, step_slug: str):
    module, step, _enrollment = _open_step_of_kind(slug, step_slug, "challenge")
    form = SubmitChallengeForm()
    if not form.validate_on_submit():
        abort(400)
    prompts = step.config["prompts"]
    submission = challenges.submission_for(current_user, step)
    if submission is not None and submission.status not in challenges.EDITABLE:
        if form.draft_version.data == submission.submitted_version:
            return redirect(url_for("learn.step", slug=slug, step_slug=step_slug))
        flash(_("These answers are already submitted."), "info")
        return redirect(url_for("learn.step", slug=slug, step_slug=step_slug))
    answers = _merged(step, read_answers(prompts, request.form))
    errors = validate_answers(prompts, answers, final=True,
                              max_chars=current_app.config["LMS_MAX_ANSWER_CHARS"])
    coauthors, coauthor_error = _coauthors(step, form.coauthors.data)
    if coauthor_error:
        form.coauthors.errors.append(coauthor_error)
    if errors or coauthor_error:
        return _render_step(module, step, 422, **_challenge_context(
            step, _parts(step) + 1, answers=answers, errors=errors, meta_form=form))
    try:
        challenges.submit(current_user, step, read_answers(prompts, request.form),
                          form.draft_version.data, is_private=form.keep_private.data,
                          coauthors=coauthors)
    except challenges.StaleDraft as stale:
        db.session.rollback()
        context = _challenge_context(step, _parts(step) + 1, answers=answers, meta_form=form)
        context["stale_message"] = stale.message
        return _render_step(module, step, 409, **context)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
        return redirect(url_for("learn.step", slug=slug, step_slug=step_slug))
    message = [_("Submitted. Your answers are saved and can't be lost.")]
    if step.review_required and not form.keep_private.data:
        message.append(_("A mentor will review them."))
    if coauthors:
        message.append(_("Everyone you named is invited as a co-author and becomes one on "
                         "accepting."))
    flash(" ".join(message), "success")
    return _after_step(module, step)


def _coauthors(step: Step, text: str | None) -> tuple[list[str], str | None]:
    """The co-authors' addresses, or a message about the field. Whether an address has an
    account is never said: each is invited alike (``coauthoring``)."""
    if step.config.get("mode") != "group":
        return [], None
    try:
        return coauthoring.parse_emails(text), None
    except DomainError as problem:
        return [], problem.message


# --- answers to checks, surveys and other kinds ----------------------------------------

@bp.route("/<slug>/<step_slug>/answer", methods=["POST"])
@login_required
def answer(slug: str, step_slug: str):
    """An answer to a step whose kind takes one (``StepKind.take``)."""
    return _answer(slug, step_slug)


@bp.route("/<slug>/<step_slug>/check", methods=["POST"])
@login_required
def answer_check(slug: str, step_slug: str):
    return _answer(slug, step_slug, "check")


@bp.route("/<slug>/<step_slug>/survey", methods=["POST"])
@login_required
def answer_survey(slug: str, step_slug: str):
    return _answer(slug, step_slug, "survey")


def _answer(slug: str, step_slug: str, kind_name: str | None = None):
    """Load the open step (400 for a kind that takes no answer here), let its kind take
    the answer, then show the step again (refused), or go back to it or on."""
    module, step, enrollment = _load(slug, step_slug)
    _open_state(module, step, enrollment)
    kind = KINDS.get(step.kind)
    if kind is None or not kind.takes_answers or kind_name not in (None, step.kind):
        abort(400)
    ChallengeMetaForm().validate_on_submit() or abort(400)
    at_step = visit(step)
    try:
        answered = kind.take(at_step, request.form)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "info")
        return redirect(url_for("learn.step", slug=slug, step_slug=step_slug))
    if answered.is_refused:
        db.session.rollback()
        return _render_step(module, step, 422,
                            **{**kind.player_context(at_step), **answered.refused})
    if answered.message:
        flash(answered.message, answered.category)
    if answered.stay:
        db.session.commit()
        return redirect(url_for("learn.step", slug=slug, step_slug=step_slug,
                                _anchor=answered.anchor))
    return _after_step(module, step)


@bp.route("/<slug>/<step_slug>/engaged", methods=["POST"])
@login_required
def engaged(slug: str, step_slug: str):
    """A heartbeat from an open step page (visible, learner active): credit the time.

    The body carries nothing: the server's clock decides what is credited."""
    module, step, enrollment = _load(slug, step_slug)
    _open_state(module, step, enrollment)
    evidence.credit_time(current_user, step, heartbeat=True)
    db.session.commit()
    return "", 204


@bp.route("/<slug>/attest", methods=["POST"])
@login_required
def attest(slug: str):
    """Affirm the module's statement in one's own name; completes the module if it was
    the last thing missing."""
    module, _step, enrollment = _load(slug)
    form = AttestForm()
    if not form.validate_on_submit():
        abort(400)
    progress = learning.module_progress(current_user, module, enrollment)
    try:
        evidence.attest(current_user, module, steps_done=progress.all_required_done,
                        confirmed=bool(form.confirm.data))
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
        return redirect(url_for("learn.module", slug=slug, _anchor="attest"))
    completed = learning.refresh_completion(current_user, module, progress)
    db.session.commit()
    flash(_("You completed %(title)s. Well done.", title=module.title) if completed
          else _("Your statement is recorded."), "success")
    return redirect(url_for("learn.module", slug=slug))


@bp.route("/<slug>/<step_slug>/continue", methods=["POST"])
@login_required
def continue_after(slug: str, step_slug: str):
    """Leave a finished check for the next step (completion may happen here)."""
    module, step, enrollment = _load(slug, step_slug)
    _open_state(module, step, enrollment)
    return _after_step(module, step)
