"""Telling learners who can read their reflections.

A mentor link is a new reader of a learner's reflections, so every link is
announced to each learner it reaches, in the app and by email, the moment it
is made. The learner's own page lists who can read (``mentoring.mentors_of``)
and who did read (``readers_of``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from lms.extensions import db
from lms.i18n import lazy_text as _l
from lms.models import Department, MentorLink, ReflectionAccess, Submission, User
from lms.models.users import cohort_members
from lms.services import notifications
from lms.services.mail import queue_for
from lms.services.notifications import N_, Notice

MENTOR_LINK = "mentor_link"


def learners_reached(link: MentorLink) -> list[User]:
    """The active people ``link`` makes its mentor a reader for (never the mentor)."""
    if link.learner_id is not None:
        reached = select(User.id).where(User.id == link.learner_id)
    elif link.department_id is not None:
        below = (select(Department.id.label("id")).where(Department.id == link.department_id)
                 .cte("departments_below_link", recursive=True))
        child = aliased(Department, name="child_department")
        below = below.union(select(child.id).where(child.parent_id == below.c.id))
        reached = select(User.id).where(User.department_id.in_(select(below.c.id)))
    else:
        reached = select(cohort_members.c.user_id).where(
            cohort_members.c.cohort_id == link.cohort_id)
    return list(db.session.execute(
        select(User).where(User.id.in_(reached), User.id != link.mentor_id,
                           User.is_active_account.is_(True)).order_by(User.id)).scalars())


def _already_reached(link: MentorLink) -> set[int]:
    """The people the mentor of ``link`` already reads for through their other links."""
    others = db.session.execute(select(MentorLink).where(
        MentorLink.mentor_id == link.mentor_id, MentorLink.id != link.id)).scalars()
    return {learner.id for other in others for learner in learners_reached(other)}


def announce_link(link: MentorLink) -> int:
    """Tell every learner ``link`` makes its mentor a new reader for that the mentor can
    now read the reflections they submit: a notification and an email each (someone the
    mentor already reads for through another link was told then). Returns how many
    people were told."""
    mentor = link.mentor or db.session.get(User, link.mentor_id)
    notice = Notice(N_("%(name)s can now read the reflections you submit."),
                    {"name": mentor.name})
    path = notifications.path_for("review.mine")
    already = _already_reached(link)
    learners = [learner for learner in learners_reached(link) if learner.id not in already]
    for learner in learners:
        notifications.notify(learner, MENTOR_LINK, notice, path)
        queue_for(learner, _l("%(name)s can now read your reflections", name=mentor.name),
                  template="review/email/mentor_link.txt", kind=MENTOR_LINK,
                  learner=learner, mentor=mentor, link=link, page=notifications.absolute(path))
    return len(learners)


def readers_of(learner: User) -> list[tuple[User | None, int, datetime]]:
    """Everyone who opened ``learner``'s reflections: ``(reader, reads, last read)``, the
    latest first (``reader`` is None for an account that no longer exists)."""
    rows = db.session.execute(
        select(ReflectionAccess.reader_id, func.count(ReflectionAccess.id),
               func.max(ReflectionAccess.at))
        .join(Submission, Submission.id == ReflectionAccess.submission_id)
        .where(Submission.user_id == learner.id)
        .group_by(ReflectionAccess.reader_id)
        .order_by(func.max(ReflectionAccess.at).desc())).all()
    people = {u.id: u for u in db.session.execute(select(User).where(
        User.id.in_([r[0] for r in rows if r[0] is not None]))).scalars()}
    return [(people.get(reader_id), count, last) for reader_id, count, last in rows]
