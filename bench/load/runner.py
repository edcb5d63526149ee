"""Run the load benchmark: data, servers, sign-ins, checks, wrk per page, report."""

from __future__ import annotations

import argparse
import os
import platform
import re
import secrets
import signal
import tempfile
import time
from datetime import date
from importlib.metadata import version
from pathlib import Path

from bench.database import throwaway_database
from bench.load.client import Session, fetch, sign_in
from bench.load.pages import DRAFT_TEXT, Page, Request, app_pages, hello_page
from bench.load.prepare import Manifest, flask_env, prepare
from bench.load.server import WORKERS, gunicorn, worker_memory
from bench.load.summary import HEADER, RESULTS, Row, memory_line, section, table
from bench.load.wrk import find_wrk, lua_page, run_wrk, wrk_version
from bench.report import cpu_model, write_section

MAX_CHECKS = 30  # requests checked one by one before a page is timed
PROMPT_FIELD = re.compile(r'<(?:textarea|input type="text")[^>]*name="(p-[^"]+)"[^>]*>')
MAXLENGTH = re.compile(r'maxlength="(\d+)"')


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--departments", type=int, default=50)
    parser.add_argument("--modules", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of wrk before each page")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--learners", type=int, default=16, help="learners to sign in as")
    parser.add_argument("--pages", help="comma-separated words: time only pages whose name "
                                       "contains one (the ceiling always runs)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--no-write", action="store_true", help=f"do not update {RESULTS.name}")
    parser.add_argument("--demo", action="store_true",
                        help="development stand-in: `flask demo load` data instead of "
                             "`flask demo scale` (never written to the results file)")
    return parser.parse_args(argv)


def server_env(env: dict[str, str]) -> dict[str, str]:
    """Production settings, as an operator would set them, for plain HTTP on the loopback.

    Cookies lose the Secure flag (no TLS here) and the documented login rate limit
    is raised so that signing in a few dozen times from one address is allowed;
    rate-limit counters stay in memory, each worker its own.
    """
    return {**env, "LMS_ENV": "production", "LMS_BASE_URL": "http://127.0.0.1",
            "LMS_SECURE_COOKIES": "false", "LMS_LOGIN_RATE_LIMIT": "1000 per minute",
            # A few feed links fetched thousands of times a second: lift the per-link limit.
            "LMS_FEED_RATE_LIMIT": "1000000 per hour"}


def check(base_url: str, page: Page, requests: list[Request]) -> str | None:
    """Each request once, for real: the status and text every timed answer must have."""
    for r in requests:
        answer = fetch(base_url + r.path, r.method, r.headers, r.body)
        if answer.status != page.status:
            where = f" to {answer.location}" if answer.location else ""
            return f"{r.method} {r.path}: HTTP {answer.status}{where}, expected {page.status}"
        if page.expect and page.expect not in answer.text:
            return f"{r.method} {r.path}: the answer lacks {page.expect!r}: {excerpt(answer.text)}"
    return None


def excerpt(text: str) -> str:
    """The alert a page shows (or its start), squeezed onto one line."""
    start = max(text.find('role="alert"'), 0)
    return " ".join(text[start:start + 240].split())


