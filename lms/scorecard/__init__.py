"""Programme scorecard: the published view for all staff, the admin view with drill-down."""

from flask import Blueprint

from lms.demo.people import AREA_DEMOS
from lms.templating import add_nav

bp = Blueprint("scorecard", __name__)
add_nav("scorecard.index", "Scorecard")

from lms.demo.scorecard import load_scorecard_demo  # noqa: E402
from lms.scorecard import views  # noqa: E402,F401

if load_scorecard_demo not in AREA_DEMOS:
    AREA_DEMOS.append(load_scorecard_demo)
