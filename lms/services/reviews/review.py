"""Mentor review of submitted reflections: who may read them, the review queue,
decisions, feedback notifications, access records and comparing revisions.

Privacy rules (see ``can_read_text``): a reflection's text is visible to its
authors and to the mentors linked to the learner who submitted it, and to
nobody else; a submission kept private is visible to its authors only.
Mentors only ever see submitted revisions, never a working draft. Every
time someone other than an author opens a page showing the text, a
``ReflectionAccess`` row is written, which the learner can list.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from math import ceil
from typing import Any, NamedTuple

from flask import current_app
from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, case, event, exists, func, or_, select, update
from sqlalchemy.orm import aliased, joinedload, selectinload

from lms.extensions import db
from lms.models import (
    Module,
    Notification,
    ReflectionAccess,
    Review,
    Step,
    Submission,
    SubmissionRevision,
    User,
    utcnow,
)
from lms.pagination import Page
from lms.services import audit, notifications, personal_cache
from lms.services.accounts import mentoring
from lms.services.errors import DomainError
from lms.services.learning import progress as learning
from lms.services.mail import queue_for
from lms.services.notifications import N_, NP_, Notice

QUEUE_STATES = {
    "waiting": _l("Waiting for review"),
    "commented": _l("Commented"),
    "needs_revision": _l("Revision requested"),
    "approved": _l("Approved"),
    "private": _l("Completed, kept private"),
    "withdrawn": _l("Withdrawn by the learner"),
}
MAX_COMMENT_CHARS = 5000


# --- who may read -----------------------------------------------------------------------


# Waiting reminders written before the message had a singular keep its words, so its
# translation stays in the catalogue for them.
FORMER_WAITING_MESSAGE = N_("%(name)s's “%(title)s” (%(module)s) has waited %(days)s days "
                            "for review.")


def is_author(user: User, submission: Submission) -> bool:
    """The learner who submitted, or a co-author of a group submission."""
    if user.id == submission.user_id:
        return True
    return any(c.id == user.id for c in submission.coauthors)


def can_read_text(user: User, submission: Submission) -> bool:
    """Authors always; the submitter's linked mentors unless it is kept private; nobody
    else (admins included)."""
    if is_author(user, submission):
        return True
    if submission.is_private or not submission.revisions:
        return False
    return mentoring.is_mentor_of(user, submission.user)


def record_access(reader: User, submission: Submission, revision: SubmissionRevision | None,
                  page: str) -> ReflectionAccess | None:
    """Write an access record when ``reader`` is not an author; authors reading their own
    words leave no trace."""
    if is_author(reader, submission):
        return None
    access = ReflectionAccess(reader_id=reader.id, submission_id=submission.id,
                              revision_id=revision.id if revision else None, page=page,
                              at=utcnow())
    db.session.add(access)
    db.session.flush()
    return access


def reads_of_my_reflections(learner: User, page: int = 1, per_page: int = 30):
    """Who opened ``learner``'s reflections and when, newest first (a Flask-SQLAlchemy
    page of ``(ReflectionAccess, Step, Module)`` rows)."""
    query = (select(ReflectionAccess, Step, Module)
             .join(Submission, Submission.id == ReflectionAccess.submission_id)
             .join(Step, Step.id == Submission.step_id)
             .join(Module, Module.id == Step.module_id)
             .where(Submission.user_id == learner.id)
             .options(joinedload(ReflectionAccess.reader), joinedload(ReflectionAccess.revision))
             .order_by(ReflectionAccess.at.desc(), ReflectionAccess.id.desc()))
    total = db.session.scalar(select(func.count(ReflectionAccess.id))
                              .join(Submission, Submission.id == ReflectionAccess.submission_id)
                              .where(Submission.user_id == learner.id)) or 0
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items=rows, page=page, per_page=per_page, total=total)


# --- the review queue -------------------------------------------------------------------

@dataclass
class QueueFilters:
    module_id: int | None = None
    step_id: int | None = None
    status: str = "waiting"  # a key of QUEUE_STATES, or "all"
    learner: str = ""

    def as_args(self) -> dict[str, Any]:
        return {k: v for k, v in (("module", self.module_id), ("challenge", self.step_id),
                                  ("status", self.status), ("learner", self.learner)) if v}


@dataclass
class Queue:
    page: Page
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _latest_revision_id():
    return (select(func.max(SubmissionRevision.id))
            .where(SubmissionRevision.submission_id == Submission.id)
            .correlate(Submission).scalar_subquery())


def _queue_state():
    """The queue state of a submission as a SQL expression (see ``QUEUE_STATES``)."""
    commented = (select(Review.id)
                 .where(Review.submission_id == Submission.id,
                        Review.revision_id == _latest_revision_id())
                 .correlate(Submission).exists())
    return case((Submission.status == "withdrawn", "withdrawn"),
                (Submission.is_private.is_(True), "private"),
                (Submission.status == "needs_revision", "needs_revision"),
                (Submission.status == "approved", "approved"),
                (commented, "commented"),
                else_="waiting")


@cache
def _queue_rows(by_module: bool, by_step: bool, by_learner: bool):
    """One row per submitted reflection of a mentor's learners matching the filters (all
    states): its id, when it was submitted and its state, as a subquery with bound
    parameters (see ``_queue_params``). What a row shows is read for one page of them
    only (``_queue_page``).

    Built once per combination of filters: assembling it costs more than running it.
    """
    mentees = select(mentoring.mentor_pairs(by_mentor=True).c.learner_id)
    query = (select(Submission.id.label("submission_id"),
                    Submission.submitted_at.label("submitted_at"),
                    _queue_state().label("state"))
             .where(Submission.user_id.in_(mentees),
                    Submission.status != "draft", Submission.submitted_at.is_not(None)))
    if by_module:
        query = query.join(Step, Step.id == Submission.step_id).where(
            Step.module_id == bindparam("queue_module_id"))
    if by_step:
        query = query.where(Submission.step_id == bindparam("queue_step_id"))
    if by_learner:
        learner = aliased(User, name="learner")
        like = bindparam("queue_learner_like")
        query = query.join(learner, learner.id == Submission.user_id).where(
            or_(func.lower(learner.name).like(like), learner.email.like(like)))
    return query.subquery("queue")


@cache
def _queue_page(by_module: bool, by_step: bool, by_learner: bool, by_state: bool):
    """What the queue shows of one page of ``_queue_rows`` (in the state
    ``queue_state`` when ``by_state``), oldest first: ``queue_limit`` rows from
    ``queue_offset``. Built once per combination of filters, like ``_queue_rows``."""
    rows = _queue_rows(by_module, by_step, by_learner)
    # Sorting carries only id and day; the state is worked out again for the page alone.
    page = (select(rows.c.submission_id, rows.c.submitted_at)
            .order_by(rows.c.submitted_at, rows.c.submission_id)
            .limit(bindparam("queue_limit")).offset(bindparam("queue_offset")))
    if by_state:
        page = page.where(rows.c.state == bindparam("queue_state"))
    return _shown(page.subquery("page"))


@cache
def _queue_page_of_ids():
    """What the queue shows of the reflections ``queue_ids``, oldest first: a page whose
    reflections were found before (see ``review_queue``)."""
    page = (select(Submission.id.label("submission_id"),
                   Submission.submitted_at.label("submitted_at"))
            .where(Submission.id.in_(bindparam("queue_ids", expanding=True))))
    return _shown(page.subquery("page"))


class QueueRow(NamedTuple):
    """What the queue shows of one reflection."""
    submission_id: int
    submitted_at: datetime
    learner_name: str
    challenge: str
    review_optional: bool
    module: str
    revision: int  # how many revisions it has
    state: str  # a key of QUEUE_STATES


def _shown(page):
    """The rows of the reflections in ``page`` (a subquery of ``submission_id`` and
    ``submitted_at``), oldest first, with what the queue shows of each (a ``QueueRow``):
    their learner, challenge, revision count and state, read for the page's rows alone."""
    learner = aliased(User, name="learner")
    revisions = (select(func.count(SubmissionRevision.id))
                 .where(SubmissionRevision.submission_id == page.c.submission_id)
                 .scalar_subquery())
    review = func.coalesce(Step.config["review"].as_string(), "required")
    columns = {"submission_id": page.c.submission_id, "submitted_at": page.c.submitted_at,
               "learner_name": learner.name, "challenge": Step.title,
               "review_optional": review != "required", "module": Module.title,
               "revision": revisions, "state": _queue_state()}
    return (select(*(columns[name].label(name) for name in QueueRow._fields))
            .join(Submission, Submission.id == page.c.submission_id)
            .join(learner, learner.id == Submission.user_id)
            .join(Step, Step.id == Submission.step_id)
            .join(Module, Module.id == Step.module_id)
            .order_by(page.c.submitted_at, page.c.submission_id))


