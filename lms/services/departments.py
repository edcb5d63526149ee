"""The department tree: departments nest (Cardiology is part of Internal Medicine).

Admins may make a parent loop by mistake; every walk here stops at
departments it has already seen.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select

from lms.extensions import db
from lms.models import Department


def department_descendants(department_ids: Iterable[int]) -> set[int]:
    """The given departments and every department below them (cycles are harmless)."""
    start = [d for d in department_ids if d is not None]
    if not start:
        return set()
    children: dict[int | None, list[int]] = defaultdict(list)
    for dept_id, parent_id in db.session.execute(select(Department.id, Department.parent_id)):
        children[parent_id].append(dept_id)
    found: set[int] = set()
    stack = list(start)
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(children[current])
    return found
