"""Mentor review: the queue, the review page and decisions; revision history and
comparison for authors and their mentors; the learner's reflections, mentors and
access records; notifications; admin links and counts."""

from __future__ import annotations

from typing import NamedTuple

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_translations
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms import dates, permissions
from lms.extensions import db
from lms.formtools import choices
from lms.models import (
    Cohort,
    Department,
    MentorLink,
    Notification,
    Role,
    SubmissionRevision,
    User,
    normalise_email,
    utcnow,
)
from lms.permissions import login_required, roles_required
from lms.review import bp
from lms.review.forms import LinkForm, PreferenceForm, ReviewForm
from lms.safe_redirect import safe_redirect_target
from lms.services import notifications, personal_cache
from lms.services.accounts import mentor_notices, mentoring
from lms.services.errors import DomainError
from lms.services.learning import challenges
from lms.services.reviews import review as reviews
from lms.urlargs import query_int, query_page
from lms.viewtools import REFUSED, is_history_restore, is_htmx, run_service, url_prefix

PER_PAGE = 25


def _forbidden(detail: str):
    """A 403 page that says why, instead of the generic one."""
    response = current_app.make_response((render_template(
        "errors/error.html", code=403, title=_("This reflection is not yours to read"),
        detail=detail), 403))
    abort(response)


def _load(submission_id: int):
    submission = reviews.load_submission(submission_id)
    if submission is None or not submission.revisions:
        abort(404)  # drafts never submitted are nobody else's business
    return submission


def _load_readable(submission_id: int):
    """The submission, when the current person may read its text; 403 otherwise."""
    submission = _load(submission_id)
    if not reviews.can_read_text(current_user, submission):
        _forbidden(_("A reflection is visible only to its author and the mentors linked to "
                     "them.") + (" " + _("This one was kept private by its author.")
                                 if submission.is_private else ""))
    return submission


def _load_reviewable(submission_id: int):
    submission = _load(submission_id)
    if not permissions.can_review(current_user, submission):
        _forbidden(_("You can review reflections of the learners linked to you as their "
                     "mentor, unless they kept them private."))
    return submission


# --- the queue ------------------------------------------------------------------------

@bp.route("/")
@roles_required("mentor")
def queue():
    status = request.args.get("status", "waiting")
    filters = reviews.QueueFilters(
        module_id=query_int("module"), step_id=query_int("challenge"),
        status=status if status in reviews.QUEUE_STATES or status == "all" else "waiting",
        learner=request.args.get("learner", "").strip()[:100])
    result = reviews.review_queue(current_user, filters, page=query_page(),
                                  per_page=PER_PAGE)
    states = {key: str(label) for key, label in reviews.QUEUE_STATES.items()}
    context = {"queue": result, "filters": filters, "states": states,
               "rows": _rows_shown(result.page.items, states)}
    if is_htmx() and not is_history_restore():
        return render_template("review/_queue.html", **context)
    kept = personal_cache.cached_many(current_user.id, list(_QUEUE_PAGE_PARTS),
                                      lambda name: _QUEUE_PAGE_PARTS[name]())
    return render_template("review/queue.html", modules=kept["review:challenge-choices"],
                           has_learners=kept["review:has-learners"], **context)


# The badge of each queue state (any other: "muted").
_STATE_BADGES = {"waiting": "warn", "commented": "info", "needs_revision": "info",
                 "approved": "ok", "private": "muted"}


class RowShown(NamedTuple):
    """What one row of the queue shows, written out: the template only places it."""
    learner_name: str
    challenge: str
    module: str
    revision: int
    submitted: str
    days_ago: str
    state_label: str
    badge: str
    review_optional: bool
    link: str | None  # None: kept private, nothing to open
    action: str
    whose: str


def _rows_shown(items: list[reviews.QueueRow], states: dict[str, str]) -> list[RowShown]:
    """The queue's rows as they read: the words translated, the dates written and the
    link made once for the page, not once a row (a row's macro call, filters and
    formats cost more than reading it)."""
    submitted, days_ago = dates.date_writer(), dates.days_ago_writer(utcnow())
    prefix = url_prefix("review.review", "submission_id")
    translations = get_translations()
    review_word, open_word = translations.gettext("Review"), translations.gettext("Open")
    whose = translations.gettext("%(name)s’s %(challenge)s")
    return [RowShown(
        learner_name=row.learner_name, challenge=row.challenge, module=row.module,
        revision=row.revision, submitted=submitted(row.submitted_at),
        days_ago=days_ago(row.submitted_at), state_label=states[row.state],
        badge=_STATE_BADGES.get(row.state, "muted"), review_optional=row.review_optional,
        link=None if row.state == "private" else f"{prefix}{row.submission_id}",
        action=review_word if row.state == "waiting" else open_word,
        whose=whose % {"name": row.learner_name, "challenge": row.challenge})
        for row in items]


