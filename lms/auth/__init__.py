"""Signing in and out, password resets."""

from flask import Blueprint, Flask

bp = Blueprint("auth", __name__, url_prefix="/auth")


def init_app(app: Flask) -> None:
    """Register the sign-in pages."""
    from lms.auth import views  # noqa: F401  (the routes attach to bp)
    from lms.services.accounts.password_mail import fill_password_link
    from lms.services.mail import register_secret_filler

    app.register_blueprint(bp)
    register_secret_filler(app, "password", fill_password_link)
