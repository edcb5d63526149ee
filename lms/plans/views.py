"""My action plan (learners) and shared plans (mentors).

A learner's own pages take no plan id: they always act on the signed-in
person's plan, and goal or action ids belonging to someone else answer 404.
Mentors reach a plan by id only when it is shared and they mentor its owner.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms import dates
from lms.extensions import db
from lms.i18n import format_list
from lms.models import ActionPlan, Goal, PlanAction
from lms.permissions import login_required, roles_required
from lms.plans import bp
from lms.plans.forms import (
    ActionEditForm,
    ActionForm,
    ActionStatusForm,
    CommentForm,
    GoalForm,
    NewGoalForm,
    SharingForm,
    SuggestionsForm,
    checkin_form_for,
    number_rows,
)
from lms.plans.goal_templates import GOAL_TEMPLATES, TEMPLATES_BY_KEY
from lms.plans.goal_templates import in_language as template_in_language
from lms.plans.sources import find_answer_source
from lms.services.errors import DomainError
from lms.services.plans import action_plans as service
from lms.services.plans import export as plan_export
from lms.viewtools import REFUSED, is_htmx, run_service, show_error

GOAL_FIELDS = ("title", "value", "behaviours", "circle_of_influence", "support_needed")


# --- template helpers -----------------------------------------------------------------------

@bp.app_template_filter("plan_date")
def plan_date(value: date | datetime | None) -> str:
    """"March 3, 2026" (``lms.dates``, long style); datetimes are shown as their date in the
    institution's time zone."""
    return dates.format_date(value, "long")


@bp.context_processor
def plan_template_globals() -> dict:
    text = format_list(service.checkin_offsets())

    return {"plan_today": service.local_today(), "status_labels": service.STATUS_LABELS,
            "checkin_days_text": text}


# --- helpers --------------------------------------------------------------------------------

def _own_goal(goal_id: int) -> Goal:
    goal = db.get_or_404(Goal, goal_id)
    if goal.plan.user_id != current_user.id:
        abort(404)  # never confirm that someone else's goal exists
    return goal


def _own_action(action_id: int) -> PlanAction:
    action = db.get_or_404(PlanAction, action_id)
    if action.goal.plan.user_id != current_user.id:
        abort(404)
    return action


def _row_error(error: DomainError, rows: list[int]) -> DomainError:
    """Point an error about the n-th chosen action at that row of the form."""
    name, _dash, rest = (error.field or "").partition("-")
    index, _dash, sub = rest.partition("-")
    if name == "actions" and index.isdigit() and int(index) < len(rows):
        return DomainError(error.message, field=f"actions-{rows[int(index)]}-{sub}")
    return error


def _goal_anchor(goal_id: int) -> str:
    return url_for("plans.index", _anchor=f"goal-{goal_id}")


def _first_checkin_date() -> date:
    return service.local_today() + timedelta(days=service.checkin_offsets()[0])


def _render_index(*, action_forms: dict | None = None):
    plan = service.load_plan(owner=current_user)
    goals = plan.goals if plan else []
    action_forms = action_forms or {}
    add_forms = {goal.id: action_forms.get(goal.id)
                 or ActionForm(formdata=None, prefix=f"goal-{goal.id}") for goal in goals}
    status_forms = {action.id: _status_form(action) for goal in goals for action in goal.actions}
    due = {goal.id: d for goal in goals if (d := service.checkin_due_for_goal(goal))}
    return render_template(
        "plans/index.html", plan=plan, goals=goals, add_forms=add_forms,
        status_forms=status_forms, due=due,
        next_checkins={goal.id: service.next_checkpoint(goal) for goal in goals},
        sharing_form=SharingForm(formdata=None, shared=bool(plan and plan.is_shared)),
        mentors=service.plan_mentors(current_user), status_labels=service.STATUS_LABELS,
    )


def _status_form(action: PlanAction) -> ActionStatusForm:
    # Every row's select is named "status"; the template gives each a distinct id.
    form = ActionStatusForm(formdata=None, status=action.status)
    form.status.label.text = _("Status of “%(action)s”", action=action.text)
    return form


# --- my plan --------------------------------------------------------------------------------

@bp.route("/")
@login_required
def index():
    return _render_index()