def _queue_params(mentor: User, filters: QueueFilters) -> dict[str, Any]:
    params: dict[str, Any] = {"pairs_mentor_id": mentor.id}
    if filters.module_id:
        params["queue_module_id"] = filters.module_id
    if filters.step_id:
        params["queue_step_id"] = filters.step_id
    if filters.learner:
        params["queue_learner_like"] = f"%{filters.learner.lower()}%"
    return params


def _filtered_queue(mentor: User, filters: QueueFilters):
    """The queue subquery for ``filters`` and the parameters to run it with."""
    rows = _queue_rows(bool(filters.module_id), bool(filters.step_id), bool(filters.learner))
    return rows, _queue_params(mentor, filters)


def queue_counts(mentor: User, filters: QueueFilters | None = None) -> dict[str, int]:
    """How many reflections are in each queue state (one query)."""
    rows, params = _filtered_queue(mentor, filters or QueueFilters())
    counts = dict(db.session.execute(
        select(rows.c.state, func.count()).group_by(rows.c.state), params).all())
    return {state: counts.get(state, 0) for state in QUEUE_STATES}


def _kept_page(mentor: User, name: str, read: Callable[[], list]) -> list:
    """The rows ``read()`` returns, with which reflections they are kept for ``mentor``
    under ``name``: while nothing changes, only what those reflections show is read
    again, by id (a cheap query, instead of finding the page among all of them)."""
    read_now: list[list] = []

    def page_ids() -> list[int]:
        read_now.append(read())
        return [row.submission_id for row in read_now[0]]

    ids = personal_cache.cached(mentor.id, name, page_ids)
    if read_now:
        return read_now[0]
    if not ids:
        return []
    return db.session.execute(_queue_page_of_ids(), {"queue_ids": ids}).all()


