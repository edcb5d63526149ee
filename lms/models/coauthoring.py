"""Invitations to co-author a group reflection."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.models.base import Base, utcnow
from lms.models.progress import Submission
from lms.models.users import User


class CoauthorInvitation(Base):
    """A learner named ``email`` as co-author of their group ``submission``.

    Addressed by email, not by account, so that naming an address without an
    account looks exactly like naming one with. Whoever holds the account with
    that email accepts (becoming one of ``Submission.coauthors``) or declines;
    either way the invitation row goes, so declining leaves no trace.
    """

    __tablename__ = "coauthor_invitations"
    __table_args__ = (UniqueConstraint("submission_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    submission: Mapped[Submission] = relationship()
    invited_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<CoauthorInvitation s{self.submission_id} {self.email}>"
