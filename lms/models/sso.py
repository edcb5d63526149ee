"""Links to identity providers, replay guards and provisioning tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.models.base import Base, utcnow
from lms.models.users import User


class ExternalIdentity(Base):
    """A person as an identity provider (or the HR system) knows them.

    ``provider`` is the configured provider's name (``scim`` for provisioning) and
    ``subject`` its stable identifier for the person (``sub``, the SAML NameID, or
    the SCIM ``externalId``); the pair is unique, so a provider can never sign two
    accounts in as one.
    """

    __tablename__ = "external_identities"
    __table_args__ = (
        UniqueConstraint("provider", "subject"),
        Index("ix_external_identities_provider_last_sign_in", "provider", "last_sign_in_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<ExternalIdentity {self.provider}:{self.subject}>"


class SeenAssertion(Base):
    """A signed assertion already used to sign in; kept until it expires so a replay fails."""

    __tablename__ = "sso_seen_assertions"
    __table_args__ = (UniqueConstraint("provider", "assertion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(64))
    assertion_id: Mapped[str] = mapped_column(String(255))
    expires_at: Mapped[datetime] = mapped_column(index=True)

    def __repr__(self) -> str:
        return f"<SeenAssertion {self.provider}:{self.assertion_id}>"


class ScimToken(Base):
    """A bearer token an HR system uses for SCIM provisioning; only its hash is kept."""

    __tablename__ = "scim_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    created_by: Mapped[User | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<ScimToken {self.name}>"


class ScimResource(Base):
    """A User or Group as the HR system last sent it over SCIM, linked to what it provisions.

    ``document`` keeps the resource as sent (passwords removed) so the HR system
    reads back what it wrote; the person (``user``) or the department / cohort
    carries what the product uses. ``lookup_name`` is the lower-cased userName
    (or group displayName) that ``eq`` filters search by.
    """

    __tablename__ = "scim_resources"
    __table_args__ = (UniqueConstraint("resource_type", "lookup_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_type: Mapped[str] = mapped_column(String(20))
    lookup_name: Mapped[str] = mapped_column(String(255))
    external_id: Mapped[str | None] = mapped_column(String(255))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohorts.id", ondelete="SET NULL"), index=True)
    document: Mapped[dict] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ScimResource {self.resource_type} {self.id}>"
