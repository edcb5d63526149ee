"""What stands behind a completion: knowledge-check attempts, engaged time, attestations.

Each is kept per person and never rewritten; a completion copies the figures
it was granted on (``ModuleCompletion.score_percent`` and friends).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.models.base import Base, utcnow


class CheckAttempt(Base):
    """One submitted try at a knowledge check: the questions drawn, the answers, the score."""

    __tablename__ = "check_attempts"
    __table_args__ = (UniqueConstraint("user_id", "step_id", "number"),
                      Index("ix_check_attempts_step_id", "step_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"))
    number: Mapped[int]
    question_ids: Mapped[list[str]] = mapped_column(JSON)
    chosen: Mapped[dict[str, Any]] = mapped_column(JSON)
    correct: Mapped[int]
    total: Mapped[int]
    score_percent: Mapped[int]
    is_passed: Mapped[bool] = mapped_column(default=False)
    content_hash: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<CheckAttempt u{self.user_id} s{self.step_id} #{self.number}>"


class EngagedTime(Base):
    """Seconds the server credited to one person on one step, and when it last did."""

    __tablename__ = "engaged_times"
    __table_args__ = (UniqueConstraint("user_id", "step_id"),
                      Index("ix_engaged_times_user_credited", "user_id", "last_credited_at"),
                      Index("ix_engaged_times_step_id", "step_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"),
                                           index=True)
    seconds: Mapped[int] = mapped_column(default=0)
    last_credited_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The last credit came from a heartbeat: the page was open with scripts running, so
    # the next step load is credited like a heartbeat, not like a page read without them.
    is_heartbeat: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<EngagedTime u{self.user_id} s{self.step_id} {self.seconds}s>"


class Attestation(Base):
    """A learner affirming, in their own name, the statement a module version asks for."""

    __tablename__ = "attestations"
    __table_args__ = (Index("ix_attestations_user_module", "user_id", "module_id"),
                      Index("ix_attestations_module_id", "module_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    content_hash: Mapped[str] = mapped_column(String(64))
    learner_name: Mapped[str] = mapped_column(String(200))
    statement: Mapped[str] = mapped_column(Text)
    attested_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Attestation u{self.user_id} m{self.module_id} {self.attested_at}>"
