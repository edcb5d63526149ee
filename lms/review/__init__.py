"""Mentor review of reflections, mentor links and notifications.

Importing this package wires the area into the rest of the application:
navigation (with the unread-notification count), home-page sections, the
submit hook that tells mentors about new reflections, the reminder jobs and
the demo data.
"""

from flask import Blueprint

from lms.templating import add_nav

bp = Blueprint("review", __name__, url_prefix="/review")

add_nav("review.queue", "Review queue", roles=("mentor",))
add_nav("review.mine", "My reflections", roles=("learner",))
add_nav("review.notifications", "Notifications")
add_nav("review.admin_overview", "Reviews", roles=("admin",))

from lms.review import views  # noqa: E402,F401
from lms.review.wiring import wire  # noqa: E402

wire(bp)
