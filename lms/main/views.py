"""Home, profile and the privacy notice."""

from flask import Flask, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user
from markupsafe import Markup

from lms.extensions import db
from lms.main import bp
from lms.main.forms import ProfileForm
from lms.permissions import login_required, public
from lms.services.accounts import security as account_security

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


@bp.route("/")
@login_required
def home():
    # Each panel is rendered with its context function's dict as template variables
    # (also reachable as ``context``), then placed on the page in registration order.
    sections = []
    for roles, template, context in current_app.extensions.get(HOME_SECTIONS_KEY, []):
        if roles is None or current_user.has_role(*roles):
            values = context(current_user) if context else {}
            sections.append(Markup(render_template(template, context=values, **values)))
    return render_template("main/home.html", sections=sections)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        current_user.name = form.name.data.strip()
        current_user.pronouns = (form.pronouns.data or "").strip() or None
        current_user.locale = form.locale.data or None
        db.session.commit()
        refresh()  # the message below is in the language just chosen
        flash(_("Profile saved."), "success")
        return redirect(url_for("main.profile"))
    return render_template("main/profile.html", form=form,
                           sign_ins=account_security.sign_in_history(current_user))


@bp.route("/privacy")
@public
def privacy():
    return render_template("main/privacy.html")
