"""Admin pages for institutional sign-in: identity providers and SCIM tokens."""

from flask import Blueprint, Flask

bp = Blueprint("identity", __name__, url_prefix="/admin/identity")


def init_app(app: Flask) -> None:
    """Register the identity-provider admin pages."""
    from lms.identity import views  # noqa: F401  (the routes attach to bp)

    app.register_blueprint(bp)
