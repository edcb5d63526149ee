"""Release anonymous evaluation answers in batches, so no figure can be differenced.

If each answer were counted the moment it is given, anyone could read the
scorecard, wait for one colleague to answer, read it again and subtract:
the difference *is* that colleague's answer, whatever the small-cell rules
say about each snapshot on its own. So an answer first waits in a pending
pool (``survey_pending_answers``). It is released only together with at
least ``LMS_MIN_CELL - 1`` other answers to the same survey step from the
same reporting group; then the whole batch is written to
``survey_responses`` in shuffled order, under random keys, dated by the day
of release and stamped with the module version of the day, and the pending
rows are deleted. Every published figure reads
released answers only, so between any two readings it moves by a whole
batch of at least ``LMS_MIN_CELL`` answers or not at all.

Batches are per survey step, so every question's count moves by a whole
batch too (a batch mixing surveys would move one question's count by fewer).

The reporting group is the person's department. A department with fewer
active people than ``LMS_MIN_CELL`` could never fill a batch, so its answers
join the pool of its parent department, then the grandparent, and finally
the institution-wide pool (``None``); released answers are counted there
(an institution-wide batch is counted under "No department").
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from sqlalchemy import delete, func, select

from lms.extensions import db
from lms.models import Department, PendingSurveyAnswer, Step, SurveyResponse, User, utcnow

_shuffle = random.SystemRandom().shuffle


@dataclass(frozen=True)
class ReleaseStatus:
    """What the scorecard may say about the pool: how many answers wait (in total,
    never per department) and the day of the latest release."""

    waiting: int
    released_on: date | None


def _day(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def pool_for(department_id: int | None) -> int | None:
    """The reporting group whose pool takes answers from ``department_id``.

    The department itself when it has at least ``LMS_MIN_CELL`` active people,
    otherwise the nearest ancestor that has (its own people counted); ``None``
    (the institution) when none has. One query per level walked.
    """
    k = current_app.config["LMS_MIN_CELL"]
    seen: set[int] = set()
    current = department_id
    while current is not None and current not in seen:
        seen.add(current)
        people = db.session.scalar(select(func.count()).select_from(User).where(
            User.department_id == current, User.is_active_account))
        if people >= k:
            return current
        current = db.session.scalar(select(Department.parent_id).where(
            Department.id == current))
    return None


def hold(step: Step, department_id: int | None, answers: dict[str, str]) -> None:
    """Put one anonymous answer in its pool and release the pool when it is full enough."""
    pool = pool_for(department_id)
    db.session.add(PendingSurveyAnswer(step_id=step.id, pool_department_id=pool,
                                       answers=answers))
    db.session.flush()
    release_if_ready(step.id, pool)


def release_if_ready(step_id: int, pool: int | None) -> int:
    """Release the pool of ``(step_id, pool)`` when it holds ``LMS_MIN_CELL`` answers or
    more; returns how many answers were released (0 when the pool must keep waiting)."""
    k = current_app.config["LMS_MIN_CELL"]
    same_pool = (PendingSurveyAnswer.step_id == step_id,
                 PendingSurveyAnswer.pool_department_id.is_(None) if pool is None
                 else PendingSurveyAnswer.pool_department_id == pool)
    pending = list(db.session.scalars(select(PendingSurveyAnswer).where(*same_pool)))
    if len(pending) < k:
        return 0
    _shuffle(pending)
    released_on = _day(utcnow())
    # The module version at release, the same for the whole batch: each answer's own
    # version could single out the few people who completed a short-lived version.
    version = db.session.get(Step, step_id).module.content_hash
    for answer in pending:
        # One flush per row: the insert order is the shuffled order.
        db.session.add(SurveyResponse(step_id=answer.step_id, department_id=pool,
                                      content_hash=version, answers=answer.answers,
                                      created_at=released_on))
        db.session.flush()
    db.session.execute(delete(PendingSurveyAnswer).where(
        PendingSurveyAnswer.id.in_([answer.id for answer in pending]))
        .execution_options(synchronize_session=False))
    for answer in pending:
        db.session.expunge(answer)
    return len(pending)


def status() -> ReleaseStatus:
    """Answers waiting in every pool together, and the day of the latest release (one query)."""
    waiting, released = db.session.execute(select(
        select(func.count()).select_from(PendingSurveyAnswer).scalar_subquery(),
        select(func.max(SurveyResponse.created_at)).scalar_subquery())).one()
    return ReleaseStatus(waiting=int(waiting or 0),
                         released_on=released.date() if released is not None else None)
