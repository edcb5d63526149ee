"""``flask reminders send``: every area's scheduled reminders, run by cron.

Areas register a job with ``register_job(name, fn)``; ``fn()`` queues what
is due through the Outbox and returns how many messages it queued. Jobs must
be idempotent (use ``dedupe_key``), so running the command twice sends
nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable

REMINDER_JOBS: dict[str, Callable[[], int]] = {}


def register_job(name: str, job: Callable[[], int]) -> None:
    REMINDER_JOBS[name] = job


def run_all() -> dict[str, int]:
    """Run every registered job; returns messages queued per job."""
    return {name: job() for name, job in sorted(REMINDER_JOBS.items())}
