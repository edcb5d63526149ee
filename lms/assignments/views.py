"""Assignments: admins make modules mandatory and follow compliance; leads see
their departments; learners see what is assigned to them."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from lms import permissions
from lms.assignments import bp
from lms.assignments.forms import ActionForm, AssignmentForm, DeleteForm, ExemptionForm
from lms.extensions import db
from lms.formtools import choices
from lms.i18n import current_locale
from lms.models import Assignment, Cohort, Department, Module, Obligation, Reminder
from lms.pagination import Page
from lms.permissions import login_required, roles_required
from lms.services import duedates
from lms.services.assignments import (
    compliance,
)
from lms.services.assignments import reminders as assignment_reminders
from lms.services.assignments import rules as assignments
from lms.services.assignments import status as stored_status
from lms.services.errors import DomainError
from lms.services.learning import progress as learning
from lms.urlargs import query_int, query_page
from lms.viewtools import REFUSED, run_service, show_error

PAGE_SIZE = 50
CSV_TABLES = ("people", "departments", "assignments")


def _load(assignment_id: int) -> Assignment:
    assignment = db.session.execute(
        select(Assignment).options(joinedload(Assignment.module))
        .where(Assignment.id == assignment_id, Assignment.deleted_at.is_(None))
    ).scalar_one_or_none()
    if assignment is None:
        abort(404)
    return assignment


def _fill_choices(form: AssignmentForm) -> None:
    form.module_id.choices = choices([("", _("Choose a module")), *db.session.execute(
        select(Module.id, Module.title).where(Module.is_published).order_by(Module.title))])
    form.department_ids.choices = choices(db.session.execute(
        select(Department.id, Department.name).order_by(Department.name)))
    form.cohort_ids.choices = choices(db.session.execute(
        select(Cohort.id, Cohort.name).order_by(Cohort.name)))


# --- admin: the rules ---------------------------------------------------------------------

@bp.route("/")
@roles_required("admin")
def index():
    rows = db.session.execute(
        select(Assignment).where(Assignment.deleted_at.is_(None))
        .options(joinedload(Assignment.module), selectinload(Assignment.departments),
                 selectinload(Assignment.cohorts), selectinload(Assignment.people))
        .order_by(Assignment.created_at.desc(), Assignment.id.desc())).scalars().all()
    counts = {row.key: row.counts for row in compliance.by_assignment(compliance.Filters(), None)}
    return render_template("assignments/index.html", assignments=rows, counts=counts,
                           empty=compliance.Counts(), target_text=assignments.target_text,
                           due_rule_text=assignments.due_rule_text)


@bp.route("/new", methods=["GET", "POST"])
@roles_required("admin")
def new():
    form = AssignmentForm()
    _fill_choices(form)
    if form.validate_on_submit():
        module = db.session.get(Module, form.module_id.data) if form.module_id.data else None
        created = run_service(form, lambda: assignments.create_assignment(
            actor=current_user, rule=form.to_rule(module)), field="target_kind")
        if created is not REFUSED:
            assignment, result = created
            flash(ngettext("%(title)s is now assigned to %(num)d person.",
                           "%(title)s is now assigned to %(num)d people.", result.opened,
                           title=module.title), "success")
            return redirect(url_for("assignments.compliance", assignment=assignment.id))
    status = 422 if request.method == "POST" else 200
    return render_template("assignments/form.html", form=form, assignment=None), status


@bp.route("/<int:assignment_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def edit(assignment_id: int):
    assignment = _load(assignment_id)
    form = AssignmentForm()
    _fill_choices(form)
    if request.method == "GET":
        form.fill_from(assignment)
    if form.validate_on_submit():
        try:
            result = assignments.update_assignment(assignment, actor=current_user,
                                                   rule=form.to_rule(assignment.module))
        except DomainError as error:
            db.session.rollback()
            assignment = _load(assignment_id)
            show_error(form, error, "target_kind")
        else:
            db.session.commit()
            flash(_("Changes saved: %(opened)s newly assigned, %(closed)s no longer assigned.",
                    opened=result.opened, closed=result.closed), "success")
            return redirect(url_for("assignments.compliance", assignment=assignment.id))
    status = 422 if request.method == "POST" else 200
    return render_template("assignments/form.html", form=form, assignment=assignment), status


@bp.route("/<int:assignment_id>/delete", methods=["GET", "POST"])
@roles_required("admin")
def delete(assignment_id: int):
    assignment = _load(assignment_id)
    form = DeleteForm()
    if form.validate_on_submit():
        title = assignment.module.title
        closed = assignments.delete_assignment(assignment, actor=current_user)
        db.session.commit()
        flash(_("The assignment of %(title)s was deleted; %(closed)s open obligations were "
                "closed. Completions and certificates are kept.", title=title, closed=closed),
              "success")
        return redirect(url_for("assignments.index"))
    return render_template("assignments/delete.html", assignment=assignment, form=form,
                           open_count=assignments.open_count(assignment),
                           target_text=assignments.target_text)


@bp.route("/<int:assignment_id>/remind", methods=["POST"])
@roles_required("admin")
def remind(assignment_id: int):
    assignment = _load(assignment_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    sent, skipped = assignment_reminders.send_now(assignment, actor=current_user)
    db.session.commit()
    if sent:
        flash(ngettext("Queued %(sent)s reminder in the Outbox.",
                       "Queued %(sent)s reminder(s) in the Outbox.", sent, sent=sent)
              + (" " + ngettext("%(skipped)s person was already reminded today.",
                                "%(skipped)s people were already reminded today.", skipped,
                                skipped=skipped)
                 if skipped else ""),
              "success")
    elif skipped:
        flash(_("Everyone still to complete it (%(skipped)s) was already reminded today; "
                "nothing was sent twice.", skipped=skipped), "info")
    else:
        flash(_("Everyone assigned has completed it; no reminders were needed."), "info")
    return redirect(url_for("assignments.compliance", assignment=assignment.id))


@bp.route("/<int:assignment_id>/reminders")
@roles_required("admin")
def reminders(assignment_id: int):
    assignment = _load(assignment_id)
    page = query_page()
    query = (select(Reminder).where(Reminder.assignment_id == assignment.id)
             .options(joinedload(Reminder.user), joinedload(Reminder.sent_by))
             .order_by(Reminder.created_at.desc(), Reminder.id.desc()))
    total = db.session.scalar(select(func.count(Reminder.id)).where(
        Reminder.assignment_id == assignment.id)) or 0
    items = db.session.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
                               ).scalars().all()
    return render_template("assignments/reminders.html", assignment=assignment, items=items,
                           page=Page(page, PAGE_SIZE, total))


# --- exemptions: admins ------------------------------------------------------------------

def _assignment_choices() -> list[tuple[int, str]]:
    return [tuple(row) for row in db.session.execute(
        select(Assignment.id, Module.title).join(Module, Module.id == Assignment.module_id)
        .where(Assignment.deleted_at.is_(None)).order_by(Module.title, Assignment.id))]


@bp.route("/exemptions", methods=["GET", "POST"])
@roles_required("admin")
def exemptions():
    """Current exemptions, newest first, and the form that grants one."""
    assignment_filter = query_int("assignment")
    form = ExemptionForm()
    titles = _assignment_choices()
    form.assignment_id.choices = choices(
        [("", _("Choose an assignment")),
         *((aid, f"{title} (#{aid})") for aid, title in titles)])
    if request.method == "GET" and assignment_filter:
        form.assignment_id.data = assignment_filter
    if form.validate_on_submit():
        assignment = db.session.get(Assignment, form.assignment_id.data)
        if assignment is None or assignment.is_deleted:
            form.assignment_id.errors.append(_("Choose an assignment."))
        else:
            granted = run_service(form, lambda: stored_status.grant_exemption(
                assignment, form.email.data, actor=current_user, reason=form.reason.data,
                until=form.until.data), field="email")
            if granted is not REFUSED:
                flash(_("%(name)s is exempt from %(module)s.", name=granted.user.name,
                        module=assignment.module.title), "success")
                return redirect(url_for("assignments.exemptions",
                                        assignment=assignment_filter))
    page = query_page()
    rows, total = stored_status.exemptions(assignment_filter, limit=PAGE_SIZE,
                                           offset=(page - 1) * PAGE_SIZE)
    status = 422 if request.method == "POST" else 200
    return render_template("assignments/exemptions.html", form=form, rows=rows,
                           page=Page(page, PAGE_SIZE, total), total=total,
                           assignment_filter=assignment_filter, titles=titles,
                           revoke_form=ActionForm()), status


@bp.route("/exemptions/<int:obligation_id>/revoke", methods=["POST"])
@roles_required("admin")
def revoke_exemption(obligation_id: int):
    obligation = db.get_or_404(Obligation, obligation_id)
    if obligation.exempt_at is None or obligation.closed_at is not None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    name = obligation.user.name
    stored_status.withdraw_exemption(obligation, actor=current_user)
    db.session.commit()
    flash(_("The exemption of %(name)s was revoked; the assignment counts for them again.",
            name=name), "success")
    return redirect(url_for("assignments.exemptions", assignment=query_int("assignment")))


# --- compliance: admins and department leads -----------------------------------------------

def _filters() -> compliance.Filters:
    status = request.args.get("status", "")
    return compliance.Filters(
        assignment_id=query_int("assignment"),
        department_id=query_int("department"),
        status=status if status in compliance.STATUSES else None,
        q=request.args.get("q", "").strip()[:100])


def _scope() -> set[int] | None:
    """Everything for admins, their departments for leads; 403 for everyone else."""
    scope = permissions.visible_departments(current_user)
    if scope is not None and not scope:
        abort(403)
    return scope


def _counts_html(filters: compliance.Filters, scope: set[int] | None,
                 summary: compliance.Summary, index: compliance.AssignmentIndex,
                 department_choices: list[tuple[int, str]], statuses: dict[str, str]) -> Markup:
    """The filters and the two count tables, rendered again only when something they show
    changes (``compliance.kept_fragment``: the counts, the titles and names, the language,
    the filters)."""
    return Markup(compliance.kept_fragment(
        summary, (tuple(index.choices), tuple(department_choices), str(current_locale()),
                  request.script_root, tuple(filters.as_args().items())),
        lambda: render_template(
            "assignments/_counts.html", filters=filters, scope=scope,
            by_assignment=summary.by_assignment, by_department=summary.by_department,
            assignment_total=summary.total, department_total=summary.department_total,
            assignment_choices=index.choices, department_choices=department_choices,
            statuses=statuses,
            count_columns=[str(column) for column in compliance.COUNT_COLUMNS])))


@bp.route("/compliance", endpoint="compliance")
@login_required
def compliance_view():
    scope = _scope()
    filters = _filters()
    page = query_page()
    selected = _load(filters.assignment_id) if filters.assignment_id else None
    # The filters' choices name the rows of the counts too (the scope bounds both).
    assignment_index = compliance.assignment_index()
    department_choices = compliance.department_choices(scope)
    summary = compliance.summarise(filters, scope, assignments=assignment_index,
                                   department_names=dict(department_choices))
    people, total = compliance.people(filters, scope, page=page, per_page=PAGE_SIZE,
                                      total=summary.total.assigned, groups=summary.groups)
    # Words translated once, not once a row.
    statuses = {key: str(label) for key, label in compliance.STATUS_LABELS.items()}
    counts_html = _counts_html(filters, scope, summary, assignment_index, department_choices,
                               statuses)
    return render_template(
        "assignments/compliance.html", filters=filters, scope=scope, selected=selected,
        counts_html=counts_html,
        people_cells=[person.cells(statuses[person.status]) for person in people],
        page=Page(page, PAGE_SIZE, total), total=total, statuses=statuses,
        people_columns=[str(column) for column in compliance.PEOPLE_COLUMNS],
        target_text=assignments.target_text, due_rule_text=assignments.due_rule_text,
        is_admin=current_user.has_role("admin"), lead_notice=permissions.LEAD_NOTICE)


@bp.route("/compliance.csv")
@login_required
def compliance_csv():
    scope = _scope()
    filters = _filters()
    table = request.args.get("table", "people")
    if table not in CSV_TABLES:
        abort(404)
    if table == "people":
        header = compliance.PEOPLE_CSV_COLUMNS
        rows = [row.csv_cells()
                for row in compliance.people(filters, scope, per_page=None)[0]]
    else:
        grouped = (compliance.by_department if table == "departments"
                   else compliance.by_assignment)(filters, scope)
        header = (_("Department") if table == "departments" else _("Assignment"),
                  *compliance.COUNT_COLUMNS)
        rows = [row.cells() for row in grouped]
    response = make_response(compliance.to_csv([str(name) for name in header], rows))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    stamp = duedates.today().isoformat()
    response.headers["Content-Disposition"] = (
        f'attachment; filename="compliance-{table}-{stamp}.csv"')
    response.headers["Cache-Control"] = "no-store"
    return response


# --- the learner's side -------------------------------------------------------------------

@bp.route("/mine")
@login_required
def mine():
    return render_template("assignments/mine.html", items=assignments.assigned_to(current_user))


@bp.route("/renew/<slug>", methods=["POST"])
@login_required
def renew(slug: str):
    module = learning.published_module(slug)
    if module is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        assignments.renew(current_user, module)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "info")
        return redirect(url_for("assignments.mine"))
    db.session.commit()
    flash(_("%(title)s is open again. Your earlier completion and certificate are kept.",
            title=module.title), "success")
    return redirect(url_for("learn.module", slug=slug))
