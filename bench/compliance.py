"""Compliance at scale: people bulk-loaded, two assignments, the compliance pages in-process.

    python -m bench.run --only compliance --people 10000          # SQLite file
    BENCH_DATABASE_URL=postgresql://... python -m bench.run --only compliance --people 100000

Unlike ``bench.assignments`` (which times the CSV import and the reminder
job), people are inserted in bulk so 100,000 of them load in a minute or two;
the assignments are made through the real service (one to everyone, one to
every department), 30% of people completed and 20% started the first module.
Then the compliance page (all assignments, one assignment, one department
with a status filter, page 2 and a later page of people) is rendered through
the test client. Prints a Markdown table and writes it to
``bench/results/compliance.md`` (one section per database).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from bench.assignments import median_time, timed
from bench.data import ADMIN_PASSWORD, FIRST, LAST, add_progress, bench_app
from bench.database import throwaway_database
from bench.report import write_section

RESULTS = Path(__file__).resolve().parent / "results" / "compliance.md"
PASSWORD = ADMIN_PASSWORD
TARGET = 0.3


def _people(count: int, department_ids: list[int], seed: int = 17) -> list[int]:
    from lms.extensions import db
    from lms.models import User

    rng = random.Random(seed)
    rows = [{"email": f"person{i:06d}@bench.example.edu",
             "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
             "department_id": rng.choice(department_ids)} for i in range(count)]
    for start in range(0, count, 5000):
        db.session.execute(sa.insert(User), rows[start:start + 5000])
    return list(db.session.execute(sa.select(User.id).where(
        User.email.like("person%@bench.example.edu")).order_by(User.id)).scalars())


def run(people: int, departments: int, runs: int, profile: bool = False,
        keep: bool = False) -> tuple[str, list[tuple[str, str, str]]]:

    from lms.extensions import db
    from lms.services import duedates
    from lms.services.assignments.rules import Rule, create_assignment
    from lms.services.learning import progress as learning

    rows: list[tuple[str, str, str]] = []
    with (throwaway_database("compliance", keep=keep) as database,
          bench_app(database.url, departments) as (app, department_ids, admin)):
        seconds, user_ids = timed(lambda: _people(people, department_ids))
        module = learning.published_module("implicit-bias-foundations")
        add_progress(module.id, module.content_hash, user_ids)
        db.session.commit()
        rows.append((f"Load {people:,} people and their progress", f"{seconds:.1f} s",
                     "informational"))
        due = duedates.today() + timedelta(days=30)
        seconds, (assignment, result) = timed(lambda: create_assignment(actor=admin, rule=Rule(
            module=module, target_kind="everyone", due_on=due)))
        db.session.commit()
        rows.append((f"Assign a module to everyone ({result.opened:,} people)",
                     f"{seconds:.2f} s", "informational"))
        seconds, (_, result) = timed(lambda: create_assignment(actor=admin, rule=Rule(
            module=learning.published_module("psychological-safety"),
            target_kind="departments", department_ids=department_ids,
            due_on=duedates.today() + timedelta(days=7))))
        db.session.commit()
        rows.append((f"Assign a module to {len(department_ids)} departments "
                     f"({result.opened:,} people)", f"{seconds:.2f} s", "informational"))
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as connection:
                connection.execute(sa.text("ANALYZE"))
                connection.commit()

        client = app.test_client()
        response = client.post("/auth/login", data={"email": admin.email,
                                                    "password": PASSWORD})
        assert response.status_code == 302

        def get(path: str):
            def fetch():
                page = client.get(path)
                assert page.status_code == 200, (path, page.status_code)
            return fetch

        a = assignment.id
        pages = [
            ("Compliance, all assignments", "/assignments/compliance"),
            ("Compliance, one assignment", f"/assignments/compliance?assignment={a}"),
            ("Compliance, one department, not-started filter",
             f"/assignments/compliance?assignment={a}&department={department_ids[0]}"
             "&status=not_started"),
            ("Compliance, one assignment, page 2",
             f"/assignments/compliance?assignment={a}&page=2"),
            ("Compliance, one assignment, page 200",
             f"/assignments/compliance?assignment={a}&page=200"),
        ]
        for title, path in pages:
            if profile:
                _profile(title, get(path))
            median, best = median_time(get(path), runs)
            rows.append((title, f"{median * 1000:.0f} ms (best {best * 1000:.0f} ms)",
                         f"< 300 ms: {'met' if median < TARGET else 'MISSED'}"))
        db.session.remove()
        db.engine.dispose()
    return database.label, rows


def _profile(title: str, fetch) -> None:
    from pyinstrument import Profiler

    fetch()
    profiler = Profiler(interval=0.0005)
    with profiler:
        fetch()
    print(f"--- {title}")
    print(profiler.output_text(unicode=False, color=False, show_all=False))


def markdown(label: str, people: int, rows, runs: int, load: tuple[str, str]) -> str:
    lines = [f"## {label}, {people:,} people", "",
             f"{platform.machine()}, {os.cpu_count()} CPUs, Python "
             f"{platform.python_version()}. The machine is shared with other work: `uptime` "
             f"load average {load[0]} before and {load[1]} after the run. Timings are the "
             f"median of {runs} requests after a warm-up, in-process through the Flask test "
             "client (server time, no network).", "",
             "| Measurement | Time | Target |", "|---|---:|---|"]
    lines += [f"| {what} | {value} | {target} |" for what, value, target in rows]
    return "\n".join(lines) + "\n"


def _load() -> str:
    return " / ".join(f"{v:.2f}" for v in os.getloadavg())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--departments", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--keep", action="store_true", help="keep the generated database")
    parser.add_argument("--profile", action="store_true",
                        help="print a pyinstrument profile of each page first")
    args = parser.parse_args(argv)
    before = _load()
    start = time.perf_counter()
    label, rows = run(args.people, args.departments, args.runs, args.profile, args.keep)
    section = markdown(label, args.people, rows, args.runs, (before, _load()))
    print(section)
    print(f"({time.perf_counter() - start:.0f} s in all)")
    if not args.no_write:
        write_section(RESULTS, "# Compliance at scale\n\nGenerated by "
                      "`python -m bench.run --only compliance`.", section)
