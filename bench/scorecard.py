"""Scorecard benchmark: generated data at institution scale, then timings.

    python -m bench.scorecard                 # SQLite file in the temp folder
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test python -m bench.scorecard

Generates 100,000 people in 200 departments (50 with sub-departments, a few
tiny ones so suppression has work to do), 20 modules, about two million
progress rows (enrollments, step progress, module completions), anonymous
evaluation answers and, when the live sessions tables exist, 500 offerings
with registrations. Data goes into a fresh SQLite file or a throwaway
PostgreSQL schema built by the real migrations, through the app's bulk
loader (``lms.demo.bulk_load``: executemany in large batches, COPY on
PostgreSQL, indexes built after the big tables are loaded). Then it times the
scorecard computation and the rendered pages, prints a Markdown table and
records it in ``bench/results/scorecard.md`` (one row per database).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from bench.database import throwaway_database
from lms.demo.bulk_load import Loader, analyze, naive_utc

RESULTS = Path(__file__).resolve().parent / "results" / "scorecard.md"
CORE = ("implicit-bias-foundations", "inclusive-allyship")
PASSWORD = "bench-password-123"
NOW = datetime.now(UTC).replace(microsecond=0)


# Database --------------------------------------------------------------------

def make_app(url: str):
    from lms import create_app

    return create_app({
        "TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": url,
        "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
        "PASSWORD_HASH": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
        "MAIL_SERVER": None,
        # Time the computation behind every page, not the per-worker cache of its result.
        "LMS_SCORECARD_CACHE_SECONDS": 0,
    })


# Generation --------------------------------------------------------------------

def generate(engine: sa.Engine, *, users: int, departments: int, modules: int,
             seed: int = 2026) -> dict[str, int]:
    """Fill the database in one transaction; returns row counts per table."""
    with engine.begin() as connection:
        counts = _generate(Loader(connection), users=users, departments=departments,
                           modules=modules, seed=seed)
    # Statistics (and PostgreSQL's visibility map) as a database in service would
    # have them; autovacuum would get there shortly after a bulk load.
    analyze(engine, counts)
    return counts


def _generate(loader: Loader, *, users: int, departments: int, modules: int,
              seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    now = naive_utc(NOW)

    # Departments: a quarter top-level, the rest sub-departments of those.
    tops = max(1, departments // 4)
    dept_rows = []
    for i in range(1, departments + 1):
        parent = None if i <= tops else rng.randint(1, tops)
        dept_rows.append((i, f"Department {i:03d}", parent))
    counts["departments"] = loader.load("departments", ["id", "name", "parent_id"], dept_rows)

    # People: skewed department sizes, five tiny departments, 1% without one.
    tiny = set(range(departments - 4, departments + 1))
    weights = [0.0 if d in tiny else rng.paretovariate(1.6) for d in range(1, departments + 1)]
    assigned = rng.choices(range(1, departments + 1), weights=weights, k=users)
    tiny_sizes = [1, 2, 3, 4, 6]
    for n, d in enumerate(sorted(tiny)):
        for j in range(tiny_sizes[n % len(tiny_sizes)]):
            assigned[(n * 97 + j * 13) % users] = d
    department_of = {}

    def user_rows():
        for uid in range(1, users + 1):
            dept = None if rng.random() < 0.01 else assigned[uid - 1]
            department_of[uid] = dept
            active = rng.random() > 0.03
            joined = now - timedelta(days=rng.randint(30, 2000))
            yield (uid, f"person{uid}@example.edu", f"Person {uid:06d}", None, dept, active,
                   uuid.uuid4().hex, joined, joined, joined)

    counts["users"] = loader.load(
        "users", ["id", "email", "name", "password_hash", "department_id", "is_active_account",
                  "session_token", "joined_at", "created_at", "updated_at"], user_rows())

    # Modules: the two core slugs first, each with five steps (the first has the survey).
    slugs = list(CORE) + [f"module-{i:02d}" for i in range(3, modules + 1)]
    module_rows, step_rows, steps_of = [], [], {}
    survey_item = {"items": [{"id": "learned_strategy", "type": "yes_no",
                              "text": "I learned at least one strategy I will use."}]}
    step_id = 0
    for mid, slug in enumerate(slugs, start=1):
        module_rows.append((mid, slug, slug.replace("-", " ").title(), "", "[]", 30, "", "[]",
                            "self-paced", False, None, f"hash{mid}", True, now))
        steps_of[mid] = []
        for position in range(5):
            step_id += 1
            kind = "survey" if (mid == 1 and position == 4) else "page"
            config = survey_item if kind == "survey" else {}
            step_rows.append((step_id, mid, f"step-{position}", position, kind,
                              f"Step {position}", False, 0, json.dumps(config), True))
            steps_of[mid].append(step_id)
    counts["modules"] = loader.load(
        "modules", ["id", "slug", "title", "summary", "topics", "estimated_minutes", "audience",
                    "prerequisites", "pacing", "has_certificate", "standard", "content_hash",
                    "is_published", "synced_at"], module_rows)
    counts["steps"] = loader.load(
        "steps", ["id", "module_id", "slug", "position", "kind", "title", "is_optional",
                  "unlock_after_days", "config", "is_active"], step_rows)

    # Progress: most people take the first core module, fewer the second, a few others.
    enrollments, completions, step_progress, responses = [], [], [], []
    survey_step = steps_of[1][-1]
    for uid in range(1, users + 1):
        taken = []
        if rng.random() < 0.85:
            taken.append(1)
        if 1 in taken and rng.random() < 0.45:
            taken.append(2)
        taken += rng.sample(range(3, modules + 1), k=min(modules - 2, rng.randint(0, 5)))
        started = now - timedelta(days=rng.randint(10, 540))
        for mid in taken:
            done = rng.random() < 0.62
            steps = steps_of[mid]
            finished = steps if done else steps[: rng.randint(0, len(steps) - 1)]
            at = started
            for sid in finished:
                at = at + timedelta(minutes=rng.randint(3, 40))
                step_progress.append((uid, sid, at, "{}"))
            completed_at = at if done else None
            enrollments.append((uid, mid, "completed" if done else "in_progress", started,
                                completed_at, f"hash{mid}" if done else None, at))
            if done:
                completions.append((uid, mid, f"hash{mid}", completed_at))
                if mid == 1 and rng.random() < 0.5:
                    answer = "yes" if rng.random() < 0.82 else "no"
                    day = completed_at.replace(hour=0, minute=0, second=0, microsecond=0)
                    responses.append((uuid.uuid4().hex, survey_step, department_of[uid],
                                      "hash1", json.dumps({"learned_strategy": answer}), day))
            started = started + timedelta(days=rng.randint(1, 60))
            if started > now:
                started = now - timedelta(days=1)
    with loader.indexes_deferred(("enrollments", "module_completions", "step_progress",
                                  "survey_responses")):
        counts["enrollments"] = loader.load(
            "enrollments", ["user_id", "module_id", "status", "started_at", "completed_at",
                            "completed_version", "last_activity_at"], enrollments)
        counts["module_completions"] = loader.load(
            "module_completions", ["user_id", "module_id", "content_hash", "completed_at"],
            completions)
        counts["step_progress"] = loader.load(
            "step_progress", ["user_id", "step_id", "completed_at", "data"], step_progress)
        counts["survey_responses"] = loader.load(
            "survey_responses", ["id", "step_id", "department_id", "content_hash", "answers",
                                 "created_at"], responses)
    counts.update(_live_sessions(loader, rng, users, now))
    loader.fix_sequences(("departments", "users", "modules", "steps", "trainings",
                          "offerings", "registrations"))
    return counts


def _live_sessions(loader, rng, users, now) -> dict[str, int]:
    """500 offerings and their registrations, when this build has those tables."""
    from lms.models import Base

    offerings = Base.metadata.tables.get("offerings")
    registrations = Base.metadata.tables.get("registrations")
    if offerings is None or registrations is None:
        return {}
    trainings = Base.metadata.tables["trainings"]
    stamp = naive_utc(now)
    loader.load("trainings", ["id", "slug", "title", "description", "related_module_slugs",
                              "created_at", "updated_at"],
                [(1, "bench-workshop", "Bench workshop", "", "[]", stamp, stamp)])
    starts = [now - timedelta(days=rng.randint(-60, 500)) for _ in range(500)]
    seen, reg_rows, taken = set(), [], [0] * 501
    for _ in range(150_000):
        key = (rng.randint(1, users), rng.randint(1, 500))
        if key in seen:
            continue
        seen.add(key)
        taken[key[1]] += 1
        attended = "attended" if rng.random() < 0.7 else None
        reg_rows.append((len(reg_rows) + 1, key[1], key[0], "registered", attended, stamp, stamp))
    offering_rows = [
        (i, 1, naive_utc(start), naive_utc(start + timedelta(hours=2)), "virtual", 1000,
         taken[i], 0, "internal", True, "scheduled", 0, f"B{i:05d}", "", stamp, stamp)
        for i, start in enumerate(starts, start=1)]
    counts = {"trainings": 1, "offerings": loader.load(
        "offerings", ["id", "training_id", "starts_at", "ends_at", "mode", "capacity",
                      "seats_taken", "waitlist_counter", "audience", "rsvp_required", "status",
                      "sequence", "checkin_code", "notes", "created_at", "updated_at"],
        offering_rows)}
    counts["registrations"] = loader.load(
        "registrations", ["id", "offering_id", "user_id", "status", "attendance", "created_at",
                          "updated_at"], reg_rows)
    del trainings, offerings, registrations  # only their presence mattered
    return counts


# Timing ------------------------------------------------------------------------

def _median_seconds(fn, repeat: int) -> tuple[float, float]:
    fn()  # warm up: caches, compiled templates
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), max(runs)


def measure(app, repeat: int) -> dict[str, tuple[float, float]]:
    from lms.extensions import db
    from lms.models import User
    from lms.services.accounts import passwords
    from lms.services.accounts import people as accounts
    from lms.services.scorecard.report import build_scorecard

    with app.app_context():
        admin = accounts.create_user(email="bench-admin@example.edu", name="Bench Admin",
                                     roles=("admin", "learner"))
        passwords.set_password(admin, PASSWORD)
        db.session.commit()
        admin_email = admin.email
        results = {
            "compute": _median_seconds(lambda: build_scorecard(), repeat),
            "compute, admin": _median_seconds(lambda: build_scorecard(admin=True), repeat),
            "compute, roll-up": _median_seconds(lambda: build_scorecard(rollup=True), repeat),
        }
        db.session.remove()
        assert db.session.scalar(sa.select(sa.func.count(User.id))) > 0

    client = app.test_client()
    response = client.post("/auth/login", data={"email": admin_email, "password": PASSWORD})
    assert response.status_code == 302, "bench login failed"

    def fetch(url):
        def run():
            page = client.get(url)
            assert page.status_code == 200, (url, page.status_code)
        return run

    department = 1
    for label, url in (("page /scorecard", "/scorecard"),
                       ("page /scorecard/admin", "/scorecard/admin"),
                       ("CSV /scorecard.csv", "/scorecard.csv"),
                       ("drill-down page", f"/scorecard/admin/departments/{department}")):
        results[label] = _median_seconds(fetch(url), repeat)
    return results


def query_count(app) -> int:
    from lms.extensions import db
    from lms.services.scorecard.report import build_scorecard

    statements = []
    with app.app_context():
        def listener(*args):
            statements.append(args[2])
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        try:
            build_scorecard()
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


# Report ------------------------------------------------------------------------

def machine() -> str:
    cpus = os.cpu_count()
    return f"{cpus} CPU{'s' if cpus != 1 else ''}, Python {sys.version.split()[0]}"


def write_report(label: str, counts: dict[str, int], timings, queries: int, load_seconds: float,
                 server: str) -> str:
    progress = sum(counts.get(t, 0) for t in ("enrollments", "step_progress",
                                               "module_completions"))
    header = ["Database", *timings, "Queries", "Progress rows", "Load"]
    row = [f"{label} {server}".strip(),
           *[f"{median:.3f} s (max {worst:.3f})" for median, worst in timings.values()],
           str(queries), f"{progress:,}", f"{load_seconds:.0f} s"]
    rows = {}
    if RESULTS.exists():
        for line in RESULTS.read_text().splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if line.startswith("|") and cells[0] not in ("Database", "") \
                    and not cells[0].startswith("-") and len(cells) == len(header):
                rows[cells[0].split(" ")[0]] = cells
    rows[label] = row
    table = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    table += ["| " + " | ".join(cells) + " |" for cells in rows.values()]
    sizes = ", ".join(f"{name} {n:,}" for name, n in counts.items())
    text = "\n".join([
        "# Scorecard benchmark",
        "",
        "Median of repeated runs after one warm-up (slowest run in brackets). "
        "`compute` is `build_scorecard()`: every provider's queries, roll-ups, suppression "
        "and formatting; pages are full requests through the app (signed in as an admin). "
        "Generated with `python -m bench.scorecard`; PostgreSQL with `BENCH_DATABASE_URL`. "
        "Targets: under 1 s on PostgreSQL, under 3 s on SQLite.",
        "",
        *table,
        "",
        f"Last run ({label}, {machine()}, {NOW:%Y-%m-%d}): {sizes}.",
        "" if "offerings" in counts else
        "\nNo offerings or registrations: this build has no live-session tables; the "
        "generator adds 500 offerings and their registrations when they exist.",
        "Timings come from a shared machine; medians moved by up to a third between runs.",
        "",
    ])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    return "\n".join(table)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--departments", type=int, default=200)
    parser.add_argument("--modules", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the generated database")
    args = parser.parse_args(argv)

    from flask_migrate import upgrade

    with throwaway_database("bench_scorecard", args.keep) as database:
        url, label = database.url, database.kind
        app = make_app(url)
        with app.app_context():
            upgrade()
            from lms.extensions import db

            engine = db.engine
            server = ""
            if engine.dialect.name == "postgresql":
                with engine.connect() as connection:
                    server = connection.execute(sa.text("SHOW server_version")).scalar()
            else:
                import sqlite3
                server = sqlite3.sqlite_version
            start = time.perf_counter()
            counts = generate(engine, users=args.users, departments=args.departments,
                              modules=args.modules)
            load_seconds = time.perf_counter() - start
            db.session.remove()
        gc.collect()
        print(f"Generated in {load_seconds:.0f} s: "
              + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        timings = measure(app, args.repeat)
        queries = query_count(app)
        with app.app_context():
            from lms.extensions import db

            db.engine.dispose()
        print(write_report(label, counts, timings, queries, load_seconds, server))


if __name__ == "__main__":
    main()
