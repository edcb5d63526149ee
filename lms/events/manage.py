"""Programme office: trainings, offerings, event weeks and the raffle, team requests."""

from __future__ import annotations

from decimal import Decimal

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext, pgettext
from flask_login import current_user
from sqlalchemy import select

from lms.events import bp
from lms.events.forms import (
    CancelOfferingForm,
    ConfirmForm,
    DrawForm,
    FeeForm,
    OfferingForm,
    ScheduleRequestForm,
    TrainingForm,
    TriageForm,
    WeekForm,
)
from lms.extensions import db
from lms.formtools import choices
from lms.models import (
    Department,
    EngagementWeek,
    Module,
    Offering,
    Registration,
    Role,
    TeamRequest,
    Training,
    User,
    utcnow,
)
from lms.models.events import DEPARTMENT, REQUEST_STATUSES
from lms.permissions import roles_required
from lms.services.errors import DomainError
from lms.services.events import externals, payments, receipts
from lms.services.events import offerings as events
from lms.services.events import raffle as event_raffle
from lms.services.events import requests as team_requests
from lms.viewtools import REFUSED, run_service


@bp.route("/manage")
@roles_required("admin")
def manage():
    trainings = events.trainings_with_offerings()
    offering_ids = [o.id for t in trainings for o in t.offerings]
    return render_template(
        "events/manage/index.html", trainings=trainings,
        waiting=events.waitlist_counts(offering_ids),
        request_counts=team_requests.status_counts(),
        weeks=list(db.session.execute(select(EngagementWeek)
                                      .order_by(EngagementWeek.starts_on.desc())).scalars()),
        now=utcnow())


# --- trainings ---------------------------------------------------------------------------------

def _facilitator_choices():
    rows = db.session.execute(
        select(User.id, User.name, User.email)
        .where(User.is_active_account.is_(True),
               User.roles.any(Role.name.in_(("mentor", "admin"))))
        .order_by(User.name))
    return choices((i, f"{name} ({email})") for i, name, email in rows)


def _module_choices(saved: list[str]):
    """The published modules by title, and any module the training already names that is
    no longer published (kept, so saving the form does not drop it unseen)."""
    rows = list(db.session.execute(
        select(Module.slug, Module.title).where(Module.is_published).order_by(Module.title)))
    published = {slug for slug, _title in rows}
    return choices([*rows, *((slug, f"{slug} (not published)") for slug in saved
                             if slug not in published)])


def _training_data(form: TrainingForm) -> events.TrainingData:
    return events.TrainingData(
        title=form.title.data, slug=form.slug.data or "", description=form.description.data or "",
        series=form.series.data, part=form.part.data,
        related_module_slugs=list(form.related_modules.data or []),
        facilitator_ids=form.facilitator_ids.data or [])


@bp.route("/manage/trainings/new", methods=["GET", "POST"])
@roles_required("admin")
def new_training():
    form = TrainingForm()
    form.facilitator_ids.choices = _facilitator_choices()
    form.related_modules.choices = _module_choices([])
    if form.validate_on_submit():
        item = run_service(form, lambda: events.create_training(
            _training_data(form), actor=current_user), field="title")
        if item is not REFUSED:
            flash(_("Training “%(title)s” created. Now add its dates.", title=item.title),
                  "success")
            return redirect(url_for("events.new_offering", training_id=item.id), code=303)
    return render_template("events/manage/training_form.html", form=form, training=None)


