"""Core programme metrics: staff, trained allies, coverage and module completions.

Tables: ``users`` (active accounts, current department) and
``module_completions`` (one row per completion; a person counts once per
module however often they completed it).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import case, func, select

from lms.extensions import db
from lms.i18n import lazy_text as _l
from lms.models import ModuleCompletion, User
from lms.services.scorecard.metrics.base import (
    Context,
    Coverage,
    Figures,
    People,
    Provider,
    Rate,
    Series,
    latest_of,
    month_of,
    rows_to_counts,
)

MC = ModuleCompletion


def _scoped(query, ctx: Context):
    if ctx.series_departments is not None:
        query = query.where(User.department_id.in_(ctx.series_departments))
    return query


def staff_counts() -> dict[int | None, int]:
    """Active people per department."""
    rows = db.session.execute(
        select(User.department_id, func.count()).where(User.is_active_account)
        .group_by(User.department_id))
    return rows_to_counts(rows)


def training(ctx: Context) -> tuple[dict[str, dict[int | None, int]],
                                     dict[int | None, dict[str, int]]]:
    """Per department: people with any completion, trained allies and each core module;
    and, per department and month, the people who became trained allies that month.

    One pass over ``module_completions`` grouped by person (a covering index
    on ``(user_id, module_id, completed_at)`` serves it), then grouped by
    department and the month the person became an ally -- when they first
    completed the last of the core modules -- so the result has at most
    departments x months rows, never one per person.
    """
    firsts = [func.min(case((MC.module_id == m.id, MC.completed_at))).label(f"m{m.id}")
              for m in ctx.core_modules]
    per_user = select(MC.user_id.label("user_id"), *firsts).group_by(MC.user_id).subquery()
    columns = [per_user.c[f"m{m.id}"] for m in ctx.core_modules]
    ally_month = month_of(latest_of(*columns)) if columns else sa.null()
    query = (select(User.department_id, ally_month, func.count(),
                    *[func.count(column) for column in columns])
             .join(per_user, per_user.c.user_id == User.id)
             .where(User.is_active_account)
             # PostgreSQL refuses a constant in GROUP BY (no core modules: no month).
             .group_by(User.department_id, *([ally_month] if columns else [])))
    counts: dict[str, dict[int | None, int]] = {"completers": {}, "allies": {}}
    counts.update({f"core_{m.id}": {} for m in ctx.core_modules})
    new_allies: dict[int | None, dict[str, int]] = {}

    def add(key, department_id, n):
        counts[key][department_id] = counts[key].get(department_id, 0) + int(n or 0)

    for department_id, month, people, *per_module in db.session.execute(query):
        add("completers", department_id, people)
        add("allies", department_id, people if month is not None else 0)
        for module, n in zip(ctx.core_modules, per_module, strict=True):
            add(f"core_{module.id}", department_id, n)
        if month is not None:
            new_allies.setdefault(department_id, {})[month] = int(people)
    return counts, new_allies


def completions_by_month(ctx: Context) -> dict[str, int]:
    """month -> distinct people who completed at least one module that month."""
    month = month_of(MC.completed_at)
    query = _scoped(select(month, func.count(MC.user_id.distinct()))
                    .join(User, User.id == MC.user_id)
                    .where(User.is_active_account, MC.completed_at >= ctx.since)
                    .group_by(month), ctx)
    return {month_key: int(count) for month_key, count in db.session.execute(query)}


def _cumulative(new_by_month: dict[str, int], months) -> dict[str, int]:
    total = sum(count for month, count in new_by_month.items() if month < months[0])
    result = {}
    for month in months:
        total += new_by_month.get(month, 0)
        result[month] = total
    return result


def compute(ctx: Context) -> Figures:
    staff = staff_counts()
    trained, new_allies = training(ctx)
    counts = {"staff": staff, **trained}
    titles = ", ".join(m.title for m in ctx.core_modules)
    columns = [
        People("staff", _l("Staff"), _l("People with an active account in the department."),
               within_staff=False),
        People("allies", _l("Trained allies"),
               _l("People who completed every core module (%(titles)s).", titles=titles)
               if titles else
               _l("People who completed every core module (no core modules are available).")),
        Rate("allies_share", _l("Share of staff trained"),
             _l("Trained allies as a share of staff."), numerator="allies", denominator="staff"),
        Coverage("coverage", _l("Coverage"),
                 _l("Whether the department has at least 1 trained ally.") if ctx.target == 1
                 else _l("Whether the department has at least %(count)s trained allies.",
                         count=ctx.target),
                 allies="allies", staff="staff"),
        People("completers", _l("Completed a module"),
               _l("People who completed at least one module.")),
        *[People(f"core_{m.id}", _l("Completed %(title)s", title=m.title),
                 _l("People who completed %(title)s.", title=m.title),
                 admin_only=True) for m in ctx.core_modules],
    ]
    series = [Series("completions", _l("People completing a module"),
                     _l("People who completed at least one module in the month."),
                     completions_by_month(ctx))]
    if ctx.series_departments is None:
        reported = [d for d, n in staff.items() if d is not None and n >= ctx.min_cell]
        meeting = dict.fromkeys(ctx.months, 0)
        for department_id in reported:
            by_month = _cumulative(new_allies.get(department_id, {}), ctx.months)
            for month, allies in by_month.items():
                meeting[month] += allies >= ctx.target
        series.append(Series(
            "coverage", _l("Departments meeting the target"),
            (_l("Departments with at least 1 trained ally by the end of each month, out of the "
                "%(reported)s departments large enough to report (each counted on its own).",
                reported=len(reported)) if ctx.target == 1 else
             _l("Departments with at least %(count)s trained allies by the end of each month, "
                "out of the %(reported)s departments large enough to report (each counted on "
                "its own).", count=ctx.target, reported=len(reported))),
            meeting, unit="departments", out_of=len(reported), cumulative=True))
    else:
        merged: dict[str, int] = {}
        in_scope = set(ctx.series_departments)
        for department_id, by_month in new_allies.items():
            if department_id not in in_scope:
                continue
            for month, count in by_month.items():
                merged[month] = merged.get(month, 0) + count
        series.append(Series("allies", _l("Trained allies"),
                             _l("Trained allies by the end of each month."),
                             _cumulative(merged, ctx.months), cumulative=True))
    return Figures(columns=columns, counts=counts, series=series)


PROVIDER = Provider("core", _l("Core programme"), compute, order=10)
