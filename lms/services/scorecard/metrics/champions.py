"""Ally champions: people named champions, and a coverage target that counts them.

Tables: ``champions`` (owned by the champions area) and ``module_completions``. A
person counts in their current department, once however many departments they champion.
"Allies or champions" counts people who are trained allies (every core module completed)
or champions, so a department whose champion has not finished the core modules yet still
meets the target.
"""

from __future__ import annotations

from sqlalchemy import func, select

from lms.extensions import db
from lms.i18n import lazy_text as _l
from lms.models import Champion, ModuleCompletion, User
from lms.services.scorecard.metrics.base import (
    Context,
    Coverage,
    Figures,
    People,
    Provider,
    rows_to_counts,
)


def compute(ctx: Context) -> Figures:
    champion_ids = select(Champion.user_id.label("user_id"))
    champions = rows_to_counts(db.session.execute(
        select(User.department_id, func.count(User.id.distinct()))
        .where(User.is_active_account, User.id.in_(champion_ids))
        .group_by(User.department_id)))
    people = champion_ids
    if ctx.core_modules:
        allies = (select(ModuleCompletion.user_id.label("user_id"))
                  .where(ModuleCompletion.module_id.in_([m.id for m in ctx.core_modules]))
                  .group_by(ModuleCompletion.user_id)
                  .having(func.count(ModuleCompletion.module_id.distinct())
                          == len(ctx.core_modules)))
        people = champion_ids.union(allies)
    either = people.subquery()
    allies_or_champions = rows_to_counts(db.session.execute(
        select(User.department_id, func.count(User.id.distinct()))
        .join(either, either.c.user_id == User.id)
        .where(User.is_active_account).group_by(User.department_id)))
    return Figures(
        columns=[
            People("champions", _l("Ally champions"),
                   _l("People named ally champions (by the programme office or an "
                      "application call).")),
            People("allies_or_champions", _l("Allies or champions"),
                   _l("People who are trained allies or ally champions."), shown=False),
            Coverage("champion_coverage", _l("Coverage with champions"),
                     _l("Whether the department has at least 1 trained ally or champions.")
                     if ctx.target == 1 else
                     _l("Whether the department has at least %(count)s trained allies or "
                        "champions.", count=ctx.target),
                     allies="allies_or_champions", staff="staff"),
        ],
        counts={"champions": champions, "allies_or_champions": allies_or_champions})


PROVIDER = Provider("champions", _l("Ally champions"), compute, tables=("champions",), order=20)
