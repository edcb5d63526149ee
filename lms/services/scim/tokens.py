"""Bearer tokens an HR system provisions with; only a hash of each is stored."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.extensions import db
from lms.models import ScimToken, User, utcnow
from lms.services import audit
from lms.services.errors import DomainError

TOKEN_PREFIX = "scim_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(*, name: str, actor: User) -> tuple[ScimToken, str]:
    """A new token called ``name``; returns the row and the token, shown only this once.

    Raises ``DomainError`` for a blank or over-long name.
    """
    name = (name or "").strip()
    if not name:
        raise DomainError("Give the token a name, e.g. the HR system that will use it.",
                          field="name")
    if len(name) > 100:
        raise DomainError("Use at most 100 characters for the name.", field="name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ScimToken(name=name, token_hash=_digest(secret), created_by_id=actor.id)
    db.session.add(token)
    db.session.flush()
    audit.record(actor, "scim.token_create", token, name=name)
    return token, secret


def revoke_token(token: ScimToken, *, actor: User) -> None:
    """Stop ``token`` working at once (it stays listed, marked revoked)."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(actor, "scim.token_revoke", token, name=token.name)
        db.session.flush()


def authenticate(secret: str) -> ScimToken | None:
    """The active token for ``secret``, its last use set to now; None when unknown or revoked."""
    if not secret:
        return None
    token = db.session.execute(select(ScimToken).where(
        ScimToken.token_hash == _digest(secret))).scalar_one_or_none()
    if token is None or token.revoked_at is not None:
        return None
    token.last_used_at = utcnow()
    return token


def all_tokens() -> list[ScimToken]:
    """Every token, newest first, with who created it (loaded in one more query)."""
    return list(db.session.execute(
        select(ScimToken).options(selectinload(ScimToken.created_by))
        .order_by(ScimToken.created_at.desc(), ScimToken.id.desc())).scalars())
