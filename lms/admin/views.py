"""Programme office: people, departments, cohorts, outbox and audit log."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from lms.admin import bp
from lms.admin.forms import CohortForm, DepartmentForm, ImportUsersForm, UserForm
from lms.extensions import db
from lms.formtools import choices
from lms.models import AuditEvent, Cohort, Department, OutboxMessage, Role, User
from lms.permissions import roles_required
from lms.services import audit
from lms.services.accounts import people as accounts
from lms.services.accounts.invitations import send_invitation
from lms.services.accounts.user_import import import_users
from lms.services.duedates import local_midnight
from lms.services.errors import DomainError
from lms.services.mail import deliver_pending, smtp_configured
from lms.urlargs import query_int, query_page
from lms.viewtools import REFUSED, run_service, show_error

PAGE_SIZE = 50


def _department_choices(blank: str | None = None) -> list[tuple]:
    rows = db.session.execute(select(Department.id, Department.name).order_by(Department.name))
    return choices([("", blank or _("No department")), *rows])


def _cohort_choices() -> list[tuple]:
    rows = db.session.execute(select(Cohort.id, Cohort.name).order_by(Cohort.name))
    return choices(rows)


@bp.route("/")
@roles_required("admin")
def index():
    counts = {
        "users": db.session.scalar(select(func.count(User.id))),
        "departments": db.session.scalar(select(func.count(Department.id))),
        "cohorts": db.session.scalar(select(func.count(Cohort.id))),
        "outbox": db.session.scalar(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.status == "queued")),
    }
    return render_template("admin/index.html", counts=counts)


@bp.route("/users")
@roles_required("admin")
def users():
    q = request.args.get("q", "").strip()[:100]
    department_id = query_int("department")
    role = request.args.get("role", "")
    query = select(User).options(joinedload(User.department), selectinload(User.roles))
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(func.lower(User.name).like(like), User.email.like(like)))
    if department_id:
        query = query.where(User.department_id == department_id)
    if role:
        query = query.where(User.roles.any(Role.name == role))
    page = db.paginate(query.order_by(User.name, User.id), page=query_page(), per_page=PAGE_SIZE,
                       error_out=False)
    return render_template("admin/users.html", page=page, q=q, department_id=department_id,
                           role=role, departments=_department_choices(_("All departments")))


def _fill_user_form_choices(form: UserForm) -> None:
    form.department_id.choices = _department_choices()
    form.cohort_ids.choices = _cohort_choices()


def _cohorts_by_id(ids: list[int]) -> list[Cohort]:
    if not ids:
        return []
    return list(db.session.execute(select(Cohort).where(Cohort.id.in_(ids))).scalars())


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required("admin")
def new_user():
    form = UserForm()
    _fill_user_form_choices(form)
    if request.method == "GET":
        form.roles.data = ["learner"]
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                email=form.email.data, name=form.name.data, actor=current_user,
                roles=form.roles.data,
                department=db.session.get(Department, form.department_id.data)
                if form.department_id.data else None,
                cohorts=_cohorts_by_id(form.cohort_ids.data))
            if form.send_invite.data:
                send_invitation(user)
        except DomainError as error:
            show_error(form, error, "email")
        else:
            db.session.commit()
            flash(_("Account created for %(name)s.", name=user.name), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    _fill_user_form_choices(form)
    if request.method == "GET":
        form.roles.data = sorted(user.role_names)
        form.department_id.data = user.department_id
        form.cohort_ids.data = [c.id for c in user.cohorts]
        form.is_active.data = user.is_active_account
    if form.validate_on_submit():
        try:
            accounts.update_user(
                user, actor=current_user, name=form.name.data, email=form.email.data,
                roles=form.roles.data,
                department=db.session.get(Department, form.department_id.data)
                if form.department_id.data else None,
                is_active=form.is_active.data, cohorts=_cohorts_by_id(form.cohort_ids.data))
        except DomainError as error:
            db.session.rollback()
            show_error(form, error, "email")
        else:
            db.session.commit()
            flash(_("Changes saved."), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.route("/users/<int:user_id>/invite", methods=["POST"])
@roles_required("admin")
def invite_user(user_id: int):
    user = db.get_or_404(User, user_id)
    if not user.is_active:
        abort(400)
    try:
        send_invitation(user)
    except DomainError as problem:
        db.session.rollback()
        flash(problem.message, "warning")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    audit.record(current_user, "user.invite", user)
    db.session.commit()
    flash(_("A link to set a password was queued for %(email)s; it goes only to their "
            "mailbox.", email=user.email), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/import", methods=["GET", "POST"])
@roles_required("admin")
def import_users_page():
    form = ImportUsersForm()
    report = None
    if form.validate_on_submit():
        report = import_users(form.file.data.read(), actor=current_user)
        if report.ok:
            if form.send_invites.data:
                for user in report.created:
                    send_invitation(user)
            db.session.commit()
            flash(ngettext("Imported %(num)s person.", "Imported %(num)s people.",
                           len(report.created)), "success")
            return redirect(url_for("admin.users"))
        db.session.rollback()
    return render_template("admin/import.html", form=form, report=report,
                           limit_mb=current_app.config["LMS_MAX_UPLOAD_MB"])


@bp.route("/departments", methods=["GET", "POST"])
@roles_required("admin")
def departments():
    form = DepartmentForm()
    form.parent_id.choices = _department_choices(_("None (top level)"))
    leads = db.session.execute(select(User.id, User.name).order_by(User.name))
    form.lead_id.choices = choices([("", _("No lead")), *leads])
    if form.validate_on_submit() and run_service(form, lambda: accounts.create_department(
            name=form.name.data, actor=current_user,
            parent=db.session.get(Department, form.parent_id.data)
            if form.parent_id.data else None,
            lead=db.session.get(User, form.lead_id.data) if form.lead_id.data else None),
            field="name") is not REFUSED:
        flash(_("Department added."), "success")
        return redirect(url_for("admin.departments"))
    staff = dict(db.session.execute(
        select(User.department_id, func.count(User.id)).group_by(User.department_id)).all())
    rows = db.session.execute(select(Department).options(
        joinedload(Department.parent), joinedload(Department.lead)).order_by(Department.name)
    ).scalars().all()
    return render_template("admin/departments.html", form=form, departments=rows, staff=staff)


@bp.route("/cohorts", methods=["GET", "POST"])
@roles_required("admin")
def cohorts():
    form = CohortForm()
    if form.validate_on_submit() and run_service(form, lambda: accounts.create_cohort(
            name=form.name.data, description=form.description.data or "",
            actor=current_user), field="name") is not REFUSED:
        flash(_("Cohort added."), "success")
        return redirect(url_for("admin.cohorts"))
    from lms.models.users import cohort_members

    sizes = dict(db.session.execute(
        select(cohort_members.c.cohort_id, func.count()).group_by(cohort_members.c.cohort_id)
    ).all())
    rows = db.session.execute(select(Cohort).order_by(Cohort.name)).scalars().all()
    return render_template("admin/cohorts.html", form=form, cohorts=rows, sizes=sizes)


@bp.route("/outbox")
@roles_required("admin")
def outbox():
    status = request.args.get("status", "")
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status:
        query = query.where(OutboxMessage.status == status)
    page = db.paginate(query, page=query_page(), per_page=PAGE_SIZE, error_out=False)
    return render_template("admin/outbox.html", page=page, status=status,
                           smtp=smtp_configured())


@bp.route("/outbox/<int:message_id>")
@roles_required("admin")
def outbox_message(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)
    return render_template("admin/outbox_message.html", message=message)


@bp.route("/outbox/deliver", methods=["POST"])
@roles_required("admin")
def outbox_deliver():
    if not smtp_configured():
        flash(_("No mail server is configured; messages stay in the Outbox."), "warning")
        return redirect(url_for("admin.outbox"))
    sent, failed = deliver_pending()
    db.session.commit()
    flash(ngettext("Sent %(sent)s message; %(failed)s could not be sent.",
                   "Sent %(sent)s message(s); %(failed)s could not be sent.", sent,
                   sent=sent, failed=failed),
          "success" if not failed else "warning")
    return redirect(url_for("admin.outbox"))


@bp.route("/audit")
@roles_required("admin")
def audit_log():
    action = request.args.get("action", "").strip()[:80]
    actor_q = request.args.get("actor", "").strip()[:100]
    target_type = request.args.get("target_type", "").strip()[:50]
    target_id = query_int("target_id")
    since = _date_arg("since")
    until = _date_arg("until")
    query = select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(
        AuditEvent.created_at.desc(), AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action.like(f"{action}%"))
    if actor_q:
        query = query.join(User, AuditEvent.actor_id == User.id).where(
            or_(User.email.like(f"%{actor_q.lower()}%"),
                func.lower(User.name).like(f"%{actor_q.lower()}%")))
    if target_type:
        query = query.where(AuditEvent.target_type == target_type)
    if target_id is not None:
        query = query.where(AuditEvent.target_id == target_id)
    if since:
        query = query.where(AuditEvent.created_at >= local_midnight(since))
    if until:
        query = query.where(AuditEvent.created_at < local_midnight(until + timedelta(days=1)))
    page = db.paginate(query, page=query_page(), per_page=PAGE_SIZE, error_out=False)
    actions = db.session.execute(
        select(AuditEvent.action).distinct().order_by(AuditEvent.action)).scalars().all()
    target_types = db.session.execute(
        select(AuditEvent.target_type).where(AuditEvent.target_type.is_not(None)).distinct()
        .order_by(AuditEvent.target_type)).scalars().all()
    filters = {"action": action, "actor": actor_q, "target_type": target_type,
               "target_id": target_id if target_id is not None else "",
               "since": since.isoformat() if since else "",
               "until": until.isoformat() if until else ""}
    return render_template("admin/audit.html", page=page, action=action, actor=actor_q,
                           actions=actions, target_types=target_types, filters=filters)


def _date_arg(name: str) -> date | None:
    """A YYYY-MM-DD query argument, or None when missing or malformed."""
    try:
        return date.fromisoformat(request.args.get(name, "").strip())
    except ValueError:
        return None
