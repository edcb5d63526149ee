"""Mentor review: who mentors whom, mentors' feedback, and who read a reflection."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.models.base import Base, utcnow
from lms.models.progress import Submission, SubmissionRevision
from lms.models.users import Cohort, Department, User

REVIEW_DECISIONS = ("approve", "revise", "comment")


class MentorLink(Base):
    """A mentor assigned to one learner, to a department (and its sub-departments) or to a
    cohort. Exactly one of the three targets is set."""

    __tablename__ = "mentor_links"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN learner_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN department_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN cohort_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_target"),
        # NULLs are distinct in unique constraints, so each pair is unique per target kind.
        UniqueConstraint("mentor_id", "learner_id"),
        UniqueConstraint("mentor_id", "department_id"),
        UniqueConstraint("mentor_id", "cohort_id"),
        # Partial, both ways round (from a learner's departments to the links, from a
        # mentor to their links): most links name one learner, so department_id and
        # cohort_id are mostly NULL, and SQLite's statistics count those NULLs as one
        # huge value and make plain indexes look useless.
        *[Index(f"ix_mentor_links_{first}_{second}", f"{first}_id", f"{second}_id",
                sqlite_where=text(f"{target}_id IS NOT NULL"),
                postgresql_where=text(f"{target}_id IS NOT NULL"))
          for target in ("department", "cohort")
          for first, second in ((target, "mentor"), ("mentor", target))],
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    learner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE"))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)

    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id])
    learner: Mapped[User | None] = relationship(foreign_keys=[learner_id])
    department: Mapped[Department | None] = relationship()
    cohort: Mapped[Cohort | None] = relationship()

    @property
    def target_kind(self) -> str:
        if self.learner_id is not None:
            return "learner"
        return "department" if self.department_id is not None else "cohort"

    @property
    def target_name(self) -> str:
        if self.learner is not None:
            return self.learner.name
        if self.department is not None:
            return self.department.name
        return self.cohort.name if self.cohort is not None else ""

    def __repr__(self) -> str:
        return f"<MentorLink m{self.mentor_id} → {self.target_kind}>"


class Review(Base):
    """A mentor's response to one submitted revision.

    ``decision`` is ``approve``, ``revise`` (a revision is requested; ``improve``
    says what to work on) or ``comment`` (feedback that leaves the status
    alone). ``rubric`` keeps the chosen level per criterion with its wording,
    so later edits to the module never change what the learner was told.
    """

    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_submission_created", "submission_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("submission_revisions.id", ondelete="CASCADE"), index=True)
    # Kept when the mentor's account goes: the learner's feedback must not vanish.
    mentor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    decision: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    improve: Mapped[str] = mapped_column(Text, default="")
    rubric: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    submission: Mapped[Submission] = relationship()
    revision: Mapped[SubmissionRevision] = relationship()
    mentor: Mapped[User | None] = relationship()

    @property
    def decision_label(self) -> str:
        labels = {"approve": _l("Approved"), "revise": _l("Revision requested"),
                  "comment": _l("Comment")}
        return str(labels.get(self.decision, self.decision))

    def __repr__(self) -> str:
        return f"<Review {self.decision} r{self.revision_id} by {self.mentor_id}>"


class ReflectionAccess(Base):
    """Someone other than the author opened a page showing a reflection's text."""

    __tablename__ = "reflection_accesses"
    __table_args__ = (Index("ix_reflection_accesses_submission_at", "submission_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept when the reader's account goes, so the author still sees that it was read.
    reader_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("submission_revisions.id", ondelete="SET NULL"), index=True)
    page: Mapped[str] = mapped_column(String(20))  # review, history, compare
    at: Mapped[datetime] = mapped_column(default=utcnow)

    reader: Mapped[User | None] = relationship()
    revision: Mapped[SubmissionRevision | None] = relationship()

    def __repr__(self) -> str:
        return f"<ReflectionAccess s{self.submission_id} by {self.reader_id} {self.page}>"
