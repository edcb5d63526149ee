"""All models, importable from one place (Alembic reads ``Base.metadata``)."""

from lms.models import scorecard as _scorecard_indexes  # noqa: F401  (indexes only)
from lms.models.assignments import (
    DEFAULT_ESCALATE_AFTER_DAYS,
    DEFAULT_OVERDUE_EVERY_DAYS,
    DEFAULT_REMIND_DAYS_BEFORE,
    DUE_KINDS,
    TARGET_KINDS,
    Assignment,
    Obligation,
    Reminder,
)
from lms.models.audit import AuditEvent
from lms.models.base import Base, TimestampMixin, utcnow
from lms.models.certificates import Certificate
from lms.models.coauthoring import CoauthorInvitation
from lms.models.content import STEP_KINDS, Module, ModuleVersion, Step
from lms.models.events import (
    ACTIVE_STATUSES,
    ATTENDANCE_VALUES,
    AUDIENCE_LABELS,
    AUDIENCES,
    CHECKIN_ALPHABET,
    MODE_LABELS,
    MODES,
    OFFERING_STATUSES,
    REGISTRATION_STATUSES,
    REQUEST_STATUSES,
    CalendarFeed,
    EngagementWeek,
    Offering,
    RaffleDraw,
    Registration,
    TeamRequest,
    Training,
)
from lms.models.mail import OutboxMessage
from lms.models.notifications import EMAIL_CHOICES, Notification, NotificationPreference
from lms.models.plans import (
    ACTION_STATUSES,
    GOAL_SOURCES,
    ActionPlan,
    CheckIn,
    Goal,
    PlanAction,
    PlanComment,
)
from lms.models.privacy import EXPORT_STATUSES, DataExport
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
from lms.models.reviews import REVIEW_DECISIONS, MentorLink, ReflectionAccess, Review
from lms.models.sso import ExternalIdentity, ScimResource, ScimToken, SeenAssertion
from lms.models.studio import DRAFT_STATUSES, ModuleDraft, StudioImage
from lms.models.survey_pool import PendingSurveyAnswer
from lms.models.throttle import PasswordFailure
from lms.models.users import ROLE_NAMES, Cohort, Department, Role, User, normalise_email

__all__ = [
    "DRAFT_STATUSES",
    "ModuleDraft",
    "StudioImage",
    "EXPORT_STATUSES",
    "CoauthorInvitation",
    "ExternalIdentity",
    "ScimResource",
    "ScimToken",
    "SeenAssertion",
    "ACTION_STATUSES",
    "ACTIVE_STATUSES",
    "ATTENDANCE_VALUES",
    "AUDIENCES",
    "AUDIENCE_LABELS",
    "CHECKIN_ALPHABET",
    "DEFAULT_ESCALATE_AFTER_DAYS",
    "DEFAULT_OVERDUE_EVERY_DAYS",
    "DEFAULT_REMIND_DAYS_BEFORE",
    "DUE_KINDS",
    "EMAIL_CHOICES",
    "GOAL_SOURCES",
    "MODES",
    "MODE_LABELS",
    "OFFERING_STATUSES",
    "REGISTRATION_STATUSES",
    "REQUEST_STATUSES",
    "REVIEW_DECISIONS",
    "ROLE_NAMES",
    "STEP_KINDS",
    "SUBMISSION_STATUSES",
    "TARGET_KINDS",
    "ActionPlan",
    "Assignment",
    "AuditEvent",
    "Base",
    "CalendarFeed",
    "Certificate",
    "CheckIn",
    "Cohort",
    "Department",
    "DataExport",
    "EngagementWeek",
    "Enrollment",
    "Goal",
    "MentorLink",
    "Module",
    "ModuleCompletion",
    "ModuleVersion",
    "Notification",
    "NotificationPreference",
    "Obligation",
    "Offering",
    "OutboxMessage",
    "PasswordFailure",
    "PendingSurveyAnswer",
    "PlanAction",
    "PlanComment",
    "RaffleDraw",
    "ReflectionAccess",
    "Registration",
    "Reminder",
    "Review",
    "Role",
    "Step",
    "StepProgress",
    "Submission",
    "SubmissionRevision",
    "SurveyParticipation",
    "SurveyResponse",
    "TeamRequest",
    "TimestampMixin",
    "Training",
    "User",
    "normalise_email",
    "utcnow",
]
