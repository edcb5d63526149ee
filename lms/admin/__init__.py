"""People, departments, cohorts, mentor links, the Outbox and the audit log."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("admin", __name__, url_prefix="/admin")


def init_app(app: Flask) -> None:
    """Register the admin pages and their navigation item."""
    from lms.admin import views  # noqa: F401  (the routes attach to bp)
    from lms.templating import add_nav

    app.register_blueprint(bp)
    add_nav(app, "admin.index", _l("Admin"), roles=("admin",))
