"""Applying to a call, reviewing and deciding, and the programme office's call pages."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import pgettext
from flask_login import current_user
from sqlalchemy import select

from lms import localtime, permissions
from lms.applications import bp
from lms.applications.forms import (
    CallForm,
    DecisionForm,
    DraftForm,
    WithdrawForm,
    questions_example,
    review_form_class,
)
from lms.extensions import db
from lms.formtools import choices
from lms.learn.challenge_form import read_answers, validate_answers
from lms.models import (
    APPLICATION_STATUS_LABELS,
    DECISION_LABELS,
    Application,
    ApplicationCall,
    Cohort,
    Department,
    Role,
    User,
)
from lms.models.users import user_roles
from lms.permissions import login_required, roles_required
from lms.services.applications import answers as applying
from lms.services.applications import calls as call_service
from lms.services.applications import reviewing
from lms.services.errors import DomainError
from lms.services.events.offerings import local_to_utc
from lms.viewtools import REFUSED, is_htmx, run_service


def home_context(user) -> dict:
    """Open calls the person may apply to, with their application's state."""
    calls = call_service.open_calls_for(user)
    mine = call_service.applications_of(user) if calls else {}
    return {"open_calls": [(c, mine.get(c.id)) for c in calls]}


# --- applicants ------------------------------------------------------------------------------

@bp.route("/")
@login_required
def index():
    mine = call_service.applications_of(current_user)
    open_calls = call_service.open_calls_for(current_user)
    past = [a for a in mine.values() if a.call_id not in {c.id for c in open_calls}]
    return render_template("applications/index.html", open_calls=open_calls, mine=mine,
                           past=sorted(past, key=lambda a: a.call.closes_at, reverse=True),
                           reviewing=call_service.reviewed_by(current_user),
                           decision_labels=DECISION_LABELS, status_labels=APPLICATION_STATUS_LABELS)


def _load_for_applicant(call_id: int) -> tuple[ApplicationCall, Application | None]:
    """The call and the person's application; 404 unless they may apply or have applied."""
    call = db.get_or_404(ApplicationCall, call_id)
    application = applying.application_for(current_user, call)
    if application is None and not call_service.is_eligible(current_user, call):
        abort(404)
    return call, application


def _render_apply(call, application, *, answers=None, errors=None, message=None,
                  status=200):
    state = call_service.window_state(call)
    editable = state == "open" and (application is None or application.status != "submitted")
    return render_template(
        "applications/apply.html", call=call, application=application, state=state,
        editable=editable, answers=answers if answers is not None else (
            application.answers if application else {}),
        errors=errors or {}, message=message, decision_labels=DECISION_LABELS,
        draft_version=application.draft_version if application else 0,
        withdraw_form=WithdrawForm()), status


@bp.route("/<int:call_id>")
@login_required
def apply(call_id: int):
    call, application = _load_for_applicant(call_id)
    return _render_apply(call, application)


def _typed_answers(call: ApplicationCall) -> dict:
    answers = read_answers(call.questions, request.form)
    for prompt in call.questions:  # "Add a row" / "Remove row" work without JavaScript
        if prompt["type"] != "rows":
            continue
        if request.form.get("add_row") == prompt["id"]:
            answers.setdefault(prompt["id"], []).append(
                {c["id"]: "" for c in prompt["columns"]})
        remove = request.form.get("remove_row", "")
        if remove.startswith(prompt["id"] + ":") and remove.rpartition(":")[2].isdigit():
            index = int(remove.rpartition(":")[2])
            if index < len(answers.get(prompt["id"], [])):
                answers[prompt["id"]].pop(index)
    return answers


def _limits() -> int:
    return current_app.config["LMS_MAX_ANSWER_CHARS"]


@bp.route("/<int:call_id>/draft", methods=["POST"])
@login_required
def save_draft(call_id: int):
    call, application = _load_for_applicant(call_id)
    form = DraftForm()
    if not form.validate_on_submit():
        abort(400)
    answers = _typed_answers(call)
    errors = validate_answers(call.questions, answers, final=False, max_chars=_limits())
    if errors:
        if is_htmx():
            problem = _("Not saved: %(problems)s",
                        problems=" ".join(str(m) for ms in errors.values() for m in ms))
            return render_template("applications/_save_status.html", problem=problem)
        return _render_apply(call, application, answers=answers, errors=errors, status=422)
    try:
        application = applying.save_draft(current_user, call, answers, form.draft_version.data)
    except DomainError as error:
        db.session.rollback()
        if is_htmx():
            return render_template("applications/_save_status.html", problem=error.message)
        return _render_apply(call, applying.application_for(current_user, call),
                             answers=answers, message=error.message, status=409)
    db.session.commit()
    if is_htmx():
        return render_template("applications/_save_status.html", application=application)
    flash(_("Draft saved."), "success")
    return redirect(url_for("applications.apply", call_id=call.id))


