"""Certificates: the learner's list and PDFs; a public page that verifies a code."""

from __future__ import annotations

from flask import abort, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from lms.certificates import bp
from lms.extensions import db, limiter
from lms.models import Certificate
from lms.permissions import login_required, public
from lms.services import certificates

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
