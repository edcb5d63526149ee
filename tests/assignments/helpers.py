"""Helpers shared by the assignment and certificate tests."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html import unescape

from lms.extensions import db
from lms.models import Module, User
from lms.services import duedates
from lms.services.assignments.rules import Rule, create_assignment
from lms.services.learning import progress as learning
from tests.content_helpers import meet_requirements, page, write_module


def at(day: date, hour: int = 15) -> datetime:
    """An instant on ``day`` that is the same calendar day in the institution's zone."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def complete_module(user: User, module: Module) -> bool:
    """Do every step the way the learn views would, then complete the module."""
    learning.start_module(user, module)
    for step in module.steps:
        if step.kind == "check":
            learning.record_check(user, step, {
                q["id"]: next(i for i, o in enumerate(q["options"]) if o["correct"])
                for q in step.config["questions"]})
        elif step.kind in ("page", "video", "survey"):
            learning.mark_step_done(user, step)
    meet_requirements(user, module)
    done = learning.refresh_completion(user, module)
    db.session.commit()
    return done


def write_short_module(module_root, slug: str = "short-course", **fields):
    """A two-page module (optionally ``certificate=True, standard=...``)."""
    return write_module(module_root, slug, [page("one"), page("two")], **fields)


def assign(admin: User | None, module: Module, **rule) -> tuple:
    """Create an assignment through the service and commit; returns (assignment, result)."""
    rule.setdefault("target_kind", "everyone")
    if rule.get("due_kind", "date") == "date":
        rule.setdefault("due_on", duedates.today() + timedelta(days=30))
    assignment, result = create_assignment(actor=admin, rule=Rule(module=module, **rule))
    db.session.commit()
    return assignment, result


def table_cells(html: str, heading_id: str) -> list[list[str]]:
    """Cell texts of the first table after the heading with ``heading_id``."""
    start = html.index(f'id="{heading_id}"')
    table = html[html.index("<table", start):html.index("</table>", start)]
    table = re.sub(r"<tfoot>.*?</tfoot>", "", table, flags=re.S)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        rows.append([unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows
