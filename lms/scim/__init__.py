"""SCIM 2.0 provisioning endpoint at /scim/v2 (people and groups from the HR system)."""

from flask import Blueprint, Flask

bp = Blueprint("scim", __name__, url_prefix="/scim/v2")


# The same kinds as ``application.GROUP_KINDS``, checked here so a bad setting stops the start
# without loading scim2-server (and pydantic's models) into every worker.
GROUP_KINDS = ("department", "cohort")


def init_app(app: Flask) -> None:
    """Register the endpoint; the SCIM application is built on the first SCIM request."""
    group_kind = app.config["LMS_SCIM_GROUPS"]
    if group_kind not in GROUP_KINDS:
        raise RuntimeError(f"LMS_SCIM_GROUPS must be department or cohort, not {group_kind!r}")
    from lms.scim import views  # noqa: F401  (the routes attach to bp)

    app.register_blueprint(bp)

