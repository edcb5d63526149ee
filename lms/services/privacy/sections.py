"""What the product holds about one person, one section per area.

The shape follows Moodle's Privacy API: each area that stores personal data
provides a :class:`Section` that exports it; the archive (``exports``) and
its readable page are made of every section in :data:`SECTIONS`, in order.
An area that starts storing something about people adds its section to that
tuple (one entry, next to the others, so a reader finds them all in one
place) -- co-author invitations, for instance, would add theirs.

Exports contain the person's own records as stored, minus secrets that would
let someone else act as them (password hashes, sign-in and feed tokens,
check-in codes). Names of other people appear only where the person already
sees them in the product (the mentor who gave feedback, who read a
reflection). Anonymous evaluation answers cannot be part of it: nothing links
them to anyone, which is the point; the export says which surveys were
answered and on which day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.inspection import inspect
from sqlalchemy.orm import selectinload

from lms.extensions import db
from lms.i18n import written_for
from lms.models import (
    ActionPlan,
    Application,
    Attestation,
    AuditEvent,
    CalendarFeed,
    Certificate,
    Champion,
    ChampionActivity,
    CheckAttempt,
    CoauthorInvitation,
    EngagedTime,
    Enrollment,
    ExternalIdentity,
    MentorLink,
    ModuleCompletion,
    Notification,
    NotificationPreference,
    Obligation,
    ReflectionAccess,
    Registration,
    Reminder,
    Review,
    Step,
    StepProgress,
    Submission,
    SurveyParticipation,
    TeamRequest,
    User,
)
from lms.services.notifications import shown_text

# Never exported: they would let whoever holds the file act as the person.
SECRET_COLUMNS = frozenset({"password_hash", "session_token", "token", "checkin_code"})

Records = list[dict[str, Any]]


@dataclass(frozen=True)
class Section:
    """One area's part of the export: ``export(user)`` returns JSON-ready records."""

    key: str
    title: str
    description: str
    export: Callable[[User], Records]