def review_queue(mentor: User, filters: QueueFilters, page: int = 1,
                 per_page: int = 25) -> Queue:
    """``mentor``'s reflections to review, oldest first, with counts per state.

    Two queries whatever the number of submissions. Only submissions of the
    mentor's own learners appear; kept-private ones show as completed only.

    Without filters, the counts and which reflections each page lists are kept per
    mentor (``personal_cache``: submissions changing state, reviews, revisions, links
    and people changing move the generations); what each row shows is read afresh.
    """
    unfiltered = not (filters.module_id or filters.step_id or filters.learner)
    if unfiltered:
        counts = personal_cache.cached(mentor.id, "review:queue-counts",
                                       lambda: queue_counts(mentor))
    else:
        counts = queue_counts(mentor, filters)
    by_state = filters.status in QUEUE_STATES
    total = counts[filters.status] if by_state else sum(counts.values())
    pages = max(1, ceil(total / per_page))
    page = min(max(page, 1), pages)
    params = {**_queue_params(mentor, filters), "queue_limit": per_page,
              "queue_offset": (page - 1) * per_page}
    if by_state:
        params["queue_state"] = filters.status
    query = _queue_page(bool(filters.module_id), bool(filters.step_id), bool(filters.learner),
                        by_state)
    if unfiltered:
        items = _kept_page(mentor, f"review:queue:{filters.status}:{per_page}:{page}",
                           lambda: db.session.execute(query, params).all())
    else:
        items = db.session.execute(query, params).all()
    return Queue(page=Page(items=[QueueRow._make(row) for row in items], page=page,
                           per_page=per_page, total=total),
                 counts=counts)


class Choice(NamedTuple):
    id: int
    title: str


def challenge_choices() -> list[tuple[Choice, list[Choice]]]:
    """Published modules with their challenge steps, for the queue filters (one query)."""
    rows = db.session.execute(
        select(Module.id, Module.title, Step.id, Step.title)
        .join(Module, Module.id == Step.module_id)
        .where(Step.kind == "challenge", Step.is_active, Module.is_published)
        .order_by(Module.title, Step.position)).all()
    grouped: dict[int, tuple[Choice, list[Choice]]] = {}
    for module_id, module_title, step_id, step_title in rows:
        grouped.setdefault(module_id, (Choice(module_id, module_title), []))[1].append(
            Choice(step_id, step_title))
    return list(grouped.values())


# --- one submission ---------------------------------------------------------------------

def load_submission(submission_id: int) -> Submission | None:
    """A submission with its learner, step, module, revisions and co-authors loaded."""
    return db.session.execute(
        select(Submission).where(Submission.id == submission_id)
        .options(joinedload(Submission.user), joinedload(Submission.step).joinedload(Step.module),
                 selectinload(Submission.revisions), selectinload(Submission.coauthors))
    ).scalar_one_or_none()


def reviews_of(submission: Submission) -> list[Review]:
    """Every review of ``submission``, oldest first, with the mentor loaded."""
    return list(db.session.execute(
        select(Review).where(Review.submission_id == submission.id)
        .options(joinedload(Review.mentor))
        .order_by(Review.created_at, Review.id)).scalars())


def reviews_by_revision(submission: Submission) -> dict[int, list[Review]]:
    grouped: dict[int, list[Review]] = {}
    for review in reviews_of(submission):
        grouped.setdefault(review.revision_id, []).append(review)
    return grouped


