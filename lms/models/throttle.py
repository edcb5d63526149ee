"""Failed password checks, counted per account and per account + address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from lms.models.base import Base


class PasswordFailure(Base):
    """Wrong passwords under one key, e.g. ``sign-in:ana@example.edu`` (the account,
    wherever the attempts came from) or ``sign-in:ana@example.edu|203.0.113.5``.

    Kept in the database so every worker sees the same counts.
    """

    __tablename__ = "password_failures"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failed_at: Mapped[datetime]
    blocked_until: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<PasswordFailure {self.key} failures={self.failures}>"
