"""What each kind of step is: which area decides when it is done, what renewing redoes.

Most steps are done when the learner marks them done (a page, a video) or
when their own record says so (a challenge's submission, a check, a survey).
Two kinds are decided by another area: a ``live`` step by attending an
offering of the training it names, a ``plan`` step by having a goal with an
action in the action plan. ``completion`` holds that rule: it takes a
person's id and the module's steps of that kind and returns the ids of the
steps that are done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from lms.extensions import db
from lms.models import Enrollment, Step
from lms.services import duedates
from lms.services.events.offerings import attended_training_slugs
from lms.services.plans.action_plans import latest_action_added_at


def live_steps_done(user_id: int, steps: list[Step]) -> set[int]:
    """``live`` steps whose training the person attended."""
    attended = attended_training_slugs(user_id)
    return {s.id for s in steps if s.config.get("training") in attended}


def plan_steps_done(user_id: int, steps: list[Step]) -> set[int]:
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
    added = duedates.local_date(latest)
    return {s.id for s in steps
            if added >= duedates.local_date(started + timedelta(days=s.unlock_after_days or 0))}


@dataclass(frozen=True)
class StepKind:
    """One kind of step. ``completion`` is None when the learner's own record decides;
    ``renewed`` steps are done again when an expired completion is renewed (challenges
    and surveys keep their answers: a reflection is not rewritten, and an anonymous
    evaluation cannot be answered twice). How a kind is written in module.yaml is
    ``lms.content.schema.STEP_SCHEMAS``; how it is shown, ``templates/learn/_step_<kind>.html``.
    """

    name: str
    completion: Callable[[int, list[Step]], set[int]] | None = None
    renewed: bool = False


# One entry per name in ``lms.models.STEP_KINDS``.
KINDS: dict[str, StepKind] = {kind.name: kind for kind in (
    StepKind("page", renewed=True),
    StepKind("video", renewed=True),
    StepKind("challenge"),
    StepKind("check", renewed=True),
    StepKind("survey"),
    StepKind("live", completion=live_steps_done),
    StepKind("plan", completion=plan_steps_done),
)}


def decided_elsewhere(kind: str) -> bool:
    """True for kinds whose completion another area decides (``live``, ``plan``)."""
    step_kind = KINDS.get(kind)
    return step_kind is not None and step_kind.completion is not None


def renewed_kinds() -> tuple[str, ...]:
    """The kinds a learner does again to renew an expired completion."""
    return tuple(name for name, kind in KINDS.items() if kind.renewed)


def done_elsewhere(user_id: int, steps: list[Step]) -> set[int]:
    """Ids of ``steps`` that the areas deciding their kind count as done."""
    done: set[int] = set()
    for step_kind in KINDS.values():
        of_kind = [s for s in steps if s.kind == step_kind.name]
        if of_kind and step_kind.completion is not None:
            done |= step_kind.completion(user_id, of_kind)
    return done
