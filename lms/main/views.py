"""Home, profile and the privacy notice."""

from flask import Flask, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user
from markupsafe import Markup

from lms.extensions import db
from lms.i18n import current_locale
from lms.main import bp
from lms.main.forms import ProfileForm
from lms.permissions import login_required, public
from lms.services import personal_cache
from lms.services.accounts import security as account_security
from lms.services.sso.policy import has_usable_password
from lms.viewtools import render_shareable, with_csrf_token

# app.extensions key: the panels areas put on the home page, in order:
# [(roles or None, template name, context function)], filled by each area's ``init_app``.
HOME_SECTIONS_KEY = "lms.home_sections"


def add_home_section(app: Flask, template: str, context=None,
                     roles: tuple[str, ...] | None = None) -> None:
    """Let an area show a panel on the home page of people holding ``roles``.

    ``context(user)`` returns a dict whose keys become variables of ``template``.
    """
    sections = app.extensions.setdefault(HOME_SECTIONS_KEY, [])
    if all(existing[1] != template for existing in sections):
        sections.append((roles, template, context))


def _render_section(template: str, context) -> str:
    # Each panel is rendered with its context function's dict as template variables
    # (also reachable as ``context``). Panels are cached as HTML per person; the CSRF
    # token belongs to the browser session, so each answer puts its own in.
    values = context(current_user) if context else {}
    return render_shareable(template, context=values, **values)


@bp.route("/")
@login_required
def home():
    """The person's home page, kept whole per person, language and day.

    Everything on it (panels, name, navigation and its counts) is the person's own
    data or data everybody shares, so the generations of ``personal_cache`` say when
    it is stale. A page carrying a one-time message is never kept. The CSRF token is
    put in on every answer: it belongs to the browser session, not the person.
    """
    if session.get("_flashes"):
        html = _render_home()
    else:
        html = personal_cache.cached(current_user.id, f"page:home:{current_locale()}",
                                     _render_home)
    return with_csrf_token(html)


def _render_home() -> str:
    chosen = {template: context
              for roles, template, context in current_app.extensions.get(HOME_SECTIONS_KEY, [])
              if roles is None or current_user.has_role(*roles)}
    html = personal_cache.cached_many(
        current_user.id, [f"home:{t}" for t in chosen],
        lambda name: _render_section(name[5:], chosen[name[5:]]))
    sections = [Markup(html[f"home:{t}"]) for t in chosen]
    return render_shareable("main/home.html", sections=sections)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        current_user.name = form.name.data.strip()
        current_user.pronouns = (form.pronouns.data or "").strip() or None
        current_user.licence_number = (form.licence_number.data or "").strip() or None
        current_user.locale = form.locale.data or None
        db.session.commit()
        refresh()  # the message below is in the language just chosen
        flash(_("Profile saved."), "success")
        return redirect(url_for("main.profile"))
    return render_template("main/profile.html", form=form,
                           sign_ins=account_security.sign_in_history(current_user),
                           has_password=has_usable_password(current_user, current_app.config))


@bp.route("/privacy")
@public
def privacy():
    return render_template("main/privacy.html")
