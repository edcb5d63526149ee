"""Mandatory assignments, compliance and reminders."""

from flask import Blueprint

from lms.templating import add_nav

bp = Blueprint("assignments", __name__, url_prefix="/assignments")
add_nav("assignments.index", "Assignments", roles=("admin",))

from lms.assignments import views  # noqa: E402,F401
from lms.assignments.cli import assignments_cli  # noqa: E402
from lms.cli import EXTRA_GROUPS  # noqa: E402
from lms.main.views import add_home_section  # noqa: E402
from lms.services import reminders  # noqa: E402
from lms.services.accounts import people as accounts  # noqa: E402
from lms.services.assignments.reminders import run_due_reminders  # noqa: E402
from lms.services.assignments.rules import on_module_completed, refresh_for_people  # noqa: E402
from lms.services.learning import progress as learning  # noqa: E402


def _home_context(user) -> dict:
    from lms.services.assignments.compliance import visible_departments
    from lms.services.assignments.rules import assigned_to

    scope = visible_departments(user)
    return {"assigned": assigned_to(user),
            "leads_departments": scope is not None and bool(scope)}


add_home_section("assignments/_home.html", _home_context)
if on_module_completed not in learning.COMPLETION_HOOKS:
    learning.COMPLETION_HOOKS.append(on_module_completed)
if refresh_for_people not in accounts.PEOPLE_CHANGED_HOOKS:
    accounts.PEOPLE_CHANGED_HOOKS.append(refresh_for_people)
if assignments_cli not in EXTRA_GROUPS:
    EXTRA_GROUPS.append(assignments_cli)
reminders.register_job("assignments", run_due_reminders)

from lms.demo.assignments import load_assignment_demo  # noqa: E402
from lms.demo.people import AREA_DEMOS  # noqa: E402

if load_assignment_demo not in AREA_DEMOS:
    AREA_DEMOS.append(load_assignment_demo)
