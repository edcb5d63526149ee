"""SCIM 2.0 provisioning endpoint at /scim/v2 (people and groups from the HR system)."""

from flask import Blueprint, Flask

bp = Blueprint("scim", __name__, url_prefix="/scim/v2")


def init_app(app: Flask) -> None:
    from lms.scim.application import build_application

    app.extensions["lms_scim"] = build_application(app.config["LMS_SCIM_GROUPS"])
    from lms.scim import views  # noqa: F401  (the routes attach to bp)

    app.register_blueprint(bp)

