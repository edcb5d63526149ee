"""Application calls as the programme office writes them, and who may apply to them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from lms.content.schema import read_prompts
from lms.extensions import db
from lms.models import (
    ROLE_NAMES,
    Application,
    ApplicationCall,
    Cohort,
    Department,
    User,
    normalise_email,
    utcnow,
)
from lms.models.applications import DRAFT, SUBMITTED, WITHDRAWN
from lms.services import audit
from lms.services.errors import DomainError

MAX_RUBRIC_CRITERIA = 12


@dataclass
class CallData:
    """What the programme office types for a call (times already in UTC)."""

    title: str
    description: str
    opens_at: datetime
    closes_at: datetime
    questions_source: str
    rubric_source: str = ""
    rubric_max: int = 5
    eligible_roles: list[str] = field(default_factory=list)
    eligible_department_ids: list[int] = field(default_factory=list)
    eligible_cohort_ids: list[int] = field(default_factory=list)
    reviewer_emails: list[str] = field(default_factory=list)
    cohort_id: int | None = None
    makes_champions: bool = False


def parse_rubric(text: str) -> list[str]:
    """One criterion per line; blank lines dropped. Raises ``DomainError`` at ``rubric``."""
    criteria = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not criteria:
        raise DomainError(_("Write at least one criterion reviewers score, one per line."),
                          field="rubric")
    if len(criteria) > MAX_RUBRIC_CRITERIA:
        raise DomainError(_("Use at most %(most)s criteria.", most=MAX_RUBRIC_CRITERIA),
                          field="rubric")
    if any(len(c) > 200 for c in criteria):
        raise DomainError(_("Keep each criterion under 200 characters."), field="rubric")
    if len(set(criteria)) != len(criteria):
        raise DomainError(_("Each criterion must be different."), field="rubric")
    return criteria


def parse_questions(text: str) -> list[dict]:
    """The questions, checked like a challenge's prompts. Raises ``DomainError`` at
    ``questions`` listing every problem with its line."""
    prompts, errors = read_prompts(text)
    if errors:
        raise DomainError(" ".join(_("Line %(line)s: %(problem)s.", line=e.line, problem=e.message)
                                   for e in errors[:8]),
                          field="questions")
    return prompts


def _reviewers(emails: list[str]) -> list[User]:
    wanted = sorted({normalise_email(e) for e in emails if e.strip()})
    if not wanted:
        raise DomainError(_("Name at least one reviewer (their email)."), field="reviewers")
    found = db.session.execute(select(User).where(User.email.in_(wanted),
                                                  User.is_active_account)).scalars().all()
    missing = sorted(set(wanted) - {u.email for u in found})
    if missing:
        raise DomainError(_("No active account has the email %(emails)s.",
                            emails=", ".join(missing)),
                          field="reviewers")
    return list(found)


def _check_ids(model, ids: list[int], field_name: str) -> list[int]:
    ids = sorted(set(ids))
    if ids and db.session.scalar(select(func.count(model.id)).where(model.id.in_(ids))) \
            != len(ids):
        raise DomainError(_("Choose from the options shown."), field=field_name)
    return ids


def _apply(call: ApplicationCall, data: CallData) -> None:
    if not data.title.strip():
        raise DomainError(_("Give the call a title."), field="title")
    if data.closes_at <= data.opens_at:
        raise DomainError(_("The call must close after it opens."), field="closes_at")
    if not 2 <= data.rubric_max <= 10:
        raise DomainError(_("Score from 1 to a number between 2 and 10."), field="rubric_max")
    if any(role not in ROLE_NAMES for role in data.eligible_roles):
        raise DomainError(_("Choose from the roles shown."), field="eligible_roles")
    call.title = data.title.strip()
    call.description = data.description.strip()
    call.opens_at, call.closes_at = data.opens_at, data.closes_at
    call.questions_source = data.questions_source
    call.questions = parse_questions(data.questions_source)
    call.rubric = parse_rubric(data.rubric_source)
    call.rubric_max = data.rubric_max
    call.eligible_roles = sorted(set(data.eligible_roles))
    call.eligible_department_ids = _check_ids(Department, data.eligible_department_ids,
                                              "eligible_departments")
    call.eligible_cohort_ids = _check_ids(Cohort, data.eligible_cohort_ids, "eligible_cohorts")
    if data.cohort_id is not None:
        _check_ids(Cohort, [data.cohort_id], "cohort_id")
    call.cohort_id = data.cohort_id
    call.makes_champions = data.makes_champions
    call.reviewers = _reviewers(data.reviewer_emails)


def create_call(actor: User, data: CallData) -> ApplicationCall:
    """A new call. Raises ``DomainError`` at the field at fault."""
    call = ApplicationCall(created_by_id=actor.id)
    _apply(call, data)
    db.session.add(call)
    db.session.flush()
    audit.record(actor, "application_call.create", call, title=call.title)
    return call


def update_call(actor: User, call: ApplicationCall, data: CallData) -> ApplicationCall:
    """Change a call. Questions cannot change once someone has submitted (their answers
    would no longer match). Raises ``DomainError``."""
    submitted = db.session.scalar(select(func.count(Application.id)).where(
        Application.call_id == call.id, Application.status == SUBMITTED))
    if submitted and data.questions_source.strip() != (call.questions_source or "").strip():
        raise DomainError(_("People have already submitted answers to these questions; they "
                          "can no longer change."), field="questions")
    _apply(call, data)
    db.session.flush()
    audit.record(actor, "application_call.update", call, title=call.title)
    return call


def rubric_text(call: ApplicationCall) -> str:
    return "\n".join(call.rubric or [])


# --- windows and eligibility ---------------------------------------------------------------

def is_open(call: ApplicationCall, now: datetime | None = None) -> bool:
    """Open from ``opens_at`` up to and including the instant ``closes_at``."""
    now = now or utcnow()
    return call.opens_at <= now <= call.closes_at


def window_state(call: ApplicationCall, now: datetime | None = None) -> str:
    """``"upcoming"``, ``"open"`` or ``"closed"``."""
    now = now or utcnow()
    if now < call.opens_at:
        return "upcoming"
    return "open" if now <= call.closes_at else "closed"


def _departments_up_from(department_id: int | None) -> set[int]:
    """``department_id`` and every department above it (one query)."""
    if department_id is None:
        return set()
    parents = dict(db.session.execute(select(Department.id, Department.parent_id)).all())
    found: set[int] = set()
    current: int | None = department_id
    while current is not None and current not in found:
        found.add(current)
        current = parents.get(current)
    return found


def is_eligible(user: User, call: ApplicationCall, *,
                departments_up: set[int] | None = None) -> bool:
    """``user`` matches every eligibility list of ``call`` that is not empty (a department
    includes the departments below it). ``departments_up`` (the person's department and
    those above it) saves its query when checking many calls."""
    if call.eligible_roles and not user.has_role(*call.eligible_roles):
        return False
    if call.eligible_department_ids:
        if departments_up is None:
            departments_up = _departments_up_from(user.department_id)
        if not departments_up & set(call.eligible_department_ids):
            return False
    if call.eligible_cohort_ids:
        return bool({c.id for c in user.cohorts} & set(call.eligible_cohort_ids))
    return True


def open_calls_for(user: User, now: datetime | None = None) -> list[ApplicationCall]:
    """The calls open now that ``user`` may apply to, closing soonest first (at most three
    queries, however many calls are open)."""
    now = now or utcnow()
    calls = db.session.execute(
        select(ApplicationCall).where(ApplicationCall.opens_at <= now,
                                      ApplicationCall.closes_at >= now)
        .order_by(ApplicationCall.closes_at, ApplicationCall.id)).scalars().all()
    if not calls:
        return []
    departments_up = _departments_up_from(user.department_id) if any(
        c.eligible_department_ids for c in calls) else set()
    return [c for c in calls if is_eligible(user, c, departments_up=departments_up)]


def applications_of(user: User) -> dict[int, Application]:
    """``user``'s applications by call id."""
    rows = db.session.execute(select(Application).where(Application.user_id == user.id))
    return {a.call_id: a for a in rows.scalars()}


