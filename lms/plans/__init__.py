"""Personal action plans: goals, actions, check-ins, sharing with mentors."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("plans", __name__, url_prefix="/plans")


def init_app(app: Flask) -> None:
    """Register the plan pages, navigation, home panel, ``flask plans``, the check-in
    reminder job and the challenge answers that can become actions."""
    from lms.main.views import add_home_section
    from lms.plans import views  # noqa: F401  (the routes attach to bp)
    from lms.plans.cli import plans_cli
    from lms.plans.home import checkins_home_context
    from lms.plans.sources import add_answer_source, submission_answers
    from lms.services import reminders
    from lms.services.plans.action_plans import send_checkin_reminders
    from lms.templating import add_nav

    app.register_blueprint(bp)
    add_nav(app, "plans.index", _l("My action plan"), roles=("learner",))
    add_nav(app, "plans.shared", _l("Shared plans"), roles=("mentor",))
    add_home_section(app, "plans/_home_checkins.html", checkins_home_context,
                     roles=("learner",))
    app.cli.add_command(plans_cli)
    reminders.add_job(app, "plan check-ins", send_checkin_reminders)
    add_answer_source(app, submission_answers)
