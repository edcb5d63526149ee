"""Admin pages for institutional sign-in: identity providers and SCIM tokens."""

from flask import Blueprint

bp = Blueprint("identity", __name__, url_prefix="/admin/identity")

from lms.identity import views  # noqa: E402,F401
