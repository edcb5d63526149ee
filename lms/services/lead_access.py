"""The department lead's permission, stated once.

Leading a department (``Department.lead``) is not a role an admin ticks but a
permission that follows from the department record, and it grants exactly
one thing: the compliance status of the people in the departments one leads
and in the departments below them (a lead of Internal Medicine also sees
Cardiology, which is part of it) — names, emails, assigned modules, due
dates and whether each is completed, in progress, not started or overdue —
on the compliance page and its CSV. It never grants reflection text,
submissions, action plans or mentor access: those follow the mentor links
alone. Everyone this permission reaches is shown ``NOTICE`` on the page.
"""

from __future__ import annotations

from sqlalchemy import select

from lms.extensions import db
from lms.models import Department, User
from lms.services.assignments import department_descendants

NOTICE = "You see compliance status for your department; never reflection text."


def led_departments(user: User) -> set[int]:
    """The departments ``user`` leads and every department below them (empty for a
    person who leads none)."""
    led = db.session.execute(select(Department.id).where(Department.lead_id == user.id)).scalars()
    return department_descendants(led)

