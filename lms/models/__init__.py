"""All models, importable from one place (Alembic reads ``Base.metadata``)."""

from lms.models.audit import AuditEvent
from lms.models.base import Base, utcnow
from lms.models.mail import OutboxMessage
from lms.models.plans import ACTION_STATUSES, ActionPlan, CheckIn, Goal, PlanAction, PlanComment
from lms.models.users import ROLE_NAMES, Cohort, Department, Role, User, normalise_email

__all__ = [
    "ACTION_STATUSES",
    "ROLE_NAMES",
    "ActionPlan",
    "AuditEvent",
    "Base",
    "CheckIn",
    "Cohort",
    "Department",
    "Goal",
    "OutboxMessage",
    "PlanAction",
    "PlanComment",
    "Role",
    "User",
    "normalise_email",
    "utcnow",
]