def plain(value: Any) -> Any:
    """A stored value as JSON can hold it."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    return value


def record(obj: Any, **extra: Any) -> dict[str, Any]:
    """Every stored column of ``obj`` except secrets, plus ``extra`` (names for ids)."""
    columns = {attr.key: plain(getattr(obj, attr.key))
               for attr in inspect(obj).mapper.column_attrs if attr.key not in SECRET_COLUMNS}
    return {**columns, **{key: plain(value) for key, value in extra.items()}}


def _name(user: User | None) -> str | None:
    return user.name if user is not None else None


def _all(stmt) -> list:
    return list(db.session.scalars(stmt))


def profile(user: User) -> Records:
    preference = db.session.get(NotificationPreference, user.id)
    return [record(user, department=user.department.name if user.department else None,
                   cohorts=[c.name for c in user.cohorts],
                   notification_preferences=record(preference) if preference else None,
                   calendar_feeds=[record(f) for f in _all(
                       select(CalendarFeed).where(CalendarFeed.user_id == user.id))])]


def roles(user: User) -> Records:
    return [{"role": name} for name in sorted(user.role_names)]


def learning(user: User) -> Records:
    enrollments = _all(select(Enrollment).where(Enrollment.user_id == user.id)
                       .order_by(Enrollment.started_at))
    progress = _all(select(StepProgress).where(StepProgress.user_id == user.id)
                    .order_by(StepProgress.completed_at))
    completions = _all(select(ModuleCompletion).where(ModuleCompletion.user_id == user.id)
                       .order_by(ModuleCompletion.completed_at))
    obligations = _all(select(Obligation).where(Obligation.user_id == user.id))
    return [
        *[record(e, kind="enrollment", module=e.module.title) for e in enrollments],
        *[record(p, kind="step progress") for p in progress],
        *[record(c, kind="completion") for c in completions],
        *[record(o, kind="assignment") for o in obligations],
        *[record(r, kind="assignment reminder") for r in _all(
            select(Reminder).where(Reminder.user_id == user.id))],
    ]


def reflections(user: User) -> Records:
    submissions = _all(select(Submission).where(Submission.user_id == user.id)
                       .options(selectinload(Submission.revisions),
                                selectinload(Submission.coauthors),
                                selectinload(Submission.step).selectinload(Step.module))
                       .order_by(Submission.created_at))
    feedback: dict[int, list[Review]] = {}
    for review in _all(select(Review).options(selectinload(Review.mentor))
                       .where(Review.submission_id.in_([s.id for s in submissions]))
                       .order_by(Review.created_at)):
        feedback.setdefault(review.submission_id, []).append(review)
    return [record(submission, challenge=submission.step.title,
                   module=submission.step.module.title,
                   coauthors=[c.name for c in submission.coauthors],
                   revisions=[record(r) for r in submission.revisions],
                   feedback=[record(r, mentor=_name(r.mentor))
                             for r in feedback.get(submission.id, [])])
            for submission in submissions]


def reflection_reads(user: User) -> Records:
    """Who opened my reflections, when and where (the access log)."""
    reads = _all(select(ReflectionAccess).join(Submission,
                                               Submission.id == ReflectionAccess.submission_id)
                 .where(Submission.user_id == user.id).order_by(ReflectionAccess.at))
    return [record(r, reader=_name(r.reader)) for r in reads]


def action_plan(user: User) -> Records:
    plan = db.session.scalar(select(ActionPlan).where(ActionPlan.user_id == user.id))
    if plan is None:
        return []
    return [record(plan, goals=[
        record(goal, actions=[record(a) for a in goal.actions],
               check_ins=[record(c) for c in goal.check_ins]) for goal in plan.goals],
        comments=[record(c, author=_name(c.author)) for c in plan.comments])]


def events(user: User) -> Records:
    registrations = _all(select(Registration).where(Registration.user_id == user.id)
                         .order_by(Registration.created_at))
    requests = _all(select(TeamRequest).where(TeamRequest.requester_id == user.id))
    return [*[record(r, kind="registration", training=r.offering.training.title,
                     starts_at=r.offering.starts_at) for r in registrations],
            *[record(t, kind="team training request") for t in requests]]


def completion_evidence(user: User) -> Records:
    """Knowledge-check tries, engaged time credited per step, statements made."""
    return [
        *[record(a, kind="knowledge check try") for a in _all(
            select(CheckAttempt).where(CheckAttempt.user_id == user.id)
            .order_by(CheckAttempt.submitted_at, CheckAttempt.id))],
        *[record(t, kind="engaged time") for t in _all(
            select(EngagedTime).where(EngagedTime.user_id == user.id)
            .order_by(EngagedTime.id))],
        *[record(a, kind="statement") for a in _all(
            select(Attestation).where(Attestation.user_id == user.id)
            .order_by(Attestation.attested_at))]]


def certificates(user: User) -> Records:
    return [record(c) for c in _all(select(Certificate).where(Certificate.user_id == user.id)
                                    .order_by(Certificate.issued_at))]


def notifications(user: User) -> Records:
    """Each notification as stored (its catalogue message and values, and the English
    ``text``) with ``shown_text``: the words as its owner reads them, in their language."""
    rows = _all(select(Notification).where(Notification.user_id == user.id)
                .order_by(Notification.created_at))
    with written_for(user):
        return [record(n, shown_text=shown_text(n)) for n in rows]


def mentoring(user: User) -> Records:
    links = _all(select(MentorLink).where(or_(MentorLink.learner_id == user.id,
                                              MentorLink.mentor_id == user.id)))
    return [record(link, mentor=_name(link.mentor), learner=_name(link.learner))
            for link in links]


def sign_in_identities(user: User) -> Records:
    return [record(identity) for identity in _all(
        select(ExternalIdentity).where(ExternalIdentity.user_id == user.id)
        .order_by(ExternalIdentity.id))]


def coauthor_invitations(user: User) -> Records:
    """Invitations to co-author that wait for my answer, and those I sent."""
    rows = _all(select(CoauthorInvitation).where(or_(
        CoauthorInvitation.email == user.email, CoauthorInvitation.invited_by_id == user.id))
        .order_by(CoauthorInvitation.created_at))
    return [record(i, reflection=i.submission.step.title,
                   invited_by=_name(i.invited_by) if i.invited_by else None) for i in rows]


def evaluations(user: User) -> Records:
    rows = _all(select(SurveyParticipation).where(SurveyParticipation.user_id == user.id))
    titles = dict(db.session.execute(select(Step.id, Step.title).where(
        Step.id.in_([p.step_id for p in rows]))).all()) if rows else {}
    return [record(p, survey=titles.get(p.step_id)) for p in rows]


def applications(user: User) -> Records:
    """My applications with my answers and the decisions (reviewers' notes stay theirs)."""
    rows = _all(select(Application).where(Application.user_id == user.id)
                .order_by(Application.created_at))
    return [record(a, call=a.call.title,
                   scores=[r.scores for r in a.reviews if r.scores]) for a in rows]


def champion(user: User) -> Records:
    """The departments I champion and the activities I logged."""
    return [*[record(c, kind="champion", department=c.department.name) for c in _all(
                select(Champion).where(Champion.user_id == user.id))],
            *[record(a, kind="activity") for a in _all(
                select(ChampionActivity).where(ChampionActivity.user_id == user.id)
                .order_by(ChampionActivity.happened_on))]]


def audit(user: User) -> Records:
    """What the audit log records as done by me, or done to my account."""
    rows = _all(select(AuditEvent).where(or_(
        AuditEvent.actor_id == user.id,
        (AuditEvent.target_type == "User") & (AuditEvent.target_id == user.id)))
        .order_by(AuditEvent.created_at))
    return [record(r) for r in rows]


SECTIONS: tuple[Section, ...] = (
    Section("profile", _l("Profile"),
            _l("Your account, department, cohorts and settings."),
            profile),
    Section("roles", _l("Roles"),
            _l("What you can do in the product."),
            roles),
    Section("learning", _l("Enrolments and progress"),
            _l("Modules you started and completed, every step you finished, what was assigned to"
               " you and the reminders sent about it."),
            learning),
    Section("reflections", _l("Reflections"),
            _l("Every reflection, each submitted revision and the feedback your mentors gave."),
            reflections),
    Section("reflection_reads", _l("Who read your reflections"),
            _l("Every time someone opened one of your reflections."),
            reflection_reads),
    Section("action_plan", _l("Action plan"),
            _l("Your goals, actions, check-ins and comments."),
            action_plan),
    Section("events", _l("Live sessions"),
            _l("Your registrations, attendance and team-training requests."),
            events),
    Section("completion_evidence", _l("Completion evidence"),
            _l("Your knowledge-check tries and scores, the engaged time credited to you and the "
               "statements you made on completing a course."),
            completion_evidence),
    Section("certificates", _l("Certificates"),
            _l("Certificates issued to you."),
            certificates),
    Section("notifications", _l("Notifications"),
            _l("Messages the product showed you."),
            notifications),
    Section("mentoring", _l("Mentoring"),
            _l("Your mentors, or the people you mentor."),
            mentoring),
    Section("coauthoring", _l("Co-author invitations"),
            _l("Invitations to write a group reflection together, waiting for an answer."),
            coauthor_invitations),
    Section("sign_in", _l("Institutional sign-in"),
            _l("The identities your institution's sign-in service knows you by."),
            sign_in_identities),
    Section("evaluations", _l("Evaluations"),
            _l("Which evaluations you answered and on which day. Your answers themselves are "
               "stored without your name and cannot be found again, so they are not here."),
            evaluations),
    Section("applications", _l("Applications"),
            _l("Your applications to calls (fellowships, champions), your answers, the scores "
               "and the decisions."),
            applications),
    Section("champion", _l("Ally champion"),
            _l("The departments you are an ally champion of and the activities you logged."),
            champion),
    Section("audit", _l("Audit log"),
            _l("Changes recorded as made by you or to your account."),
            audit),
)
