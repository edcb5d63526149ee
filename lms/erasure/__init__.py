"""Erasure of a leaver by an admin: the person anonymised everywhere, the counts kept."""

from flask import Blueprint, Flask

bp = Blueprint("erasure", __name__, url_prefix="/admin/erasure")


def init_app(app: Flask) -> None:
    """Register the erasure pages."""
    from lms.erasure import views  # noqa: F401  (the routes attach to bp)

    app.register_blueprint(bp)
