"""Demo data: Priya (learner@example.edu) keeps a shared plan with one goal, two actions."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from lms import clock
from lms.extensions import db
from lms.models import User
from lms.plans.goal_templates import TEMPLATES_BY_KEY
from lms.services.plans import action_plans as service

DEMO_LEARNER = "learner@example.edu"


def load_plan_demo() -> None:
    """Give the demo learner a plan if she has none; running it again changes nothing.

    The goal is dated 31 days back so the 30-day check-in shows as due and
    ``flask plans send-checkin-reminders`` has something to send.
    """
    learner = db.session.execute(
        select(User).where(User.email == DEMO_LEARNER)).scalar_one_or_none()
    if learner is None:
        return
    plan = service.get_plan(learner)
    if plan is not None and plan.goals:
        return
    template = TEMPLATES_BY_KEY["inclusive-meetings"]
    today = service.local_today()
    goal = service.create_goal(
        learner, title=template.title, value=template.value, behaviours=template.behaviours,
        circle_of_influence="Our weekly Internal Medicine team huddle, which I chair, and the "
                            "residents' teaching sessions.",
        support_needed=template.support_needed,
        actions=[service.ActionDraft(template.actions[0], today + timedelta(days=7)),
                 service.ActionDraft(template.actions[1], today + timedelta(days=21))],
        source="template", source_ref=template.key)
    goal.set_at = clock.now() - timedelta(days=31)
    service.set_action_status(goal.actions[0], "doing")
    service.set_sharing(goal.plan, shared=True, actor=learner)
    db.session.flush()
