"""What the parts of the scale generator share: the loader, the clock, people and modules."""

from __future__ import annotations

import base64
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from lms.content.kinds import KINDS
from lms.demo.bulk_load import Loader

EMAIL_DOMAIN = "scale.example.edu"


def email_of(number: int) -> str:
    """The email of generated person ``number`` (1-based)."""
    return f"person{number:06d}@{EMAIL_DOMAIN}"


@dataclass
class StepPlan:
    """A step as the generator uses it, with ready-made JSON values to pick from."""

    id: int
    slug: str
    kind: str
    title: str
    unlock_days: int
    config: dict[str, Any]
    # challenge: complete answers and partial drafts; check: stored results; survey: answers
    variants: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)

    @property
    def review_required(self) -> bool:
        return self.kind == "challenge" and self.config.get("review", "required") == "required"

    @property
    def allow_private(self) -> bool:
        return bool(self.config.get("allow_private"))


@dataclass
class ModulePlan:
    id: int
    slug: str
    title: str
    content_hash: str
    has_certificate: bool
    minutes: int
    standard: str | None
    prerequisites: list[str]
    steps: list[StepPlan]

    @property
    def recorded_steps(self) -> int:
        """Steps whose completion is a ``step_progress`` row: all but those whose kind keeps
        records of its own (a challenge's submissions) or whose completion another area
        decides."""
        return sum(1 for s in self.steps if s.kind not in KINDS
                   or (KINDS[s.kind].records is None and KINDS[s.kind].completion is None))


@dataclass
class Build:
    """State of one generation run. People are indexed 0..N-1; ids are ``user_base + i``."""

    loader: Loader
    seed: int
    people: int
    department_count: int
    module_count: int
    anchor: datetime  # naive UTC midnight of today: every generated moment derives from it
    password_hash: str
    user_base: int = 0
    names: list[str] = field(default_factory=list)
    department_of: list[int | None] = field(default_factory=list)
    active: list[bool] = field(default_factory=list)
    admins: list[int] = field(default_factory=list)  # indexes
    mentors: list[int] = field(default_factory=list)  # indexes
    mentor_of: dict[int, int] = field(default_factory=dict)  # index -> mentor index
    bench: list[int] = field(default_factory=list)  # indexes of the benchmark's learners
    feed_people: list[int] = field(default_factory=list)
    departments: list[int] = field(default_factory=list)  # ids
    top_departments: list[int] = field(default_factory=list)
    modules: list[ModulePlan] = field(default_factory=list)
    bench_module: ModulePlan | None = None
    bench_step: StepPlan | None = None
    # Filled while generating progress, used by later parts.
    waiting: Counter = field(default_factory=Counter)  # mentor index -> reflections waiting
    attendance_needed: list[tuple[int, str, datetime]] = field(default_factory=list)
    plan_needed: dict[int, datetime] = field(default_factory=dict)  # index -> set goal by
    offering_ids: list[int] = field(default_factory=list)
    feed_tokens: list[str] = field(default_factory=list)
    assignment_id: int | None = None

    def rng(self, part: str) -> random.Random:
        """An independent random stream per part, so each part stays stable on its own."""
        return random.Random(f"ally-scale:{self.seed}:{part}")

    def user_id(self, index: int) -> int:
        return self.user_base + index

    @property
    def today(self) -> date:
        return self.anchor.date()

    def ago(self, minutes: int) -> datetime:
        return self.anchor - timedelta(minutes=minutes)


def token(rng: random.Random, size: int = 24) -> str:
    """A URL-safe token of ``size`` random bytes drawn from ``rng`` (deterministic)."""
    return base64.urlsafe_b64encode(rng.getrandbits(size * 8).to_bytes(size, "big")
                                    ).decode().rstrip("=")


def unique_name(name: str, taken: set[str], separator: str = " ") -> str:
    """``name``, or ``name 2``, ``name 3``... whichever is not taken yet; records it."""
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name}{separator}{number}"
    taken.add(candidate)
    return candidate