@bp.route("/goals/new", methods=["GET", "POST"])
@login_required
def new_goal():
    template_key = request.args.get("template", "")
    template = TEMPLATES_BY_KEY.get(template_key) if template_key else None
    if template_key and template is None:
        abort(404)
    template = template_in_language(template) if template else None
    if request.method == "GET" and template is not None:
        suggested = _first_checkin_date()
        data = {name: getattr(template, name) for name in GOAL_FIELDS}
        data["actions"] = [{"text": text, "target_date": suggested}
                           for text in template.actions]
        form = NewGoalForm(formdata=None, data=data)
    else:
        form = NewGoalForm()
    if form.validate_on_submit():
        drafts = [service.ActionDraft(entry.form.text.data, entry.form.target_date.data)
                  for entry in form.actions]
        goal = run_service(form, lambda: service.create_goal(
            current_user, **{name: form[name].data for name in GOAL_FIELDS},
            actions=drafts, source="template" if template else "blank",
            source_ref=template.key if template else None))
        if goal is not REFUSED:
            flash(_("Goal added to your plan."), "success")
            return redirect(_goal_anchor(goal.id))
    return render_template("plans/goal_form.html", form=form, goal=None, template=template,
                           templates=[template_in_language(t) for t in GOAL_TEMPLATES])


@bp.route("/goals/<int:goal_id>/edit", methods=["GET", "POST"])
@login_required
def edit_goal(goal_id: int):
    goal = _own_goal(goal_id)
    form = GoalForm(obj=goal)
    if form.validate_on_submit() and run_service(form, lambda: service.update_goal(
            goal, **{name: form[name].data for name in GOAL_FIELDS})) is not REFUSED:
        flash(_("Goal saved."), "success")
        return redirect(_goal_anchor(goal.id))
    return render_template("plans/goal_form.html", form=form, goal=goal, template=None,
                           templates=())


@bp.route("/goals/<int:goal_id>/delete", methods=["POST"])
@login_required
def delete_goal(goal_id: int):
    goal = _own_goal(goal_id)
    service.delete_goal(goal, actor=current_user)
    db.session.commit()
    flash(_("Goal deleted, with its actions and check-ins."), "success")
    return redirect(url_for("plans.index"))


@bp.route("/goals/<int:goal_id>/actions", methods=["POST"])
@login_required
def add_action(goal_id: int):
    goal = _own_goal(goal_id)
    form = ActionForm(prefix=f"goal-{goal.id}")
    if form.validate_on_submit() and run_service(form, lambda: service.add_action(
            goal, text=form.text.data, target_date=form.target_date.data)) is not REFUSED:
        flash(_("Action added."), "success")
        return redirect(_goal_anchor(goal.id))
    return _render_index(action_forms={goal.id: form})


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@login_required
def edit_action(action_id: int):
    action = _own_action(action_id)
    form = ActionEditForm(obj=action, previous_date=action.target_date)
    if form.validate_on_submit() and run_service(form, lambda: service.update_action(
            action, text=form.text.data, target_date=form.target_date.data,
            status=form.status.data)) is not REFUSED:
        flash(_("Action saved."), "success")
        return redirect(_goal_anchor(action.goal_id))
    return render_template("plans/action_form.html", form=form, action=action)


@bp.route("/actions/<int:action_id>/status", methods=["POST"])
@login_required
def set_action_status(action_id: int):
    action = _own_action(action_id)
    form = ActionStatusForm()
    if not form.validate_on_submit():
        abort(400)
    service.set_action_status(action, form.status.data)
    db.session.commit()
    if is_htmx():
        return render_template("plans/_action_row.html", action=action,
                               status_form=_status_form(action),
                               status_labels=service.STATUS_LABELS, just_saved=True)
    flash(_("Status set to %(status)s.", status=str(service.STATUS_LABELS[action.status]).lower()),
          "success")
    return redirect(_goal_anchor(action.goal_id))


@bp.route("/actions/<int:action_id>/delete", methods=["POST"])
@login_required
def delete_action(action_id: int):
    action = _own_action(action_id)
    goal_id = action.goal_id
    service.delete_action(action)
    db.session.commit()
    flash(_("Action deleted."), "success")
    return redirect(_goal_anchor(goal_id))


@bp.route("/goals/<int:goal_id>/check-in", methods=["GET", "POST"])
@login_required
def checkin(goal_id: int):
    goal = _own_goal(goal_id)
    form = checkin_form_for(goal)
    if form.validate_on_submit():
        statuses = {action.id: form[f"status_{action.id}"].data for action in goal.actions}
        if run_service(form, lambda: service.record_checkin(
                goal, did=form.did.data, obstacles=form.obstacles.data,
                next_steps=form.next_steps.data, statuses=statuses)) is not REFUSED:
            flash(_("Check-in saved. Well done for keeping your plan alive."), "success")
            return redirect(_goal_anchor(goal.id))
    return render_template("plans/checkin.html", form=form, goal=goal,
                           due=service.checkin_due_for_goal(goal),
                           next_date=service.next_checkpoint(goal))


