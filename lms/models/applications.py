"""Application calls (a fellowship, joining the ally champions), the applications people
write for them and the reviewers' scores."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.models.base import Base, TimestampMixin
from lms.models.users import Cohort, User

# Application.status
DRAFT, SUBMITTED, WITHDRAWN = "draft", "submitted", "withdrawn"
APPLICATION_STATUSES = (DRAFT, SUBMITTED, WITHDRAWN)
# Application.decision
ACCEPTED, WAITLISTED, DECLINED = "accepted", "waitlisted", "declined"
DECISIONS = (ACCEPTED, WAITLISTED, DECLINED)
DECISION_LABELS = {ACCEPTED: _l("Accepted"), WAITLISTED: _l("Waitlisted"), DECLINED: _l("Declined")}
APPLICATION_STATUS_LABELS = {DRAFT: _l("Draft"),
                             SUBMITTED: lazy_pgettext("application", "Submitted"),
                             WITHDRAWN: _l("Withdrawn")}

application_call_reviewers = Table(
    "application_call_reviewers",
    Base.metadata,
    Column("call_id", ForeignKey("application_calls.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class ApplicationCall(Base, TimestampMixin):
    """A call for applications, open between ``opens_at`` and ``closes_at`` (inclusive).

    Eligibility lists (role names, department ids, cohort ids) are each empty for
    "anyone"; a person must match every list that is not empty. ``questions`` are
    prompts of the same types as a challenge's; ``rubric`` the criteria reviewers score
    from 1 to ``rubric_max``.
    """

    __tablename__ = "application_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime] = mapped_column(index=True)
    closes_at: Mapped[datetime] = mapped_column(index=True)
    eligible_roles: Mapped[list] = mapped_column(JSON, default=list)
    eligible_department_ids: Mapped[list] = mapped_column(JSON, default=list)
    eligible_cohort_ids: Mapped[list] = mapped_column(JSON, default=list)
    questions_source: Mapped[str] = mapped_column(Text, default="")
    questions: Mapped[list] = mapped_column(JSON, default=list)
    rubric: Mapped[list] = mapped_column(JSON, default=list)
    rubric_max: Mapped[int] = mapped_column(default=5)
    # Accepting adds the applicant to this cohort; with makes_champions they become an
    # ally champion of their department.
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohorts.id", ondelete="SET NULL"), index=True)
    makes_champions: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)

    cohort: Mapped[Cohort | None] = relationship()
    reviewers: Mapped[list[User]] = relationship(secondary=application_call_reviewers,
                                                 order_by="User.name")
    applications: Mapped[list[Application]] = relationship(back_populates="call",
                                                           passive_deletes=True)

    def __repr__(self) -> str:
        return f"<ApplicationCall {self.title!r}>"


class Application(Base, TimestampMixin):
    """One person's application to a call: a draft until submitted, answers kept."""

    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("call_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("application_calls.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=DRAFT, index=True)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    draft_version: Mapped[int] = mapped_column(default=0)
    saved_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    decision: Mapped[str | None] = mapped_column(String(20))
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    mentor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)

    call: Mapped[ApplicationCall] = relationship(back_populates="applications")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    mentor: Mapped[User | None] = relationship(foreign_keys=[mentor_id])
    reviews: Mapped[list[ApplicationReview]] = relationship(back_populates="application",
                                                            passive_deletes=True)

    def __repr__(self) -> str:
        return f"<Application {self.call_id}:{self.user_id} {self.status}>"


class ApplicationReview(Base, TimestampMixin):
    """A reviewer's rubric scores and notes on one application."""

    __tablename__ = "application_reviews"
    __table_args__ = (UniqueConstraint("application_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                             index=True)
    scores: Mapped[dict] = mapped_column(JSON, default=dict)
    notes: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[Application] = relationship(back_populates="reviews")
    reviewer: Mapped[User] = relationship()

    @property
    def total(self) -> int:
        return sum(int(v) for v in (self.scores or {}).values())

    def __repr__(self) -> str:
        return f"<ApplicationReview {self.application_id} by {self.reviewer_id}>"
