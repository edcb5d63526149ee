"""All models, importable from one place (Alembic reads ``Base.metadata``)."""

from lms.models.audit import AuditEvent
from lms.models.base import Base, utcnow
from lms.models.events import (
    CalendarFeed,
    EngagementWeek,
    Offering,
    RaffleDraw,
    Registration,
    TeamRequest,
    Training,
)
from lms.models.mail import OutboxMessage
from lms.models.users import ROLE_NAMES, Cohort, Department, Role, User, normalise_email

__all__ = [
    "ROLE_NAMES",
    "AuditEvent",
    "Base",
    "CalendarFeed",
    "Cohort",
    "Department",
    "EngagementWeek",
    "Offering",
    "OutboxMessage",
    "RaffleDraw",
    "Registration",
    "Role",
    "TeamRequest",
    "Training",
    "User",
    "normalise_email",
    "utcnow",
]
