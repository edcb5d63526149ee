"""Evaluation surveys: answers kept apart from the people who gave them."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.extensions import db
from lms.models import Step, SurveyParticipation, User, utcnow
from lms.services.errors import DomainError
from lms.services.learning import survey_release


def has_answered(user: User, step: Step) -> bool:
    return db.session.execute(select(SurveyParticipation.id).where(
        SurveyParticipation.user_id == user.id,
        SurveyParticipation.step_id == step.id)).first() is not None


def _day(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def record_response(user: User, step: Step, answers: dict[str, str]) -> None:
    """Store ``answers`` without the person, and that the person answered.

    The answer waits in its reporting group's pending pool and is released
    with a batch of others (``lms.services.learning.survey_release``); it keeps only
    the reporting group, never the person, and the participation record
    keeps only the day. Raises ``DomainError`` when the person already answered.
    """
    try:
        with db.session.begin_nested():
            db.session.add(SurveyParticipation(user_id=user.id, step_id=step.id,
                                               created_at=_day(utcnow())))
    except IntegrityError as error:
        raise DomainError(_("You already answered this evaluation. Thank you.")) from error
    survey_release.hold(step, user.department_id, answers)
