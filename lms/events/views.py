"""Live sessions for learners and facilitators: browse, register, calendars, check-in,
roster and team requests."""

from __future__ import annotations

from datetime import datetime

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_number, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from lms import localtime, permissions
from lms.events import bp
from lms.events.forms import (
    AttendanceForm,
    CheckInForm,
    NextForm,
    RaffleConsentForm,
    TeamRequestForm,
)
from lms.extensions import db, limiter
from lms.formtools import choices
from lms.models import Department, EngagementWeek, Offering, Registration, Training, utcnow
from lms.permissions import login_required, public
from lms.safe_redirect import safe_redirect_target
from lms.services import personal_cache
from lms.services.errors import DomainError
from lms.services.events import calendar as event_calendar
from lms.services.events import offerings as events
from lms.services.events import raffle as event_raffle
from lms.services.events import registration as event_registration
from lms.services.events import requests as team_requests
from lms.urlargs import query_int
from lms.viewtools import (
    REFUSED,
    commit_keeping_loaded,
    is_htmx,
    render_shareable,
    run_service,
    with_csrf_token,
)


def safe_next(target: str | None, offering: Offering | None = None) -> str:
    """Only local paths: a crafted ``next`` must not send people to another site."""
    fallback = (url_for("events.offering", offering_id=offering.id) if offering is not None
                else url_for("events.index"))
    return safe_redirect_target(target, fallback)


def load_offering(offering_id: int) -> Offering:
    return db.get_or_404(Offering, offering_id)


def my_registration(offering: Offering) -> Registration | None:
    return events.registrations_for(current_user.id, [offering.id]).get(offering.id)


def ics_response(data: bytes, filename: str, *, inline: bool = False) -> Response:
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    disposition = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@bp.route("/")
@login_required
def index():
    week = events.next_engagement_week()
    return render_template(
        "events/index.html", sessions=_kept_sessions(), week=week,
        week_countdown=events.countdown_text(localtime.local_midnight(week.starts_on))
        if week else None)


def _kept_sessions() -> Markup:
    """The person's sessions, those they facilitate and the upcoming workshops, kept per
    person and language in ``personal_cache`` (every registration, offering or training
    written moves a generation it is kept under) until the first moment time alone
    changes them."""
    _valid_until, html = personal_cache.cached(
        current_user.id, f"events:sessions:{get_locale()}", _render_sessions,
        still_good=lambda kept: kept[0] is None or kept[0] > utcnow())
    return with_csrf_token(html)


def _render_sessions() -> tuple[datetime | None, str]:
    now = utcnow()
    scheduled, facilitated = events.upcoming_and_facilitated(current_user.id)
    upcoming = events.visible_to(current_user, scheduled)
    places = events.places_ahead(current_user.id)
    shown = {o.id for o in upcoming}
    registrations = {r.offering_id: r for r in places if r.offering_id in shown}
    mine = events.held(places)
    by_training: dict[int, list[Offering]] = {}
    trainings: list[Training] = []
    for offering in upcoming:
        if offering.training_id not in by_training:
            by_training[offering.training_id] = []
            trainings.append(offering.training)
        by_training[offering.training_id].append(offering)
    html = render_shareable(
        "events/_sessions.html", trainings=trainings, by_training=by_training,
        registrations=registrations, mine=mine, facilitated=facilitated,
        next_url=url_for("events.index"))
    return events.next_change(now, [*upcoming, *(r.offering for r in mine)], facilitated), html


@bp.route("/trainings/<slug>")
@login_required
def training(slug: str):
    item = db.one_or_404(select(Training).where(Training.slug == slug))
    return render_template("events/training.html", training=item,
                           next_url=url_for("events.training", slug=slug))


def _offering_page(offering: Offering, *, checkin_form: CheckInForm | None = None,
                   status: int = 200):
    registration = my_registration(offering)
    return render_template(
        "events/offering.html", offering=offering, registration=registration,
        show_link=permissions.can_see_video_link(current_user, offering, registration),
        can_roster=permissions.can_manage_roster(current_user, offering),
        checkin_form=checkin_form or CheckInForm(),
        checkin_open=_checkin_open(offering),
        next_url=url_for("events.offering", offering_id=offering.id)), status


