"""What each learner has done: enrollments, completions, step progress,
challenge submissions with every revision, and anonymous survey answers."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.models.base import Base, utcnow
from lms.models.content import Module, Step
from lms.models.users import User

SUBMISSION_STATUSES = ("draft", "submitted", "needs_revision", "approved", "withdrawn")


class Enrollment(Base):
    """A learner working on a module. ``completed_*`` describe the latest completion."""

    __tablename__ = "enrollments"
    __table_args__ = (
        UniqueConstraint("user_id", "module_id"),
        Index("ix_enrollments_module_status", "module_id", "status"),
        # Covers the compliance view's "is this obligation's module in progress?" lookup
        # for every obligation without reading the enrollment rows themselves.
        Index("ix_enrollments_user_module_status", "user_id", "module_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    completed_version: Mapped[str | None] = mapped_column(String(64))
    last_step_id: Mapped[int | None] = mapped_column(ForeignKey("steps.id", ondelete="SET NULL"),
                                                     index=True)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)

    module: Mapped[Module] = relationship()
    user: Mapped[User] = relationship()

    @property
    def is_complete(self) -> bool:
        return self.status == "completed"

    def __repr__(self) -> str:
        return f"<Enrollment u{self.user_id} m{self.module_id} {self.status}>"


class ModuleCompletion(Base):
    """One row per completion, never rewritten: the record of what was completed when."""

    __tablename__ = "module_completions"
    __table_args__ = (Index("ix_module_completions_module_completed", "module_id",
                            "completed_at"),
                      Index("ix_module_completions_user_module", "user_id", "module_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    content_hash: Mapped[str] = mapped_column(String(64))
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The evidence it was granted on; None where its version set no such rule
    # (``rules`` lists the rules the version set, None for completions made before any).
    rules: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    score_percent: Mapped[int | None]
    engaged_minutes: Mapped[int | None]
    attested_at: Mapped[datetime | None]

    module: Mapped[Module] = relationship()

    def __repr__(self) -> str:
        return f"<ModuleCompletion u{self.user_id} m{self.module_id} {self.completed_at}>"


class StepProgress(Base):
    """A step the learner has finished (page read, check answered, survey sent...)."""

    __tablename__ = "step_progress"
    __table_args__ = (UniqueConstraint("user_id", "step_id"),
                      Index("ix_step_progress_step_id", "step_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"))
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # e.g. a knowledge check's chosen options and score (never survey answers)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    def __repr__(self) -> str:
        return f"<StepProgress u{self.user_id} s{self.step_id}>"


submission_coauthors = Table(
    "submission_coauthors",
    Base.metadata,
    Column("submission_id", ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Submission(Base):
    """A learner's answers to one challenge: the working draft plus its status.

    ``draft_version`` increases on every save; a save that names an older
    version is refused, so two tabs never silently overwrite each other.
    """

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("user_id", "step_id"),
                      Index("ix_submissions_step_status", "step_id", "status"),
                      Index("ix_submissions_status_submitted", "status", "submitted_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    draft_version: Mapped[int] = mapped_column(default=0)
    is_private: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    submitted_version: Mapped[int | None]
    # Set when the learner deleted the text of every revision (lms.services.privacy).
    withdrawn_at: Mapped[datetime | None]
    # The learner chose to keep the text past LMS_REFLECTION_RETENTION_DAYS.
    text_kept_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    step: Mapped[Step] = relationship()
    coauthors: Mapped[list[User]] = relationship(secondary=submission_coauthors)
    revisions: Mapped[list[SubmissionRevision]] = relationship(
        back_populates="submission", order_by="SubmissionRevision.number")

    def __repr__(self) -> str:
        return f"<Submission u{self.user_id} s{self.step_id} {self.status}>"


class SubmissionRevision(Base):
    """A submitted set of answers, kept forever (feedback refers to it)."""

    __tablename__ = "submission_revisions"
    __table_args__ = (UniqueConstraint("submission_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    number: Mapped[int]
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="revisions")

    def __repr__(self) -> str:
        return f"<SubmissionRevision {self.submission_id}#{self.number}>"


class SurveyResponse(Base):
    """Released evaluation answers, with no link to the person who gave them.

    Written only by ``lms.services.learning.survey_release``, a batch of at least the
    minimum cell size at a time, in shuffled order: only the reporting group
    (a department, or None for the institution-wide pool), the module version
    and the day of release are kept.
    """

    __tablename__ = "survey_responses"
    __table_args__ = (Index("ix_survey_responses_step_created", "step_id", "created_at"),)

    # A random key: sequential ids would line up with participation order.
    id: Mapped[str] = mapped_column(String(32), primary_key=True,
                                    default=lambda: uuid.uuid4().hex)
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The day of release only, so responses cannot be matched to participation times.
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<SurveyResponse s{self.step_id}>"


class SurveyParticipation(Base):
    """That someone answered a survey (not what), so nobody answers twice."""

    __tablename__ = "survey_participations"
    __table_args__ = (UniqueConstraint("user_id", "step_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<SurveyParticipation u{self.user_id} s{self.step_id}>"
