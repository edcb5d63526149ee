"""Benchmark data: departments, people, completions — bulk inserts, fast to build.

``people_csv`` writes the people as the CSV the admin import page takes, so
a benchmark can time the real import path; ``add_progress`` gives a share of
them completions and in-progress enrollments through Core bulk inserts.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from lms.extensions import db
from lms.models import Department, Enrollment, ModuleCompletion, utcnow

FIRST = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana", "Ivo", "Jia", "Kofi",
         "Lucía", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq"]
LAST = ["Abara", "Brown", "Castillo", "Dubois", "Eze", "Fernández", "Garcia", "Haddad", "Ito",
        "Jones", "Kim", "López", "Müller", "Nakamura", "Okafor", "Patel", "Reyes", "Singh"]


def add_departments(count: int, seed: int = 7) -> list[int]:
    """``count`` departments, about a fifth of them below another one; returns their ids."""
    rng = random.Random(seed)
    table = Department.__table__
    tops = max(1, count * 4 // 5)
    db.session.execute(sa.insert(table), [{"name": f"Department {i:03d}"} for i in range(tops)])
    top_ids = list(db.session.execute(sa.select(table.c.id).order_by(table.c.id)).scalars())
    children = [{"name": f"Department {i:03d}", "parent_id": rng.choice(top_ids)}
                for i in range(tops, count)]
    if children:
        db.session.execute(sa.insert(table), children)
    return list(db.session.execute(sa.select(table.c.id).order_by(table.c.id)).scalars())


def people_csv(count: int, seed: int = 11) -> bytes:
    """CSV text for ``count`` people spread over the existing departments."""
    rng = random.Random(seed)
    names = list(db.session.execute(sa.select(Department.name).order_by(Department.id))
                 .scalars())
    lines = ["email,name,department"]
    for i in range(count):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        lines.append(f"person{i:05d}@bench.example.edu,{name},{rng.choice(names)}")
    return ("\n".join(lines) + "\n").encode()


def add_progress(module_id: int, content_hash: str, user_ids: list[int], *,
                 completed: float = 0.3, started: float = 0.2, seed: int = 13) -> None:
    """Give ``completed`` of the people a completion and ``started`` an open enrollment."""
    rng = random.Random(seed)
    now = utcnow()
    enrollments, completions = [], []
    for user_id in user_ids:
        roll = rng.random()
        if roll < completed:
            done_at = now - timedelta(days=rng.randint(1, 200))
            enrollments.append({"user_id": user_id, "module_id": module_id, "status": "completed",
                                "started_at": done_at, "completed_at": done_at,
                                "completed_version": content_hash, "last_activity_at": done_at})
            completions.append({"user_id": user_id, "module_id": module_id,
                                "content_hash": content_hash, "completed_at": done_at})
        elif roll < completed + started:
            enrollments.append({"user_id": user_id, "module_id": module_id,
                                "status": "in_progress", "started_at": now,
                                "last_activity_at": now})
    if enrollments:
        db.session.execute(sa.insert(Enrollment), enrollments)
    if completions:
        db.session.execute(sa.insert(ModuleCompletion), completions)


ADMIN_PASSWORD = "bench password 123"


@contextmanager
def bench_app(url: str, departments: int) -> Iterator[tuple]:
    """An application over the empty database at ``url``, inside its app context, with
    the schema, the shipped modules, ``departments`` departments and a signed-up admin
    (``admin@bench.example.edu``, ``ADMIN_PASSWORD``); yields the application, the
    department ids and the admin."""
    from flask_migrate import upgrade

    from lms import create_app
    from lms.content.sync import sync_modules
    from lms.services.accounts import passwords
    from lms.services.accounts import people as accounts

    app = create_app({
        "TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": url,
        "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False, "MAIL_SERVER": None,
        "PASSWORD_HASH": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}})
    with app.app_context():
        upgrade()
        sync_modules(Path(app.config["LMS_MODULES_DIR"]))
        department_ids = add_departments(departments)
        admin = accounts.create_user(email="admin@bench.example.edu", name="Bench Admin",
                                     roles=("admin", "learner"))
        passwords.set_password(admin, ADMIN_PASSWORD)
        db.session.commit()
        yield app, department_ids, admin
