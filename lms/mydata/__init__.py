"""The learner's own data: download everything held about me, withdraw a reflection."""

from flask import Blueprint, Flask

bp = Blueprint("mydata", __name__, url_prefix="/my-data")


def init_app(app: Flask) -> None:
    """Register the my-data pages and ``flask privacy`` (archives and retention)."""
    from lms.mydata import views  # noqa: F401  (the routes attach to bp)
    from lms.mydata.cli import privacy_cli

    app.register_blueprint(bp)
    app.cli.add_command(privacy_cli)