# What the queue page shows besides the queue, kept per mentor (see personal_cache):
# whether anyone is linked to them, and the published challenges to filter by.
_QUEUE_PAGE_PARTS = {
    "review:has-learners": lambda: db.session.scalar(
        select(mentoring.learner_ids_query(current_user).exists())),
    "review:challenge-choices": reviews.challenge_choices,
}


# --- reviewing one reflection -----------------------------------------------------------

def _render_review(submission, form: ReviewForm | None = None, rubric_chosen=None,
                   error: str | None = None, status: int = 200):
    revision = max(submission.revisions, key=lambda r: r.number)
    reviews.record_access(current_user, submission, revision, "review")
    by_revision = reviews.reviews_by_revision(submission)
    if form is None:
        form = ReviewForm(revision_id=revision.id)
    return render_template(
        "review/review.html", submission=submission, step=submission.step,
        module=submission.step.module, revision=revision, learner=submission.user,
        by_revision=by_revision, form=form,
        prompts_of=challenges.prompts_reader(submission.step),
        decisions=reviews.allowed_decisions(submission.step, submission),
        rubric_chosen=rubric_chosen or {}, error=error), status


@bp.route("/submissions/<int:submission_id>")
@roles_required("mentor")
def review(submission_id: int):
    submission = _load_reviewable(submission_id)
    page = _render_review(submission)
    db.session.commit()  # the access record
    return page


@bp.route("/submissions/<int:submission_id>/decide", methods=["POST"])
@roles_required("mentor")
def decide(submission_id: int):
    submission = _load_reviewable(submission_id)
    step = submission.step
    form = ReviewForm()
    rubric_chosen = {i: request.form.get(f"rubric_{i}")
                     for i in range(len(step.config.get("rubric") or []))}
    if not form.validate_on_submit():
        page = _render_review(submission, form, rubric_chosen, status=422)
        db.session.commit()
        return page
    revision = db.session.get(SubmissionRevision, form.revision_id.data)
    if revision is None or revision.submission_id != submission.id:
        abort(400)
    try:
        review = reviews.decide(
            current_user, submission, revision, decision=form.decision.data,
            comment=form.comment.data, improve=form.improve.data,
            rubric=reviews.read_rubric(step, rubric_chosen))
    except DomainError as problem:
        db.session.rollback()
        submission = _load_reviewable(submission_id)
        message = problem.message
        if problem.field in ("comment", "improve"):
            target = getattr(form, problem.field)
            target.errors = [*target.errors, problem.message]
            message = None
        # A rule about the input is 422; losing to another response is a conflict.
        page = _render_review(submission, form, rubric_chosen, error=message,
                              status=409 if problem.field is None else 422)
        db.session.commit()
        return page
    learner = submission.user.name
    db.session.commit()
    flash({"approve": _("Approved. %(name)s has been told.", name=learner),
           "revise": _("Revision requested. %(name)s has been told what to improve.",
                       name=learner),
           "comment": _("Comment sent to %(name)s.", name=learner)}[review.decision], "success")
    return redirect(url_for("review.queue"))


# --- history and comparison (authors and their mentors) ---------------------------------

@bp.route("/submissions/<int:submission_id>/history")
@login_required
def history(submission_id: int):
    submission = _load_readable(submission_id)
    latest = max(submission.revisions, key=lambda r: r.number)
    reviews.record_access(current_user, submission, latest, "history")
    page = render_template("review/history.html", submission=submission, step=submission.step,
                           module=submission.step.module, learner=submission.user,
                           revisions=sorted(submission.revisions, key=lambda r: -r.number),
                           by_revision=reviews.reviews_by_revision(submission),
                           prompts_of=challenges.prompts_reader(submission.step),
                           is_author=reviews.is_author(current_user, submission))
    db.session.commit()
    return page


@bp.route("/submissions/<int:submission_id>/compare")
@login_required
def compare(submission_id: int):
    submission = _load_readable(submission_id)
    context = {"submission": submission, "step": submission.step,
               "module": submission.step.module, "learner": submission.user,
               "revisions": sorted(submission.revisions, key=lambda r: r.number),
               "is_author": reviews.is_author(current_user, submission),
               "changes": None, "problem": None, "old": None, "new": None}
    try:
        old, new = reviews.revision_pair(submission, query_int("from"), query_int("to"))
    except DomainError as problem:
        context["problem"] = problem
        return render_template("review/compare.html", **context), (
            200 if len(submission.revisions) < 2 else 422)
    reviews.record_access(current_user, submission, new, "compare")
    context.update(old=old, new=new, changes=reviews.compare_answers(
        submission.step.config["prompts"], old.answers, new.answers))
    page = render_template("review/compare.html", **context)
    db.session.commit()
    return page


