"""Reviewers score applications with the call's rubric, keep notes and decide; applicants
are told by email and in the app; accepting can add them to a cohort, link a mentor and
make them an ally champion of their department.

Emails and notifications name the call and the decision, never an answer: the Outbox is
readable by admins, who see counts and decisions only.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from lms.extensions import db
from lms.i18n import lazy_text as _l
from lms.models import (
    DECISIONS,
    Application,
    ApplicationCall,
    ApplicationReview,
    User,
    utcnow,
)
from lms.models.applications import ACCEPTED, DECLINED, SUBMITTED, WAITLISTED
from lms.services import audit, notifications
from lms.services.accounts import mentoring
from lms.services.applications.calls import is_reviewer
from lms.services.champions import champions
from lms.services.errors import DomainError
from lms.services.mail import queue_for
from lms.services.notifications import N_, Notice
from lms.services.spreadsheet import csv_text

DECISION_NOTICE = "application_decision"


def submitted_applications(call: ApplicationCall, reviewer: User) -> list[Application]:
    """The call's submitted applications a reviewer reads (never their own), with every
    review loaded, oldest submission first (three queries whatever their number)."""
    return list(db.session.execute(
        select(Application)
        .where(Application.call_id == call.id, Application.status == SUBMITTED,
               Application.user_id != reviewer.id)
        .options(selectinload(Application.user), selectinload(Application.reviews))
        .order_by(Application.submitted_at, Application.id)).scalars())


def review_of(application: Application, reviewer: User) -> ApplicationReview | None:
    return next((r for r in application.reviews if r.reviewer_id == reviewer.id), None)


def average_score(application: Application) -> float | None:
    totals = [r.total for r in application.reviews if r.scores]
    return round(sum(totals) / len(totals), 1) if totals else None


def _check_reviewer(reviewer: User, application: Application) -> None:
    if not is_reviewer(reviewer, application.call) or application.user_id == reviewer.id:
        raise DomainError(_("You do not review this application."))
    if application.status != SUBMITTED:
        raise DomainError(_("This application is not submitted (it may have been withdrawn)."))


def save_review(reviewer: User, application: Application, scores: dict[str, int],
                notes: str) -> ApplicationReview:
    """Record ``reviewer``'s rubric scores (every criterion, 1 to the call's maximum) and
    notes. Raises ``DomainError``."""
    _check_reviewer(reviewer, application)
    call = application.call
    clean: dict[str, int] = {}
    for index, criterion in enumerate(call.rubric):
        value = scores.get(criterion)
        if value is None:
            raise DomainError(_("Score “%(criterion)s”.", criterion=criterion),
                              field=f"score_{index}")
        if not 1 <= int(value) <= call.rubric_max:
            raise DomainError(_("Score from 1 to %(most)s.", most=call.rubric_max),
                              field=f"score_{index}")
        clean[criterion] = int(value)
    if len(notes or "") > 5000:
        raise DomainError(_("Keep notes under 5,000 characters."), field="notes")
    review = review_of(application, reviewer)
    if review is None:
        try:
            with db.session.begin_nested():
                review = ApplicationReview(application_id=application.id,
                                           reviewer_id=reviewer.id)
                db.session.add(review)
        except IntegrityError:
            review = db.session.execute(select(ApplicationReview).where(
                ApplicationReview.application_id == application.id,
                ApplicationReview.reviewer_id == reviewer.id)).scalar_one()
    review.scores = clean
    review.notes = (notes or "").strip()
    db.session.flush()
    return review


def decide(reviewer: User, application: Application, decision: str, *,
           mentor: User | None = None) -> Application:
    """Set the decision and tell the applicant (in the app and by email).

    Accepting adds the applicant to the call's cohort, links ``mentor`` to them (as the
    reviewer, announced to the applicant like every mentor link) and, for a call that
    makes champions, names them an ally champion of their department. Deciding the same
    way again changes nothing and tells nobody twice. Raises ``DomainError``.
    """
    _check_reviewer(reviewer, application)
    if decision not in DECISIONS:
        raise DomainError(_("Choose accepted, waitlisted or declined."), field="decision")
    applicant = application.user
    if decision == ACCEPTED and mentor is not None:
        if mentor.id == applicant.id:
            raise DomainError(_("An applicant cannot be their own mentor."), field="mentor_id")
        if mentoring.find_link(mentor=mentor, learner=applicant) is None:
            mentoring.link_mentor(actor=reviewer, mentor=mentor, learner=applicant)
        application.mentor_id = mentor.id
    if application.decision == decision:
        db.session.flush()
        return application
    call = application.call
    application.decision = decision
    application.decided_at = utcnow()
    application.decided_by_id = reviewer.id
    if decision == ACCEPTED:
        if call.cohort is not None and call.cohort not in applicant.cohorts:
            applicant.cohorts.append(call.cohort)
        if call.makes_champions:
            if applicant.department_id is None:
                raise DomainError(_("%(name)s has no department, so cannot be named a champion "
                                    "of one. Set their department first.", name=applicant.name),
                                  field="decision")
            champions.assign(actor=reviewer, user=applicant,
                             department=applicant.department, source="application")
    db.session.flush()
    audit.record(reviewer, "application.decide", application, call_id=call.id,
                 decision=decision)
    _tell_applicant(application)
    return application


def _tell_applicant(application: Application) -> None:
    call, applicant = application.call, application.user
    # The notice is worded when read, the email in the applicant's language.
    message = {ACCEPTED: N_("Your application to “%(title)s” was accepted."),
               WAITLISTED: N_("Your application to “%(title)s” was waitlisted."),
               DECLINED: N_("Your application to “%(title)s” was declined.")
               }[application.decision]
    notice = Notice(message, {"title": call.title})
    link = notifications.path_for("applications.apply", call_id=call.id)
    ref = f"application-{application.id}-{application.decision}"
    notifications.notify(applicant, DECISION_NOTICE, notice, link, ref=ref)

    def body() -> str:
        text = _("Hello %(name)s,", name=applicant.name) + f"\n\n{notice}"
        if application.decision == ACCEPTED:
            if call.cohort is not None:
                text += "\n" + _("You have joined the cohort “%(name)s”.", name=call.cohort.name)
            if application.mentor is not None:
                text += "\n" + _("Your mentor is %(name)s.", name=application.mentor.name)
        return text + "\n\n" + _("Read more: %(link)s", link=notifications.absolute(link)) + "\n"

    subject = {ACCEPTED: _l("Your application to %(title)s: accepted", title=call.title),
               WAITLISTED: _l("Your application to %(title)s: waitlisted", title=call.title),
               DECLINED: _l("Your application to %(title)s: declined", title=call.title)
               }[application.decision]
    queue_for(applicant, subject, body=body, kind="application_decision", dedupe_key=ref)


def decision_counts(call: ApplicationCall) -> dict[str, int]:
    rows = db.session.execute(
        select(Application.decision, func.count()).where(
            Application.call_id == call.id, Application.status == SUBMITTED)
        .group_by(Application.decision))
    return {decision or "undecided": n for decision, n in rows}


def decisions_csv(call: ApplicationCall) -> str:
    """Applicants, their status and decision, as CSV: never an answer, score or note."""
    rows = db.session.execute(
        select(Application).where(Application.call_id == call.id)
        .options(selectinload(Application.user).selectinload(User.department),
                 selectinload(Application.mentor))
        .order_by(Application.id)).scalars()
    header = ["name", "email", "department", "status", "submitted_at", "decision",
              "decided_at", "mentor", "cohort"]

    def stamp(value):
        return value.isoformat(timespec="seconds") if value else ""

    body = [[a.user.name, a.user.email, a.user.department.name if a.user.department else "",
             a.status, stamp(a.submitted_at), a.decision or "", stamp(a.decided_at),
             a.mentor.name if a.mentor else "",
             call.cohort.name if call.cohort and a.decision == ACCEPTED else ""]
            for a in rows]
    return csv_text([header, *body])
