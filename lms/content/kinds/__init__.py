"""The one registry of step kinds and challenge prompt types.

Each kind of step is one module in this package holding a ``KIND``: the keys it
takes in module.yaml and the check that validates them and returns the stored
config, what its learner partial needs from the learner's record (``context``),
how a posted answer is read and taken (``read``, ``accept``), whether a learner
marks it done with a button, whether the learner's own record of it finishes it
(``finished``), the rule that decides completion when another area does (a
``live`` step by attendance, a ``plan`` step by the action plan), whether
renewing an expired completion redoes it, and sample answers for the scale
generator, and its ``editor``: how the studio edits it (``editor.py``: the fields it
shows, how a posted form becomes the step's keys, and the name of its studio template,
if it needs one beyond its fields). Its learner partial is
``templates/learn/_step_<kind>.html``. Prompt types of a challenge
are likewise one ``PromptType`` each in ``prompts.py``.

The validator (``lms.content.schema``), the player and the studio's preview
(``lms.learn.player``), progress (``lms.services.learning``), the studio and the
demo generators all read ``KINDS`` and ``PROMPT_TYPES``; a new kind is one module
listed below, its learner partial and, if its fields are not enough, a studio template.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from lms.content.checker import Checker, Where
from lms.content.kinds.editor import Editor
from lms.content.yamlio import LineDict

StepCheck = Callable[[Checker, LineDict, Where], dict[str, Any]]
Completion = Callable[[int, list[Any]], set[int]]


@dataclass
class Visit:
    """A person at a step in the player: what a kind's ``context``, ``read`` and
    ``accept`` work from.

    The services read this registry, so it cannot import them; the player hands a kind
    those it may use instead: ``learning`` holds the modules of ``lms.services.learning``
    (``challenges``, ``coauthoring``, ``evidence``, ``progress``, ``surveys``) and
    ``forms`` is ``lms.learn.forms``. ``args`` are the page's query arguments. In the
    studio's preview ``preview`` is true, ``user`` is the author and ``step`` a step of
    the draft that was never stored, so every record a kind looks up is empty: the page
    is the one a learner who has not begun the step sees. The preview never calls
    ``accept``, so it records nothing. ``state``, when the player has it, is the
    learner's ``StepState`` of the step from the module's progress, loaded in this
    request: its ``record`` spares a kind loading the learner's record again.
    """

    step: Any
    user: Any
    args: Mapping[str, str]
    learning: Any
    forms: Any
    preview: bool = False
    state: Any = None


@dataclass
class Answered:
    """What the player does once a kind has taken, or refused, a posted answer.

    ``refused``: values to show the step again with (status 422), such as what was
    chosen and what is missing; the player then stores nothing. Otherwise ``message``
    is shown (as ``category``) and the learner goes on to the next step, or with
    ``stay`` back to this one, at ``anchor``.
    """

    refused: dict[str, Any] | None = None
    message: str | None = None
    category: str = "success"
    stay: bool = False
    anchor: str | None = None

    @property
    def is_refused(self) -> bool:
        return self.refused is not None


@dataclass(frozen=True)
class Records:
    """The learner's records of a kind kept in a table of the kind's own instead of
    ``step_progress`` (a challenge's submissions).

    ``load``: (person id, the module's steps of the kind) → the record credited to the
    person per step id, in a fixed number of queries; ``done`` and ``status``: (step, its
    record or None) → whether the step is done, and the status progress shows for it.
    """

    load: Callable[[int, list[Any]], dict[int, Any]]
    done: Callable[[Any, Any], bool]
    status: Callable[[Any, Any], str]


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
    ``context``: what its learner partial needs beyond the module, step, state and
    progress (a ``Visit`` → template values), None when nothing. ``read``: the answers
    in a posted form (visit, form → answers and the ids left unanswered). ``accept``:
    take a posted answer (visit, form → ``Answered``); None with a ``read`` means the
    plain rule of ``take``: every answer given, they become the learner's record of the
    step, which finishes it. ``finished``: whether the learner's record of the step
    (step, its stored data) finishes it, None when having one does (a check with a pass
    mark needs a passing try). ``label`` and ``help``: how the studio names it;
    ``editor``: how the studio edits it (``lms.content.kinds.editor.Editor``).
    ``records``: None when the learner's record is a ``step_progress`` row, else where
    the kind keeps its own and how they decide completion (``Records``).
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
    read: Callable[[Visit, Any], tuple[dict[str, Any], list[str]]] | None = None
    context: Callable[[Visit], dict[str, Any]] | None = None
    accept: Callable[[Visit, Any], Answered] | None = None
    finished: Callable[[Any, dict[str, Any] | None], bool] | None = None
    editor: Editor = Editor()
    records: Records | None = None

    @property
    def takes_answers(self) -> bool:
        """True when the player takes a posted answer to it (``take``)."""
        return self.accept is not None or self.read is not None

    def player_context(self, visit: Visit) -> dict[str, Any]:
        return self.context(visit) if self.context is not None else {}

    def take(self, visit: Visit, form: Any) -> Answered:
        """Take the answer posted in ``form``: the kind's ``accept``, or the plain rule
        (refused while anything is unanswered, else kept as the finished step's record).
        May raise ``DomainError``."""
        if self.accept is not None:
            return self.accept(visit, form)
        if self.read is None:
            raise LookupError(f"step kind {self.name!r} takes no answers")
        answers, missing = self.read(visit, form)
        if missing:
            return Answered(refused={"chosen": answers, "missing": missing})
        visit.learning.progress.mark_step_done(visit.user, visit.step, data=answers)
        return Answered()

    def finishes(self, step: Any, record: dict[str, Any] | None) -> bool:
        """Whether the learner's stored record of ``step`` makes it done."""
        return self.finished(step, record) if self.finished is not None else True

    @property
    def learner_template(self) -> str:
        return f"learn/_step_{self.name}.html"

    @property
    def studio_template(self) -> str | None:
        """The studio template included after the editor's fields, if the kind has one."""
        return self.editor.template


def _registry() -> dict[str, StepKind]:
    from lms.content.kinds import challenge, check, live, page, plan, survey, video

    return {module.KIND.name: module.KIND
            for module in (page, video, challenge, check, survey, live, plan)}


KINDS: dict[str, StepKind] = _registry()
