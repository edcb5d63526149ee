"""Institution-scale demonstration data for load tests (``flask demo scale``).

``generate`` fills the database with N people in D departments working on M
modules: roles and mentors, cohorts, assignments with their obligations,
enrollments at every stage with step progress and completions, reflections
in every review state, live sessions with registrations, waitlists and
attendance, calendar feeds, action plans and anonymous evaluations. It is
deterministic: the same seed on the same day gives the same rows (moments
are placed relative to today's midnight, UTC). Rows go in through bulk
inserts on the session's connection; the caller commits.

Generated people have emails ``person000001@scale.example.edu`` ... and all
share one password; the demo accounts of ``flask demo load`` are never
touched.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from lms import clock
from lms.demo.bulk_load import Loader, naive_utc
from lms.demo.scale.assignments import make_assignments
from lms.demo.scale.build import EMAIL_DOMAIN, Build, email_of
from lms.demo.scale.content import choose_modules
from lms.demo.scale.events import make_events
from lms.demo.scale.people import make_people
from lms.demo.scale.plans import make_plans
from lms.demo.scale.progress import make_progress
from lms.extensions import db
from lms.models import User
from lms.services.accounts import passwords
from lms.services.errors import DomainError

PASSWORD = "scale-demo-password"
MIN_PEOPLE = 10
MAX_LEARNERS_IN_MANIFEST = 50
# Tables given explicit ids, whose PostgreSQL sequences must move past them.
EXPLICIT_IDS = ("departments", "users", "cohorts", "modules", "module_versions", "steps",
                "module_completions", "submissions", "submission_revisions", "trainings",
                "offerings", "action_plans", "plan_goals", "plan_actions", "assignments")

__all__ = ["EMAIL_DOMAIN", "PASSWORD", "ScaleResult", "email_of", "generate",
           "generated_people"]


@dataclass
class ScaleResult:
    """Rows added per table, and what a benchmark needs to know (see ``manifest``)."""

    counts: dict[str, int]
    manifest: dict


def generated_people() -> int:
    """How many people from an earlier ``generate`` the database holds."""
    return db.session.scalar(sa.select(sa.func.count(User.id)).where(
        User.email.like(f"%@{EMAIL_DOMAIN}"))) or 0


def generate(*, people: int, departments: int, modules: int, seed: int = 2026) -> ScaleResult:
    """Add the generated institution to the database (flushes; the caller commits).

    Uses the first ``modules`` published modules and adds generated ones when
    fewer are synced. Raises ``DomainError`` when generated people are
    already present, when no module is synced, or when asked for fewer than
    ten people or no department or module.
    """
    if people < MIN_PEOPLE:
        raise DomainError(f"Generate at least {MIN_PEOPLE} people.")
    if departments < 1 or modules < 1:
        raise DomainError("Generate at least one department and one module.")
    present = generated_people()
    if present:
        raise DomainError(f"Generated data is already present ({present:,} people "
                          f"@{EMAIL_DOMAIN}). Start from a fresh database.")
    now = clock.now()
    build = Build(loader=Loader(db.session.connection()), seed=seed, people=people,
                  department_count=departments, module_count=modules,
                  anchor=naive_utc(now).replace(hour=0, minute=0, second=0, microsecond=0),
                  password_hash=passwords.hash_password(PASSWORD))
    choose_modules(build)
    make_people(build)
    make_progress(build)
    make_events(build)
    make_plans(build)
    opened = make_assignments(build)
    build.loader.fix_sequences(EXPLICIT_IDS)
    counts = dict(sorted(build.loader.counts.items()))
    counts["obligations"] = opened
    db.session.flush()
    return ScaleResult(counts=counts, manifest=_manifest(build, counts))


def _manifest(b: Build, counts: dict[str, int]) -> dict:
    """What the load benchmark reads: accounts, the module and step its learners work on,
    offerings to register for, calendar feeds and the assignment they belong to."""
    mentor = max(b.mentors, key=lambda i: (b.waiting[i], -i))
    return {
        "password": PASSWORD,
        "admin": email_of(b.admins[0] + 1),
        "mentor": email_of(mentor + 1),
        "learners": [email_of(i + 1) for i in b.bench[:MAX_LEARNERS_IN_MANIFEST]],
        "module_slug": b.bench_module.slug if b.bench_module else None,
        "challenge_step_slug": b.bench_step.slug if b.bench_step else None,
        "offering_ids": b.offering_ids,
        "feed_tokens": b.feed_tokens,
        "assignment_id": b.assignment_id,
        "counts": counts,
    }
