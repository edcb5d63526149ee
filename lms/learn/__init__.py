"""The module catalogue and the step player."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("learn", __name__, url_prefix="/learn")


def _learning_context(user) -> dict:
    from lms.services.learning.progress import dashboard_summary

    return {"learning": dashboard_summary(user)}


def init_app(app: Flask) -> None:
    """Register the learning pages, their navigation item and home panel."""
    from lms.learn import coauthoring_views, views  # noqa: F401  (the routes attach to bp)
    from lms.main.views import add_home_section
    from lms.templating import add_nav

    app.register_blueprint(bp)
    add_nav(app, "learn.catalogue", _l("Modules"))
    add_home_section(app, "learn/_home_learning.html", _learning_context)
