"""All models, importable from one place (Alembic reads ``Base.metadata``)."""

from lms.models.audit import AuditEvent
from lms.models.base import Base, TimestampMixin, utcnow
from lms.models.content import STEP_KINDS, Module, ModuleVersion, Step
from lms.models.mail import OutboxMessage
from lms.models.plans import (
    ACTION_STATUSES,
    GOAL_SOURCES,
    ActionPlan,
    CheckIn,
    Goal,
    PlanAction,
    PlanComment,
)
from lms.models.progress import (
    SUBMISSION_STATUSES,
    Enrollment,
    ModuleCompletion,
    StepProgress,
    Submission,
    SubmissionRevision,
    SurveyParticipation,
    SurveyResponse,
)
from lms.models.users import ROLE_NAMES, Cohort, Department, Role, User, normalise_email

__all__ = [
    "ACTION_STATUSES",
    "GOAL_SOURCES",
    "ROLE_NAMES",
    "STEP_KINDS",
    "SUBMISSION_STATUSES",
    "ActionPlan",
    "AuditEvent",
    "Base",
    "CheckIn",
    "Cohort",
    "Department",
    "Enrollment",
    "Goal",
    "Module",
    "ModuleCompletion",
    "ModuleVersion",
    "OutboxMessage",
    "PlanAction",
    "PlanComment",
    "Role",
    "Step",
    "StepProgress",
    "Submission",
    "SubmissionRevision",
    "SurveyParticipation",
    "SurveyResponse",
    "TimestampMixin",
    "User",
    "normalise_email",
    "utcnow",
]
