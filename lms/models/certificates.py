"""Completion certificates with a public verification code."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.models.base import Base, utcnow
from lms.models.content import Module
from lms.models.users import User


class Certificate(Base):
    """Proof of one completion of a certificate module.

    What the certificate states (name, title, standard, hours, version) is
    copied at issue, so renaming a module or a person never changes a
    certificate already handed out. ``code`` is random and unguessable; it is
    all the public verification page needs.
    """

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"),
                                           index=True)
    completion_id: Mapped[int | None] = mapped_column(
        ForeignKey("module_completions.id", ondelete="SET NULL"), unique=True)
    learner_name: Mapped[str] = mapped_column(String(200))
    module_title: Mapped[str] = mapped_column(String(300))
    standard: Mapped[str | None] = mapped_column(String(300))
    minutes: Mapped[int] = mapped_column(default=0)
    # Evidence as at issue: the knowledge-check score, the engaged time the server
    # credited, the attestation, the provider and the learner's licence number.
    score_percent: Mapped[int | None]
    engaged_minutes: Mapped[int | None]
    attested_at: Mapped[datetime | None]
    provider: Mapped[str | None] = mapped_column(String(300))
    licence_number: Mapped[str | None] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64))
    completed_at: Mapped[datetime]
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
    module: Mapped[Module] = relationship()

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)

    @property
    def display_code(self) -> str:
        """The code in groups of four, easier to read out and type."""
        return "-".join(self.code[i:i + 4] for i in range(0, len(self.code), 4))

    @property
    def version(self) -> str:
        return self.content_hash[:12]

    def __repr__(self) -> str:
        return f"<Certificate {self.code} u{self.user_id} m{self.module_id}>"
