"""The champions directory, the programme office's list and participation records."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.champions import bp
from lms.champions.forms import ActivityForm, AssignForm, RemoveForm
from lms.extensions import db
from lms.formtools import choices
from lms.models import Champion, Department, User, normalise_email
from lms.permissions import login_required, roles_required
from lms.services.champions import champions
from lms.services.errors import DomainError
from lms.viewtools import REFUSED, run_service


def _departments() -> list[Department]:
    return list(db.session.execute(select(Department).order_by(Department.name)).scalars())


@bp.route("/")
@login_required
def directory():
    departments = _departments()
    raw = request.args.get("department")
    if raw is None:
        department_id = current_user.department_id
    elif raw.isdigit() and any(d.id == int(raw) for d in departments):
        department_id = int(raw)
    else:
        department_id = None  # "all departments" or an unknown value
    return render_template("champions/directory.html", departments=departments,
                           department_id=department_id,
                           champions=champions.directory(department_id))


@bp.route("/manage", methods=["GET", "POST"])
@roles_required("admin")
def manage():
    form = AssignForm()
    form.department_id.choices = choices(
        [(None, _("Choose…")), *((d.id, d.name) for d in _departments())])
    if form.validate_on_submit():
        def assign():
            user = db.session.execute(select(User).where(
                User.email == normalise_email(form.email.data))).scalar_one_or_none()
            if user is None:
                raise DomainError(_("No account has this email."), field="email")
            department = db.session.get(Department, form.department_id.data)
            return champions.assign(actor=current_user, user=user, department=department)

        champion = run_service(form, assign)
        if champion is not REFUSED:
            flash(_("%(name)s is an ally champion of %(department)s.", name=champion.user.name,
                    department=champion.department.name), "success")
            return redirect(url_for("champions.manage"))
    return render_template("champions/manage.html", form=form, remove_form=RemoveForm(),
                           champions=champions.directory()), 422 if form.errors else 200


@bp.route("/manage/<int:champion_id>/remove", methods=["POST"])
@roles_required("admin")
def remove(champion_id: int):
    champion = db.get_or_404(Champion, champion_id)
    form = RemoveForm()
    if not form.validate_on_submit():
        abort(400)
    name, department = champion.user.name, champion.department.name
    run_service(form, lambda: champions.remove(actor=current_user, champion=champion))
    flash(_("%(name)s is no longer a champion of %(department)s.", name=name,
            department=department), "success")
    return redirect(url_for("champions.manage"))


@bp.route("/record", methods=["GET", "POST"])
@login_required
def my_record():
    form = ActivityForm()
    if form.validate_on_submit() and run_service(form, lambda: champions.log_activity(
            current_user, form.happened_on.data, form.note.data)) is not REFUSED:
        flash(_("Added to your participation record."), "success")
        return redirect(url_for("champions.my_record"))
    return render_template("champions/record.html", person=current_user, own=True, form=form,
                           departments=champions.champion_departments(current_user),
                           entries=champions.participation_record(current_user)
                           ), 422 if form.errors else 200


@bp.route("/<int:user_id>/record")
@roles_required("admin")
def record(user_id: int):
    person = db.get_or_404(User, user_id)
    departments = champions.champion_departments(person)
    if not departments:
        abort(404)
    return render_template("champions/record.html", person=person, own=False, form=None,
                           departments=departments,
                           entries=champions.participation_record(person))
