"""Live-session attendance, from the live sessions area.

Tables (owned by that area; this provider is active only once both exist):
``registrations`` with ``user_id``, ``offering_id`` and ``attendance`` (a
registration marked ``'attended'`` counts), and ``offerings`` with
``id`` and ``starts_at`` (the month of a session is the month it starts).
Counts are distinct people; a person at three sessions counts once.
"""

from __future__ import annotations

from sqlalchemy import func, select

from lms.extensions import db
from lms.i18n import lazy_text as _l
from lms.models import User
from lms.services.scorecard.metrics.base import (
    Context,
    Figures,
    People,
    Provider,
    Series,
    month_of,
    rows_to_counts,
    table,
)

ATTENDED = "attended"


def compute(ctx: Context) -> Figures:
    registrations = table("registrations", ("user_id", "offering_id", "attendance"))
    offerings = table("offerings", ("id", "starts_at"))
    if registrations is None or offerings is None:
        return Figures(notes=[_l("Live-session attendance is not shown: the registrations or "
                                 "offerings table lacks the columns it needs.")])
    attended = registrations.c.attendance == ATTENDED
    people = registrations.c.user_id.distinct()
    by_department = rows_to_counts(db.session.execute(
        select(User.department_id, func.count(people))
        .join(registrations, registrations.c.user_id == User.id)
        .where(User.is_active_account, attended).group_by(User.department_id)))
    month = month_of(offerings.c.starts_at)
    monthly = (select(month, func.count(people))
               .select_from(registrations)
               .join(offerings, offerings.c.id == registrations.c.offering_id)
               .join(User, User.id == registrations.c.user_id)
               .where(User.is_active_account, attended, offerings.c.starts_at >= ctx.since)
               .group_by(month))
    if ctx.series_departments is not None:
        monthly = monthly.where(User.department_id.in_(ctx.series_departments))
    series = Series("attendance", _l("People attending a live session"),
                    _l("People who attended at least one live session that started in the "
                       "month."),
                    {m: int(n) for m, n in db.session.execute(monthly)})
    return Figures(
        columns=[People("attended", _l("Attended a live session"),
                        _l("People who attended at least one live session."))],
        counts={"attended": by_department}, series=[series])


PROVIDER = Provider("attendance", _l("Live sessions"), compute,
                    tables=("registrations", "offerings"), order=40)
