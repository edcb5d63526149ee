"""Evaluation surveys: answers kept apart from the people who gave them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.extensions import db
from lms.models import Step, SurveyParticipation, SurveyResponse, User, utcnow
from lms.services.errors import DomainError


def has_answered(user: User, step: Step) -> bool:
    return db.session.execute(select(SurveyParticipation.id).where(
        SurveyParticipation.user_id == user.id,
        SurveyParticipation.step_id == step.id)).first() is not None


def _day(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def record_response(user: User, step: Step, answers: dict[str, str]) -> None:
    """Store ``answers`` without the person, and that the person answered.

    The response keeps only the department (for suppressed aggregates) and
    the day, so it cannot be joined back to the participation record.
    Raises ``DomainError`` when the person already answered.
    """
    try:
        with db.session.begin_nested():
            db.session.add(SurveyParticipation(user_id=user.id, step_id=step.id))
    except IntegrityError as error:
        raise DomainError("You already answered this evaluation. Thank you.") from error
    db.session.add(SurveyResponse(step_id=step.id, department_id=user.department_id,
                                  content_hash=step.module.content_hash, answers=answers,
                                  created_at=_day(utcnow())))
    db.session.flush()