def samples(page: Page) -> list[Request]:
    if page.checks is not None:
        return page.checks
    unique = list({(r.method, r.path, r.body, *r.headers.items()): r
                   for r in page.requests}.values())
    return unique[::max(1, len(unique) // MAX_CHECKS)][:MAX_CHECKS]


def measure(wrk: str, base_url: str, page: Page, folder: Path,
            args: argparse.Namespace) -> Row:
    """Check the page, warm it up, then time it; a failure marks the row, never hides."""
    print(f"  {page.name} ...", end=" ", flush=True)
    if page.reset:
        page.reset()
    problem = check(base_url, page, samples(page))
    if problem:
        print("FAILED")
        return Row(page, failure=problem)
    script = folder / (re.sub(r"\W+", "-", page.name).strip("-") + ".lua")
    script.write_text(lua_page(page))
    options = {"threads": args.threads, "connections": args.connections}
    if args.warmup:
        run_wrk(wrk, base_url, script, seconds=args.warmup, **options)
        time.sleep(1)  # requests wrk left queued finish before the data is reset and timed
    if page.reset:
        page.reset()
    result = run_wrk(wrk, base_url, script, seconds=args.duration, **options)
    print(f"{result.per_second:,.0f} req/s, p99 {result.p99_ms:.0f} ms, "
          f"{result.errors} errors")
    return Row(page, result)


def sign_in_everyone(base_url: str, m: Manifest, learners: int
                     ) -> tuple[list[Session], Session, Session]:
    people = m.learners[:learners]
    print(f"Signing in as {len(people)} learners, the mentor and the admin ...")
    return ([sign_in(base_url, email, m.password) for email in people],
            sign_in(base_url, m.mentor, m.password), sign_in(base_url, m.admin, m.password))


def cancel_all(base_url: str, cancels: list[Request]) -> None:
    """Put every benchmark seat back: cancel it (an answer that there is none is fine)."""
    for r in cancels:
        answer = fetch(base_url + r.path, r.method, r.headers, r.body)
        if answer.status != 200:
            raise RuntimeError(f"cancelling {r.path}: HTTP {answer.status}")


def draft_fields(base_url: str, m: Manifest, learner: Session) -> dict[str, str]:
    """The first prompt's field on the challenge step, filled in within its length limit."""
    page = fetch(f"{base_url}/learn/{m.module_slug}/{m.challenge_step_slug}",
                 headers={"Cookie": learner.cookie})
    found = PROMPT_FIELD.search(page.text)
    if found is None:
        return {}
    limit = MAXLENGTH.search(found.group(0))
    return {found.group(1): DRAFT_TEXT[:int(limit.group(1))] if limit else DRAFT_TEXT}


def selected(pages: list[Page], only: str | None) -> list[Page]:
    if not only:
        return pages
    words = [w.strip().lower() for w in only.split(",") if w.strip()]
    return [p for p in pages if any(w in p.name.lower() for w in words)]


def facts(args, database, m: Manifest, wrk: str, prepare_seconds: float,
          load: tuple[float, float], sessions: int) -> list[str]:
    cpus = os.cpu_count()
    counts = ", ".join(f"{table} {n:,}" for table, n in m.counts.items())
    source = ("`flask demo load` (development stand-in)" if args.demo else
              f"`flask demo scale --users {args.users} --departments {args.departments} "
              f"--modules {args.modules} --seed {args.seed}`")
    return [
        f"{date.today().isoformat()}, {cpus} CPUs ({cpu_model() or platform.machine()}), "
        f"load average {load[0]:.1f} before and {load[1]:.1f} after the run.",
        f"Python {platform.python_version()}, Flask {version('flask')}, SQLAlchemy "
        f"{version('sqlalchemy')}, gunicorn {version('gunicorn')} ({WORKERS} sync workers), "
        f"{wrk_version(wrk)}, {database.label}.",
        f"Data from {source} in {prepare_seconds:.0f} s: {counts}.",
        f"wrk -t{args.threads} -c{args.connections}, {args.duration} s per page after a "
        f"{args.warmup} s warm-up; {sessions} learners, the mentor and the admin signed in; "
        f"{len(m.feed_tokens):,} calendar feeds in rotation.",
    ]


def run(args: argparse.Namespace) -> int:
    wrk = find_wrk()
    load_before = os.getloadavg()[0]
    with (throwaway_database("bench_load", args.keep) as database,
          tempfile.TemporaryDirectory(prefix="bench-load-") as folder):
        work = Path(folder)
        env = flask_env(database.url, secrets.token_hex(32))
        print(f"Preparing {database.label} ...", flush=True)
        started = time.perf_counter()
        m = prepare(env, work / "manifest.json", users=args.users,
                    departments=args.departments, modules=args.modules, seed=args.seed,
                    demo=args.demo)
        prepare_seconds = time.perf_counter() - started
        production = server_env(env)
        with gunicorn("bench.hello:app", production, work / "hello.log") as hello:
            rows = [measure(wrk, hello.url, hello_page(args.threads), work, args)]
            hello_memory = worker_memory(hello.pid)
        with gunicorn("wsgi:app", production, work / "app.log", "/auth/login") as app:
            learners, mentor, admin = sign_in_everyone(app.url, m, args.learners)
            pages = app_pages(m, learners, mentor, admin, draft_fields(app.url, m, learners[0]),
                              args.threads, lambda cancels: cancel_all(app.url, cancels))
            rows += [measure(wrk, app.url, page, work, args)
                     for page in selected(pages, args.pages)]
            app_memory = worker_memory(app.pid)
        memory = memory_line(app_memory, hello_memory)
        print()
        print(table(rows))
        print()
        print(memory)
        failed = [row for row in rows if row.failed]
        title = database.label + (" (demo data)" if args.demo else "")
        text = section(title, facts(args, database, m, wrk, prepare_seconds,
                                    (load_before, os.getloadavg()[0]), len(learners)),
                       rows, memory)
    if failed:
        print(f"\n{len(failed)} page(s) FAILED; {RESULTS.name} is left as it was.")
        for row in failed:
            print(f"  {row.page.name}: {row.verdict(0)}")
            if row.result and row.result.example:
                print(f"    e.g. {row.result.example}")
        return 1
    if args.demo or args.no_write or args.pages:
        print(f"\n{RESULTS.name} not updated (--demo, --no-write or --pages).")
    else:
        write_section(RESULTS, HEADER, text)
        print(f"\nWritten to {RESULTS}")
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt  # unwinds through every `with`: servers stop, database goes


def main(argv: list[str] | None = None) -> None:
    signal.signal(signal.SIGTERM, _interrupt)
    args = parse_args(argv)
    try:
        status = run(args)
    except RuntimeError as error:
        status = f"Load benchmark stopped: {error}"
    except KeyboardInterrupt:
        status = "Load benchmark interrupted; its servers are stopped."
    raise SystemExit(status)
