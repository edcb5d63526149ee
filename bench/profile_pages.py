"""Profile pages in-process with pyinstrument on a database made by ``flask demo scale``.

    flask --app wsgi demo scale --users 10000 --manifest manifest.json   # with DATABASE_URL
    python -m bench.profile_pages --manifest manifest.json [--page review] [--runs 5]

Signs in as the manifest's learner, mentor and admin through the login form,
warms each page up, prints the median of ``--runs`` timings and the number of
SQL statements per page, and (with ``--profile``) a pyinstrument call tree of
one request. Caches that would hide the work (the scorecard's per-worker
cache, the per-person panels) are off. Uses ``DATABASE_URL``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import sqlalchemy as sa


def pages(manifest: dict) -> dict[str, tuple[str, str]]:
    """Page name → (who, path)."""
    return {
        "dashboard": ("learner", "/"),
        "review": ("mentor", "/review/"),
        "plan": ("learner", "/plans/"),
        "sessions": ("learner", "/events/"),
        "scorecard": ("admin", "/scorecard"),
        "compliance": ("admin", "/assignments/compliance"),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", required=True, type=Path)
    parser.add_argument("--page", action="append", help="only these pages (repeatable)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    manifest = json.loads(args.manifest.read_text())

    from lms import create_app
    from lms.extensions import db

    url = os.environ["DATABASE_URL"]
    app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": url,
                      "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "MAIL_SERVER": None,
                      "LMS_SCORECARD_CACHE_SECONDS": 0, "LMS_CACHE_SECONDS": 0})
    clients = {}
    for who, email in (("learner", manifest["learners"][0]), ("mentor", manifest["mentor"]),
                       ("admin", manifest["admin"])):
        client = app.test_client()
        answer = client.post("/auth/login", data={"email": email,
                                                  "password": manifest["password"]})
        assert answer.status_code == 302, (who, answer.status_code)
        clients[who] = client

    statements = []
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute",
                        lambda *a, **k: statements.append(1))
    chosen = {name: spec for name, spec in pages(manifest).items()
              if not args.page or name in args.page}
    print(f"load average {' / '.join(f'{v:.2f}' for v in os.getloadavg())}")
    for name, (who, path) in chosen.items():
        client = clients[who]

        def fetch(client=client, path=path):
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.status_code)

        fetch()
        statements.clear()
        fetch()
        count = len(statements)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            fetch()
            times.append(time.perf_counter() - start)
        print(f"{name:12} {path:28} median {statistics.median(times) * 1000:7.1f} ms "
              f"(best {min(times) * 1000:.1f}), {count} statements")
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            with profiler:
                fetch()
            print(profiler.output_text(unicode=False, color=False))


if __name__ == "__main__":
    main()
