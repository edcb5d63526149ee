"""Who mentors whom: the one definition every area asks.

An admin links a mentor to individual learners, to a department or to a
cohort (``MentorLink``). A person mentors a learner when they hold the
mentor role, their account is active, they are not the learner, and one
of their links reaches the learner:

- a direct link to the learner;
- a link to the learner's department or to any department above it (a
  mentor of Internal Medicine also mentors Cardiology, which is part of it);
- a link to a cohort the learner belongs to.

That rule lives in ``mentor_pairs`` alone; ``is_mentor_of``, ``mentors_of``
and ``learner_ids_query`` are questions asked of it. Everything here is
set-based: no function loads a list of learners to answer a question.
"""

from __future__ import annotations

from sqlalchemy import Select, exists, select, union
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload

from lms.extensions import db
from lms.models import Cohort, Department, MentorLink, Role, User
from lms.models.users import cohort_members
from lms.services import audit
from lms.services.errors import DomainError


def _department_tree():
    """A recursive CTE of ``(ancestor_id, department_id)``: every department paired with
    itself and with each department below it. ``UNION`` (not ``UNION ALL``) stops even if
    an admin made a parent loop."""
    tree = select(Department.id.label("ancestor_id"),
                  Department.id.label("department_id")).cte("department_tree", recursive=True)
    child = aliased(Department, name="child_department")
    return tree.union(select(tree.c.ancestor_id, child.id)
                      .where(child.parent_id == tree.c.department_id))


def mentor_pairs(*, mentor_id: int | None = None, learner_id: int | None = None):
    """A subquery of distinct ``(mentor_id, learner_id)`` rows: every mentoring relationship.

    Narrow it with ``mentor_id`` and/or ``learner_id``; the filters sit inside
    each branch so the database never builds the full list to answer a
    question about one person.
    """
    mentor = aliased(User, name="mentor_user")
    is_mentor = (mentor.is_active_account.is_(True), mentor.roles.any(Role.name == "mentor"))

    direct = (select(MentorLink.mentor_id.label("mentor_id"),
                     MentorLink.learner_id.label("learner_id"))
              .join(mentor, mentor.id == MentorLink.mentor_id)
              .where(MentorLink.learner_id.is_not(None),
                     MentorLink.learner_id != MentorLink.mentor_id, *is_mentor))
    tree = _department_tree()
    member = aliased(User, name="department_member")
    by_department = (select(MentorLink.mentor_id.label("mentor_id"),
                            member.id.label("learner_id"))
                     .join(mentor, mentor.id == MentorLink.mentor_id)
                     .join(tree, tree.c.ancestor_id == MentorLink.department_id)
                     .join(member, member.department_id == tree.c.department_id)
                     .where(member.id != MentorLink.mentor_id, *is_mentor))
    by_cohort = (select(MentorLink.mentor_id.label("mentor_id"),
                        cohort_members.c.user_id.label("learner_id"))
                 .join(mentor, mentor.id == MentorLink.mentor_id)
                 .join(cohort_members, cohort_members.c.cohort_id == MentorLink.cohort_id)
                 .where(cohort_members.c.user_id != MentorLink.mentor_id, *is_mentor))
    if mentor_id is not None:
        direct = direct.where(MentorLink.mentor_id == mentor_id)
        by_department = by_department.where(MentorLink.mentor_id == mentor_id)
        by_cohort = by_cohort.where(MentorLink.mentor_id == mentor_id)
    if learner_id is not None:
        direct = direct.where(MentorLink.learner_id == learner_id)
        by_department = by_department.where(member.id == learner_id)
        by_cohort = by_cohort.where(cohort_members.c.user_id == learner_id)
    return union(direct, by_department, by_cohort).subquery("mentor_pairs")


def learner_ids_query(mentor: User) -> Select:
    """A ``SELECT learner_id`` of everyone ``mentor`` mentors, for use in ``IN (...)``.

    Never includes the mentor themself; empty for someone without the mentor role.
    """
    pairs = mentor_pairs(mentor_id=mentor.id)
    return select(pairs.c.learner_id)


