"""External professionals at open sessions: sign up without an account, confirm the email,
manage the place through the private link from the confirmation email."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from lms.events import bp
from lms.events.forms import CheckInForm, ConfirmForm, ExternalSignUpForm
from lms.events.manage import pdf_response
from lms.events.views import ics_response, load_offering
from lms.extensions import db, limiter
from lms.i18n import current_locale
from lms.models import ExternalParticipant, Registration, utcnow
from lms.models.events import ATTENDED
from lms.permissions import public
from lms.services.errors import DomainError
from lms.services.events import calendar as event_calendar
from lms.services.events import externals, payments, receipts
from lms.services.events import registration as event_registration
from lms.viewtools import REFUSED, run_service


def _participant(token: str) -> ExternalParticipant:
    participant = externals.participant_for_manage_token(token)
    if participant is None:
        abort(404)
    return participant


def _registration(participant: ExternalParticipant) -> Registration:
    registration = externals.registration_of(participant)
    if registration is None:
        abort(404)
    return registration


@bp.route("/open")
@public
def open_sessions():
    return render_template("events/external/open.html", offerings=externals.open_offerings())


@bp.route("/offerings/<int:offering_id>/join", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LMS_EXTERNAL_SIGNUP_RATE_LIMIT"],
               methods=["POST"])
def external_register(offering_id: int):
    offering = load_offering(offering_id)
    if not offering.is_open_to_externals:
        abort(404)
    form = ExternalSignUpForm()
    if form.validate_on_submit() and run_service(form, lambda: externals.sign_up(
            offering, externals.SignUpData(
                name=form.name.data, email=form.email.data,
                organisation=form.organisation.data, profession=form.profession.data,
                licence_number=form.licence_number.data or "",
                language=current_locale().language)), field="name") is not REFUSED:
        return redirect(url_for("events.external_check_email", offering_id=offering.id),
                        code=303)
    return render_template("events/external/register.html", offering=offering, form=form,
                           problem=externals.signup_problem(offering),
                           amount=receipts.money(offering.fee_cents))


@bp.route("/offerings/<int:offering_id>/join/check-your-email")
@public
def external_check_email(offering_id: int):
    offering = load_offering(offering_id)
    if not offering.is_open_to_externals:
        abort(404)
    return render_template("events/external/check_email.html", offering=offering)


@bp.route("/external/verify/<token>", methods=["GET", "POST"])
@public
def external_verify(token: str):
    # A GET only shows the button: mail scanners that open links must not take a seat.
    participant = externals.participant_for_verify_token(token)
    if participant is None:
        return render_template("events/external/link_expired.html"), 404
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            externals.verify(participant)
        except DomainError as error:
            db.session.rollback()
            return render_template("events/external/verify.html", participant=participant,
                                   form=form, error=error.message), 422
        db.session.commit()
        return redirect(url_for("events.external_manage",
                                token=externals.manage_token(participant)), code=303)
    return render_template("events/external/verify.html", participant=participant, form=form,
                           error=None)


@bp.route("/external/<token>")
@public
def external_manage(token: str):
    return _manage_page(token)


def _manage_page(token: str, checkin_form: CheckInForm | None = None, status: int = 200):
    participant = _participant(token)
    registration = externals.registration_of(participant)
    offering = participant.offering
    opens, closes = event_registration.checkin_window(offering)
    return render_template(
        "events/external/manage.html", participant=participant, registration=registration,
        offering=offering, token=token, cancel_form=ConfirmForm(formdata=None),
        checkin_form=checkin_form or CheckInForm(formdata=None),
        checkin_open=(registration is not None and registration.is_active
                      and not offering.is_cancelled and opens <= utcnow() <= closes),
        payment_instructions=payments.provider().instructions(registration)
        if registration is not None and registration.fee_status == payments.FEE_DUE else None,
        amount=receipts.money(offering.fee_cents),
        has_receipt=registration is not None and payments.has_receipt(registration),
        has_certificate=registration is not None and registration.attendance == ATTENDED
        ), status


@bp.route("/external/<token>/cancel", methods=["POST"])
@public
def external_cancel(token: str):
    participant = _participant(token)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        externals.cancel(participant)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Your place is cancelled. Thank you for freeing it for someone else."), "success")
    return redirect(url_for("events.external_manage", token=token), code=303)


@bp.route("/external/<token>/erase", methods=["POST"])
@public
def external_erase(token: str):
    participant = _participant(token)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        externals.erase(participant, actor=None)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("events.external_manage", token=token), code=303)
    db.session.commit()
    flash(_("Your details are erased and this link no longer works. Thank you for taking part."),
          "success")
    return redirect(url_for("events.open_sessions"), code=303)


@bp.route("/external/<token>/check-in", methods=["POST"])
@public
@limiter.limit("20 per minute")
def external_check_in(token: str):
    registration = _registration(_participant(token))
    form = CheckInForm()
    if form.validate_on_submit() and run_service(
            form, lambda: event_registration.check_in_external(registration, form.code.data),
            field="code") is not REFUSED:
        flash(_("You're checked in. Enjoy the session!"), "success")
        return redirect(url_for("events.external_manage", token=token), code=303)
    return _manage_page(token, checkin_form=form, status=422)


@bp.route("/external/<token>/calendar.ics")
@public
def external_ics(token: str):
    registration = _registration(_participant(token))
    if not registration.is_active:
        abort(404)
    return ics_response(event_calendar.invitation_ics(registration),
                        f"{registration.offering.training.slug}-{registration.offering_id}.ics")


@bp.route("/external/<token>/receipt.pdf")
@public
def external_receipt(token: str):
    registration = _registration(_participant(token))
    if not payments.has_receipt(registration):
        abort(404)
    return pdf_response(receipts.render_receipt(registration),
                        receipts.receipt_filename(registration))


@bp.route("/external/<token>/certificate.pdf")
@public
def external_certificate(token: str):
    registration = _registration(_participant(token))
    if registration.attendance != ATTENDED:
        abort(404)
    return pdf_response(receipts.render_attendance_certificate(registration),
                        receipts.certificate_filename(registration))
