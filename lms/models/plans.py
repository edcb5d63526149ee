"""Personal action plans: one plan per learner, goals, actions, check-ins, mentor comments.

Values → behaviours → actions: a goal records why it matters to the learner,
the behaviours they will practise and concrete, dated actions. Check-ins keep
the history of how the plan is going. The text is the learner's own and is
only ever shown to them and, when they share the plan, to their mentors.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.models.base import Base, TimestampMixin, utcnow
from lms.models.users import User

ACTION_STATUSES = ("planned", "doing", "done", "dropped")
GOAL_SOURCES = ("blank", "template", "challenge")


class ActionPlan(Base, TimestampMixin):
    """A learner's living plan; at most one per person."""

    __tablename__ = "action_plans"
    __table_args__ = (UniqueConstraint("user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # Private by default: only the learner's mentors ever see a shared plan.
    is_shared: Mapped[bool] = mapped_column(default=False)
    shared_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    goals: Mapped[list[Goal]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="(Goal.set_at, Goal.id)")
    comments: Mapped[list[PlanComment]] = relationship(
        back_populates="plan", cascade="all, delete-orphan",
        order_by="(PlanComment.created_at, PlanComment.id)")

    def __repr__(self) -> str:
        return f"<ActionPlan {self.id} user={self.user_id} shared={self.is_shared}>"


class Goal(Base, TimestampMixin):
    """One goal: the value behind it, behaviours, actions, circle of influence, support."""

    __tablename__ = "plan_goals"
    __table_args__ = (
        CheckConstraint("source IN ('blank', 'template', 'challenge')", name="source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id", ondelete="CASCADE"),
                                         index=True)
    title: Mapped[str] = mapped_column(String(200))
    value: Mapped[str] = mapped_column(Text, default="")
    behaviours: Mapped[str] = mapped_column(Text, default="")
    circle_of_influence: Mapped[str] = mapped_column(Text, default="")
    support_needed: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20), default="blank")
    # Template key or challenge reference the goal started from, if any.
    source_ref: Mapped[str | None] = mapped_column(String(100))
    # Check-in reminders count their days from here (the reminder job filters on it).
    set_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    plan: Mapped[ActionPlan] = relationship(back_populates="goals")
    actions: Mapped[list[PlanAction]] = relationship(
        back_populates="goal", cascade="all, delete-orphan",
        order_by="(PlanAction.target_date, PlanAction.id)")
    check_ins: Mapped[list[CheckIn]] = relationship(
        back_populates="goal", cascade="all, delete-orphan",
        order_by="(CheckIn.created_at.desc(), CheckIn.id.desc())")

    def __repr__(self) -> str:
        return f"<Goal {self.id} plan={self.plan_id}>"


class PlanAction(Base, TimestampMixin):
    """A concrete action with a target date and a status."""

    __tablename__ = "plan_actions"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'doing', 'done', 'dropped')", name="status"),
        Index("ix_plan_actions_goal_status", "goal_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed by ix_plan_actions_goal_status, whose first column is goal_id.
    goal_id: Mapped[int] = mapped_column(ForeignKey("plan_goals.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(500))
    target_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default="planned")
    done_at: Mapped[datetime | None]

    goal: Mapped[Goal] = relationship(back_populates="actions")

    def __repr__(self) -> str:
        return f"<PlanAction {self.id} goal={self.goal_id} {self.status}>"


class CheckIn(Base):
    """A short reflection on one goal: what I did, what got in the way, what next.

    ``checkpoint_day`` is the reminder it answers (30, 60, 90 ...) or None
    for a check-in written before any reminder was due. Every check-in is
    kept, so the history shows how the plan lived.
    """

    __tablename__ = "plan_check_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("plan_goals.id", ondelete="CASCADE"),
                                         index=True)
    checkpoint_day: Mapped[int | None]
    did: Mapped[str] = mapped_column(Text, default="")
    obstacles: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    # [{"action_id": 3, "from": "planned", "to": "done"}, ...] made with this check-in.
    status_changes: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    goal: Mapped[Goal] = relationship(back_populates="check_ins")

    def __repr__(self) -> str:
        return f"<CheckIn {self.id} goal={self.goal_id} day={self.checkpoint_day}>"


class PlanComment(Base):
    """A mentor's comment on a plan the learner shared."""

    __tablename__ = "plan_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id", ondelete="CASCADE"),
                                         index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                  index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[ActionPlan] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<PlanComment {self.id} plan={self.plan_id}>"
