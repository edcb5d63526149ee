"""The one registry of step kinds and challenge prompt types.

Each kind of step is one module in this package holding a ``KIND``: the keys it
takes in module.yaml and the check that validates them and returns the stored
config, whether a learner marks it done with a button, whether renewing an
expired completion redoes it, the rule that decides completion when another
area does (a ``live`` step by attendance, a ``plan`` step by the action plan),
and sample answers for the scale generator. Its learner partial is
``templates/learn/_step_<kind>.html`` and its studio form
``templates/studio/_kind_<kind>.html``. Prompt types of a challenge are
likewise one ``PromptType`` each in ``prompts.py``.

The validator (``lms.content.schema``), the player (``lms.learn``), progress
(``lms.services.learning``), the studio and the demo generators all read
``KINDS`` and ``PROMPT_TYPES``; a new kind is one module listed below and
one template.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lms.content.checker import Checker
from lms.content.yamlio import LineDict

StepCheck = Callable[[Checker, LineDict, str], dict[str, Any]]
Completion = Callable[[int, list[Any]], set[int]]


@dataclass(frozen=True)
class StepKind:
    """One kind of step.

    ``keys`` and ``check``: how it is written in module.yaml and validated (the check
    returns the stored config). ``marked_done``: the learner finishes it with a "mark
    as done" button. ``completion``: None when the learner's own record decides, else
    the rule (person id, the module's steps of this kind → ids of those done).
    ``renewed``: done again when an expired completion is renewed (challenges and
    surveys keep their answers: a reflection is not rewritten, and an anonymous
    evaluation cannot be answered twice). ``sample``: answers the scale generator
    records for it (config, random → JSON-able value), None when it records none.
    ``read``: the learner's answers from a posted form (config, form → answers and the
    ids left unanswered), for kinds whose answers the player reads this way.
    ``label`` and ``help``: how the studio names it.
    """

    name: str
    keys: frozenset[str]
    check: StepCheck
    label: str
    help: str = ""
    marked_done: bool = False
    completion: Completion | None = None
    renewed: bool = False
    sample: Callable[[dict[str, Any], random.Random], Any] | None = None
    read: Callable[[dict[str, Any], Any], tuple[dict[str, Any], list[str]]] | None = None

    @property
    def learner_template(self) -> str:
        return f"learn/_step_{self.name}.html"

    @property
    def studio_template(self) -> str:
        return f"studio/_kind_{self.name}.html"


def _registry() -> dict[str, StepKind]:
    from lms.content.kinds import challenge, check, live, page, plan, survey, video

    return {module.KIND.name: module.KIND
            for module in (page, video, challenge, check, survey, live, plan)}


KINDS: dict[str, StepKind] = _registry()