def allowed_decisions(step: Step, submission: Submission) -> tuple[str, ...]:
    """What a mentor may do now: approve or request a revision while a review-required
    reflection waits; otherwise (optional review, or already decided) comment."""
    if step.review_required and submission.status == "submitted":
        return ("approve", "revise")
    return ("comment",)


def read_rubric(step: Step, chosen: dict[int, str | None]) -> list[dict[str, Any]]:
    """The levels chosen per criterion (index → level index as text), with their wording.

    Raises ``DomainError`` for a level that is not offered.
    """
    result = []
    for index, criterion in enumerate(step.config.get("rubric") or []):
        value = chosen.get(index)
        if value in (None, ""):
            continue
        levels = criterion["levels"]
        if not str(value).isdigit() or int(value) >= len(levels):
            raise DomainError(_("Choose one of the levels shown."), field=f"rubric_{index}")
        level = int(value)
        result.append({"criterion": criterion["criterion"], "level": level + 1,
                       "of": len(levels), "label": levels[level]})
    return result


def decide(mentor: User, submission: Submission, revision: SubmissionRevision, *,
           decision: str, comment: str = "", improve: str = "",
           rubric: list[dict[str, Any]] | None = None) -> Review:
    """Record ``mentor``'s response to ``revision`` and apply it.

    ``approve`` marks the submission approved and completes the module when
    that was the last step; ``revise`` reopens it for editing; ``comment``
    leaves the status alone. Idempotent: a repeated request (double click,
    retry) returns the review already recorded. When two mentors answer the
    same revision at once, a conditional update lets exactly one decision
    win; the other gets a ``DomainError`` saying so. Raises ``DomainError``
    too for a private submission, an outdated revision, a decision the
    challenge does not allow, or missing text. The caller checks
    ``permissions.can_review`` first.
    """
    comment = (comment or "").replace("\r\n", "\n").strip()
    improve = (improve or "").replace("\r\n", "\n").strip()
    step = submission.step
    if submission.is_private:
        raise DomainError(_("The learner kept this reflection private; it cannot be reviewed."))
    if revision.submission_id != submission.id:
        raise DomainError(_("That revision belongs to another reflection."))
    repeat = db.session.execute(select(Review).where(
        Review.revision_id == revision.id, Review.mentor_id == mentor.id,
        Review.decision == decision, Review.comment == comment, Review.improve == improve)
    ).scalars().first()
    if repeat is not None:
        return repeat
    if decision in ("approve", "revise") and step.review_required \
            and submission.status != "submitted":
        return _lost_race(mentor, submission, revision, decision)
    if decision not in allowed_decisions(step, submission):
        if decision == "comment":
            message = _("Approve this revision or ask for a revision first.")
        elif not step.review_required:
            message = _("Review of this challenge is optional: leave a comment instead.")
        else:
            message = _("This revision has been answered already; you can add a comment.")
        raise DomainError(message, field="decision")
    if len(comment) > MAX_COMMENT_CHARS or len(improve) > MAX_COMMENT_CHARS:
        raise DomainError(_("Please keep feedback under %(most)s characters.",
                            most=format_number(MAX_COMMENT_CHARS)),
                          field="comment" if len(comment) > MAX_COMMENT_CHARS else "improve")
    if decision == "revise" and not improve:
        raise DomainError(_("Say what the learner should improve in the revision."),
                          field="improve")
    if decision == "comment" and not comment and not rubric:
        raise DomainError(_("Write a comment (or choose rubric levels) before sending."),
                          field="comment")
    latest = max(submission.revisions, key=lambda r: r.number)
    if revision.id != latest.id:
        raise DomainError(_("The learner has submitted revision %(number)s since you opened this "
                            "page. Please read it before responding.", number=latest.number))
    if decision in ("approve", "revise"):
        newer = (select(SubmissionRevision.id)
                 .where(SubmissionRevision.submission_id == submission.id,
                        SubmissionRevision.number > revision.number).exists())
        result = db.session.execute(
            update(Submission)
            .where(Submission.id == submission.id, Submission.status == "submitted", ~newer)
            .values(status="approved" if decision == "approve" else "needs_revision")
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            return _lost_race(mentor, submission, revision, decision)
        db.session.refresh(submission)
    review = Review(submission_id=submission.id, revision_id=revision.id, mentor_id=mentor.id,
                    decision=decision, comment=comment, improve=improve, rubric=rubric or [],
                    created_at=utcnow())
    db.session.add(review)
    db.session.flush()
    audit.record(mentor, f"review.{decision}", submission, revision=revision.number)
    if decision == "approve":
        for author in [submission.user, *submission.coauthors]:
            learning.refresh_completion(author, step.module)
    _notify_authors(review, submission, mentor)
    return review


def _lost_race(mentor: User, submission: Submission, revision: SubmissionRevision,
               decision: str) -> Review:
    """Another request decided this revision first: the same decision by the same mentor
    is a repeat; anything else is refused with who answered."""
    db.session.refresh(submission)
    decided = db.session.execute(
        select(Review).where(Review.revision_id == revision.id,
                             Review.decision.in_(("approve", "revise")))
        .options(joinedload(Review.mentor)).order_by(Review.id)).scalars().first()
    if decided is not None and decided.mentor_id == mentor.id and decided.decision == decision:
        return decided
    who = decided.mentor.name if decided is not None and decided.mentor else _("Another mentor")
    what = str(decided.decision_label).lower() if decided is not None else _("responded")
    raise DomainError(_("%(who)s has already responded to this revision (%(what)s). Their "
                        "feedback is shown below.", who=who, what=what))


def _notify_authors(review: Review, submission: Submission, mentor: User) -> None:
    step = submission.step
    message = {"approve": N_("%(mentor)s approved your reflection “%(title)s” (%(module)s)."),
               "revise": N_("%(mentor)s asked for a revision of your reflection “%(title)s” "
                            "(%(module)s)."),
               "comment": N_("%(mentor)s commented on your reflection “%(title)s” "
                             "(%(module)s).")}[review.decision]
    own_page = notifications.path_for("learn.step", slug=step.module.slug, step_slug=step.slug)
    for author in [submission.user, *submission.coauthors]:
        # Co-authors have no challenge page of their own for a group submission.
        link = own_page if author.id == submission.user_id else notifications.path_for(
            "review.history", submission_id=submission.id)
        notice = Notice(message, {"mentor": mentor.name, "title": step.title,
                                  "module": step.module.title})
        notification = notifications.notify(author, notifications.FEEDBACK, notice, link,
                                            ref=f"review:{review.id}")
        # The email says that there is feedback, not what it says: admins can read the Outbox.
        queue_for(author, _l("Feedback on your reflection: %(title)s", title=step.title),
                  body=lambda author=author, notice=notice, link=link: (
                      _("Hello %(name)s,", name=author.name) + f"\n\n{notice}\n\n"
                      + _("Read the feedback: %(link)s", link=notifications.absolute(link))
                      + "\n\n" + _("For your privacy, this email does not include your "
                                    "answers or the feedback itself.") + "\n"),
                  kind="review_feedback", dedupe_key=f"review-feedback:{review.id}:{author.id}")
        if notification is not None:
            notification.emailed_at = utcnow()
    db.session.flush()


# --- what mentors' queues keep ----------------------------------------------------------

# session.info key: this transaction changed people, forget kept queues when it commits.
_QUEUES_CHANGED = "reviews.queues_changed"


def forget_kept_queues(_sender, **_data) -> None:
    """Receiver of ``signals.people_changed``: a person's department, cohorts, roles or
    account changed, so which mentors' queues list them may have too (department links
    reach everyone below). What each mentor's queue keeps (``personal_cache``: its counts,
    whether anyone is linked) is forgotten once the change is committed; finding the
    mentors before and after would cost more than the few pages worked out again."""
    session = db.session()
    session.info[_QUEUES_CHANGED] = True
    if not event.contains(session, "after_commit", _forget_kept_queues_on_commit):
        event.listen(session, "after_commit", _forget_kept_queues_on_commit)


def _forget_kept_queues_on_commit(session) -> None:
    if session.info.pop(_QUEUES_CHANGED, False):
        personal_cache.forget_everyone()


# --- notifications: new submissions and reminders ---------------------------------------

def notify_mentors_of_submission(_sender, *, submission: Submission,
                                  revision: SubmissionRevision) -> None:
    """Receiver of ``signals.submission_submitted``: tell the learner's mentors a reflection
    arrived.

    In-app always; by email at once or in the daily digest, as each mentor
    chose. Nothing for a private submission, which no mentor may read.
    """
    if submission.is_private:
        return
    mentors = mentoring.mentors_of(submission.user)
    if not mentors:
        return
    step = submission.step
    learner = submission.user
    again, optional = revision.number > 1, not step.review_required
    message = {
        (False, False): N_("%(learner)s submitted “%(title)s” (%(module)s)."),
        (True, False): N_("%(learner)s submitted “%(title)s” (%(module)s, revision "
                          "%(number)s)."),
        (False, True): N_("%(learner)s submitted “%(title)s” (%(module)s) (review optional: "
                          "a comment is welcome)."),
        (True, True): N_("%(learner)s submitted “%(title)s” (%(module)s, revision %(number)s) "
                         "(review optional: a comment is welcome)."),
    }[(again, optional)]
    notice = Notice(message, {"learner": learner.name, "title": step.title,
                              "module": step.module.title, "number": revision.number})
    link = notifications.path_for("review.review", submission_id=submission.id)
    choices = notifications.email_choices([m.id for m in mentors])
    for mentor in mentors:
        notification = notifications.notify(mentor, notifications.NEW_SUBMISSION, notice,
                                            link, ref=f"revision:{revision.id}")
        if notification is None or choices[mentor.id] != "immediate":
            continue  # the digest job picks it up
        queue_for(mentor, _l("Reflection to review: %(learner)s, %(title)s",
                             learner=learner.name, title=step.title),
                  body=lambda mentor=mentor: (
                      _("Hello %(name)s,", name=mentor.name) + f"\n\n{notice}\n\n"
                      + _("Open it: %(link)s", link=notifications.absolute(link)) + "\n\n"
                      + _("Prefer one email a day? Choose the daily digest in your "
                          "notification settings: %(link)s",
                          link=notifications.url("review.notifications")) + "\n"),
                  kind="review_submission",
                  dedupe_key=f"review-submission:{mentor.id}:{revision.id}")
        notification.emailed_at = utcnow()
    db.session.flush()


def send_waiting_reminders() -> int:
    """Remind mentors of review-required reflections waiting longer than
    ``LMS_REVIEW_REMINDER_DAYS``: one email per mentor listing what is newly overdue.

    Each waiting revision is reminded once per mentor (an in-app notification
    records it), so running the job again queues nothing. Returns the number
    of emails queued.
    """
    days = current_app.config["LMS_REVIEW_REMINDER_DAYS"]
    cutoff = utcnow() - timedelta(days=days)
    pairs = mentoring.mentor_pairs()
    mentor = aliased(User, name="mentor")
    learner = aliased(User, name="learner")
    latest = _latest_revision_id()
    required = func.coalesce(Step.config["review"].as_string(), "required") == "required"
    rows = db.session.execute(
        select(mentor, Submission.id, latest.label("revision_id"), Submission.submitted_at,
               learner.name, Step.title, Module.title)
        .join(pairs, pairs.c.learner_id == Submission.user_id)
        .join(mentor, mentor.id == pairs.c.mentor_id)
        .join(learner, learner.id == Submission.user_id)
        .join(Step, Step.id == Submission.step_id)
        .join(Module, Module.id == Step.module_id)
        .where(Submission.status == "submitted", Submission.is_private.is_(False),
               Submission.submitted_at <= cutoff, required)
        .order_by(mentor.id, Submission.submitted_at)).all()
    if not rows:
        return 0
    reminded = {(user_id, ref) for user_id, ref in db.session.execute(
        select(Notification.user_id, Notification.ref).where(
            Notification.kind == notifications.REVIEW_REMINDER,
            Notification.user_id.in_({r[0].id for r in rows})))}
    due: dict[int, tuple[User, list]] = {}
    for mentor_user, submission_id, revision_id, submitted_at, name, title, module in rows:
        ref = f"waiting:{revision_id}"
        if (mentor_user.id, ref) in reminded:
            continue
        due.setdefault(mentor_user.id, (mentor_user, []))[1].append(
            (submission_id, revision_id, submitted_at, name, title, module))
    now = utcnow()
    queued = 0
    for mentor_user, items in due.values():
        lines = []
        created = []
        for submission_id, revision_id, submitted_at, name, title, module in items:
            waited = (now - submitted_at).days
            notice = Notice.counted(
                NP_("%(name)s's “%(title)s” (%(module)s) has waited %(days)s day for review.",
                    "%(name)s's “%(title)s” (%(module)s) has waited %(days)s days "
                    "for review."),
                "days", {"name": name, "title": title, "module": module, "days": waited})
            link = notifications.path_for("review.review", submission_id=submission_id)
            notification = notifications.notify(mentor_user, notifications.REVIEW_REMINDER,
                                                notice, link, ref=f"waiting:{revision_id}")
            if notification is not None:
                created.append(notification)
                lines.append((notice, notifications.absolute(link)))
        if not created:
            continue
        key = hashlib.sha256(",".join(n.ref for n in created).encode()).hexdigest()[:32]
        message = queue_for(
            mentor_user,
            lambda count=len(created): ngettext(  # noqa: B008 - counted once, here
                "%(num)d reflection waiting for your review",
                "%(num)d reflections waiting for your review", count),
            body=lambda mentor_user=mentor_user, lines=lines: (
                _("Hello %(name)s,", name=mentor_user.name) + "\n\n"
                + ngettext("These reflections have waited more than %(days)s day for your "
                           "review:",
                           "These reflections have waited more than %(days)s days for your "
                           "review:", days, days=days) + "\n\n"
                + "\n".join(f"- {notice} {link}" for notice, link in lines) + "\n\n"
                + _("Your review queue: %(link)s", link=notifications.url("review.queue"))
                + "\n"),
            kind="review_reminder", dedupe_key=f"review-reminder:{mentor_user.id}:{key}")
        for notification in created:
            notification.emailed_at = now
        if message is not None:
            queued += 1
    db.session.flush()
    return queued


# --- learner side -----------------------------------------------------------------------

def feedback_for(submission: Submission | None) -> dict[str, Any]:
    """What the challenge page shows its author about review: the latest feedback, how
    many revisions exist, and the learner's mentors when the reflection waits for one."""
    if submission is None or not submission.submitted_at:
        return {"reviews": [], "latest": [], "revisions": 0, "mentors": None}
    reviews = reviews_of(submission)
    revision_count = db.session.scalar(select(func.count(SubmissionRevision.id)).where(
        SubmissionRevision.submission_id == submission.id)) or 0
    latest_revision_id = db.session.scalar(select(func.max(SubmissionRevision.id)).where(
        SubmissionRevision.submission_id == submission.id))
    latest = [r for r in reviews if r.revision_id == latest_revision_id]
    if not latest and reviews:
        # Revised and resubmitted: the request that led here is still worth seeing.
        last = reviews[-1].revision_id
        latest = [r for r in reviews if r.revision_id == last]
    waiting = submission.status == "submitted" and submission.step.review_required \
        and not submission.is_private
    return {"reviews": reviews, "latest": latest, "revisions": revision_count,
            "mentors": mentoring.mentors_of(submission.user) if waiting else None}


def recent_feedback(learner: User, limit: int = 5) -> list[tuple[Review, Step, Module]]:
    """The newest feedback on ``learner``'s reflections (one query)."""
    return list(db.session.execute(
        select(Review, Step, Module)
        .join(Submission, Submission.id == Review.submission_id)
        .join(Step, Step.id == Submission.step_id)
        .join(Module, Module.id == Step.module_id)
        .where(Submission.user_id == learner.id)
        .options(joinedload(Review.mentor))
        .order_by(Review.created_at.desc(), Review.id.desc()).limit(limit)).all())


def my_reflections(learner: User) -> list:
    """``learner``'s submitted reflections with status, revisions and feedback count."""
    revisions = (select(func.count(SubmissionRevision.id))
                 .where(SubmissionRevision.submission_id == Submission.id)
                 .correlate(Submission).scalar_subquery())
    feedback = (select(func.count(Review.id)).where(Review.submission_id == Submission.id)
                .correlate(Submission).scalar_subquery())
    return list(db.session.execute(
        select(Submission, Step, Module, revisions.label("revisions"),
               feedback.label("feedback"))
        .join(Step, Step.id == Submission.step_id)
        .join(Module, Module.id == Step.module_id)
        .where(Submission.user_id == learner.id, Submission.submitted_at.is_not(None))
        .order_by(Submission.submitted_at.desc())).all())


# --- admin: status and counts only ------------------------------------------------------

def status_overview() -> dict[str, Any]:
    """Counts per challenge and queue state across everyone, and how many reflections
    wait for review with no mentor linked to their learner. No text, no names."""
    state = _queue_state().label("state")
    rows = db.session.execute(
        select(Module.title, Step.title, Step.id, state, func.count(Submission.id))
        .join(Step, Step.id == Submission.step_id)
        .join(Module, Module.id == Step.module_id)
        .where(Submission.status != "draft", Submission.submitted_at.is_not(None))
        .group_by(Module.title, Step.title, Step.id, state)
        .order_by(Module.title, Step.title)).all()
    table: dict[int, dict[str, Any]] = {}
    for module_title, step_title, step_id, row_state, count in rows:
        entry = table.setdefault(step_id, {"module": module_title, "challenge": step_title,
                                           "counts": dict.fromkeys(QUEUE_STATES, 0)})
        entry["counts"][row_state] += count
    pairs = mentoring.mentor_pairs()
    unmentored = db.session.scalar(
        select(func.count(Submission.id)).join(Step, Step.id == Submission.step_id)
        .where(Submission.status == "submitted", Submission.is_private.is_(False),
               func.coalesce(Step.config["review"].as_string(), "required") == "required",
               ~exists().where(pairs.c.learner_id == Submission.user_id))) or 0
    return {"rows": list(table.values()), "unmentored": unmentored}


# --- what changed between two revisions -------------------------------------------------

TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass
class Segment:
    op: str  # equal, insert, delete
    text: str


@dataclass
class RowChange:
    change: str  # unchanged, added, removed, changed
    cells: list[list[Segment]]


@dataclass
class PromptChange:
    prompt: dict[str, Any]
    change: str  # unchanged, changed, added, removed
    segments: list[Segment] = field(default_factory=list)  # text answers
    before: Any = None  # choices
    after: Any = None
    added: list[str] = field(default_factory=list)  # multi choice
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    rows: list[RowChange] = field(default_factory=list)


def diff_text(old: str, new: str) -> list[Segment]:
    """Word-level differences between two texts, as runs of equal/insert/delete."""
    a, b = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    segments: list[Segment] = []

    def add(op: str, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if segments and segments[-1].op == op:
            segments[-1].text += text
        else:
            segments.append(Segment(op, text))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("equal", a[i1:i2])
        else:
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return segments


def _empty(value: Any) -> bool:
    return value in (None, "", [], False)


def _similar_rows(before: tuple[str, ...], after: tuple[str, ...]) -> bool:
    """The same row edited: its first cell is kept, or most of its words are."""
    if before and after and before[0] and before[0] == after[0]:
        return True
    return difflib.SequenceMatcher(None, " ".join(before), " ".join(after),
                                   autojunk=False).ratio() >= 0.6


def _diff_rows(prompt: dict[str, Any], old: list[dict], new: list[dict]) -> list[RowChange]:
    columns = [c["id"] for c in prompt["columns"]]
    a = [tuple(row.get(c, "") for c in columns) for row in old or []]
    b = [tuple(row.get(c, "") for c in columns) for row in new or []]
    changes: list[RowChange] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            changes.extend(RowChange("unchanged", [[Segment("equal", c)] for c in row])
                           for row in a[i1:i2])
            continue
        old_rows, new_rows = a[i1:i2], b[j1:j2]
        paired = min(len(old_rows), len(new_rows)) if tag == "replace" else 0
        for before, after in zip(old_rows[:paired], new_rows[:paired], strict=True):
            if _similar_rows(before, after):
                changes.append(RowChange("changed", [
                    diff_text(x, y) for x, y in zip(before, after, strict=True)]))
            else:  # a different row in the same place: say so rather than diff nonsense
                changes.append(RowChange("removed", [[Segment("delete", c)] for c in before]))
                changes.append(RowChange("added", [[Segment("insert", c)] for c in after]))
        changes.extend(RowChange("removed", [[Segment("delete", c)] for c in row])
                       for row in old_rows[paired:])
        changes.extend(RowChange("added", [[Segment("insert", c)] for c in row])
                       for row in new_rows[paired:])
    return changes


def compare_answers(prompts: list[dict[str, Any]], old: dict[str, Any],
                    new: dict[str, Any]) -> list[PromptChange]:
    """What changed, prompt by prompt, from ``old`` answers to ``new`` ones."""
    changes = []
    for prompt in prompts:
        before, after = old.get(prompt["id"]), new.get(prompt["id"])
        if before == after or (_empty(before) and _empty(after)):
            kind = "unchanged"
        elif _empty(before):
            kind = "added"
        elif _empty(after):
            kind = "removed"
        else:
            kind = "changed"
        change = PromptChange(prompt=prompt, change=kind, before=before, after=after)
        if prompt["type"] in ("long_text", "short_text"):
            change.segments = diff_text(before or "", after or "")
        elif prompt["type"] == "multi_choice":
            old_set, new_set = list(before or []), list(after or [])
            change.added = [v for v in new_set if v not in old_set]
            change.removed = [v for v in old_set if v not in new_set]
            change.kept = [v for v in new_set if v in old_set]
        elif prompt["type"] == "rows":
            change.rows = _diff_rows(prompt, before or [], after or [])
        changes.append(change)
    return changes


def revision_pair(submission: Submission, old_number: int | None,
                  new_number: int | None) -> tuple[SubmissionRevision, SubmissionRevision]:
    """The two revisions to compare; defaults to the previous and the latest.

    Raises ``DomainError`` when there is nothing to compare or a number is unknown.
    """
    by_number = {r.number: r for r in submission.revisions}
    if len(by_number) < 2:
        raise DomainError(_("There is only one revision, so there is nothing to compare yet."))
    latest = max(by_number)
    new_number = new_number or latest
    old_number = old_number or (new_number - 1 if new_number > 1 else 1)
    if old_number not in by_number or new_number not in by_number:
        raise DomainError(_("Choose revisions from the lists."), field="from")
    if old_number == new_number:
        raise DomainError(_("Choose two different revisions."), field="to")
    return by_number[old_number], by_number[new_number]