# The action-plans area asks under this name.
mentee_ids = learner_ids_query


def is_mentor_of(mentor: User | None, learner: User | None) -> bool:
    """True when ``mentor`` mentors ``learner`` (never for oneself). One query."""
    if mentor is None or learner is None or mentor.id == learner.id:
        return False
    pairs = mentor_pairs(mentor_id=mentor.id, learner_id=learner.id)
    return bool(db.session.scalar(select(exists().select_from(pairs))))


def mentors_of(learner: User) -> list[User]:
    """The learner's mentors, ordered by name (empty when nobody mentors them).

    Their departments come in the same query: lists of mentors show them.
    """
    pairs = mentor_pairs(learner_id=learner.id)
    return list(db.session.execute(
        select(User).where(User.id.in_(select(pairs.c.mentor_id)))
        .options(joinedload(User.department))
        .order_by(User.name, User.id)).scalars())


# --- managing links (admin) -----------------------------------------------------------

def links() -> list[MentorLink]:
    """Every link with its mentor and target loaded, grouped by mentor name."""
    mentor = aliased(User)
    return list(db.session.execute(
        select(MentorLink).join(mentor, mentor.id == MentorLink.mentor_id)
        .options(joinedload(MentorLink.mentor), joinedload(MentorLink.learner),
                 joinedload(MentorLink.department), joinedload(MentorLink.cohort))
        .order_by(mentor.name, MentorLink.id)).scalars())


def link_mentor(*, actor: User | None, mentor: User, learner: User | None = None,
                department: Department | None = None, cohort: Cohort | None = None
                ) -> MentorLink:
    """Link ``mentor`` to exactly one of ``learner``, ``department`` or ``cohort``.

    Raises ``DomainError`` (with the form field at fault) when the person is
    not a mentor, when no or several targets are given, when a mentor would
    mentor themself, or when the link exists already.
    """
    if not mentor.has_role("mentor"):
        raise DomainError(f"{mentor.name} does not have the mentor role. Give it to them "
                          "under People first.", field="mentor_id")
    targets = [t for t in (learner, department, cohort) if t is not None]
    if len(targets) != 1:
        raise DomainError("Choose one learner, department or cohort.", field="target")
    if learner is not None and learner.id == mentor.id:
        raise DomainError("A mentor cannot be their own mentor.", field="learner_email")
    link = MentorLink(mentor_id=mentor.id, learner_id=learner.id if learner else None,
                      department_id=department.id if department else None,
                      cohort_id=cohort.id if cohort else None,
                      created_by_id=actor.id if actor else None)
    try:
        with db.session.begin_nested():
            db.session.add(link)
    except IntegrityError:
        raise DomainError(f"{mentor.name} is already linked to {targets[0].name}.",
                          field="target") from None
    audit.record(actor, "mentor_link.create", link, mentor=mentor.email,
                 target_kind=link.target_kind, target_name=targets[0].name)
    return link


def find_link(*, mentor: User, learner: User | None = None,
              department: Department | None = None,
              cohort: Cohort | None = None) -> MentorLink | None:
    """The existing link from ``mentor`` to the given target, if any."""
    query = select(MentorLink).where(MentorLink.mentor_id == mentor.id)
    if learner is not None:
        query = query.where(MentorLink.learner_id == learner.id)
    elif department is not None:
        query = query.where(MentorLink.department_id == department.id)
    elif cohort is not None:
        query = query.where(MentorLink.cohort_id == cohort.id)
    else:
        return None
    return db.session.execute(query).scalar_one_or_none()


def remove_link(*, actor: User | None, link: MentorLink) -> None:
    """Delete a link. The mentor keeps the feedback they gave; they lose access to text."""
    audit.record(actor, "mentor_link.delete", link, mentor_id=link.mentor_id,
                 target_kind=link.target_kind, target_name=link.target_name)
    db.session.delete(link)
    db.session.flush()
