"""Signing in and out, password resets."""

from flask import Blueprint, Flask

bp = Blueprint("auth", __name__, url_prefix="/auth")


def init_app(app: Flask) -> None:
    """Register the sign-in pages."""
    from lms.auth import views  # noqa: F401  (the routes attach to bp)

    app.register_blueprint(bp)