def _checkin_open(offering: Offering) -> bool:
    opens, closes = event_registration.checkin_window(offering)
    return not offering.is_cancelled and opens <= utcnow() <= closes


@bp.route("/offerings/<int:offering_id>")
@login_required
def offering(offering_id: int):
    return _offering_page(load_offering(offering_id))


_LOOK_UP = object()


def _action_response(offering: Offering, next_url: str, *, registration=_LOOK_UP,
                     message: str | None = None, error: str | None = None):
    """The register/cancel box for htmx, or a redirect with a flashed message.

    ``registration`` is the person's place when the view has it in hand (None: no place);
    by default it is looked up.
    """
    if is_htmx():
        if registration is _LOOK_UP:
            registration = my_registration(offering)
        return render_template("events/_offering_action.html", offering=offering,
                               registration=registration, next_url=next_url,
                               message=message, error=error)
    flash(error or message, "error" if error else "success")
    return redirect(next_url, code=303)


def _load_with_place(offering_id: int) -> tuple[Offering, Registration | None]:
    """The offering with its training (which the answer and the email both name), and the
    signed-in person's registration there (None if they never had one), in one query; 404
    for an unknown offering."""
    row = db.session.execute(
        select(Offering, Registration).options(joinedload(Offering.training))
        .outerjoin(Registration, and_(Registration.offering_id == Offering.id,
                                      Registration.user_id == current_user.id))
        .where(Offering.id == offering_id)).first()
    if row is None:
        abort(404)
    return row.Offering, row.Registration


@bp.route("/offerings/<int:offering_id>/register", methods=["POST"])
@login_required
def register(offering_id: int):
    item, place = _load_with_place(offering_id)
    form = NextForm()
    next_url = safe_next(form.next.data, item)
    if not form.validate_on_submit():
        return _action_response(item, next_url, error=_("The form expired. Please try again."))
    try:
        registration = event_registration.register(current_user, item, place=place)
    except DomainError as error:
        db.session.rollback()
        return _action_response(item, next_url, error=error.message)
    commit_keeping_loaded()
    if registration.status == "registered":
        message = _("You're registered for %(title)s. A confirmation is on its way.",
                    title=item.training.title)
    else:
        registration.queue_place = _queue_place(registration)
        message = _("The session is full, so you're on the waitlist (number %(place)s in "
                    "line). We'll email you if a seat opens.", place=registration.queue_place)
    return _action_response(item, next_url, registration=registration, message=message)


def _queue_place(registration: Registration) -> int:
    """1-based place in the waitlist (positions have gaps after people leave)."""
    ahead = db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.offering_id == registration.offering_id,
            Registration.status == "waitlisted",
            Registration.waitlist_position < registration.waitlist_position))
    return (ahead or 0) + 1


@bp.app_template_global("waitlist_place")
def waitlist_place(registration: Registration) -> int:
    """Place in line; lists precompute it in one query (see ``events.registrations_for``)."""
    place = getattr(registration, "queue_place", None)
    return place if place is not None else _queue_place(registration)


