"""Erasure of a leaver by an admin: the person anonymised everywhere, the counts kept."""

from flask import Blueprint

bp = Blueprint("erasure", __name__, url_prefix="/admin/erasure")

from lms.erasure import views  # noqa: E402,F401
