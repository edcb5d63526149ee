"""Anonymous evaluation answers waiting to be released in a batch.

An answer is not published the moment it is given: it waits here until at
least ``LMS_MIN_CELL`` answers to the same survey step have gathered in the
same reporting group, and then the whole batch moves to ``survey_responses``
in shuffled order and these rows are deleted (see
``lms.services.learning.survey_release``). Nothing here names the person; the pool
keeps only the step, the reporting group and the answers, and no time at all.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.models.base import Base


class PendingSurveyAnswer(Base):
    """One answer in the pending pool of its reporting group (``pool_department_id``;
    None = the institution as a whole)."""

    __tablename__ = "survey_pending_answers"
    __table_args__ = (Index("ix_survey_pending_answers_step_pool", "step_id",
                            "pool_department_id"),)

    # Random, like the released answers' keys: nothing to line up with participations.
    id: Mapped[str] = mapped_column(String(32), primary_key=True,
                                    default=lambda: uuid.uuid4().hex)
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"))
    pool_department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"), index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)

    def __repr__(self) -> str:
        return f"<PendingSurveyAnswer s{self.step_id} pool {self.pool_department_id}>"
