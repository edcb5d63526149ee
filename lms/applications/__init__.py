"""Application calls: people apply within a window, reviewers score and decide."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("applications", __name__, url_prefix="/applications")


def init_app(app: Flask) -> None:
    """Register the application pages, navigation and the home panel of open calls."""
    from lms.applications import views
    from lms.main.views import add_home_section
    from lms.templating import add_nav

    app.register_blueprint(bp)
    add_nav(app, "applications.index", _l("Applications"))
    add_nav(app, "applications.manage", _l("Application calls"), roles=("admin",))
    add_home_section(app, "applications/_home.html", views.home_context)
