"""Training content synced from ``modules/``: modules, their versions and steps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.models.base import Base, utcnow

# The names of the step kinds, in the order of their registry ``lms.content.kinds.KINDS``
# (which holds everything a kind is; tests/test_signals.py keeps the two in step).
STEP_KINDS = ("page", "video", "challenge", "check", "survey", "live", "plan")


class Module(Base):
    """A module as last synced. ``content_hash`` is the version learners get now."""

    __tablename__ = "modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    estimated_minutes: Mapped[int] = mapped_column(default=0)
    audience: Mapped[str] = mapped_column(String(300), default="")
    prerequisites: Mapped[list[str]] = mapped_column(JSON, default=list)
    pacing: Mapped[str] = mapped_column(String(20), default="self-paced")
    has_certificate: Mapped[bool] = mapped_column(default=False)
    standard: Mapped[str | None] = mapped_column(String(300))
    # Completion rules of the current version (lms.services.learning.evidence).
    minimum_minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    attestation: Mapped[str | None] = mapped_column(Text)
    # {language: {"title", "summary", "audience", "standard"}} from module.<language>.yaml.
    translations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    content_hash: Mapped[str] = mapped_column(String(64))
    # Unpublished when its folder disappears: history stays, the catalogue hides it.
    is_published: Mapped[bool] = mapped_column(default=True, index=True)
    synced_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the studio publishes it: ``flask modules sync`` then reports a conflict
    # instead of overwriting it with the folder (unless told to).
    studio_published_at: Mapped[datetime | None] = mapped_column()

    steps: Mapped[list[Step]] = relationship(
        back_populates="module", order_by="Step.position",
        primaryjoin="and_(Step.module_id == Module.id, Step.is_active)", viewonly=True)

    def __repr__(self) -> str:
        return f"<Module {self.slug} {self.content_hash[:8]}>"


class ModuleVersion(Base):
    """Every version ever synced, so a completion can name what was completed."""

    __tablename__ = "module_versions"
    __table_args__ = (UniqueConstraint("module_id", "content_hash"),
                      Index("ix_module_versions_module_created", "module_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    content_hash: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The folder's files (module.yaml and Markdown) as published, for history and revert;
    # ``source`` says where it came from ("files": flask modules sync, "studio").
    files: Mapped[dict[str, str] | None] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(20), default="files")
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)

    def __repr__(self) -> str:
        return f"<ModuleVersion {self.module_id} {self.content_hash[:8]}>"


class Step(Base):
    """One step of a module. ``config`` holds the kind-specific definition."""

    __tablename__ = "steps"
    __table_args__ = (
        UniqueConstraint("module_id", "slug"),
        Index("ix_steps_module_active_position", "module_id", "is_active", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    is_optional: Mapped[bool] = mapped_column(default=False)
    unlock_after_days: Mapped[int] = mapped_column(default=0)
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Steps removed from the files are kept (learners' work points at them).
    is_active: Mapped[bool] = mapped_column(default=True)

    module: Mapped[Module] = relationship(foreign_keys=[module_id])

    @property
    def review_required(self) -> bool:
        return self.kind == "challenge" and self.config.get("review", "required") == "required"

    def __repr__(self) -> str:
        return f"<Step {self.module_id}/{self.slug} {self.kind}>"
