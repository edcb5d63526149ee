"""Admin: erase a leaver after confirming who it is."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.erasure import bp
from lms.erasure.forms import EraseForm
from lms.extensions import db
from lms.models import User
from lms.permissions import roles_required
from lms.services.privacy import erasure


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
def erase(user_id: int):
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        abort(403)  # an admin cannot erase their own account from under themselves
    if user.email.endswith("@" + erasure.ERASED_DOMAIN):
        flash(_("This person has already been erased."), "info")
        return redirect(url_for("admin.users"))
    form = EraseForm(expected_email=user.email)
    if form.validate_on_submit():
        erasure.erase_person(current_user, user)
        db.session.commit()
        flash(_("The person was erased. Their completions still count in the figures; "
              "nothing names them any more."), "success")
        return redirect(url_for("admin.users"))
    return render_template("erasure/confirm.html", form=form, person=user), \
        422 if form.errors else 200
