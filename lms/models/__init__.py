"""All models, importable from one place (Alembic reads ``Base.metadata``)."""

from lms.models.audit import AuditEvent
from lms.models.base import Base, utcnow
from lms.models.mail import OutboxMessage
from lms.models.users import ROLE_NAMES, Cohort, Department, Role, User, normalise_email

__all__ = [
    "ROLE_NAMES",
    "AuditEvent",
    "Base",
    "Cohort",
    "Department",
    "OutboxMessage",
    "Role",
    "User",
    "normalise_email",
    "utcnow",
]