@bp.route("/sharing", methods=["POST"])
@login_required
def set_sharing():
    form = SharingForm()
    if not form.validate_on_submit():
        abort(400)
    plan = service.get_or_create_plan(current_user)
    service.set_sharing(plan, shared=form.shared.data, actor=current_user)
    db.session.commit()
    if plan.is_shared:
        flash(_("Your plan is shared with your mentors. They can read it and comment."), "success")
    else:
        flash(_("Your plan is private. Only you can see it."), "success")
    return redirect(url_for("plans.index", _anchor="sharing"))


@bp.route("/print")
@login_required
def print_view():
    plan = service.load_plan(owner=current_user)
    return render_template("plans/print.html", plan=plan, owner=current_user,
                           status_labels=service.STATUS_LABELS)


def _plan_for_export() -> ActionPlan | None:
    return service.load_plan(owner=current_user)


@bp.route("/export.md")
@login_required
def export_markdown():
    plan = _plan_for_export()
    if plan is None:
        flash(_("Add a goal first; then you can download your plan."), "warning")
        return redirect(url_for("plans.index"))
    return Response(plan_export.plan_markdown(plan), mimetype="text/markdown",
                    headers={"Content-Disposition": "attachment; filename="
                             + plan_export.export_filename(plan, "md")})


@bp.route("/export.pdf")
@login_required
def export_pdf():
    plan = _plan_for_export()
    if plan is None:
        flash(_("Add a goal first; then you can download your plan."), "warning")
        return redirect(url_for("plans.index"))
    return Response(plan_export.plan_pdf(plan), mimetype="application/pdf",
                    headers={"Content-Disposition": "attachment; filename="
                             + plan_export.export_filename(plan, "pdf")})


@bp.route("/from-challenge/<source_id>", methods=["GET", "POST"])
@login_required
def from_challenge(source_id: str):
    source = find_answer_source(current_user, source_id)
    if source is None:
        abort(404)
    suggestions = service.actions_from_answers(current_user, source.prompts, source.answers)
    if request.method == "GET":
        target = _first_checkin_date()
        form = SuggestionsForm(formdata=None, data={
            "title": _("Act on my %(source)s", source=source.title)[:service.TITLE_MAX],
            "actions": [{"include": True, "text": text, "target_date": target}
                        for text in suggestions]})
    else:
        form = SuggestionsForm()
    number_rows(form.actions)
    if form.validate_on_submit():
        rows = [index for index, entry in enumerate(form.actions) if entry.form.include.data]
        chosen = [service.ActionDraft(form.actions[index].form.text.data,
                                      form.actions[index].form.target_date.data)
                  for index in rows]
        try:
            goal = service.create_goal_from_suggestions(
                current_user, form.title.data, form.value.data, chosen,
                source_ref=source.source_ref)
        except DomainError as error:
            db.session.rollback()
            show_error(form, _row_error(error, rows))
        else:
            db.session.commit()
            flash(ngettext("Goal added with %(num)d action from your answers.",
                           "Goal added with %(num)d actions from your answers.",
                           len(goal.actions)), "success")
            return redirect(_goal_anchor(goal.id))
    return render_template("plans/from_challenge.html", form=form, source=source,
                           source_id=source_id, has_suggestions=bool(form.actions.entries))


# --- mentors --------------------------------------------------------------------------------

@bp.route("/shared")
@roles_required("mentor")
def shared():
    return render_template("plans/shared.html", rows=service.shared_plans_for(current_user))


def _mentor_plan(plan_id: int) -> ActionPlan:
    plan = service.load_plan(plan_id)
    # 404, not 403: a private plan, or one of someone else's mentees, is not there for you.
    if plan is None or not service.can_comment(current_user, plan):
        abort(404)
    return plan


@bp.route("/shared/<int:plan_id>")
@roles_required("mentor")
def shared_plan(plan_id: int):
    plan = _mentor_plan(plan_id)
    return render_template("plans/shared_plan.html", plan=plan, form=CommentForm(),
                           status_labels=service.STATUS_LABELS)


@bp.route("/shared/<int:plan_id>/comments", methods=["POST"])
@roles_required("mentor")
def comment(plan_id: int):
    plan = _mentor_plan(plan_id)
    form = CommentForm()
    if form.validate_on_submit() and run_service(form, lambda: service.add_comment(
            plan, author=current_user, body=form.body.data)) is not REFUSED:
        flash(_("Comment posted. %(name)s has been told by email.", name=plan.user.name), "success")
        return redirect(url_for("plans.shared_plan", plan_id=plan.id, _anchor="comments"))
    return render_template("plans/shared_plan.html", plan=plan, form=form,
                           status_labels=service.STATUS_LABELS)
