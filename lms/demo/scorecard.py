"""Demonstration figures for the scorecard. Idempotent.

Adds staff to the demo departments (accounts without a password: they
cannot sign in), spreads their completions of the core modules over the
past months, and has some of them answer the anonymous evaluation. The
result shows what the scorecard is for: Emergency Medicine has no trained
ally (below target), Library Services has one person (every figure
suppressed), Cardiology and Human Resources have fewer than five allies.

Completions need the modules synced (``flask modules sync``); without them
only the staff are added, and running the demo again later fills in the rest.
"""

from __future__ import annotations

import random
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from lms.demo import learners
from lms.extensions import db
from lms.models import Department, Enrollment, Module, Step, User, utcnow
from lms.services.accounts import people as accounts
from lms.services.learning import surveys
from lms.services.scorecard.report import core_modules

# department -> (staff to add, trained allies, completed the first core module only,
#                evaluation answers, of which "yes")
PLAN = {
    "Internal Medicine": (21, 9, 5, 12, 10),
    "Cardiology": (8, 3, 2, 4, 4),
    "Pediatrics": (14, 6, 4, 8, 7),
    "Emergency Medicine": (12, 0, 3, 3, 2),
    "Medical Education": (9, 5, 2, 6, 6),
    "Human Resources": (6, 2, 1, 3, 2),
    "Library Services": (0, 0, 0, 0, 0),
}

FIRST = ["Ada", "Bashir", "Carmen", "Dmitri", "Esi", "Farah", "Gabriel", "Hana", "Ines",
         "Jamal", "Keiko", "Leon", "Maya", "Nikhil", "Olu", "Paula", "Quinn", "Rosa", "Tariq",
         "Uma", "Victor", "Wen", "Yara", "Zane"]
LAST = ["Abara", "Bergström", "Castillo", "Dlamini", "Evans", "Fischer", "Gupta", "Hughes",
        "Ibrahim", "Jensen", "Kowalski", "Lindqvist", "Mensah", "Novak", "Ortiz", "Patel",
        "Quispe", "Rahman", "Sato", "Tanaka", "Usman", "Varga", "Walsh", "Zhou"]

SURVEY_ITEM = "learned_strategy"


def _names(count: int) -> list[tuple[str, str]]:
    pairs = [(f, last) for f in FIRST for last in LAST]
    random.Random(8).shuffle(pairs)
    return pairs[:count]


def _email(first: str, last: str) -> str:
    ascii_last = last.replace("ö", "o")
    return f"{first}.{ascii_last}@example.edu".lower()


def _ensure_staff() -> dict[str, list[User]]:
    """Create the extra demo staff where missing; return them by department."""
    departments = {d.name: d for d in db.session.execute(select(Department)).scalars()}
    names = iter(_names(sum(plan[0] for plan in PLAN.values())))
    wanted = {}
    for department, (extra, *_rest) in PLAN.items():
        wanted[department] = [next(names) for _ in range(extra)]
    emails = [_email(f, last) for people in wanted.values() for f, last in people]
    existing = {u.email: u for u in db.session.execute(
        select(User).where(User.email.in_(emails))).scalars()}
    staff: dict[str, list[User]] = {}
    for department, people in wanted.items():
        if department not in departments:
            continue
        staff[department] = []
        for first, last in people:
            email = _email(first, last)
            user = existing.get(email) or accounts.create_user(
                email=email, name=f"{first} {last}", department=departments[department])
            staff[department].append(user)
    return staff


def _answers(step: Step, learned: bool, rng: random.Random) -> dict[str, str]:
    answers = {}
    for item in step.config.get("items", []):
        if item["id"] == SURVEY_ITEM:
            answers[item["id"]] = "yes" if learned else "no"
        elif item.get("type") == "yes_no":
            answers[item["id"]] = rng.choice(["yes", "no"])
        else:
            scale = item.get("scale") or ["Agree"]
            answers[item["id"]] = rng.choice(scale[len(scale) // 2:])
    return answers


def load_scorecard_demo() -> None:
    """Add the scorecard's demo staff, completions and evaluation answers (safe to rerun)."""
    staff = _ensure_staff()
    core, _missing = core_modules(current_app.config["LMS_CORE_MODULES"])
    modules = {m.id: m for m in db.session.execute(
        select(Module).where(Module.id.in_([c.id for c in core]))).scalars()}
    if not core:
        db.session.flush()
        return
    ordered = [modules[c.id] for c in core]
    all_ids = [u.id for people in staff.values() for u in people]
    enrolled = {(u, m) for u, m in db.session.execute(
        select(Enrollment.user_id, Enrollment.module_id).where(Enrollment.user_id.in_(all_ids)))}
    survey = next((s for s in db.session.execute(
        select(Step).where(Step.module_id == ordered[0].id, Step.kind == "survey")).scalars()
        if any(i.get("id") == SURVEY_ITEM for i in s.config.get("items", []))), None)
    now = utcnow()
    for department, people in staff.items():
        _extra, allies, partial, responses, said_yes = PLAN[department]
        rng = random.Random(department)
        for i, user in enumerate(people):
            if i < allies:
                steps = ordered
            elif i < allies + partial:
                steps = ordered[:1]
            else:
                continue
            # Spread over the past ten months; later modules a few weeks later.
            when = now - timedelta(days=rng.randint(20, 300))
            for module in steps:
                if (user.id, module.id) not in enrolled:
                    learners.complete(user, module, when)
                when = min(now - timedelta(days=1), when + timedelta(days=rng.randint(7, 40)))
        db.session.flush()
        if survey is None:
            continue
        for i, user in enumerate(people[:responses]):
            if not surveys.has_answered(user, survey):
                surveys.record_response(user, survey, _answers(survey, i < said_yes, rng))
    db.session.flush()
