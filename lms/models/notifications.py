"""In-app notifications and how each person wants to hear about them by email."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.models.base import Base, utcnow

EMAIL_CHOICES = ("immediate", "digest")


class Notification(Base):
    """One message in a person's notification list.

    ``ref`` names what the notification is about (``revision:12``); with
    ``kind`` it is unique per person, which makes scheduled jobs that
    create notifications safe to run twice. ``emailed_at`` is set once the
    matching email is queued (immediately or in a digest).
    """

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "ref"),
        Index("ix_notifications_user_read", "user_id", "read_at"),
        Index("ix_notifications_kind_emailed", "kind", "emailed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(String(500))
    # The catalogue's message and its names and dates (see services.notifications.Notice);
    # None for rows written before notifications were translated, which show ``text``.
    message: Mapped[str | None] = mapped_column(String(500))
    params: Mapped[dict | None] = mapped_column(JSON)
    link: Mapped[str] = mapped_column(String(500), default="")
    ref: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def __repr__(self) -> str:
        return f"<Notification u{self.user_id} {self.kind}>"


class NotificationPreference(Base):
    """A person's choice for emails about new submissions to review."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    submission_emails: Mapped[str] = mapped_column(String(20), default="immediate")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<NotificationPreference u{self.user_id} {self.submission_emails}>"
