"""The step player's page, built from the registry of step kinds for the learner's
player and the studio's preview alike, so the preview is the learner's page.

A kind's ``context`` (``lms.content.kinds``) works from a ``Visit``; the player hands
it the learning services and the learner's forms, which the registry cannot import
(the services read the registry).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from flask import request
from flask_login import current_user

from lms.content.kinds import KINDS, Visit
from lms.i18n import in_language
from lms.learn import forms
from lms.models import Module, Step
from lms.services.learning import challenges, coauthoring, evidence, progress, surveys

LEARNING = SimpleNamespace(challenges=challenges, coauthoring=coauthoring, evidence=evidence,
                           progress=progress, surveys=surveys)


def visit(step: Step, *, preview: bool = False, state: Any = None) -> Visit:
    """The signed-in person at ``step`` (in the studio's preview: the author at a step of
    the draft that was never stored); ``state``: their state of it in the module's
    progress, when loaded in this request."""
    return Visit(step=step, user=current_user, args=request.args, learning=LEARNING,
                 forms=forms, preview=preview, state=state)


def page_context(module: Module, step: Step, state: Any, module_progress: Any, *,
                 preview: bool = False, **values: Any) -> dict[str, Any]:
    """What ``learn/step.html`` renders: the module, the step, its state, the progress and
    the module's requirements, then the step kind's own ``context``; ``values`` (what a
    refused answer sends back) go over them."""
    kind = KINDS.get(step.kind)
    context = {"module": in_language(module), "step": in_language(step), "state": state,
               "progress": module_progress, "step_kind": kind,
               "requirements": evidence.requirements(current_user, module)}
    if kind is not None and not values:
        context.update(kind.player_context(
            visit(step, preview=preview, state=None if preview else state)))
    context.update(values)
    return context
