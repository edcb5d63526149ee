"""The "Check-ins due" panel on a learner's home page."""

from __future__ import annotations

from lms.models import User
from lms.services.plans import action_plans as service


def checkins_home_context(user: User) -> dict:
    """Check-ins owed now, the next one coming and how many goals the learner has."""
    overview = service.checkin_overview(user)
    return {"plan_due": overview.due, "plan_next": overview.next_due,
            "plan_goal_count": overview.goal_count}
