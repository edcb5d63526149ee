"""Action plans: people with an active plan, and people who completed an action.

Tables (owned by the action plans area; this provider is active only once
all three exist): ``action_plans`` with ``id`` and ``user_id`` (a plan is
active unless a ``status`` column says otherwise -- ``'active'`` counts --
or an ``archived_at`` column is set), ``plan_goals`` with ``id`` and ``plan_id``,
and ``plan_actions`` with ``goal_id`` and ``status`` (``'done'`` counts).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import func, select

from lms.extensions import db
from lms.i18n import lazy_text as _l
from lms.models import User
from lms.services.scorecard.metrics.base import (
    Context,
    Figures,
    People,
    Provider,
    rows_to_counts,
    table,
)

DONE = "done"


def _active(plans: sa.Table):
    if "status" in plans.c:
        return plans.c.status == "active"
    if "archived_at" in plans.c:
        return plans.c.archived_at.is_(None)
    return sa.true()


def compute(ctx: Context) -> Figures:
    plans = table("action_plans", ("id", "user_id"))
    goals = table("plan_goals", ("id", "plan_id"))
    actions = table("plan_actions", ("goal_id", "status"))
    if plans is None or goals is None or actions is None:
        return Figures(notes=[_l("Action plans are not shown: the action_plans, goals or "
                                 "actions table lacks the columns it needs.")])
    people = plans.c.user_id.distinct()
    with_plan = rows_to_counts(db.session.execute(
        select(User.department_id, func.count(people))
        .join(plans, plans.c.user_id == User.id)
        .join(goals, goals.c.plan_id == plans.c.id)  # an empty plan is not an active one
        .where(User.is_active_account, _active(plans)).group_by(User.department_id)))
    completed_action = rows_to_counts(db.session.execute(
        select(User.department_id, func.count(people))
        .select_from(actions)
        .join(goals, goals.c.id == actions.c.goal_id)
        .join(plans, plans.c.id == goals.c.plan_id)
        .join(User, User.id == plans.c.user_id)
        .where(User.is_active_account, actions.c.status == DONE)
        .group_by(User.department_id)))
    return Figures(
        columns=[People("with_plan", _l("Active action plans"),
                        _l("People whose action plan has at least one goal.")),
                 People("completed_action", _l("Completed an action"),
                        _l("People who completed at least one action in their plan."))],
        counts={"with_plan": with_plan, "completed_action": completed_action})


PROVIDER = Provider("plans", _l("Action plans"), compute,
                    tables=("action_plans", "plan_goals", "plan_actions"), order=50)