@bp.route("/manage/trainings/<int:training_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_training(training_id: int):
    item = db.get_or_404(Training, training_id)
    form = TrainingForm(obj=item)
    form.facilitator_ids.choices = _facilitator_choices()
    form.related_modules.choices = _module_choices(item.related_module_slugs or [])
    if request.method == "GET":
        form.related_modules.data = list(item.related_module_slugs or [])
        form.facilitator_ids.data = [u.id for u in item.facilitators]
    if form.validate_on_submit() and run_service(form, lambda: events.update_training(
            item, _training_data(form), actor=current_user), field="title") is not REFUSED:
        flash(_("Training saved."), "success")
        return redirect(url_for("events.manage"), code=303)
    return render_template("events/manage/training_form.html", form=form, training=item)


# --- offerings ---------------------------------------------------------------------------------

def _fill_offering_choices(form: OfferingForm) -> None:
    form.department_id.choices = choices([("", "—"), *db.session.execute(
        select(Department.id, Department.name).order_by(Department.name))])
    form.engagement_week_id.choices = choices([
        ("", pgettext("engagement week", "None")), *db.session.execute(
        select(EngagementWeek.id, EngagementWeek.name).order_by(EngagementWeek.starts_on.desc()))])


def _offering_data(form: OfferingForm) -> events.OfferingData:
    """Form values as service data; local times become UTC (DomainError for skipped times)."""
    def utc(field):
        return events.local_to_utc(field.data, field.name) if field.data else None

    return events.OfferingData(
        starts_at=utc(form.starts_at), ends_at=utc(form.ends_at), capacity=form.capacity.data,
        mode=form.mode.data, location=form.location.data, video_url=form.video_url.data,
        registration_opens_at=utc(form.registration_opens_at),
        registration_closes_at=utc(form.registration_closes_at),
        audience=form.audience.data, department_id=form.department_id.data,
        fee_note=form.fee_note.data,
        fee_cents=int(form.fee.data * 100) if form.fee.data is not None else None,
        rsvp_required=not form.drop_in.data,
        engagement_week_id=form.engagement_week_id.data, notes=form.notes.data or "")


def _form_from_offering(form: OfferingForm, offering: Offering) -> None:
    for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        getattr(form, name).data = events.utc_to_local(getattr(offering, name))
    for name in ("mode", "location", "video_url", "capacity", "audience", "department_id",
                 "fee_note", "engagement_week_id", "notes"):
        getattr(form, name).data = getattr(offering, name)
    form.drop_in.data = not offering.rsvp_required
    form.fee.data = (Decimal(offering.fee_cents) / 100) if offering.fee_cents else None


@bp.route("/manage/trainings/<int:training_id>/offerings/new", methods=["GET", "POST"])
@roles_required("admin")
def new_offering(training_id: int):
    item = db.get_or_404(Training, training_id)
    form = OfferingForm()
    _fill_offering_choices(form)
    if request.method == "GET":
        form.capacity.data = 25
    if form.validate_on_submit():
        offering = run_service(form, lambda: events.create_offering(
            item, _offering_data(form), actor=current_user), field="starts_at")
        if offering is not REFUSED:
            flash(_("Session scheduled."), "success")
            return redirect(url_for("events.offering", offering_id=offering.id), code=303)
    return render_template("events/manage/offering_form.html", form=form, training=item,
                           offering=None, timezone=events.institution_zone().key)


@bp.route("/manage/offerings/<int:offering_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_offering(offering_id: int):
    offering = db.get_or_404(Offering, offering_id)
    form = OfferingForm()
    _fill_offering_choices(form)
    if request.method == "GET":
        _form_from_offering(form, offering)
    if offering.is_cancelled and request.method == "POST":
        flash(_("This session was cancelled and can no longer be changed."), "error")
        return redirect(url_for("events.offering", offering_id=offering.id), code=303)
    if form.validate_on_submit():
        changed = run_service(form, lambda: events.update_offering(
            offering, _offering_data(form), actor=current_user), field="starts_at")
        if changed is not REFUSED:
            flash(_("Session updated; participants were emailed the new details.")
                  if any(name in changed for name in events.ATTENDEE_FIELDS)
                  else (_("Session updated.") if changed else _("Nothing changed.")), "success")
            return redirect(url_for("events.offering", offering_id=offering.id), code=303)
    return render_template("events/manage/offering_form.html", form=form,
                           training=offering.training, offering=offering,
                           timezone=events.institution_zone().key)


@bp.route("/manage/offerings/<int:offering_id>/cancel", methods=["GET", "POST"])
@roles_required("admin")
def cancel_offering(offering_id: int):
    offering = db.get_or_404(Offering, offering_id)
    form = CancelOfferingForm()
    if form.validate_on_submit() and run_service(form, lambda: events.cancel_offering(
            offering, actor=current_user, reason=form.reason.data or ""),
            field="reason") is not REFUSED:
        flash(_("Session cancelled. Everyone with a place was emailed."), "success")
        return redirect(url_for("events.offering", offering_id=offering.id), code=303)
    return render_template("events/manage/cancel_offering.html", form=form, offering=offering)


# --- event weeks and the raffle ----------------------------------------------------------------

def _week_data(form: WeekForm) -> event_raffle.WeekData:
    return event_raffle.WeekData(name=form.name.data, starts_on=form.starts_on.data,
                                 ends_on=form.ends_on.data, description=form.description.data,
                                 prizes=form.prizes.data)


@bp.route("/manage/weeks", methods=["GET", "POST"])
@roles_required("admin")
def weeks():
    form = WeekForm()
    if form.validate_on_submit():
        week = run_service(form, lambda: event_raffle.create_week(
            _week_data(form), actor=current_user), field="name")
        if week is not REFUSED:
            flash(_("“%(name)s” added. Choose it on a session to make it count for the raffle.",
                    name=week.name), "success")
            return redirect(url_for("events.manage_week", week_id=week.id), code=303)
    rows = list(db.session.execute(select(EngagementWeek)
                                   .order_by(EngagementWeek.starts_on.desc())).scalars())
    return render_template("events/manage/weeks.html", form=form, weeks=rows)


@bp.route("/manage/weeks/<int:week_id>", methods=["GET", "POST"])
@roles_required("admin")
def manage_week(week_id: int):
    week = db.get_or_404(EngagementWeek, week_id)
    form = WeekForm(obj=week)
    if form.validate_on_submit() and run_service(form, lambda: event_raffle.update_week(
            week, _week_data(form), actor=current_user), field="name") is not REFUSED:
        flash(_("Event week saved."), "success")
        return redirect(url_for("events.manage_week", week_id=week.id), code=303)
    return _week_page(week, form, DrawForm(formdata=None))


def _week_page(week: EngagementWeek, form: WeekForm, draw_form: DrawForm, status: int = 200):
    board = event_raffle.leaderboard(week.id)
    names = {user.id: user for user, _ in board}
    missing = {i for d in week.draws for i in d.winner_ids} - set(names)
    if missing:
        names.update({u.id: u for u in db.session.execute(
            select(User).where(User.id.in_(missing))).scalars()})
    winner_ids = {i for d in week.draws for i in d.winner_ids}
    return render_template("events/manage/week.html", week=week, form=form, draw_form=draw_form,
                           board=board, people=names,
                           total_entries=sum(n for _, n in board),
                           week_ended=event_raffle.week_has_ended(week),
                           consents=event_raffle.consents_for(week.id, winner_ids)), status


@bp.route("/manage/weeks/<int:week_id>/draw", methods=["POST"])
@roles_required("admin")
def draw(week_id: int):
    week = db.get_or_404(EngagementWeek, week_id)
    draw_form = DrawForm()
    if draw_form.validate_on_submit():
        result = run_service(draw_form, lambda: event_raffle.run_draw(
            week, actor=current_user, count=draw_form.winners.data, seed=draw_form.seed.data,
            reason=draw_form.reason.data or ""), field="winners")
        if result is not REFUSED:
            flash(ngettext("%(count)s winner drawn with seed %(seed)s.",
                           "%(count)s winner(s) drawn with seed %(seed)s.",
                           len(result.winner_ids), count=len(result.winner_ids),
                           seed=result.seed), "success")
            return redirect(url_for("events.manage_week", week_id=week.id), code=303)
    return _week_page(week, WeekForm(obj=week, formdata=None), draw_form, status=422)


# --- team requests -----------------------------------------------------------------------------

@bp.route("/manage/requests")
@roles_required("admin")
def team_requests_list():
    status = request.args.get("status", "")
    if status and status not in REQUEST_STATUSES:
        status = ""
    return render_template("events/manage/requests.html",
                           requests=team_requests.list_requests(status or None),
                           status=status, counts=team_requests.status_counts())


@bp.route("/manage/requests/<int:request_id>", methods=["GET", "POST"])
@roles_required("admin")
def team_request(request_id: int):
    item = db.get_or_404(TeamRequest, request_id)
    form = TriageForm()
    if request.method == "GET":
        form.note.data = item.admin_note
    if form.validate_on_submit():
        try:
            if form.decline.data:
                team_requests.decline_request(item, actor=current_user, note=form.note.data)
                message = _("Request declined; the contact was emailed your note.")
            else:
                team_requests.save_note(item, actor=current_user, note=form.note.data)
                message = _("Note saved.")
        except DomainError as error:
            db.session.rollback()
            form.note.errors.append(error.message)
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("events.team_request", request_id=item.id), code=303)
    return render_template("events/manage/request.html", item=item, form=form)


@bp.route("/manage/requests/<int:request_id>/schedule", methods=["GET", "POST"])
@roles_required("admin")
def schedule_request(request_id: int):
    item = db.get_or_404(TeamRequest, request_id)
    if item.status != "new":
        flash(_("Only new requests can be scheduled."), "error")
        return redirect(url_for("events.team_request", request_id=item.id), code=303)
    form = ScheduleRequestForm()
    _fill_offering_choices(form)
    form.training_id.choices = choices([("", _("Choose a training")), *db.session.execute(
        select(Training.id, Training.title).order_by(Training.title))])
    if request.method == "GET":
        form.training_id.data = item.training_id
        form.capacity.data = item.group_size
        form.audience.data = DEPARTMENT if item.department_id else "internal"
        form.department_id.data = item.department_id
    if form.validate_on_submit():
        training = db.session.get(Training, form.training_id.data)
        if training is None:
            abort(400)
        offering = run_service(form, lambda: team_requests.schedule_request(
            item, actor=current_user, training=training, data=_offering_data(form),
            note=form.note.data or ""), field="starts_at")
        if offering is not REFUSED:
            flash(_("Session created and the request marked scheduled; the contact was emailed."),
                  "success")
            return redirect(url_for("events.offering", offering_id=offering.id), code=303)
    return render_template("events/manage/schedule_request.html", item=item, form=form,
                           timezone=events.institution_zone().key)


# --- fees and external participants -------------------------------------------------------------

@bp.route("/manage/registrations/<int:registration_id>/fee", methods=["GET", "POST"])
@roles_required("admin")
def registration_fee(registration_id: int):
    item = db.get_or_404(Registration, registration_id)
    form = FeeForm()
    if request.method == "GET":
        form.status.data = item.fee_status or "due"
        form.reference.data = item.fee_reference
    if form.validate_on_submit() and run_service(form, lambda: payments.provider().record(
            item, status=form.status.data, reference=form.reference.data or "",
            actor=current_user), field="status") is not REFUSED:
        flash(_("Fee of %(name)s marked %(status)s.", name=item.person.name,
                status=item.fee_label.lower()), "success")
        return redirect(url_for("events.roster", offering_id=item.offering_id), code=303)
    return render_template("events/manage/fee.html", item=item, form=form,
                           erase_form=ConfirmForm(formdata=None),
                           amount=receipts.money(item.offering.fee_cents),
                           has_receipt=payments.has_receipt(item))


@bp.route("/manage/registrations/<int:registration_id>/receipt.pdf")
@roles_required("admin")
def registration_receipt(registration_id: int):
    item = db.get_or_404(Registration, registration_id)
    if not payments.has_receipt(item):
        abort(404)
    return pdf_response(receipts.render_receipt(item), receipts.receipt_filename(item))


@bp.route("/manage/registrations/<int:registration_id>/erase", methods=["POST"])
@roles_required("admin")
def erase_external(registration_id: int):
    item = db.get_or_404(Registration, registration_id)
    if not item.is_external:
        abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        externals.erase(item.external, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The participant's details were erased. Their place in the counts stays, "
              "unnamed."), "success")
    return redirect(url_for("events.roster", offering_id=item.offering_id), code=303)


def pdf_response(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
