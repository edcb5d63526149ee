"""Home, profile and the privacy notice."""

from flask import Blueprint, Flask

bp = Blueprint("main", __name__)


def init_app(app: Flask) -> None:
    """Register the home, profile and privacy pages."""
    from lms.main import views  # noqa: F401  (the routes attach to bp)

    app.register_blueprint(bp)
