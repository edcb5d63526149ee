"""Benchmark: 10,000 people, one module assigned to all of them, the compliance view.

    python -m bench.assignments                 # SQLite file in a temporary folder
    BENCH_DATABASE_URL=postgresql://... python -m bench.assignments
                                                # a throwaway schema, dropped afterwards

Builds a fresh, migrated database; imports the people through the real CSV
import service; gives 30% of them a completion and 20% a started
enrollment; then times assigning the module to everyone (and, separately,
to all departments), rendering the compliance view through the test client,
the CSV export and the reminder job. Prints a Markdown table and writes it
to ``bench/results/assignments.md`` (one section per database).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from bench.data import ADMIN_PASSWORD, add_progress, bench_app, people_csv
from bench.database import throwaway_database
from bench.report import write_section

RESULTS = Path(__file__).resolve().parent / "results" / "assignments.md"
TARGETS = {"assign": 2.0, "compliance": 0.3}
PASSWORD = ADMIN_PASSWORD


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def median_time(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """(median, best) of ``runs`` timings after one warm-up call."""
    fn()
    times = [timed(fn)[0] for _ in range(runs)]
    return statistics.median(times), min(times)


def run(people: int, departments: int, runs: int) -> tuple[str, list[tuple[str, str, str]]]:

    from lms import clock
    from lms.extensions import db
    from lms.models import Department, Obligation, User
    from lms.services import duedates
    from lms.services.accounts import people as accounts
    from lms.services.accounts.user_import import import_users
    from lms.services.assignments.reminders import run_due_reminders
    from lms.services.assignments.rules import Rule, create_assignment
    from lms.services.learning import progress as learning

    rows: list[tuple[str, str, str]] = []
    with throwaway_database() as database:
        label, url = database.label, database.url
        with bench_app(url, departments) as (app, department_ids, admin):

            data = people_csv(people)
            seconds, report = timed(lambda: import_users(data))
            assert report.ok, report.errors[:5]
            db.session.commit()
            rows.append((f"Import {people:,} people (CSV import service)", f"{seconds:.2f} s",
                         "informational"))

            module = learning.published_module("implicit-bias-foundations")
            user_ids = [u.id for u in report.created]
            add_progress(module.id, module.content_hash, user_ids)
            db.session.commit()

            due = duedates.today() + timedelta(days=30)

            def assign(rule: Rule):
                assignment, result = create_assignment(actor=admin, rule=rule)
                db.session.commit()
                return assignment, result

            seconds, (assignment, result) = timed(lambda: assign(Rule(
                module=module, target_kind="everyone", due_on=due)))
            rows.append((f"Assign a module to everyone ({result.opened:,} people)",
                         f"{seconds * 1000:.0f} ms",
                         _verdict(seconds, TARGETS["assign"], "< 2 s")))
            seconds, (_, by_department) = timed(lambda: assign(Rule(
                module=learning.published_module("psychological-safety"),
                target_kind="departments", department_ids=department_ids, due_on=due)))
            rows.append((f"Assign a module to {len(department_ids)} departments "
                         f"({by_department.opened:,} people)", f"{seconds * 1000:.0f} ms",
                         _verdict(seconds, TARGETS["assign"], "< 2 s")))
            seconds, _ = timed(lambda: accounts.create_user(
                email="late.joiner@bench.example.edu", name="Late Joiner",
                department=db.session.get(Department, department_ids[0])))
            db.session.commit()
            rows.append(("One person joins later (both rules re-derived for them)",
                         f"{seconds * 1000:.1f} ms", "informational"))

            client = app.test_client()
            response = client.post("/auth/login", data={"email": admin.email,
                                                        "password": PASSWORD})
            assert response.status_code == 302

            def get(path: str) -> Callable[[], None]:
                def fetch():
                    page = client.get(path)
                    assert page.status_code == 200, (path, page.status_code)
                return fetch

            for title, path, target in [
                ("Compliance view, one assignment (counts + first 50 people)",
                 f"/assignments/compliance?assignment={assignment.id}", True),
                ("Compliance view, all assignments", "/assignments/compliance", True),
                ("Compliance view, one department, overdue filter",
                 f"/assignments/compliance?assignment={assignment.id}"
                 f"&department={department_ids[0]}&status=overdue", True),
                ("Compliance CSV, everyone on one assignment",
                 f"/assignments/compliance.csv?table=people&assignment={assignment.id}", False),
                ("Assignments list (admin)", "/assignments/", False),
            ]:
                median, best = median_time(get(path), runs)
                rows.append((title, f"{median * 1000:.0f} ms (best {best * 1000:.0f} ms)",
                             _verdict(median, TARGETS["compliance"], "< 300 ms")
                             if target else "informational"))

            pending = db.session.scalar(sa.select(sa.func.count(Obligation.id)).where(
                Obligation.assignment_id == assignment.id,
                Obligation.satisfied_at.is_(None)))
            with clock.frozen_at(clock.now() + timedelta(days=16)):
                seconds, sent = timed(run_due_reminders)
                db.session.commit()
                again, sent_again = timed(run_due_reminders)
                db.session.commit()
            rows.append((f"Reminder job, first run ({sent:,} messages; {pending:,} people "
                         "not done on the first rule)", f"{seconds:.2f} s", "informational"))
            rows.append((f"Reminder job, second run ({sent_again} messages)",
                         f"{again * 1000:.0f} ms", "informational"))
            total_users = db.session.scalar(sa.select(sa.func.count(User.id)))
            rows.insert(0, (f"People in the database: {total_users:,} in "
                            f"{len(department_ids)} departments", "", ""))
            db.session.remove()
            db.engine.dispose()
    return label, rows


def _verdict(seconds: float, limit: float, text: str) -> str:
    return f"target {text}: {'met' if seconds < limit else 'MISSED'}"


def markdown(label: str, rows: list[tuple[str, str, str]], runs: int,
             load: tuple[float, float]) -> str:
    lines = [f"## {label}", "",
             f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
             f"load average {load[0]:.1f} before and {load[1]:.1f} after the run (other work "
             "on the machine makes timings noisier). View timings are the median of "
             f"{runs} requests after a warm-up, measured in-process through the Flask test "
             "client (server time, no network).", "",
             "| Measurement | Time | Target |", "|---|---:|---|"]
    lines += [f"| {what} | {value} | {target} |" for what, value, target in rows]
    return "\n".join(lines) + "\n"


def write_results(section: str) -> None:
    """Replace this database's section in the results file, keeping the others."""
    write_section(RESULTS, "# Assignments benchmark\n\nGenerated by `python -m bench.assignments`.",
                  section)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--departments", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    before = os.getloadavg()[0]
    label, rows = run(args.people, args.departments, args.runs)
    section = markdown(label, rows, args.runs, (before, os.getloadavg()[0]))
    print(section)
    if not args.no_write:
        write_results(section)
        print(f"Written to {RESULTS}")


if __name__ == "__main__":
    main()
