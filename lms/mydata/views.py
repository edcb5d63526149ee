"""'My data': ask for an archive of everything held about me and download it."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.extensions import db
from lms.mydata import bp
from lms.mydata.forms import DeleteReflectionForm, KeepReflectionForm, RequestExportForm
from lms.permissions import login_required
from lms.services.privacy import exports, retention, withdrawal


@bp.route("/")
@login_required
def index():
    return render_template("mydata/index.html", form=RequestExportForm(),
                           exports=exports.exports_of(current_user),
                           keep_days=exports.KEEP_DAYS,
                           reflections=withdrawal.reflections_of(current_user),
                           removal_dates=retention.removal_dates(current_user),
                           keep_form=KeepReflectionForm())


@bp.route("/exports", methods=["POST"])
@login_required
def request_export():
    if not RequestExportForm().validate_on_submit():
        abort(400)
    export = exports.request_export(current_user)
    db.session.commit()
    if export.is_ready:
        flash(_("Your data is ready to download."), "success")
    else:
        flash(_("Your account holds a lot of data, so the download is being prepared in the "
              "background. Come back to this page in a few minutes."), "info")
    return redirect(url_for("mydata.index"))


@bp.route("/exports/<token>")
@login_required
def download(token: str):
    export = exports.downloadable(current_user, token)
    # 404 for someone else's archive too: whether it exists is nobody else's business.
    if export is None:
        abort(404)
    response = make_response(export.archive)
    stamp = export.ready_at.strftime("%Y-%m-%d")
    response.headers["Content-Type"] = "application/zip"
    response.headers["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.zip"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/reflections/<int:submission_id>/delete", methods=["GET", "POST"])
@login_required
def delete_reflection(submission_id: int):
    submission = withdrawal.load_own(current_user, submission_id)
    if submission is None:  # someone else's: not even whether it exists
        abort(404)
    form = DeleteReflectionForm()
    if form.validate_on_submit():
        withdrawal.withdraw(current_user, submission,
                            keep_completion=form.completion.data == "keep")
        db.session.commit()
        flash(_("The text of your reflection “%(title)s” was deleted.",
                title=submission.step.title), "success")
        return redirect(url_for("mydata.index"))
    return render_template("mydata/delete_reflection.html", form=form, submission=submission,
                           step=submission.step), 422 if form.errors else 200


@bp.route("/reflections/<int:submission_id>/keep", methods=["POST"])
@login_required
def keep_reflection(submission_id: int):
    """'Keep mine': the reflection's text stays past the retention period."""
    submission = withdrawal.load_own(current_user, submission_id)
    if submission is None:
        abort(404)
    if not KeepReflectionForm().validate_on_submit():
        abort(400)
    retention.keep(current_user, submission)
    db.session.commit()
    flash(_("The text of “%(title)s” will be kept.", title=submission.step.title), "success")
    return redirect(url_for("mydata.index"))
