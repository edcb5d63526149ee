"""Recording who did what."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from lms.extensions import db
from lms.models import AuditEvent, User

# The row goes in by a plain insert on the session's connection: the audit log is only
# ever read back by query, so the unit of work need not track each event it writes.
_INSERT_EVENT = insert(AuditEvent.__table__)


def record(actor: User | None, action: str, target: Any = None, **details: Any) -> None:
    """Write an audit event for ``action`` on ``target`` (any model with an ``id``) in the
    current transaction, after whatever the session holds unwritten."""
    values = {
        "actor_id": actor.id if actor is not None else None,
        "action": action,
        "target_type": type(target).__name__ if target is not None else None,
        "target_id": getattr(target, "id", None),
        "details": details,
    }
    session = db.session()
    session.flush()
    session.connection().execute(_INSERT_EVENT, values)
