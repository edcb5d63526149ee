"""Programme scorecard: the published view for all staff, the admin view with drill-down."""

from flask import Blueprint, Flask

bp = Blueprint("scorecard", __name__)


def init_app(app: Flask) -> None:
    """Register the scorecard pages and their navigation item."""
    from lms.scorecard import views  # noqa: F401  (the routes attach to bp)
    from lms.templating import add_nav

    app.register_blueprint(bp)
    add_nav(app, "scorecard.index", "Scorecard")