def reviewed_by(user: User) -> list[ApplicationCall]:
    """The calls ``user`` reviews, newest first."""
    from lms.models.applications import application_call_reviewers as acr

    return list(db.session.execute(
        select(ApplicationCall).join(acr, acr.c.call_id == ApplicationCall.id)
        .where(acr.c.user_id == user.id)
        .order_by(ApplicationCall.closes_at.desc())).scalars())


def is_reviewer(user: User, call: ApplicationCall) -> bool:
    return any(r.id == user.id for r in call.reviewers)


def all_calls() -> list[tuple[ApplicationCall, dict[str, int]]]:
    """Every call with its counts (drafts, submitted, withdrawn, and each decision), newest
    first, in two queries."""
    calls = db.session.execute(select(ApplicationCall)
                               .order_by(ApplicationCall.closes_at.desc())).scalars().all()
    counts: dict[int, dict[str, int]] = {c.id: {} for c in calls}
    for call_id, status, decision, n in db.session.execute(
            select(Application.call_id, Application.status, Application.decision, func.count())
            .group_by(Application.call_id, Application.status, Application.decision)):
        bucket = counts.setdefault(call_id, {})
        bucket[status] = bucket.get(status, 0) + n
        if decision and status == SUBMITTED:
            bucket[decision] = bucket.get(decision, 0) + n
    return [(c, counts[c.id]) for c in calls]


__all__ = ["DRAFT", "SUBMITTED", "WITHDRAWN", "CallData", "all_calls", "applications_of",
           "create_call", "is_eligible", "is_open", "is_reviewer", "open_calls_for",
           "parse_questions", "parse_rubric", "reviewed_by", "rubric_text", "update_call",
           "window_state"]
