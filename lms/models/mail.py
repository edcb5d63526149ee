"""Outgoing mail. Every message goes through this table, SMTP or not."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lms.models.base import Base, utcnow


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(50), default="general")
    # A caller-chosen key ("reset:42:..."): the same key is never queued twice,
    # which makes reminder jobs safe to run again.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    attachment_name: Mapped[str | None] = mapped_column(String(200))
    attachment_type: Mapped[str | None] = mapped_column(String(100))
    attachment_data: Mapped[str | None] = mapped_column(Text)
    # Which secret the body stands for (``password:reset:42``); the secret itself is
    # made when the message is sent and never stored (see services/accounts/password_mail.py).
    secret_ref: Mapped[str | None] = mapped_column(String(100))
    # queued / sending / sent / failed / held
    status: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    # Set when a sender claims the message (status "sending"): each message is
    # claimed by one sender only, and a claim left behind by a crash is found by age.
    claimed_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} to={self.to_address} {self.status}>"
