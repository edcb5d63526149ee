"""How action plans meet the rest of the product.

- a module's ``plan`` step is complete once the learner has a goal with an action;
- a submitted challenge's answers can become plan actions;
- check-in reminders run with ``flask reminders send``.
"""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from lms.extensions import db
from lms.models import Step, Submission, User
from lms.plans.sources import ANSWER_SOURCES, AnswerSource
from lms.services import learning, reminders
from lms.services import plans as plan_service
from lms.urlargs import id_suffix

SOURCE_PREFIX = "submission-"


def plan_steps_done(user_id: int, steps: list[Step]) -> set[int]:
    return {s.id for s in steps} if plan_service.has_goal_with_action(user_id) else set()


def produces_actions(step: Step) -> bool:
    return step.kind == "challenge" and any(
        p.get("produces_actions") for p in step.config.get("prompts", []))


def submission_answers(user: User, source_id: str) -> AnswerSource | None:
    """The user's own submitted challenge answers; None for anyone else's."""
    submission_id = id_suffix(source_id, SOURCE_PREFIX)
    if submission_id is None:
        return None
    submission = db.session.execute(select(Submission).where(
        Submission.id == submission_id,
        Submission.user_id == user.id)).scalar_one_or_none()
    if submission is None or submission.status == "draft" or not produces_actions(
            submission.step):
        return None
    step = submission.step
    return AnswerSource(
        title=step.title, prompts=step.config["prompts"], answers=submission.answers,
        source_ref=f"submission:{submission.id}",
        back_url=url_for("learn.step", slug=step.module.slug, step_slug=step.slug))


def register() -> None:
    learning.STEP_COMPLETION_PROVIDERS["plan"] = plan_steps_done
    if submission_answers not in ANSWER_SOURCES:
        ANSWER_SOURCES.append(submission_answers)
    reminders.register_job("plan check-ins", plan_service.send_checkin_reminders)
