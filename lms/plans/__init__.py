"""Personal action plans: goals, actions, check-ins, sharing with mentors."""

from flask import Blueprint

from lms.cli import EXTRA_GROUPS
from lms.demo.people import AREA_DEMOS
from lms.main.views import add_home_section
from lms.templating import add_nav

bp = Blueprint("plans", __name__, url_prefix="/plans")

from lms.demo.plans import load_plan_demo  # noqa: E402
from lms.plans import views  # noqa: E402,F401
from lms.plans.cli import plans_cli  # noqa: E402
from lms.plans.home import checkins_home_context  # noqa: E402
from lms.plans.wiring import register as register_wiring  # noqa: E402

add_nav("plans.index", "My action plan", roles=("learner",))
add_nav("plans.shared", "Shared plans", roles=("mentor",))
add_home_section("plans/_home_checkins.html", checkins_home_context, roles=("learner",))
if plans_cli not in EXTRA_GROUPS:
    EXTRA_GROUPS.append(plans_cli)
if load_plan_demo not in AREA_DEMOS:
    AREA_DEMOS.append(load_plan_demo)
register_wiring()
