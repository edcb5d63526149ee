"""Recording who did what."""

from __future__ import annotations

from typing import Any

from lms.extensions import db
from lms.models import AuditEvent, User


def record(actor: User | None, action: str, target: Any = None, **details: Any) -> AuditEvent:
    """Add an audit event for ``action`` on ``target`` (any model with an ``id``)."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=type(target).__name__ if target is not None else None,
        target_id=getattr(target, "id", None),
        details=details,
    )
    db.session.add(event)
    db.session.flush()
    return event