@bp.route("/<int:call_id>/submit", methods=["POST"])
@login_required
def submit(call_id: int):
    call, application = _load_for_applicant(call_id)
    form = DraftForm()
    if not form.validate_on_submit():
        abort(400)
    answers = _typed_answers(call)
    if call_service.window_state(call) == "closed" and (
            application is None or application.status != "submitted"):
        # Refused by the server's clock; what was typed stays in the form to copy.
        return _render_apply(call, application, answers={**(
            application.answers if application else {}), **answers},
            message=applying.closed_message(call), status=409)
    errors = validate_answers(call.questions, answers, final=True, max_chars=_limits())
    if errors:
        hard = validate_answers(call.questions, answers, final=False, max_chars=_limits())
        if not hard:  # keep what was typed as the draft
            try:
                application = applying.save_draft(current_user, call, answers,
                                                   form.draft_version.data)
                db.session.commit()
            except DomainError:
                db.session.rollback()
        return _render_apply(call, application, answers=answers, errors=errors, status=422)
    try:
        applying.submit(current_user, call, answers, form.draft_version.data)
    except DomainError as error:
        db.session.rollback()
        return _render_apply(call, applying.application_for(current_user, call),
                             answers=answers, message=error.message, status=409)
    db.session.commit()
    flash(_("Your application is submitted. You will be told of the decision by email and "
          "here."), "success")
    return redirect(url_for("applications.apply", call_id=call.id))


@bp.route("/<int:call_id>/withdraw", methods=["POST"])
@login_required
def withdraw(call_id: int):
    call, application = _load_for_applicant(call_id)
    if application is None:
        abort(404)
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    if run_service(form, lambda: applying.withdraw(current_user, application)) is REFUSED:
        flash(" ".join(form.form_errors), "warning")
    else:
        flash(_("Your application is withdrawn. Your answers are kept for you; while the call "
              "is open you may submit again."), "success")
    return redirect(url_for("applications.apply", call_id=call.id))


# --- reviewers -------------------------------------------------------------------------------

def _load_call_to_review(call_id: int) -> ApplicationCall:
    call = db.get_or_404(ApplicationCall, call_id)
    if not permissions.can_review_call(current_user, call):
        abort(404)
    return call


@bp.route("/<int:call_id>/review")
@login_required
def review_list(call_id: int):
    call = _load_call_to_review(call_id)
    applications = reviewing.submitted_applications(call, current_user)
    return render_template("applications/review_list.html", call=call,
                           applications=applications, average=reviewing.average_score,
                           review_of=reviewing.review_of, decision_labels=DECISION_LABELS)


def _load_application_to_review(application_id: int) -> Application:
    application = db.get_or_404(Application, application_id)
    if application.user_id == current_user.id or not permissions.can_read_application(
            current_user, application):
        abort(404)
    return application


def _mentor_choices() -> list:
    mentors = db.session.execute(
        select(User).join(user_roles, user_roles.c.user_id == User.id)
        .join(Role, Role.id == user_roles.c.role_id)
        .where(Role.name == "mentor", User.is_active_account).order_by(User.name)).scalars()
    return choices([(None, _("No mentor")), *((m.id, f"{m.name} ({m.email})") for m in mentors)])


def _review_forms(application: Application, formdata=None):
    call = application.call
    review = reviewing.review_of(application, current_user)
    form_class = review_form_class(call.rubric, call.rubric_max)
    data = {"notes": review.notes if review else ""}
    if review:
        data.update({f"score_{i}": review.scores.get(c) for i, c in enumerate(call.rubric)})
    review_form = form_class(formdata=formdata, data=data)
    decision_form = DecisionForm(formdata=None, data={"decision": application.decision,
                                                      "mentor_id": application.mentor_id})
    decision_form.mentor_id.choices = _mentor_choices()
    return review_form, decision_form


def _render_review(application, review_form, decision_form, status=200):
    return render_template("applications/review.html", application=application,
                           call=application.call, review_form=review_form,
                           decision_form=decision_form, decision_labels=DECISION_LABELS,
                           average=reviewing.average_score(application)), status


@bp.route("/review/<int:application_id>", methods=["GET", "POST"])
@login_required
def review(application_id: int):
    application = _load_application_to_review(application_id)
    review_form, decision_form = _review_forms(
        application, request.form if request.method == "POST" else None)
    if review_form.validate_on_submit():
        call = application.call
        scores = {c: review_form[f"score_{i}"].data for i, c in enumerate(call.rubric)}
        if run_service(review_form, lambda: reviewing.save_review(
                current_user, application, scores, review_form.notes.data or "")) is not REFUSED:
            flash(_("Scores and notes saved."), "success")
            return redirect(url_for("applications.review", application_id=application.id))
    return _render_review(application, review_form, decision_form,
                          422 if review_form.errors else 200)


