"""Live sessions: workshops with dated offerings, registration and waitlist, calendars,
attendance, engagement weeks and team training requests."""

from flask import Blueprint

from lms.templating import add_nav

bp = Blueprint("events", __name__, url_prefix="/events")
add_nav("events.index", "Live sessions")
add_nav("events.manage", "Manage sessions", roles=("admin",))


def _register_extensions() -> None:
    from lms.cli import EXTRA_GROUPS
    from lms.demo.events import load_events_demo
    from lms.demo.people import AREA_DEMOS
    from lms.events.cli import events_cli
    from lms.events.home import home_context
    from lms.main.views import add_home_section

    add_home_section("events/_home.html", home_context)
    if events_cli not in EXTRA_GROUPS:
        EXTRA_GROUPS.append(events_cli)
    if load_events_demo not in AREA_DEMOS:
        AREA_DEMOS.append(load_events_demo)

    from lms.events.wiring import register

    register()


_register_extensions()

from lms.events import manage, views  # noqa: E402,F401
