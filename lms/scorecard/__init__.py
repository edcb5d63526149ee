"""Programme scorecard: the published view for all staff, the admin view with drill-down."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("scorecard", __name__)


def init_app(app: Flask) -> None:
    """Register the scorecard pages, their navigation item and the metric providers."""
    from lms.scorecard import views  # noqa: F401  (the routes attach to bp)
    from lms.services.scorecard.metrics import PROVIDERS, register
    from lms.templating import add_nav

    app.register_blueprint(bp)
    add_nav(app, "scorecard.index", _l("Scorecard"))
    for provider in PROVIDERS:
        register(app, provider)
