"""``plan``: write a goal with an action in the action plan; done when there is one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from lms.content.checker import Checker
from lms.content.kinds import StepKind
from lms.content.yamlio import LineDict
from lms.extensions import db
from lms.models import ActionPlan, Goal, PlanAction


def check(c: Checker, s: LineDict, where: str) -> dict[str, Any]:
    return {"body_html": c.markdown_file(s, "body", required=False, where=where)}


def has_goal_with_action(user_id: int) -> bool:
    """True when the user has a goal with at least one action (a ``plan`` step is complete)."""
    return bool(db.session.scalar(select(
        select(PlanAction.id).join(Goal).join(ActionPlan)
        .where(ActionPlan.user_id == user_id).exists())))


def done(user_id: int, steps: list[Any]) -> set[int]:
    """Every ``plan`` step once the person has a goal with an action."""
    return {s.id for s in steps} if has_goal_with_action(user_id) else set()


KIND = StepKind("plan", frozenset({"body"}), check, label="Action plan",
                help="Add a goal with an action to the personal action plan.", completion=done)
