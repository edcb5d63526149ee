"""Invitations to co-author a group reflection: the invitee's list, accept and decline."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.extensions import db
from lms.learn import bp
from lms.permissions import login_required
from lms.services.errors import DomainError
from lms.services.learning import coauthoring


def _own_invitation(invitation_id: int):
    invitation = coauthoring.invitation_for(current_user, invitation_id)
    if invitation is None:
        abort(404)  # someone else's invitation looks like a missing one
    return invitation


@bp.route("/co-authoring", endpoint="coauthor_invitations")
@login_required
def invitations():
    return render_template("learn/coauthor_invitations.html",
                           invitations=coauthoring.pending_for(current_user))


@bp.route("/co-authoring/<int:invitation_id>/accept", methods=["POST"],
          endpoint="accept_coauthoring")
@login_required
def accept(invitation_id: int):
    invitation = _own_invitation(invitation_id)
    try:
        submission = coauthoring.accept(current_user, invitation)
    except DomainError as problem:
        db.session.rollback()
        flash(problem.message, "warning")
        return redirect(url_for("learn.coauthor_invitations"))
    db.session.commit()
    flash(_("You are now a co-author of “%(title)s”.", title=submission.step.title), "success")
    return redirect(url_for("review.history", submission_id=submission.id))


@bp.route("/co-authoring/<int:invitation_id>/decline", methods=["POST"],
          endpoint="decline_coauthoring")
@login_required
def decline(invitation_id: int):
    coauthoring.decline(current_user, _own_invitation(invitation_id))
    db.session.commit()
    flash(_("Declined. Nothing about it stays in your record."), "success")
    return redirect(url_for("learn.coauthor_invitations"))
