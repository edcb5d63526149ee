"""What the events area shows outside its own pages: the home panel and the partial
other areas include (``templates/events/_training_offerings.html``)."""

from __future__ import annotations

from flask import g, has_request_context, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms import localtime
from lms.events import bp
from lms.models import utcnow
from lms.services.events import offerings as events
from lms.services.events import raffle as event_raffle
from lms.services.events import registration as event_registration


def home_context(user) -> dict:
    """The person's next session with a seat, and the next event week, with countdowns."""
    offering = events.next_registered_offering(user.id)
    week = events.next_engagement_week()
    context = {"next_offering": offering, "week": week,
               "next_countdown": events.countdown_text(offering.starts_at) if offering else None,
               "week_countdown": None, "week_running": False, "week_entries": 0,
               "week_starts_at": None}
    if week is not None:
        starts = localtime.local_midnight(week.starts_on)
        context["week_running"] = starts <= utcnow()
        context["week_countdown"] = events.countdown_text(starts)
        context["week_starts_at"] = starts
        context["week_entries"] = event_raffle.user_entries(user.id, week.id)
    return {"live": context}


@bp.app_template_global("live_sessions_for")
def live_sessions_for(training_slug: str) -> dict:
    """Upcoming offerings of a training and the signed-in person's places (two queries).

    Used by ``events/_training_offerings.html`` so any page can list a training's
    sessions with register buttons given only its slug.
    """
    scheduled = events.offerings_for_training_slug(training_slug)
    training = scheduled[0].training if scheduled else events.training_by_slug(training_slug)
    offerings, registrations = scheduled, {}
    if getattr(current_user, "is_authenticated", False):
        offerings = events.visible_to(current_user, scheduled)
        registrations = events.registrations_for(current_user.id, [o.id for o in offerings])
    return {"offerings": offerings, "registrations": registrations,
            "training": training}


@bp.app_template_global("registration_problem_for")
def registration_problem_for(offering) -> str | None:
    """Why the signed-in person cannot register for ``offering`` now (None if they can)."""
    user = current_user._get_current_object()  # once: a list asks on every row
    if not getattr(user, "is_authenticated", False):
        return _("Sign in to register.")
    return event_registration.registration_problem(user, offering)


# Stands for the offering's id in the address kept for an endpoint: no real id is this long.
_ANY_ID = 9_876_543_210_123


@bp.app_template_global("offering_url")
def offering_url(endpoint: str, offering_id: int) -> str:
    """``url_for(endpoint, offering_id=offering_id)`` for an offering's pages and buttons.

    The address is built once per request and endpoint, then the id put in: a list of
    sessions links each row three times.
    """
    kept = g.setdefault("offering_urls", {})
    key = (endpoint, request.script_root if has_request_context() else None)
    if key not in kept:
        kept[key] = url_for(endpoint, offering_id=_ANY_ID).split(str(_ANY_ID))
    head, tail = kept[key]
    return f"{head}{offering_id}{tail}"


@bp.app_template_global("now_utc")
def now_utc():
    return utcnow()


@bp.app_template_global("module_url")
def module_url(slug: str) -> str | None:
    """Link to a module by slug when the module pages exist (they belong to another area)."""
    from werkzeug.routing import BuildError

    try:
        return url_for("learn.module", slug=slug)
    except BuildError:
        return None
