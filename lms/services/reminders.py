"""``flask reminders send``: every area's scheduled reminders, run by cron.

Each area adds its jobs in its ``init_app`` with ``add_job(app, name, fn)``; ``fn()`` queues what
is due through the Outbox and returns how many messages it queued. Jobs must
be idempotent (use ``dedupe_key``), so running the command twice sends
nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

JOBS_KEY = "lms.reminder_jobs"


def add_job(app: Flask, name: str, job: Callable[[], int]) -> None:
    """Run ``job`` with every ``flask reminders send`` of ``app``."""
    app.extensions.setdefault(JOBS_KEY, {})[name] = job


def jobs() -> dict[str, Callable[[], int]]:
    """The current application's reminder jobs by name."""
    return current_app.extensions.get(JOBS_KEY, {})


def run_all() -> dict[str, int]:
    """Run every job of the current application; returns messages queued per job."""
    return {name: job() for name, job in sorted(jobs().items())}
