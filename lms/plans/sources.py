"""Where "turn my answers into actions" finds a learner's challenge answers.

Each application has a list of loaders (``add_answer_source(app, loader)``;
the plans area adds ``submission_answers``, the learner's own submitted
challenge answers). A loader takes ``(user, source_id)``, where
``source_id`` is the URL segment of ``url_for("plans.from_challenge",
source_id="submission-42")``, and returns an :class:`AnswerSource`, or None
for anything the user does not own: the page then answers 404, so nobody
learns whether someone else's submission exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app, url_for
from sqlalchemy import select

from lms.extensions import db
from lms.models import Step, Submission, User
from lms.urlargs import id_suffix

SOURCE_PREFIX = "submission-"
SOURCES_KEY = "lms.answer_sources"


@dataclass(frozen=True)
class AnswerSource:
    """A learner's answers to one challenge, with the prompt definitions from its YAML."""

    title: str
    prompts: list[dict]
    answers: dict
    source_ref: str
    back_url: str | None = None
    extra: dict = field(default_factory=dict)


AnswerLoader = Callable[[User, str], AnswerSource | None]


def add_answer_source(app: Flask, loader: AnswerLoader) -> None:
    """Let ``find_answer_source`` ask ``loader`` too (after the loaders added before)."""
    loaders = app.extensions.setdefault(SOURCES_KEY, [])
    if loader not in loaders:
        loaders.append(loader)


def find_answer_source(user: User, source_id: str) -> AnswerSource | None:
    """The first loader's answer for ``source_id``, or None."""
    for loader in current_app.extensions.get(SOURCES_KEY, []):
        source = loader(user, source_id)
        if source is not None:
            return source
    return None


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
