"""Certificates: the learner's list and PDFs; a public page that verifies a code."""

from __future__ import annotations

from flask import abort, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from lms.certificates import bp
from lms.extensions import db, limiter
from lms.models import Certificate, User
from lms.permissions import login_required, public, roles_required
from lms.services import audit, certificates, transcripts

VERIFY_LIMIT = "30 per minute"


@bp.route("/certificates/")
@login_required
def index():
    return render_template("certificates/index.html",
                           certificates=certificates.for_user(current_user))


@bp.route("/certificates/<int:certificate_id>.pdf")
@login_required
def download(certificate_id: int):
    certificate = db.session.get(Certificate, certificate_id)
    # 404, not 403: whether someone else holds a certificate is nobody's business.
    if certificate is None or not certificates.can_download(current_user, certificate):
        abort(404)
    response = make_response(certificates.render_pdf(certificate))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{certificates.filename(certificate)}"')
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/verify", methods=["GET"])
@public
@limiter.limit(VERIFY_LIMIT)
def verify_form():
    code = request.args.get("code", "").strip()
    if code:
        return redirect(url_for("certificates.verify", code=code[:40]))
    return render_template("certificates/verify.html", certificate=None, code=None)


@bp.route("/verify/<code>")
@public
@limiter.limit(VERIFY_LIMIT)
def verify(code: str):
    certificate = certificates.find(code[:40])
    response = make_response(render_template(
        "certificates/verify.html", certificate=certificate, code=code[:40]),
        200 if certificate else 404)
    response.headers["X-Robots-Tag"] = "noindex"
    return response


# --- transcripts --------------------------------------------------------------------------

def _transcript_pdf(person: User):
    response = make_response(transcripts.render_pdf(person, transcripts.rows_for(person)))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{transcripts.filename(person)}"')
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/transcript")
@login_required
def transcript():
    return render_template("certificates/transcript.html",
                           rows=transcripts.rows_for(current_user))


@bp.route("/transcript.pdf")
@login_required
def transcript_pdf():
    return _transcript_pdf(current_user)


@bp.route("/admin/people/<int:user_id>/transcript.pdf")
@roles_required("admin")
def person_transcript_pdf(user_id: int):
    """Any person's transcript for the programme office: completions and evidence only."""
    person = db.get_or_404(User, user_id)
    audit.record(current_user, "transcript.download", person)
    db.session.commit()
    return _transcript_pdf(person)
