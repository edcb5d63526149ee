"""Mandatory assignments: completion rate and overdue count per assignment.

Statuses come from ``lms.services.assignments.compliance.obligation_rows`` — the SQL
the compliance view uses (recertification included) — so the scorecard and
the compliance page always agree. Each assignment adds a completion rate
(completed / assigned, among active people) and an overdue count.
"""

from __future__ import annotations

from sqlalchemy import case, func, select

from lms.extensions import db
from lms.i18n import lazy_text as _l
from lms.models import User
from lms.services.scorecard.metrics.base import Context, Figures, People, Provider, Rate


def compute(ctx: Context) -> Figures:
    from lms.models.assignments import Obligation
    from lms.services.assignments import compliance

    rows_query = compliance.obligation_rows(
        compliance.Filters(), None, Obligation.assignment_id.label("assignment_id"),
        Obligation.user_id.label("user_id"), User.department_id.label("department_id"),
    ).where(User.is_active_account).subquery()
    user = rows_query.c.user_id
    rows = db.session.execute(
        select(rows_query.c.assignment_id, rows_query.c.department_id,
               func.count(user.distinct()),
               func.count(case((rows_query.c.status == "completed", user)).distinct()),
               func.count(case((rows_query.c.status == "overdue", user)).distinct()))
        .group_by(rows_query.c.assignment_id, rows_query.c.department_id)).all()
    ids = sorted({row[0] for row in rows})
    titles = _titles(ids)
    counts: dict[str, dict[int | None, int]] = {}
    for assignment_id, department_id, assigned, completed, late in rows:
        for suffix, value in (("assigned", assigned), ("done", completed), ("overdue", late)):
            counts.setdefault(f"a{assignment_id}_{suffix}", {})[department_id] = int(value)
    columns = []
    for i in ids:
        title = titles.get(i) or _l("Assignment %(number)s", number=i)
        columns += [
            People(f"a{i}_assigned", _l("%(title)s: assigned", title=title), "", shown=False),
            People(f"a{i}_done", _l("%(title)s: completed", title=title), "", shown=False),
            Rate(f"a{i}_rate", _l("%(title)s: completed", title=title),
                 _l("Share of the people assigned %(title)s who completed it.", title=title),
                 numerator=f"a{i}_done", denominator=f"a{i}_assigned"),
            People(f"a{i}_overdue", _l("%(title)s: overdue", title=title),
                   _l("People assigned %(title)s who are past the due date without completing "
                      "it.", title=title)),
        ]
    return Figures(columns=columns, counts=counts)


def _titles(ids: list[int]) -> dict[int, str]:
    """Module titles; a module assigned more than once gets its assignment number too."""
    from lms.models import Module
    from lms.models.assignments import Assignment

    if not ids:
        return {}
    rows = db.session.execute(select(Assignment.id, Module.title).join(
        Module, Module.id == Assignment.module_id).where(Assignment.id.in_(ids))).all()
    seen = [title for _, title in rows]
    return {i: title if seen.count(title) == 1
            else _l("%(title)s (assignment %(number)s)", title=title, number=i)
            for i, title in rows}


PROVIDER = Provider("assignments", _l("Mandatory assignments"), compute,
                    tables=("obligations", "assignments"), order=30)
