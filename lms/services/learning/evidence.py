"""What a completion must stand on: pass marks, engaged time and an attestation.

A module version may set three rules in ``module.yaml``:

- a ``check`` step's ``pass_mark`` (percent), with ``attempts`` (how many
  tries), ``feedback`` (``each_try``: answers explained after every try;
  ``when_done``: only the score and what to review until passed or out of
  tries) and ``draw`` (how many questions of the pool each try asks, drawn and
  shuffled per try). The step is done only when a try passes;
- the module's ``minimum_minutes`` of engaged time, credited by the server
  (``credit_time``);
- the module's ``attestation``, a statement the learner affirms in their own
  name (``attest``).

``progress.refresh_completion`` completes a module only when ``requirements``
says every rule is met, and copies the evidence onto the completion. Rules are
read from the version being completed, so completions made earlier keep
their status (their ``rules`` is None).
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from lms.extensions import db
from lms.models import (
    Attestation,
    CheckAttempt,
    EngagedTime,
    Module,
    ModuleCompletion,
    Step,
    User,
    utcnow,
)
from lms.services.errors import DomainError

# The page sends a heartbeat about every 30 seconds while it is visible and the learner
# active; one heartbeat is never credited more than this, whatever the browser claims.
HEARTBEAT_CAP = timedelta(seconds=60)
# Without scripts, the time between two step loads counts, up to this per step.
LOAD_CAP = timedelta(minutes=10)


# --- knowledge checks -------------------------------------------------------------------

def pass_mark(step: Step) -> int | None:
    return step.config.get("pass_mark")


def _seed(user_id: int, step: Step, number: int) -> int:
    key = f"{current_app.config['SECRET_KEY']}:{user_id}:{step.id}:{number}".encode()
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big")


def drawn_questions(user: User, step: Step, number: int) -> list[dict[str, Any]]:
    """The questions of try ``number``: the whole pool, or ``draw`` of it, in an order of
    their own for each try; the same every time it is asked (nothing stored before the
    try is sent)."""
    questions = list(step.config["questions"])
    draw = step.config.get("draw")
    rng = random.Random(_seed(user.id, step, number))
    if draw and draw < len(questions):
        return rng.sample(questions, draw)
    if draw or step.config.get("pass_mark"):
        rng.shuffle(questions)
    return questions


@dataclass
class CheckStatus:
    """A learner's standing on one check: every try so far and what comes next."""

    step: Step
    attempts: list[CheckAttempt]  # since the module was last completed (a renewal starts over)
    next_number: int

    @property
    def last(self) -> CheckAttempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def passed(self) -> CheckAttempt | None:
        return next((a for a in self.attempts if a.is_passed), None)

    @property
    def pass_mark(self) -> int | None:
        return pass_mark(self.step)

    @property
    def allowed(self) -> int | None:
        return self.step.config.get("attempts")

    @property
    def remaining(self) -> int | None:
        """Tries left, or None when unlimited."""
        if self.allowed is None:
            return None
        return max(0, self.allowed - len(self.attempts))

    @property
    def can_try(self) -> bool:
        return self.pass_mark is None or (self.passed is None and self.remaining != 0)

    @property
    def shows_answers(self) -> bool:
        """Whether the last try's answers may be explained now."""
        if self.step.config.get("feedback", "each_try") == "each_try":
            return True
        return self.passed is not None or self.remaining == 0

    def to_review(self) -> list[dict[str, Any]]:
        """The questions the last try got wrong (what to read again)."""
        last = self.last
        if last is None:
            return []
        by_id = {q["id"]: q for q in self.step.config["questions"]}
        wrong = []
        for qid in last.question_ids:
            question = by_id.get(qid)
            picked = last.chosen.get(qid)
            if question is None:
                continue
            if picked is None or not question["options"][picked]["correct"]:
                wrong.append(question)
        return wrong


def last_completed_at(user_id: int, module_id: int):
    """When the person last completed the module (None if never): evidence for a renewal
    counts from then on."""
    return db.session.scalar(select(func.max(ModuleCompletion.completed_at)).where(
        ModuleCompletion.user_id == user_id, ModuleCompletion.module_id == module_id))


def check_status(user: User, step: Step) -> CheckStatus:
    attempts = list(db.session.execute(
        select(CheckAttempt).where(CheckAttempt.user_id == user.id,
                                   CheckAttempt.step_id == step.id)
        .order_by(CheckAttempt.number)).scalars())
    since = last_completed_at(user.id, step.module_id) if attempts else None
    current = [a for a in attempts if since is None or a.submitted_at > since]
    return CheckStatus(step=step, attempts=current,
                       next_number=attempts[-1].number + 1 if attempts else 1)


