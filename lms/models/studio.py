"""The authoring studio: a module's draft in the ``modules/`` folder format, and its images."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.models.base import Base, utcnow
from lms.models.content import Module
from lms.models.users import User

DRAFT_STATUSES = ("draft", "published", "archived")


class ModuleDraft(Base):
    """What an author is writing: the files of one module folder (``module.yaml`` and its
    Markdown), exactly as they would be exported. Publishing validates them like
    ``flask modules validate`` and loads them as a new content version of ``module``."""

    __tablename__ = "module_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    module_id: Mapped[int | None] = mapped_column(
        ForeignKey("modules.id", ondelete="SET NULL"), unique=True)
    files: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # The content version the draft was last published as (None: never published).
    published_hash: Mapped[str | None] = mapped_column(String(64))
    is_archived: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    module: Mapped[Module | None] = relationship(foreign_keys=[module_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])

    def __repr__(self) -> str:
        return f"<ModuleDraft {self.slug}>"


class StudioImage(Base):
    """An image uploaded for a module's pages, checked to be a real PNG, JPEG, GIF or WebP."""

    __tablename__ = "studio_images"
    __table_args__ = (UniqueConstraint("draft_id", "filename"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("module_drafts.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(120))
    media_type: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<StudioImage {self.draft_id}/{self.filename}>"
