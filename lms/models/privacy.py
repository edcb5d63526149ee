"""A learner's own data: prepared downloads of everything held about them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.models.base import Base, utcnow

EXPORT_STATUSES = ("queued", "ready")


class DataExport(Base):
    """One "download my data" archive: queued, then built (inline for small accounts,
    by ``flask privacy build-exports`` for large ones) and kept until ``expires_at``.

    ``token`` names the download in its link; the owner must still be signed in.
    """

    __tablename__ = "data_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    archive: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ready_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]

    @property
    def is_ready(self) -> bool:
        return self.status == "ready"

    def __repr__(self) -> str:
        return f"<DataExport u{self.user_id} {self.status}>"