# --- the learner's side -----------------------------------------------------------------

@bp.route("/mine")
@login_required
def mine():
    return render_template("review/mine.html", mentors=mentoring.mentors_of(current_user),
                           readers=mentor_notices.readers_of(current_user),
                           reflections=reviews.my_reflections(current_user))


@bp.route("/mine/reads")
@login_required
def reads():
    page = reviews.reads_of_my_reflections(current_user, page=query_page())
    return render_template("review/reads.html", page=page)


# --- notifications ----------------------------------------------------------------------

@bp.route("/notifications", endpoint="notifications")
@login_required
def notifications_page():
    page = notifications.for_user(current_user, page=query_page())
    form = None
    if current_user.has_role("mentor"):
        form = PreferenceForm(submission_emails=notifications.email_choice(current_user))
    return render_template("review/notifications.html", page=page, form=form)


@bp.route("/notifications/<int:notification_id>")
@login_required
def open_notification(notification_id: int):
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != current_user.id:
        abort(404)
    notifications.mark_read(notification)
    db.session.commit()
    return redirect(safe_redirect_target(notification.link, url_for("review.notifications")))


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
def read_all():
    changed = notifications.mark_all_read(current_user)
    db.session.commit()
    flash(_("All notifications are marked as read.") if changed else _("Nothing was unread."),
          "success")
    return redirect(url_for("review.notifications"))


@bp.route("/notifications/preferences", methods=["POST"])
@roles_required("mentor")
def preferences():
    form = PreferenceForm()
    if form.validate_on_submit():
        notifications.set_email_choice(current_user, form.submission_emails.data)
        db.session.commit()
        flash(_("Your email choice is saved."), "success")
        return redirect(url_for("review.notifications"))
    page = notifications.for_user(current_user, page=1)
    return render_template("review/notifications.html", page=page, form=form), 422


# --- admin: links and counts ------------------------------------------------------------

def _fill_link_choices(form: LinkForm) -> None:
    mentors = db.session.execute(
        select(User.id, User.name, User.email).where(User.roles.any(Role.name == "mentor"))
        .order_by(User.name)).all()
    form.mentor_id.choices = choices([("", _("Choose a mentor")),
                                      *((m.id, f"{m.name} ({m.email})") for m in mentors)])
    form.department_id.choices = choices([("", _("Choose a department")), *db.session.execute(
        select(Department.id, Department.name).order_by(Department.name)).all()])
    form.cohort_id.choices = choices([("", _("Choose a cohort")), *db.session.execute(
        select(Cohort.id, Cohort.name).order_by(Cohort.name)).all()])


@bp.route("/admin")
@roles_required("admin")
def admin_overview():
    return render_template("review/admin_overview.html", overview=reviews.status_overview(),
                           states=reviews.QUEUE_STATES)


@bp.route("/admin/links", methods=["GET", "POST"])
@roles_required("admin")
def links():
    form = LinkForm()
    _fill_link_choices(form)
    status = 200
    if form.validate_on_submit():
        mentor = db.session.get(User, form.mentor_id.data)
        learner = department = cohort = None
        if form.target.data == "learner":
            learner = db.session.execute(select(User).where(
                User.email == normalise_email(form.learner_email.data))).scalar_one_or_none()
            if learner is None:
                form.learner_email.errors = [_("No account has this email address.")]
        elif form.target.data == "department":
            department = db.session.get(Department, form.department_id.data)
        else:
            cohort = db.session.get(Cohort, form.cohort_id.data)
        if mentor is None:
            form.mentor_id.errors = [_("Choose a mentor from the list.")]
        elif not form.learner_email.errors:
            link = run_service(form, lambda: mentoring.link_mentor(
                actor=current_user, mentor=mentor, learner=learner, department=department,
                cohort=cohort), field="target")
            if link is not REFUSED:
                flash(_("%(mentor)s now mentors %(target)s.", mentor=mentor.name,
                        target=link.target_name), "success")
                return redirect(url_for("review.links"))
        status = 422
    elif request.method == "POST":
        status = 422
    return render_template("review/links.html", form=form, links=mentoring.links()), status


@bp.route("/admin/links/<int:link_id>/delete", methods=["POST"])
@roles_required("admin")
def delete_link(link_id: int):
    link = db.session.get(MentorLink, link_id)
    if link is None:
        abort(404)
    description = _("%(mentor)s no longer mentors %(target)s.", mentor=link.mentor.name,
                    target=link.target_name)
    mentoring.remove_link(actor=current_user, link=link)
    db.session.commit()
    flash(description, "success")
    return redirect(url_for("review.links"))
