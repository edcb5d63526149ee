from flask import Blueprint

from lms.templating import add_nav

bp = Blueprint("learn", __name__, url_prefix="/learn")
add_nav("learn.catalogue", "Modules")

from lms.learn import coauthoring_views, views  # noqa: E402,F401
from lms.main.views import add_home_section  # noqa: E402


def _learning_context(user) -> dict:
    from lms.services.learning import dashboard_summary

    return {"learning": dashboard_summary(user)}


add_home_section("learn/_home_learning.html", _learning_context)
