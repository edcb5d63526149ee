"""Ally champions: the directory, naming champions per department, participation records."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

bp = Blueprint("champions", __name__, url_prefix="/champions")


def init_app(app: Flask) -> None:
    """Register the champions pages and their navigation."""
    from lms.champions import views  # noqa: F401  (the routes attach to bp)
    from lms.templating import add_nav

    app.register_blueprint(bp)
    # The menu has room for one short word in the longer languages (context "menu").
    add_nav(app, "champions.directory", lazy_pgettext("menu", "Ally champions"))
    add_nav(app, "champions.manage", _l("Manage champions"), roles=("admin",))
