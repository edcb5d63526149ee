"""All models, importable from one place (Alembic reads ``Base.metadata``)."""

# The scorecard's indexes on users and module_completions attach on import.
from lms.models import scorecard as _scorecard_indexes  # noqa: F401
from lms.models.audit import AuditEvent
from lms.models.base import Base, utcnow
from lms.models.content import STEP_KINDS, Module, ModuleVersion, Step
from lms.models.mail import OutboxMessage
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
    "STEP_KINDS",
    "SUBMISSION_STATUSES",
    "Enrollment",
    "Module",
    "ModuleCompletion",
    "ModuleVersion",
    "Step",
    "StepProgress",
    "Submission",
    "SubmissionRevision",
    "SurveyParticipation",
    "SurveyResponse",
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
