"""Ally champions: the directory, naming champions per department, participation records."""

from flask import Blueprint, Flask

bp = Blueprint("champions", __name__, url_prefix="/champions")


def init_app(app: Flask) -> None:
    """Register the champions pages and their navigation."""
    from lms.champions import views  # noqa: F401  (the routes attach to bp)
    from lms.templating import add_nav

    app.register_blueprint(bp)
    add_nav(app, "champions.directory", "Ally champions")
    add_nav(app, "champions.manage", "Manage champions", roles=("admin",))