@bp.route("/offerings/<int:offering_id>/cancel", methods=["POST"])
@login_required
def cancel(offering_id: int):
    item, registration = _load_with_place(offering_id)
    form = NextForm()
    next_url = safe_next(form.next.data, item)
    if not form.validate_on_submit():
        return _action_response(item, next_url, error=_("The form expired. Please try again."))
    if registration is None:
        return _action_response(item, next_url, registration=None,
                                error=_("You do not have a place at this session."))
    was = registration.status
    try:
        event_registration.cancel(registration, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        return _action_response(item, next_url, error=error.message)
    commit_keeping_loaded()
    message = (_("You left the waitlist.") if was == "waitlisted"
               else _("Your place is cancelled. Thank you for freeing it for someone else."))
    return _action_response(item, next_url, registration=registration, message=message)


def _per_person() -> str:
    # A whole room checks in from one campus address: limit each person, not the address.
    return f"user:{current_user.get_id()}"


def _per_feed() -> str:
    # Calendar services fetch many people's feeds from a few shared addresses.
    return f"feed:{(request.view_args or {}).get('token', '')}"


@bp.route("/offerings/<int:offering_id>/check-in", methods=["POST"])
@login_required
@limiter.limit("20 per minute", key_func=_per_person)
def check_in(offering_id: int):
    item = load_offering(offering_id)
    form = CheckInForm()
    if form.validate_on_submit() and run_service(form, lambda: event_registration.check_in(
            current_user, item, form.code.data), field="code") is not REFUSED and not is_htmx():
        flash(_("You're checked in. Enjoy the session!"), "success")
        return redirect(url_for("events.offering", offering_id=item.id), code=303)
    if is_htmx():
        return render_template("events/_checkin.html", offering=item, checkin_form=form,
                               registration=my_registration(item),
                               checkin_open=_checkin_open(item))
    return _offering_page(item, checkin_form=form, status=422)


@bp.route("/offerings/<int:offering_id>/calendar.ics")
@login_required
def offering_ics(offering_id: int):
    item = load_offering(offering_id)
    registration = my_registration(item)
    data = event_calendar.offering_ics(
        item, include_link=permissions.can_see_video_link(current_user, item, registration),
        status="TENTATIVE" if registration and registration.status == "waitlisted" else None)
    return ics_response(data, f"{item.training.slug}-{item.id}.ics")


@bp.route("/calendar")
@login_required
def calendar():
    feed = event_calendar.feed_for(current_user)
    db.session.commit()
    feed_url = event_calendar.external_url("events.feed", token=feed.token)
    webcal_url = "webcal://" + feed_url.split("://", 1)[1]
    return render_template("events/calendar.html", feed=feed, feed_url=feed_url,
                           webcal_url=webcal_url, form=NextForm())


@bp.route("/calendar/new-link", methods=["POST"])
@login_required
def regenerate_feed():
    form = NextForm()
    if not form.validate_on_submit():
        abort(400)
    event_calendar.regenerate_feed(current_user)
    db.session.commit()
    flash(_("Your calendar has a new private link. The old link no longer works: update any "
          "calendar that subscribed to it."), "success")
    return redirect(url_for("events.calendar"), code=303)


@bp.route("/feed/<token>.ics")
@public
@limiter.limit(lambda: current_app.config["LMS_FEED_RATE_LIMIT"], key_func=_per_feed)
def feed(token: str):
    # The token is the credential: calendar apps cannot sign in.
    owner = event_calendar.feed_owner(token)
    if owner is None:
        abort(404)
    return ics_response(event_calendar.kept_feed_ics(owner), "live-sessions.ics", inline=True)


@bp.route("/weeks/<int:week_id>")
@login_required
def week(week_id: int):
    return _week_page(db.get_or_404(EngagementWeek, week_id))


def _week_page(item: EngagementWeek, consent_form: RaffleConsentForm | None = None,
               status: int = 200):
    offerings = list(db.session.execute(
        select(Offering).options(joinedload(Offering.training))
        .where(Offering.engagement_week_id == item.id, Offering.status == "scheduled")
        .order_by(Offering.starts_at)).scalars())
    registrations = events.registrations_for(current_user.id, [o.id for o in offerings])
    latest = item.draws[0] if item.draws else None
    winners, unnamed = event_raffle.public_winners(latest) if latest else ([], 0)
    consent = event_raffle.consent_of(current_user.id, item.id)
    if consent_form is None:
        consent_form = RaffleConsentForm(formdata=None)
        if consent is not None:
            consent_form.show_name.data = "yes" if consent.show_name else "no"
    return render_template(
        "events/week.html", week=item, offerings=offerings, registrations=registrations,
        entries=event_raffle.user_entries(current_user.id, item.id), winners=winners,
        unnamed=unnamed, drawn=latest is not None, consent=consent, consent_form=consent_form,
        starts_at=localtime.local_midnight(item.starts_on),
        week_countdown=events.countdown_text(localtime.local_midnight(item.starts_on)),
        started=localtime.local_midnight(item.starts_on) <= utcnow(),
        next_url=url_for("events.week", week_id=item.id)), status


@bp.route("/weeks/<int:week_id>/raffle-consent", methods=["POST"])
@login_required
def raffle_consent(week_id: int):
    item = db.get_or_404(EngagementWeek, week_id)
    form = RaffleConsentForm()
    if form.validate_on_submit() and run_service(form, lambda: event_raffle.set_consent(
            current_user, item, show_name=form.show_name.data == "yes"),
            field="show_name") is not REFUSED:
        flash(_("Your answer is saved. You can change it at any time.")
              if form.show_name.data == "yes" else
              _("Your answer is saved: your name will not be shown on this page."), "success")
        return redirect(url_for("events.week", week_id=item.id), code=303)
    return _week_page(item, consent_form=form, status=422)


# --- facilitators ------------------------------------------------------------------------------

@bp.route("/offerings/<int:offering_id>/roster", methods=["GET", "POST"])
@login_required
def roster(offering_id: int):
    item = load_offering(offering_id)
    if not permissions.can_manage_roster(current_user, item):
        abort(403)
    people = event_registration.roster(item)
    form = AttendanceForm()
    form.registration_ids.choices = choices((r.id, r.person.name) for r in people)
    if form.validate_on_submit():
        value = None if form.attendance.data == "clear" else form.attendance.data
        try:
            count = event_registration.mark_attendance(item, form.registration_ids.data, value,
                                                       actor=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            label = {"attended": _("attended"), "no_show": _("no-show"),
                     None: _("not marked")}[value]
            flash(ngettext("Marked %(num)d person as %(label)s.",
                           "Marked %(num)d people as %(label)s.", count, label=label), "success")
            return redirect(url_for("events.roster", offering_id=item.id), code=303)
    return render_template("events/roster.html", offering=item, people=people, form=form,
                           checkin_window=event_registration.checkin_window(item),
                           show_fees=current_user.has_role("admin") and (
                               item.has_fee or any(r.is_external for r in people)))


# --- team training requests --------------------------------------------------------------------

@bp.route("/team-requests")
@login_required
def my_team_requests():
    return render_template("events/my_team_requests.html",
                           requests=team_requests.requests_of(current_user))


@bp.route("/team-requests/new", methods=["GET", "POST"])
@login_required
def new_team_request():
    form = TeamRequestForm()
    form.department_id.choices = choices([("", _("Not listed / several")), *db.session.execute(
        select(Department.id, Department.name).order_by(Department.name))])
    form.training_id.choices = choices([("", _("Something else (describe below)")),
                                        *db.session.execute(select(Training.id, Training.title)
                                                            .order_by(Training.title))])
    smallest = team_requests.min_group_size()
    form.group_size.description = _(
        "Team sessions are for groups of %(smallest)s people or more. For a smaller group, "
        "register for one of the scheduled sessions.", smallest=format_number(smallest))
    if request.method == "GET":
        form.department_id.data = current_user.department_id
        form.contact_name.data = current_user.name
        form.contact_email.data = current_user.email
        form.training_id.data = query_int("training")
    if form.validate_on_submit() and run_service(form, lambda: team_requests.create_request(
            team_requests.RequestData(
                topic=form.topic.data or "", group_size=form.group_size.data,
                preferred_dates=form.preferred_dates.data, contact_name=form.contact_name.data,
                contact_email=form.contact_email.data, department_id=form.department_id.data,
                training_id=form.training_id.data, details=form.details.data or ""),
            requester=current_user), field="topic") is not REFUSED:
        flash(_("Thank you. The programme office will reply by email."), "success")
        return redirect(url_for("events.my_team_requests"), code=303)
    return render_template("events/team_request_form.html", form=form)
