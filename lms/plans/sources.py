"""Where "turn my answers into actions" finds a learner's challenge answers.

The challenge area registers a loader here::

    from lms.plans.sources import ANSWER_SOURCES, AnswerSource

    def load_submission(user, source_id):
        # source_id is the URL segment, e.g. "submission-42"
        ...  # return None unless ``user`` owns the submission
        return AnswerSource(title=challenge.title, prompts=challenge.prompts,
                            answers=submission.answers, source_ref=f"submission:{id}",
                            back_url=url_for(...))

    ANSWER_SOURCES.append(load_submission)

and links to ``url_for("plans.from_challenge", source_id="submission-42")``.
A loader must return None for anything the user does not own: the page then
answers 404, so nobody learns whether someone else's submission exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lms.models import User


@dataclass(frozen=True)
class AnswerSource:
    """A learner's answers to one challenge, with the prompt definitions from its YAML."""

    title: str
    prompts: list[dict]
    answers: dict
    source_ref: str
    back_url: str | None = None
    extra: dict = field(default_factory=dict)


ANSWER_SOURCES: list[Callable[[User, str], AnswerSource | None]] = []


def find_answer_source(user: User, source_id: str) -> AnswerSource | None:
    """The first registered loader's answer for ``source_id``, or None."""
    for loader in ANSWER_SOURCES:
        source = loader(user, source_id)
        if source is not None:
            return source
    return None
