"""Live sessions: workshops with dated offerings, registration and waitlist, calendars,
attendance, engagement weeks and team training requests."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("events", __name__, url_prefix="/events")


def init_app(app: Flask) -> None:
    """Register the live-session pages, navigation, home panel, ``flask events``, the
    reminder job for tomorrow's sessions, the filler of external participants' private
    links and the payment provider (manual)."""
    from lms.events import externals, home, manage, views  # noqa: F401  (routes attach to bp)
    from lms.events.cli import events_cli
    from lms.main.views import add_home_section
    from lms.services import reminders
    from lms.services.events.externals import fill_external_link
    from lms.services.events.mail import send_reminders
    from lms.services.events.payments import ManualPayments, register_provider
    from lms.services.mail import register_secret_filler
    from lms.templating import add_nav

    app.register_blueprint(bp)
    add_nav(app, "events.index", _l("Live sessions"))
    add_nav(app, "events.manage", _l("Manage sessions"), roles=("admin",))
    add_home_section(app, "events/_home.html", home.home_context)
    app.cli.add_command(events_cli)
    reminders.add_job(app, "live sessions", send_reminders)
    # Confirmation and management links of external participants exist only in their mailbox.
    register_secret_filler(app, "external", fill_external_link)
    register_provider(app, ManualPayments())
