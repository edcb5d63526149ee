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

from functools import cache

from flask_babel import gettext as _
from sqlalchemy import Select, bindparam, exists, select, union
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload, lazyload

from lms.extensions import db
from lms.models import Cohort, Department, MentorLink, Role, User
from lms.models.users import cohort_members
from lms.services import audit
from lms.services.accounts import mentor_notices
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


def _departments_above(learner_id):
    """A recursive CTE of ``(department_id)``: the learner's own department and every
    department above it. Asking about one learner this way walks a few parent links
    instead of pairing every department with everything below it."""
    own = (select(User.department_id.label("department_id"))
           .where(User.id == learner_id, User.department_id.is_not(None))
           .cte("departments_above", recursive=True))
    parent = aliased(Department, name="parent_department")
    child = aliased(Department, name="child_department")
    return own.union(select(parent.id).join(child, child.parent_id == parent.id)
                     .where(child.id == own.c.department_id))


def _departments_below_links(mentor_id):
    """A recursive CTE of ``(mentor_id, department_id)``: each department the mentor is
    linked to and every department below it. Asking about one mentor this way starts
    from their few links instead of pairing every department with everything below."""
    linked = (select(MentorLink.mentor_id.label("mentor_id"),
                     MentorLink.department_id.label("department_id"))
              .where(MentorLink.mentor_id == mentor_id, MentorLink.department_id.is_not(None))
              .cte("departments_below", recursive=True))
    child = aliased(Department, name="child_department")
    return linked.union(select(linked.c.mentor_id, child.id)
                        .where(child.parent_id == linked.c.department_id))


@cache
def mentor_pairs(*, by_mentor: bool = False, by_learner: bool = False):
    """A subquery of distinct ``(mentor_id, learner_id)`` rows: every mentoring relationship.

    ``by_mentor``/``by_learner`` narrow it to the bound parameters ``pairs_mentor_id``
    and ``pairs_learner_id`` (give them with ``Select.params`` or at execution); the
    filters sit inside each branch so the database never builds the full list to
    answer a question about one person. Built once per shape and reused: putting the
    three-branch union together costs more than running it.
    """
    mentor_id = bindparam("pairs_mentor_id") if by_mentor else None
    learner_id = bindparam("pairs_learner_id") if by_learner else None
    mentor = aliased(User, name="mentor_user")
    is_mentor = (mentor.is_active_account.is_(True), mentor.roles.any(Role.name == "mentor"))

    direct = (select(MentorLink.mentor_id.label("mentor_id"),
                     MentorLink.learner_id.label("learner_id"))
              .join(mentor, mentor.id == MentorLink.mentor_id)
              .where(MentorLink.learner_id.is_not(None),
                     MentorLink.learner_id != MentorLink.mentor_id, *is_mentor))
    member = aliased(User, name="department_member")
    if learner_id is not None:
        # One learner: start from their department and walk up to the links.
        above = _departments_above(learner_id)
        by_department = (select(MentorLink.mentor_id.label("mentor_id"),
                                member.id.label("learner_id"))
                         .join(mentor, mentor.id == MentorLink.mentor_id)
                         .join(above, above.c.department_id == MentorLink.department_id)
                         .join(member, member.id == learner_id)
                         .where(member.id != MentorLink.mentor_id, *is_mentor))
        if mentor_id is not None:
            by_department = by_department.where(MentorLink.mentor_id == mentor_id)
    elif mentor_id is not None:
        # One mentor: start from their links and walk down to the members.
        below = _departments_below_links(mentor_id)
        by_department = (select(below.c.mentor_id.label("mentor_id"),
                                member.id.label("learner_id"))
                         .join(mentor, mentor.id == below.c.mentor_id)
                         .join(member, member.department_id == below.c.department_id)
                         .where(member.id != below.c.mentor_id, *is_mentor))
    else:
        tree = _department_tree()
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
    if mentor_id is not None:  # the department branch above is narrowed already
        direct = direct.where(MentorLink.mentor_id == mentor_id)
        by_cohort = by_cohort.where(MentorLink.mentor_id == mentor_id)
    if learner_id is not None:
        direct = direct.where(MentorLink.learner_id == learner_id)
        by_cohort = by_cohort.where(cohort_members.c.user_id == learner_id)
    return union(direct, by_department, by_cohort).subquery("mentor_pairs")


def learner_ids_query(mentor: User) -> Select:
    """A ``SELECT learner_id`` of everyone ``mentor`` mentors, for use in ``IN (...)``.

    Never includes the mentor themself; empty for someone without the mentor role.
    """
    pairs = mentor_pairs(by_mentor=True)
    return select(pairs.c.learner_id).params(pairs_mentor_id=mentor.id)


# The action-plans area asks under this name.
mentee_ids = learner_ids_query


@cache
def _is_mentor_statement() -> Select:
    return select(exists().select_from(mentor_pairs(by_mentor=True, by_learner=True)))


@cache
def _mentors_of_statement() -> Select:
    pairs = mentor_pairs(by_learner=True)
    # Pages show each mentor's name and department, never their roles.
    return (select(User).where(User.id.in_(select(pairs.c.mentor_id)))
            .options(joinedload(User.department), lazyload(User.roles))
            .order_by(User.name, User.id))


def is_mentor_of(mentor: User | None, learner: User | None) -> bool:
    """True when ``mentor`` mentors ``learner`` (never for oneself). One query."""
    if mentor is None or learner is None or mentor.id == learner.id:
        return False
    return bool(db.session.scalar(_is_mentor_statement(), {
        "pairs_mentor_id": mentor.id, "pairs_learner_id": learner.id}))


def mentors_of(learner: User) -> list[User]:
    """The learner's mentors, ordered by name (empty when nobody mentors them)."""
    return list(db.session.execute(_mentors_of_statement(),
                                   {"pairs_learner_id": learner.id}).scalars())


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

    Every learner the link reaches is told, in the app and by email, that the
    mentor can now read their reflections.

    Raises ``DomainError`` (with the form field at fault) when ``actor`` links
    themself (nobody grants themselves access to other people's reflections),
    when the person is not a mentor, when no or several targets are given,
    when a mentor would mentor themself, or when the link exists already.
    """
    if actor is not None and actor.id == mentor.id:
        raise DomainError(_("You cannot link yourself as a mentor: nobody grants themselves "
                            "access to other people's reflections. Another administrator "
                            "can make this link."), field="mentor_id")
    if not mentor.has_role("mentor"):
        raise DomainError(_("%(name)s does not have the mentor role. Give it to them "
                            "under People first.", name=mentor.name), field="mentor_id")
    targets = [t for t in (learner, department, cohort) if t is not None]
    if len(targets) != 1:
        raise DomainError(_("Choose one learner, department or cohort."), field="target")
    if learner is not None and learner.id == mentor.id:
        raise DomainError(_("A mentor cannot be their own mentor."), field="learner_email")
    link = MentorLink(mentor_id=mentor.id, learner_id=learner.id if learner else None,
                      department_id=department.id if department else None,
                      cohort_id=cohort.id if cohort else None,
                      created_by_id=actor.id if actor else None)
    try:
        with db.session.begin_nested():
            db.session.add(link)
    except IntegrityError:
        raise DomainError(_("%(mentor)s is already linked to %(target)s.", mentor=mentor.name,
                            target=targets[0].name), field="target") from None
    audit.record(actor, "mentor_link.create", link, mentor=mentor.email,
                 target_kind=link.target_kind, target_name=targets[0].name)
    mentor_notices.announce_link(link)
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
