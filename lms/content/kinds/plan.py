"""``plan``: write a goal with an action in the action plan; done when there is one made
on or after the day the step opened."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from lms.content.checker import Checker, Where
from lms.content.kinds import StepKind
from lms.content.kinds.editor import Editor, Field
from lms.content.yamlio import LineDict
from lms.extensions import db
from lms.localtime import local_date
from lms.models import ActionPlan, Enrollment, Goal, PlanAction


def check(c: Checker, s: LineDict, where: Where) -> dict[str, Any]:
    return {"body_html": c.markdown_file(s, "body", required=False, where=where)}


def has_goal_with_action(user_id: int) -> bool:
    """True when the user has a goal with at least one action."""
    return bool(db.session.scalar(select(
        select(PlanAction.id).join(Goal).join(ActionPlan)
        .where(ActionPlan.user_id == user_id).exists())))


def latest_action_added_at(user_id: int):
    """When the person last added an action to a goal of their plan (NULL if never), as a
    scalar subquery, so a caller can ask it alongside what it needs in one query."""
    return (select(func.max(PlanAction.created_at)).join(Goal).join(ActionPlan)
            .where(ActionPlan.user_id == user_id).scalar_subquery())


def done(user_id: int, steps: list[Any]) -> set[int]:
    """``plan`` steps for which the person added an action to a goal on or after the day
    the step opened (the day they started the module, plus its ``unlock_after_days``): a
    plan made before a part opened does not do that part's work."""
    if not steps:
        return set()
    started = (select(Enrollment.started_at)
               .where(Enrollment.user_id == user_id, Enrollment.module_id == steps[0].module_id)
               .scalar_subquery())
    latest, started = db.session.execute(
        select(latest_action_added_at(user_id), started)).one()
    if latest is None or started is None:
        return set()
    added = local_date(latest)
    return {s.id for s in steps
            if added >= local_date(started + timedelta(days=s.unlock_after_days or 0))}


KIND = StepKind("plan", frozenset({"body"}), check, label=_l("Action plan"),
                help=_l("Add a goal with an action to the personal action plan."), completion=done,
                editor=Editor(fields=(Field("body", _l("What to add to the action plan"),
                                            "markdown", file="{slug}.md",
                                            start="Write this step here.\n"),)))
