"""Mandatory assignments, compliance and reminders."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("assignments", __name__, url_prefix="/assignments")


def _home_context(user) -> dict:
    from lms.permissions import visible_departments
    from lms.services.assignments.rules import assigned_to

    scope = visible_departments(user)
    return {"assigned": assigned_to(user),
            "leads_departments": scope is not None and bool(scope)}


def init_app(app: Flask) -> None:
    """Register the assignment pages, navigation, home panel, ``flask assignments`` and the
    reminder job; keep obligations current when people change or complete a module."""
    from lms import signals
    from lms.assignments import views  # noqa: F401  (the routes attach to bp)
    from lms.assignments.cli import assignments_cli
    from lms.main.views import add_home_section
    from lms.services import reminders
    from lms.services.assignments.reminders import run_due_reminders
    from lms.services.assignments.rules import (
        on_module_completed,
        on_module_started,
        refresh_for_people,
    )
    from lms.templating import add_nav

    app.register_blueprint(bp)
    add_nav(app, "assignments.index", _l("Assignments"), roles=("admin",))
    add_home_section(app, "assignments/_home.html", _home_context)
    app.cli.add_command(assignments_cli)
    reminders.add_job(app, "assignments", run_due_reminders)
    signals.module_completed.connect(on_module_completed, sender=app)
    signals.module_started.connect(on_module_started, sender=app)
    signals.people_changed.connect(refresh_for_people, sender=app)
