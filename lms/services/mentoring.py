"""Who mentors whom: the one definition every area asks.

Until explicit mentor links exist (MentorLink: mentor ↔ learner, or ↔
department/cohort), a person *mentors* a learner when they hold the mentor
role, their account is active, they are not the learner, and they either
work in the same department as the learner or share a cohort with them.

That rule lives in ``mentor_pairs`` alone. ``is_mentor_of``, ``mentors_of``
and ``mentee_ids`` are thin questions asked of it, so replacing the rule with
real mentor links means rewriting that one function.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, exists, select, union
from sqlalchemy.orm import aliased

from lms.extensions import db
from lms.models import Role, User
from lms.models.users import cohort_members


def mentor_pairs(*, mentor_id: int | None = None, learner_id: int | None = None):
    """A selectable of ``(mentor_id, learner_id)`` rows: every mentoring relationship.

    Narrow it with ``mentor_id`` and/or ``learner_id``; the filters are
    applied inside each branch so the database never builds the full list
    just to answer a question about one person. Rows are distinct.
    """
    mentor = aliased(User, name="mentor")
    learner = aliased(User, name="learner")
    is_mentor = mentor.roles.any(Role.name == "mentor")

    same_department = (
        select(mentor.id.label("mentor_id"), learner.id.label("learner_id"))
        .join(learner, and_(learner.department_id == mentor.department_id,
                            learner.id != mentor.id))
        .where(is_mentor, mentor.is_active_account.is_(True))
    )
    mentor_side = cohort_members.alias("mentor_cohorts")
    learner_side = cohort_members.alias("learner_cohorts")
    same_cohort = (
        select(mentor_side.c.user_id.label("mentor_id"),
               learner_side.c.user_id.label("learner_id"))
        .join(learner_side, and_(learner_side.c.cohort_id == mentor_side.c.cohort_id,
                                 learner_side.c.user_id != mentor_side.c.user_id))
        .join(mentor, mentor.id == mentor_side.c.user_id)
        .where(is_mentor, mentor.is_active_account.is_(True))
    )
    if mentor_id is not None:
        same_department = same_department.where(mentor.id == mentor_id)
        same_cohort = same_cohort.where(mentor_side.c.user_id == mentor_id)
    if learner_id is not None:
        same_department = same_department.where(learner.id == learner_id)
        same_cohort = same_cohort.where(learner_side.c.user_id == learner_id)
    return union(same_department, same_cohort).subquery("mentor_pairs")


def is_mentor_of(mentor: User, learner: User) -> bool:
    """True when ``mentor`` mentors ``learner`` (never for oneself)."""
    if mentor is None or learner is None or mentor.id == learner.id:
        return False
    pairs = mentor_pairs(mentor_id=mentor.id, learner_id=learner.id)
    return bool(db.session.scalar(select(exists().select_from(pairs))))


def mentors_of(learner: User) -> list[User]:
    """The learner's mentors, ordered by name (empty when nobody mentors them)."""
    pairs = mentor_pairs(learner_id=learner.id)
    return list(db.session.execute(
        select(User).where(User.id.in_(select(pairs.c.mentor_id))).order_by(User.name, User.id)
    ).scalars())


def mentee_ids(mentor: User) -> Select:
    """A ``SELECT learner_id`` of everyone ``mentor`` mentors, for use in ``IN (...)``."""
    pairs = mentor_pairs(mentor_id=mentor.id)
    return select(pairs.c.learner_id)
