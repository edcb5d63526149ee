"""Mandatory assignments: rules for everyone, for departments and for a role, with due dates
past and to come. Obligations come from the app's own set-based refresh."""

from __future__ import annotations

import json
from datetime import timedelta

from flask import current_app

from lms.demo.scale.build import Build
from lms.models import DEFAULT_REMIND_DAYS_BEFORE
from lms.services.assignments import rules as assignments
from lms.services.scorecard.report import core_modules

COLUMNS = ["id", "module_id", "target_kind", "include_subdepartments", "target_role",
           "due_kind", "due_on", "due_days", "recertify_months", "remind_days_before",
           "overdue_every_days", "escalate_after_days", "created_by_id", "created_at",
           "updated_at"]


def make_assignments(b: Build) -> int:
    """Insert the rules, then open their obligations; returns how many were opened.

    Call after progress is loaded: a new obligation records the person's
    latest completion, so people who already finished are complete at once.
    """
    rng = b.rng("assignments")
    modules = b.modules
    by_slug = {m.slug: m for m in modules}
    bench = b.bench_module or modules[0]
    configured, _missing = core_modules(current_app.config["LMS_CORE_MODULES"])
    core = next((by_slug[c.slug] for c in configured
                 if c.slug in by_slug and by_slug[c.slug] is not bench),
                None) or next((m for m in modules if m is not bench), bench)
    others = [m for m in modules if m not in (bench, core)] or [core]
    units = b.departments[len(b.top_departments):] or b.departments
    today = b.today
    # (module, kind, departments, include sub-departments, role, due date, due days, renew)
    rules = [
        (bench, "everyone", [], True, None, today + timedelta(days=45), None, None),
        (core, "everyone", [], True, None, today - timedelta(days=30), None, 12),
        (others[0], "departments", rng.sample(b.top_departments,
                                              min(2, len(b.top_departments))), True, None,
         today + timedelta(days=14), None, None),
        (others[len(others) // 2], "departments", rng.sample(units, min(3, len(units))), False,
         None, None, 90, None),
        (others[-1], "role", [], True, "mentor", today + timedelta(days=60), None, None),
    ]
    base = b.loader.next_id("assignments")
    admin = b.user_id(b.admins[0])
    rows, targets = [], []
    for k, (module, kind, departments, below, role, due_on, due_days, renew) in \
            enumerate(rules):
        created = b.anchor - timedelta(days=60 - k)
        rows.append((base + k, module.id, kind, below, role,
                     "date" if due_on else "after_joined", due_on, due_days, renew,
                     json.dumps(DEFAULT_REMIND_DAYS_BEFORE), 7, 14, admin, created, created))
        targets += [(base + k, department) for department in departments]
    b.loader.load("assignments", COLUMNS, rows)
    b.loader.load("assignment_departments", ["assignment_id", "department_id"], targets)
    b.assignment_id = base
    return assignments.refresh_obligations().opened
