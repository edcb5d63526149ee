"""Retention: reflection text removed ``LMS_REFLECTION_RETENTION_DAYS`` after approval.

Off by default (0). When set, ``flask privacy apply-retention`` (daily, from
cron) first sends the learner a notice 30 days before the text goes, with a
"keep mine" choice on their data page; only a reflection whose notice is at
least 30 days old and whose retention period has passed loses its text (as
when the learner deletes it, but it stays approved and the module stays
complete). Turning the setting on for old reflections therefore never
removes anything without 30 days' notice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from lms import localtime
from lms.extensions import db
from lms.models import Notification, Review, Step, Submission, User, utcnow
from lms.services import audit, notifications
from lms.services.notifications import N_, Notice
from lms.services.privacy.withdrawal import erase_text

NOTICE_DAYS = 30
NOTICE_KIND = "retention_notice"


def retention_days() -> int:
    return max(0, int(current_app.config.get("LMS_REFLECTION_RETENTION_DAYS") or 0))


def _approved_at():
    return (select(Review.submission_id, func.max(Review.created_at).label("approved_at"))
            .where(Review.decision == "approve").group_by(Review.submission_id).subquery())


def _ref(submission: Submission) -> str:
    return f"submission-{submission.id}"


def removal_dates(user: User) -> dict[int, datetime]:
    """For ``user``'s approved reflections still holding text: when it will be removed
    (empty when retention is off). Two queries."""
    days = retention_days()
    if not days:
        return {}
    approved = _approved_at()
    rows = db.session.execute(
        select(Submission.id, approved.c.approved_at)
        .join(approved, approved.c.submission_id == Submission.id)
        .where(Submission.user_id == user.id, Submission.status == "approved",
               Submission.withdrawn_at.is_(None), Submission.text_kept_at.is_(None))).all()
    notices = dict(db.session.execute(
        select(Notification.ref, Notification.created_at).where(
            Notification.user_id == user.id, Notification.kind == NOTICE_KIND)).all())
    dates = {}
    for submission_id, approved_at in rows:
        due = approved_at + timedelta(days=days)
        noticed = notices.get(f"submission-{submission_id}")
        earliest = (noticed or utcnow()) + timedelta(days=NOTICE_DAYS)
        dates[submission_id] = max(due, earliest)
    return dates


def keep(learner: User, submission: Submission) -> None:
    """The learner keeps the text of ``submission`` past the retention period."""
    submission.text_kept_at = utcnow()
    audit.record(learner, "reflection.kept", submission)
    db.session.flush()


def apply() -> tuple[int, int]:
    """Send due notices and remove text whose time has come; returns (noticed, removed)."""
    days = retention_days()
    if not days:
        return 0, 0
    now = utcnow()
    approved = _approved_at()
    candidates = db.session.execute(
        select(Submission, approved.c.approved_at, Step.title)
        .join(approved, approved.c.submission_id == Submission.id)
        .join(Step, Step.id == Submission.step_id)
        .where(Submission.status == "approved", Submission.withdrawn_at.is_(None),
               Submission.text_kept_at.is_(None),
               approved.c.approved_at <= now - timedelta(days=max(0, days - NOTICE_DAYS)))).all()
    notices = dict(db.session.execute(
        select(Notification.ref, Notification.created_at).where(
            Notification.kind == NOTICE_KIND,
            Notification.ref.in_([_ref(s) for s, _a, _t in candidates]))).all()) \
        if candidates else {}
    noticed = removed = 0
    for submission, approved_at, title in candidates:
        notice_at = notices.get(_ref(submission))
        if notice_at is None:
            when = max(approved_at + timedelta(days=days), now + timedelta(days=NOTICE_DAYS))
            notifications.notify(
                submission.user_id, NOTICE_KIND,
                Notice(N_("The text of your reflection “%(title)s” will be removed on "
                          "%(day)s. Choose “Keep mine” on your data page to keep it."),
                       {"title": title, "day": localtime.local_date(when)}),
                notifications.path_for("mydata.index"), ref=_ref(submission))
            noticed += 1
        elif (approved_at + timedelta(days=days) <= now
              and notice_at + timedelta(days=NOTICE_DAYS) <= now):
            erase_text(submission)
            submission.withdrawn_at = now
            audit.record(None, "reflection.retention_removed", submission)
            removed += 1
    db.session.flush()
    return noticed, removed
