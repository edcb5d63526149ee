"""Demo learners who work through a module the way a person would, on past days.

Each completion goes through the learning services at the moment it would
have happened: the steps, a knowledge check answered to its pass mark,
engaged time credited from step loads, the module's statement, and
``refresh_completion`` — so obligations, certificates and every figure follow
from the same rules as real use.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from lms import clock
from lms.extensions import db
from lms.models import Enrollment, Module, ModuleCompletion, User
from lms.services.learning import evidence
from lms.services.learning import progress as learning

# Kinds a demo learner can do alone; a module with other kinds is recorded as completed.
WALKABLE = ("page", "video", "check", "survey")


def can_walk(module: Module) -> bool:
    return all(step.kind in WALKABLE for step in module.steps)


def work_through(user: User, module: Module, finished: datetime) -> bool:
    """Do every step of ``module`` so that it completes at about ``finished``; True when
    it completed. Steps are spread so the time between loads meets ``minimum_minutes``."""
    steps = list(module.steps)
    per_step = timedelta(minutes=max(2, -(-(module.minimum_minutes or 0) // max(1, len(steps)))
                         + 1))
    per_step = min(per_step, evidence.LOAD_CAP)
    moment = finished - per_step * (len(steps) + 1)
    with clock.frozen_at(moment):
        learning.start_module(user, module)
    for step in steps:
        moment += per_step
        with clock.frozen_at(moment):
            learning.touch(user, module, step)
            evidence.credit_time(user, step, heartbeat=False)
            if step.kind == "check" and evidence.check_status(user, step).passed is None:
                learning.record_check(user, step, {
                    q["id"]: next(i for i, o in enumerate(q["options"]) if o["correct"])
                    for q in step.config["questions"]})
            elif step.kind != "check":
                learning.mark_step_done(user, step)
    with clock.frozen_at(finished):
        if steps:  # the last page's reading time
            evidence.credit_time(user, steps[-1], heartbeat=False)
        progress = learning.module_progress(user, module)
        if module.attestation:
            evidence.attest(user, module, steps_done=progress.all_required_done,
                            confirmed=True)
        return learning.refresh_completion(user, module, progress)


def record_completed(user: User, module: Module, when: datetime) -> None:
    """For a module whose steps need other people (reviews, live sessions): the
    completion as the learning area records it, announced like any other."""
    from lms import signals

    enrollment = Enrollment(user_id=user.id, module_id=module.id, status="completed",
                            started_at=when - timedelta(days=3), completed_at=when,
                            completed_version=module.content_hash, last_activity_at=when)
    db.session.add(enrollment)
    db.session.add(ModuleCompletion(user_id=user.id, module_id=module.id,
                                    content_hash=module.content_hash, completed_at=when,
                                    rules=evidence.rules_of(module)))
    db.session.flush()
    with clock.frozen_at(when):
        signals.send(signals.module_completed, user=user, module=module, enrollment=enrollment)


def complete(user: User, module: Module, when: datetime) -> None:
    """Complete ``module`` for ``user`` at ``when``: walked through when a person could do it
    alone, else recorded."""
    if can_walk(module):
        if not work_through(user, module, when):
            raise RuntimeError(f"demo learner could not complete {module.slug}")
    else:
        record_completed(user, module, when)
