"""Progress through modules: what is done, what is locked, when a module completes.

Completion of some step kinds is decided by other areas (a ``live`` step by
attendance, a ``plan`` step by the action plan; see ``step_kinds``); a module
completes when every required step is done, the completion records the
content version, and ``signals.module_completed`` tells the other areas.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext, ngettext
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from lms import signals
from lms.content.kinds import challenge
from lms.extensions import db
from lms.models import (
    Enrollment,
    Module,
    ModuleCompletion,
    Step,
    StepProgress,
    Submission,
    User,
    utcnow,
)
from lms.models.progress import submission_coauthors
from lms.services.errors import DomainError
from lms.services.learning import evidence, step_kinds

SUBMITTED_STATES = challenge.SUBMITTED_STATES
# How stale an enrollment's last activity may get before opening a step records it again.
TOUCH_INTERVAL = timedelta(minutes=5)


@dataclass
class StepState:
    step: Step
    number: int
    done: bool = False
    status: str = "not started"  # human label
    locked: bool = False
    lock_reason: str | None = None
    unlocks_at: datetime | None = None
    # For a kind keeping records of its own: the record progress decided by (a
    # challenge's credited submission), so the player need not load it again.
    record: Any = None


@dataclass
class ModuleProgress:
    module: Module
    enrollment: Enrollment | None
    states: list[StepState] = field(default_factory=list)
    missing_prerequisites: list[Module] = field(default_factory=list)

    @property
    def required(self) -> list[StepState]:
        return [s for s in self.states if not s.step.is_optional]

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.required if s.done)

    @property
    def percent(self) -> int:
        required = self.required
        return round(100 * self.done_count / len(required)) if required else 100

    @property
    def all_required_done(self) -> bool:
        return all(s.done for s in self.required)

    @property
    def next_state(self) -> StepState | None:
        """Where 'continue' goes: the first unfinished step that is open."""
        for state in self.states:
            if not state.done and not state.locked:
                return state
        return None

    def state_for(self, step_id: int) -> StepState | None:
        return next((s for s in self.states if s.step.id == step_id), None)


# The queries every learner's page of a module runs, built once with their parameters
# bound at each call: building a statement costs more than running it (SQLAlchemy caches
# the compiled SQL, not the statement).
PUBLISHED_MODULE = (select(Module).where(Module.slug == bindparam("slug"), Module.is_published)
                    .options(joinedload(Module.steps)))
LEARNERS_MODULE = (PUBLISHED_MODULE.add_columns(Enrollment)
                   .outerjoin(Enrollment, (Enrollment.module_id == Module.id)
                              & (Enrollment.user_id == bindparam("user_id"))))
ENROLLMENT = select(Enrollment).where(Enrollment.user_id == bindparam("user_id"),
                                      Enrollment.module_id == bindparam("module_id"))
STEP_RECORDS = select(StepProgress.step_id, StepProgress.data).where(
    StepProgress.user_id == bindparam("user_id"),
    StepProgress.step_id.in_(bindparam("step_ids", expanding=True)))


def published_module(slug: str) -> Module | None:
    """The published module at ``slug`` with its steps, in one query (every page of a
    module shows or checks them)."""
    return db.session.execute(PUBLISHED_MODULE, {"slug": slug}).unique().scalar_one_or_none()


def learners_module(user_id: int, slug: str) -> tuple[Module | None, Enrollment | None]:
    """The published module at ``slug`` with its steps, and the person's enrollment in it
    (None when not enrolled), in one query."""
    row = db.session.execute(LEARNERS_MODULE, {"slug": slug, "user_id": user_id}
                             ).unique().one_or_none()
    return (row[0], row[1]) if row is not None else (None, None)


def enrollment_for(user_id: int, module_id: int) -> Enrollment | None:
    return db.session.execute(ENROLLMENT, {"user_id": user_id, "module_id": module_id}
                              ).scalar_one_or_none()


def start_module(user: User, module: Module) -> Enrollment:
    """Enrol ``user`` in ``module`` (idempotent, safe against a double click)."""
    enrollment = enrollment_for(user.id, module.id)
    if enrollment is not None:
        return enrollment
    try:
        with db.session.begin_nested():
            enrollment = Enrollment(user_id=user.id, module_id=module.id)
            db.session.add(enrollment)
    except IntegrityError:
        enrollment = enrollment_for(user.id, module.id)
        assert enrollment is not None
        return enrollment
    signals.send(signals.module_started, user=user, module=module, enrollment=enrollment)
    return enrollment


def _completed_module_slugs(user_id: int, slugs: Iterable[str]) -> set[str]:
    slugs = list(slugs)
    if not slugs:
        return set()
    rows = db.session.execute(
        select(Module.slug).join(Enrollment, Enrollment.module_id == Module.id)
        .where(Enrollment.user_id == user_id, Enrollment.status == "completed",
               Module.slug.in_(slugs)))
    return set(rows.scalars())


def challenge_counts_as_done(step: Step, submission: Submission | None) -> bool:
    """Submitted counts, except that a review-required challenge waits for approval (the
    challenge kind's rule, ``lms.content.kinds.challenge.counts_as_done``)."""
    return challenge.counts_as_done(step, submission)


# ``module_progress``'s enrollment when the caller did not load it.
NOT_LOADED: Any = object()


def module_progress(user: User, module: Module, enrollment: Enrollment | None = NOT_LOADED
                    ) -> ModuleProgress:
    """Every step's state for ``user``, in a fixed number of queries. Pass the
    ``enrollment`` (None: not enrolled) when it was loaded with the module
    (``learners_module``)."""
    if enrollment is NOT_LOADED:
        enrollment = enrollment_for(user.id, module.id)
    progress = ModuleProgress(module=module, enrollment=enrollment)
    steps = list(module.steps)
    step_ids = [s.id for s in steps]
    records = dict(db.session.execute(
        STEP_RECORDS, {"user_id": user.id, "step_ids": step_ids}).all()) if step_ids else {}
    # The kind decides whether a record finishes the step (a check with a pass mark needs
    # a passing try).
    finished = {s.id for s in steps if s.id in records and step_kinds.finishes(s, records[s.id])}
    kept = step_kinds.kept_records(user.id, steps)
    external = step_kinds.done_elsewhere(user.id, steps)
    progress.missing_prerequisites = _missing_prerequisites(user.id, module)
    now = utcnow()
    for number, step in enumerate(steps, start=1):
        state = StepState(step=step, number=number)
        records = step_kinds.keeping_records(step.kind)
        if records is not None:
            # A kind keeping records of its own (a challenge's submission) decides by them.
            state.record = kept.get(step.id)
            state.done = records.done(step, state.record)
            state.status = records.status(step, state.record)
        elif step_kinds.decided_elsewhere(step.kind):
            state.done = step.id in external or step.id in finished
            state.status = "done" if state.done else "not done yet"
        else:
            state.done = step.id in finished
            state.status = "done" if state.done else "not started"
        _lock(state, module, enrollment, progress.missing_prerequisites, now)
        progress.states.append(state)
    return progress


def _missing_prerequisites(user_id: int, module: Module) -> list[Module]:
    """The modules ``module`` asks to complete first that ``user_id`` has not."""
    if not module.prerequisites:
        return []
    done = _completed_module_slugs(user_id, module.prerequisites)
    missing = [slug for slug in module.prerequisites if slug not in done]
    if not missing:
        return []
    return list(db.session.execute(select(Module).where(Module.slug.in_(missing))).scalars())


def _lock(state: StepState, module: Module, enrollment: Enrollment | None,
          missing: list[Module], now: datetime) -> None:
    """Lock ``state``'s step while prerequisites are missing or, in a spaced module,
    until its day after the start comes."""
    step = state.step
    if missing:
        state.locked = True
        names = ", ".join(m.title for m in missing)
        state.lock_reason = gettext("Complete %(names)s first.", names=names)
    elif module.pacing == "spaced" and step.unlock_after_days:
        start = enrollment.started_at if enrollment else now
        opens = start + timedelta(days=step.unlock_after_days)
        if opens > now:
            state.locked = True
            state.unlocks_at = opens
            state.lock_reason = ngettext(
                "Opens %(num)d day after you start, to leave time for reflection and "
                "action between parts.",
                "Opens %(num)d days after you start, to leave time for reflection and "
                "action between parts.", step.unlock_after_days)


def step_lock(user: User, module: Module, step: Step, enrollment: Enrollment | None
              ) -> StepState:
    """``step``'s number and lock for ``user`` as ``module_progress`` works them out, without
    loading the learner's records (its ``done``, ``status`` and ``record`` are not worked
    out): what a request that acts on one step checks before acting."""
    state = StepState(step=step, number=module.steps.index(step) + 1)
    _lock(state, module, enrollment, _missing_prerequisites(user.id, module), utcnow())
    return state


def require_open(progress: ModuleProgress, step: Step) -> StepState:
    """The step's state; raises ``DomainError`` when it is locked."""
    state = progress.state_for(step.id)
    if state is None:
        raise DomainError(_("This step is not part of the module."))
    if state.locked:
        raise DomainError(state.lock_reason or gettext("This step is locked."))

    return state


def mark_step_done(user: User, step: Step, data: dict | None = None) -> StepProgress:
    """Record that ``user`` finished ``step`` (idempotent); update stored data if given."""
    record = db.session.execute(select(StepProgress).where(
        StepProgress.user_id == user.id, StepProgress.step_id == step.id)).scalar_one_or_none()
    if record is None:
        try:
            with db.session.begin_nested():
                record = StepProgress(user_id=user.id, step_id=step.id, data=data or {})
                db.session.add(record)
        except IntegrityError:
            record = db.session.execute(select(StepProgress).where(
                StepProgress.user_id == user.id, StepProgress.step_id == step.id)).scalar_one()
    if data is not None:
        record.data = data
    db.session.flush()
    return record


def touch(user: User, module: Module, step: Step | None = None,
          enrollment: Enrollment | None = None) -> bool:
    """Enrol if needed and remember the step for 'continue where you left off'.

    Pass the ``enrollment`` when the caller has it loaded. Returns True when
    something was written and needs a commit: opening the same step again within
    ``TOUCH_INTERVAL`` writes nothing, so reading a step is not a write
    transaction on every request.
    """
    if enrollment is None:
        enrollment = enrollment_for(user.id, module.id)
    created = enrollment is None
    if created:
        enrollment = start_module(user, module)
    now = utcnow()
    moved = step is not None and enrollment.last_step_id != step.id
    stale = (enrollment.last_activity_at is None
             or now - enrollment.last_activity_at >= TOUCH_INTERVAL)
    if step is not None:
        enrollment.last_step_id = step.id
    if moved or stale or created:
        enrollment.last_activity_at = now
        db.session.flush()
        return True
    return False


def refresh_completion(user: User, module: Module,
                       progress: ModuleProgress | None = None) -> bool:
    """Complete the module if every required step is done and every rule of its version
    is met (``evidence``: pass marks, minimum time, attestation). True when it just
    completed; the completion keeps the evidence it was granted on."""
    progress = progress or module_progress(user, module)
    enrollment = progress.enrollment or start_module(user, module)
    if enrollment.status == "completed" or not progress.all_required_done:
        return False
    met = evidence.requirements(user, module)
    if not met.met:
        return False
    now = utcnow()
    enrollment.status = "completed"
    enrollment.completed_at = now
    enrollment.completed_version = module.content_hash
    completion = ModuleCompletion(user_id=user.id, module_id=module.id,
                                  content_hash=module.content_hash, completed_at=now)
    evidence.stamp_completion(user, module, completion, met)
    db.session.add(completion)
    db.session.flush()
    signals.send(signals.module_completed, user=user, module=module, enrollment=enrollment)
    return True


def dashboard_summary(user: User) -> dict:
    """The learner's modules with progress, in a fixed number of queries."""
    rows = db.session.execute(
        select(Enrollment, Module).join(Module, Module.id == Enrollment.module_id)
        .where(Enrollment.user_id == user.id, Module.is_published)
        .order_by(Enrollment.last_activity_at.desc())).all()
    module_ids = [m.id for _, m in rows]
    totals = dict(db.session.execute(
        select(Step.module_id, func.count(Step.id))
        .where(Step.module_id.in_(module_ids), Step.is_active, ~Step.is_optional)
        .group_by(Step.module_id)).all()) if module_ids else {}
    done = dict(db.session.execute(
        select(Step.module_id, func.count(StepProgress.id))
        .join(StepProgress, StepProgress.step_id == Step.id)
        .where(StepProgress.user_id == user.id, Step.module_id.in_(module_ids),
               Step.is_active, ~Step.is_optional)
        .group_by(Step.module_id)).all()) if module_ids else {}
    submitted: dict[int, int] = {}
    if module_ids:
        coauthored = select(submission_coauthors.c.submission_id).where(
            submission_coauthors.c.user_id == user.id)
        rows_done = db.session.execute(
            select(Step.module_id, Step, Submission)
            .join(Submission, Submission.step_id == Step.id)
            .where((Submission.user_id == user.id) | Submission.id.in_(coauthored),
                   Step.module_id.in_(module_ids), Step.is_active, ~Step.is_optional)).all()
        # A group reflection one co-authors counts like one's own, once per step.
        done_steps = {(module_id, step.id) for module_id, step, submission in rows_done
                      if challenge_counts_as_done(step, submission)}
        for module_id, _done in done_steps:
            submitted[module_id] = submitted.get(module_id, 0) + 1
    in_progress, completed = [], []
    for enrollment, module in rows:
        total = totals.get(module.id, 0)
        finished = min(total, done.get(module.id, 0) + submitted.get(module.id, 0))
        item = {"enrollment": enrollment, "module": module,
                "percent": 100 if enrollment.is_complete else (
                    round(100 * finished / total) if total else 0)}
        (completed if enrollment.is_complete else in_progress).append(item)
    return {"in_progress": in_progress, "completed": completed}


def step_record(user: User, step: Step) -> StepProgress | None:
    return db.session.execute(select(StepProgress).where(
        StepProgress.user_id == user.id, StepProgress.step_id == step.id)).scalar_one_or_none()


def record_check(user: User, step: Step, chosen: dict[str, int],
                 number: int | None = None):
    """Keep a try at a knowledge check (``evidence.submit_attempt``); a passing try (any
    try, without a pass mark) makes the step done. Returns the attempt."""
    attempt = evidence.submit_attempt(user, step, chosen, number)
    if attempt.is_passed:
        mark_step_done(user, step, data={"chosen": attempt.chosen, "correct": attempt.correct,
                                         "total": attempt.total, "passed": True,
                                         "attempt": attempt.number})
    return attempt