@bp.route("/review/<int:application_id>/decision", methods=["POST"])
@login_required
def decide(application_id: int):
    application = _load_application_to_review(application_id)
    review_form, _scores = _review_forms(application)
    decision_form = DecisionForm()
    decision_form.mentor_id.choices = _mentor_choices()
    if decision_form.validate_on_submit():
        mentor = (db.session.get(User, decision_form.mentor_id.data)
                  if decision_form.mentor_id.data else None)
        if run_service(decision_form, lambda: reviewing.decide(
                current_user, application, decision_form.decision.data,
                mentor=mentor)) is not REFUSED:
            flash(_("Decision recorded: %(decision)s. %(name)s is told by email and in the app.",
                    decision=DECISION_LABELS[application.decision].lower(),
                    name=application.user.name), "success")
            return redirect(url_for("applications.review_list", call_id=application.call_id))
    return _render_review(application, review_form, decision_form, 422)


# --- programme office ------------------------------------------------------------------------

@bp.route("/manage")
@roles_required("admin")
def manage():
    return render_template("applications/manage.html", calls=call_service.all_calls(),
                           state=call_service.window_state)


def _call_form(call: ApplicationCall | None = None) -> CallForm:
    if call is not None and request.method == "GET":
        form = CallForm(data={
            "title": call.title, "description": call.description,
            "opens_at": localtime.utc_to_local(call.opens_at),
            "closes_at": localtime.utc_to_local(call.closes_at),
            "eligible_roles": call.eligible_roles,
            "eligible_departments": call.eligible_department_ids,
            "eligible_cohorts": call.eligible_cohort_ids,
            "questions": call.questions_source,
            "rubric": call_service.rubric_text(call), "rubric_max": call.rubric_max,
            "reviewers": "\n".join(r.email for r in call.reviewers),
            "cohort_id": call.cohort_id, "makes_champions": call.makes_champions})
    else:
        form = CallForm()
        if request.method == "GET":
            form.questions.data = questions_example()
    departments = db.session.execute(select(Department).order_by(Department.name)).scalars()
    cohorts = db.session.execute(select(Cohort).order_by(Cohort.name)).scalars().all()
    form.eligible_departments.choices = choices((d.id, d.name) for d in departments)
    form.eligible_cohorts.choices = choices((c.id, c.name) for c in cohorts)
    form.cohort_id.choices = choices([(None, pgettext("cohort", "None")),
                                      *((c.id, c.name) for c in cohorts)])
    return form


def _call_data(form: CallForm) -> call_service.CallData:
    return call_service.CallData(
        title=form.title.data or "", description=form.description.data or "",
        opens_at=local_to_utc(form.opens_at.data, "opens_at"),
        closes_at=local_to_utc(form.closes_at.data, "closes_at"),
        questions_source=form.questions.data or "", rubric_source=form.rubric.data or "",
        rubric_max=form.rubric_max.data,
        eligible_roles=list(form.eligible_roles.data or []),
        eligible_department_ids=list(form.eligible_departments.data or []),
        eligible_cohort_ids=list(form.eligible_cohorts.data or []),
        reviewer_emails=(form.reviewers.data or "").split(),
        cohort_id=form.cohort_id.data, makes_champions=bool(form.makes_champions.data))


@bp.route("/manage/new", methods=["GET", "POST"])
@roles_required("admin")
def new_call():
    form = _call_form()
    if form.validate_on_submit():
        call = run_service(form, lambda: call_service.create_call(current_user,
                                                                  _call_data(form)))
        if call is not REFUSED:
            flash(_("Call “%(title)s” saved.", title=call.title), "success")
            return redirect(url_for("applications.manage"))
    return render_template("applications/call_form.html", form=form, call=None,
                           zone=localtime.zone().key), 422 if form.errors else 200


@bp.route("/manage/<int:call_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def edit_call(call_id: int):
    call = db.get_or_404(ApplicationCall, call_id)
    form = _call_form(call)
    if form.validate_on_submit():
        saved = run_service(form, lambda: call_service.update_call(current_user, call,
                                                                   _call_data(form)))
        if saved is not REFUSED:
            flash(_("Call “%(title)s” saved.", title=call.title), "success")
            return redirect(url_for("applications.manage"))
    return render_template("applications/call_form.html", form=form, call=call,
                           zone=localtime.zone().key), 422 if form.errors else 200


@bp.route("/manage/<int:call_id>/decisions.csv")
@roles_required("admin")
def decisions_csv(call_id: int):
    call = db.get_or_404(ApplicationCall, call_id)
    response = Response(reviewing.decisions_csv(call), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = \
        f'attachment; filename="application-decisions-{call.id}.csv"'
    return response
