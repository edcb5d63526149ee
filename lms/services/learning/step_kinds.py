"""What progress asks of each kind of step, read from the registry ``lms.content.kinds``.

Most steps are done when the learner marks them done (a page, a video) or
when their own record says so (a check, a survey): a ``step_progress`` row. A
kind may keep its records in a table of its own (a challenge's submissions);
its registry entry's ``records`` loads them and decides from them.
Two kinds are decided by another area: a ``live`` step by attending an
offering of the training it names, a ``plan`` step by having a goal with an
action in the action plan. Their registry entry's ``completion`` holds that
rule: it takes a person's id and the module's steps of that kind and returns
the ids of the steps that are done.
"""

from __future__ import annotations

from typing import Any

from lms.content.kinds import KINDS as KINDS
from lms.content.kinds import Records
from lms.content.kinds import StepKind as StepKind
from lms.models import Step


def decided_elsewhere(kind: str) -> bool:
    """True for kinds whose completion another area decides (``live``, ``plan``)."""
    step_kind = KINDS.get(kind)
    return step_kind is not None and step_kind.completion is not None


def renewed_kinds() -> tuple[str, ...]:
    """The kinds a learner does again to renew an expired completion."""
    return tuple(name for name, kind in KINDS.items() if kind.renewed)


def marked_done_kinds() -> tuple[str, ...]:
    """The kinds a learner finishes with a "mark as done" button (a page, a video)."""
    return tuple(name for name, kind in KINDS.items() if kind.marked_done)


def finishes(step: Step, record: dict | None) -> bool:
    """Whether the learner's stored record of ``step`` makes it done (its kind's
    ``finished`` rule: a check with a pass mark needs a passing try)."""
    step_kind = KINDS.get(step.kind)
    return step_kind is None or step_kind.finishes(step, record)


def keeping_records(kind: str) -> Records | None:
    """How a kind that keeps its learners' records itself (a challenge's submissions)
    decides completion; None when a ``step_progress`` row is the record."""
    step_kind = KINDS.get(kind)
    return step_kind.records if step_kind is not None else None


def kept_records(user_id: int, steps: list[Step]) -> dict[int, Any]:
    """The person's records of ``steps`` whose kinds keep their own, by step id."""
    records: dict[int, Any] = {}
    for step_kind in KINDS.values():
        of_kind = [s for s in steps if s.kind == step_kind.name]
        if of_kind and step_kind.records is not None:
            records.update(step_kind.records.load(user_id, of_kind))
    return records


def done_elsewhere(user_id: int, steps: list[Step]) -> set[int]:
    """Ids of ``steps`` that the areas deciding their kind count as done."""
    done: set[int] = set()
    for step_kind in KINDS.values():
        of_kind = [s for s in steps if s.kind == step_kind.name]
        if of_kind and step_kind.completion is not None:
            done |= step_kind.completion(user_id, of_kind)
    return done