def submit_attempt(user: User, step: Step, chosen: dict[str, int],
                   number: int | None = None) -> CheckAttempt:
    """Score a try at ``step`` and keep it.

    ``number`` is the try the page showed; sending the same try twice returns the
    first answer (a double click is not a second try). Raises ``DomainError`` when no
    tries remain or the check is already passed.
    """
    status = check_status(user, step)
    if number is not None and number < status.next_number:
        earlier = next((a for a in status.attempts if a.number == number), None)
        if earlier is not None:
            return earlier
    if not status.can_try:
        raise DomainError(_("You have no tries left on this check.") if status.passed is None
                          else _("You have already passed this check."))
    number = status.next_number
    questions = drawn_questions(user, step, number)
    kept = {q["id"]: chosen[q["id"]] for q in questions
            if q["id"] in chosen and 0 <= chosen[q["id"]] < len(q["options"])}
    correct = sum(1 for q in questions if q["id"] in kept
                  and q["options"][kept[q["id"]]]["correct"])
    total = len(questions)
    score = round(100 * correct / total) if total else 100
    mark = pass_mark(step)
    attempt = CheckAttempt(
        user_id=user.id, step_id=step.id, number=number,
        question_ids=[q["id"] for q in questions], chosen=kept, correct=correct, total=total,
        score_percent=score, is_passed=mark is None or score >= mark,
        content_hash=step.module.content_hash, submitted_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:  # the same try sent twice at once
        return check_status(user, step).attempts[-1]
    return attempt


# --- engaged time -----------------------------------------------------------------------

def _row(user: User, step: Step) -> EngagedTime:
    row = db.session.execute(select(EngagedTime).where(
        EngagedTime.user_id == user.id, EngagedTime.step_id == step.id)).scalar_one_or_none()
    if row is None:
        try:
            with db.session.begin_nested():
                row = EngagedTime(user_id=user.id, step_id=step.id, module_id=step.module_id,
                                  seconds=0, last_credited_at=utcnow())
                db.session.add(row)
        except IntegrityError:
            row = db.session.execute(select(EngagedTime).where(
                EngagedTime.user_id == user.id, EngagedTime.step_id == step.id)).scalar_one()
    return row


def credit_time(user: User, step: Step, *, heartbeat: bool) -> int:
    """Credit the time since the person's last credited moment; the seconds credited.

    One clock per person across every tab and module: whatever was last credited
    marks the moment from which the next credit counts, so two tabs never count
    the same minute twice. A ``heartbeat`` (the page visible, the learner active)
    credits its own step up to ``HEARTBEAT_CAP``. A step load credits the step that
    was open before it: up to ``HEARTBEAT_CAP`` when that page was sending
    heartbeats (silence then means idle or closed), else up to ``LOAD_CAP``.
    The time always comes from the server's clock.
    """
    now = utcnow()
    last = db.session.execute(
        select(EngagedTime).where(EngagedTime.user_id == user.id)
        .order_by(EngagedTime.last_credited_at.desc(), EngagedTime.id.desc()).limit(1)
        .with_for_update()  # two tabs' beats at once: the second waits and sees the first
    ).scalar_one_or_none()
    seconds = 0
    if last is not None:
        cap = HEARTBEAT_CAP if heartbeat or last.is_heartbeat else LOAD_CAP
        gap = (now - last.last_credited_at).total_seconds()
        seconds = int(max(0.0, min(gap, cap.total_seconds())))
    current = _row(user, step)
    target = current if heartbeat or last is None else last
    target.seconds += seconds
    current.last_credited_at = now
    current.is_heartbeat = heartbeat
    db.session.flush()
    return seconds


def engaged_seconds(user_id: int, module_id: int) -> int:
    return int(db.session.scalar(select(func.coalesce(func.sum(EngagedTime.seconds), 0))
                                 .where(EngagedTime.user_id == user_id,
                                        EngagedTime.module_id == module_id)) or 0)


# --- attestation and the module's requirements -------------------------------------------

@dataclass
class Requirements:
    """A module's rules beyond its steps, and where the learner stands on them."""

    module: Module
    engaged_seconds: int
    attestation: Attestation | None

    @property
    def minimum_minutes(self) -> int:
        return self.module.minimum_minutes or 0

    @property
    def engaged_minutes(self) -> int:
        return self.engaged_seconds // 60

    @property
    def minutes_left(self) -> int:
        """Whole minutes still to spend (rounded up), 0 when the minimum is met."""
        return max(0, math.ceil((self.minimum_minutes * 60 - self.engaged_seconds) / 60))

    @property
    def time_met(self) -> bool:
        return self.minutes_left == 0

    @property
    def needs_attestation(self) -> bool:
        return bool(self.module.attestation) and self.attestation is None

    @property
    def met(self) -> bool:
        return self.time_met and not self.needs_attestation


def attestation_for(user: User, module: Module) -> Attestation | None:
    """The learner's attestation for the module's current version."""
    attestation = db.session.execute(select(Attestation).where(
        Attestation.user_id == user.id, Attestation.module_id == module.id,
        Attestation.content_hash == module.content_hash)
        .order_by(Attestation.attested_at.desc()).limit(1)).scalar_one_or_none()
    if attestation is not None:
        since = last_completed_at(user.id, module.id)
        if since is not None and attestation.attested_at <= since:
            return None  # made for an earlier completion; a renewal affirms again
    return attestation


def requirements(user: User, module: Module) -> Requirements:
    """Where ``user`` stands on the module's rules (no query for a rule it does not set)."""
    return Requirements(module=module,
                        engaged_seconds=engaged_seconds(user.id, module.id)
                        if module.minimum_minutes else 0,
                        attestation=attestation_for(user, module) if module.attestation
                        else None)


def attest(user: User, module: Module, *, steps_done: bool, confirmed: bool) -> Attestation:
    """Record the learner's affirmation of the module's statement, in their name, now.

    Refused (``DomainError`` on ``confirm``) unless ticked, and until every step is done
    and the minimum time is met: one cannot affirm having completed training one has not.
    Idempotent per module version.
    """
    if not module.attestation:
        raise DomainError(_("This module asks for no statement."), field="confirm")
    existing = attestation_for(user, module)
    if existing is not None:
        return existing
    if not confirmed:
        raise DomainError(_("Tick the box to make this statement, or come back later."),
                          field="confirm")
    if not steps_done or not requirements(user, module).time_met:
        raise DomainError(_("Finish every step and the time this course asks for first."),
                          field="confirm")
    attestation = Attestation(user_id=user.id, module_id=module.id,
                              content_hash=module.content_hash, learner_name=user.name,
                              statement=module.attestation, attested_at=utcnow())
    db.session.add(attestation)
    db.session.flush()
    return attestation


def rules_of(module: Module) -> dict[str, Any] | None:
    """The rules the module's current version sets, or None when it sets none."""
    rules: dict[str, Any] = {}
    marks = {s.slug: s.config["pass_mark"] for s in module.steps
             if s.kind == "check" and s.config.get("pass_mark")}
    if marks:
        rules["pass_marks"] = marks
    if module.minimum_minutes:
        rules["minimum_minutes"] = module.minimum_minutes
    if module.attestation:
        rules["attestation"] = module.attestation
    return rules or None


def score_percent(user: User, module: Module) -> int | None:
    """The knowledge-check score a completion stands on: across the module's checks, the
    passing try of each (else its latest try), as one percentage; None without checks."""
    check_ids = [s.id for s in module.steps if s.kind == "check"]
    if not check_ids:
        return None
    attempts = db.session.execute(select(CheckAttempt).where(
        CheckAttempt.user_id == user.id, CheckAttempt.step_id.in_(check_ids))
        .order_by(CheckAttempt.number)).scalars()
    chosen: dict[int, CheckAttempt] = {}
    for attempt in attempts:
        current = chosen.get(attempt.step_id)
        if current is None or not current.is_passed:
            chosen[attempt.step_id] = attempt
    total = sum(a.total for a in chosen.values())
    if not total:
        return None
    return round(100 * sum(a.correct for a in chosen.values()) / total)


def stamp_completion(user: User, module: Module, completion: ModuleCompletion,
                     met: Requirements) -> None:
    """Copy the evidence onto a completion just made."""
    completion.rules = rules_of(module)
    completion.score_percent = score_percent(user, module)
    completion.engaged_minutes = met.engaged_minutes
    completion.attested_at = met.attestation.attested_at if met.attestation else None
    # The time is now the completion's: a renewal later counts its own.
    db.session.execute(update(EngagedTime).where(
        EngagedTime.user_id == user.id, EngagedTime.module_id == module.id).values(seconds=0))
