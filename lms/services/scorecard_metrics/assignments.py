"""Mandatory assignments: completion rate and overdue count per assignment.

Table (owned by the assignments area; this provider is active only once it
exists): ``obligations``, one row per person and assignment, assumed to
have ``user_id``, ``assignment_id``, ``due_at`` and ``completed_at`` (set
when the person completed what was assigned). Titles come from an
``assignments`` table's ``title`` column when there is one. When the
columns differ, the provider shows nothing and says so on the admin view:
adjust the column names here.

Each assignment adds a completion rate (completed / assigned, among active
people) and an overdue count (not completed and past due).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import case, func, select

from lms.extensions import db
from lms.models import User
from lms.services.scorecard_metrics.base import (
    Context,
    Figures,
    People,
    Provider,
    Rate,
    register,
    table,
)


def compute(ctx: Context) -> Figures:
    obligations = table("obligations", ("user_id", "assignment_id", "due_at", "completed_at"))
    if obligations is None:
        return Figures(notes=["Mandatory assignments are not shown: the obligations table "
                              "lacks the columns it needs."])
    done = obligations.c.completed_at.is_not(None)
    overdue = sa.and_(obligations.c.completed_at.is_(None), obligations.c.due_at < ctx.now)
    user = obligations.c.user_id
    rows = db.session.execute(
        select(obligations.c.assignment_id, User.department_id, func.count(user.distinct()),
               func.count(case((done, user)).distinct()),
               func.count(case((overdue, user)).distinct()))
        .join(User, User.id == user).where(User.is_active_account)
        .group_by(obligations.c.assignment_id, User.department_id)).all()
    ids = sorted({row[0] for row in rows})
    titles = {i: f"Assignment {i}" for i in ids}
    assignments = table("assignments", ("id", "title"))
    if assignments is not None and ids:
        titles.update(db.session.execute(
            select(assignments.c.id, assignments.c.title).where(assignments.c.id.in_(ids))).all())
    counts: dict[str, dict[int | None, int]] = {}
    for assignment_id, department_id, assigned, completed, late in rows:
        for suffix, value in (("assigned", assigned), ("done", completed), ("overdue", late)):
            counts.setdefault(f"a{assignment_id}_{suffix}", {})[department_id] = int(value)
    columns = []
    for i in ids:
        title = titles[i]
        columns += [
            People(f"a{i}_assigned", f"{title}: assigned", "", shown=False),
            People(f"a{i}_done", f"{title}: completed", "", shown=False),
            Rate(f"a{i}_rate", f"{title}: completed",
                 f"Share of the people assigned {title} who completed it.",
                 numerator=f"a{i}_done", denominator=f"a{i}_assigned"),
            People(f"a{i}_overdue", f"{title}: overdue",
                   f"People assigned {title} who are past the due date without completing it."),
        ]
    return Figures(columns=columns, counts=counts)


PROVIDER = register(Provider("assignments", "Mandatory assignments", compute,
                             tables=("obligations",), order=30))
