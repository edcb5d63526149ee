"""Bulk builders for the query-budget tests.

Rows go in through Core ``INSERT`` statements run as one executemany each,
so a thousand of them take milliseconds; the ORM factories of the area
conftests stay for the few objects a test names (the signed-in person).
Builders flush, never commit: a test commits once, before its requests.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from lms.demo.reviews import EQUITY_ANSWERS
from lms.extensions import db
from lms.models import (
    ActionPlan,
    Assignment,
    CheckIn,
    Department,
    EngagementWeek,
    Enrollment,
    Goal,
    MentorLink,
    Module,
    ModuleCompletion,
    Obligation,
    Offering,
    PlanAction,
    Registration,
    Review,
    Step,
    StepProgress,
    Submission,
    SubmissionRevision,
    Training,
    User,
    utcnow,
)
from lms.models.users import user_roles
from lms.services.accounts import people as accounts
from tests.review.conftest import challenge_step, link  # noqa: F401

_batch = itertools.count(1)


def insert_rows(target, rows: Sequence[dict]) -> list[int]:
    """Insert ``rows`` in one executemany; for a mapped class, their ids in order.

    ``target`` is a mapped class, or a plain ``Table`` such as an association
    table (nothing is returned then). Python-side column defaults apply.
    """
    if not rows:
        return []
    if isinstance(target, sa.Table):
        db.session.execute(target.insert(), list(rows))
        return []
    db.session.execute(sa.insert(target), list(rows))
    # Ids come from the table's sequence in the order the rows went in, and nothing else
    # writes to a test's database: the newest ids are these rows'. (RETURNING would say
    # so too, at ten times the cost: row by row on SQLite, a slow bind on PostgreSQL.)
    newest = db.session.scalars(sa.select(target.id).order_by(target.id.desc())
                                .limit(len(rows))).all()
    return newest[::-1]


def days_ago(days: float) -> datetime:
    return utcnow() - timedelta(days=days)


def days_ahead(days: float) -> date:
    return (utcnow() + timedelta(days=days)).date()


def add_people(count: int, *, department_id: int | None = None,
               roles: Sequence[str] = ()) -> list[int]:
    """``count`` active accounts without a password; their ids."""
    return _people([department_id] * count, roles)


def _people(department_ids: Sequence[int | None], roles: Sequence[str]) -> list[int]:
    """A person in each of ``department_ids``, holding ``roles``; their ids."""
    batch = next(_batch)
    ids = insert_rows(User, [
        {"email": f"bulk{batch}-{n}@example.edu", "name": f"Bulk Person {batch}-{n:04d}",
         "department_id": department_id} for n, department_id in enumerate(department_ids)])
    if roles:
        known = accounts.ensure_roles()
        insert_rows(user_roles, [{"user_id": user_id, "role_id": known[name].id}
                                 for user_id in ids for name in roles])
    return ids


# Between them every step kind: page, video, challenge, check, live, survey, plan.
TEMPLATE_MODULES = ("disability-and-allyship", "inclusive-allyship")


def clone_modules(count: int, steps: int, *,
                  templates: Sequence[str] = TEMPLATE_MODULES) -> list[Module]:
    """``count`` published modules of ``steps`` steps each, copied from synced modules
    (``synced`` fixture).

    The copies keep each original step's kind and configuration, so every
    step renders as the real one does. One step of each kind comes first,
    so even a short copy has every kind; then the remaining steps, cycling.
    """
    sources = db.session.scalars(sa.select(Module).where(Module.slug.in_(templates))
                                 .order_by(Module.slug)).all()
    pool = [step for module in sources for step in module.steps]
    firsts = list({step.kind: step for step in reversed(pool)}.values())[::-1]
    originals = firsts + [step for step in pool if step not in firsts]
    slugs = [f"copy-{next(_batch)}" for _ in range(count)]
    module_ids = insert_rows(Module, [
        {"slug": slug, "title": f"Module {slug}", "summary": sources[0].summary,
         "estimated_minutes": 30, "prerequisites": [], "pacing": "self-paced",
         "has_certificate": False, "content_hash": f"{slug}-hash"} for slug in slugs])
    insert_rows(Step, [
        {"module_id": module_id, "slug": f"{original.slug}-{n}", "position": n,
         "kind": original.kind, "title": f"{original.title} {n}",
         "is_optional": original.is_optional, "config": original.config}
        for module_id in module_ids
        for n, original in zip(range(steps), itertools.cycle(originals), strict=False)])
    return db.session.scalars(sa.select(Module).where(Module.id.in_(module_ids))
                              .order_by(Module.id)).all()


def steps_of(module_ids: Sequence[int]) -> list[tuple[int, int, str]]:
    """(step id, module id, kind) of the modules' active steps, in module order."""
    return [tuple(row) for row in db.session.execute(
        sa.select(Step.id, Step.module_id, Step.kind)
        .where(Step.module_id.in_(module_ids), Step.is_active)
        .order_by(Step.module_id, Step.position))]


def add_mentors(learner_id: int, count: int) -> list[int]:
    """``count`` mentors linked to the learner, each in a department of their own."""
    departments = insert_rows(Department, [{"name": f"Mentoring {next(_batch)}"}
                                           for _ in range(count)])
    mentors = _people(departments, roles=("mentor", "learner"))
    insert_rows(MentorLink, [{"mentor_id": m, "learner_id": learner_id} for m in mentors])
    return mentors


def add_reflections(pairs: Sequence[tuple[int, int]], mentors: Sequence[int]) -> list[int]:
    """A submitted reflection per (person id, step id) with one revision and a mentor's
    review; statuses cycle submitted, approved, needs revision. The submissions' ids."""
    statuses = ("submitted", "approved", "needs_revision")
    submissions = insert_rows(Submission, [
        {"user_id": user_id, "step_id": step_id, "status": statuses[n % 3],
         "answers": {"thoughts": "An answer."}, "draft_version": 1, "submitted_version": 1,
         "submitted_at": days_ago(10 - n / 1000)} for n, (user_id, step_id) in enumerate(pairs)])
    revisions = insert_rows(SubmissionRevision, [
        {"submission_id": s, "number": 1, "answers": {"thoughts": "An answer."},
         "content_hash": "h", "submitted_at": days_ago(10)} for s in submissions])
    insert_rows(Review, [
        {"submission_id": s, "revision_id": r, "mentor_id": mentors[n % len(mentors)],
         "decision": ("comment", "approve", "revise")[n % 3], "comment": "Thank you.",
         "created_at": days_ago(5 - n / 1000)}
        for n, (s, r) in enumerate(zip(submissions, revisions, strict=True))])
    return submissions


def add_progress(user_id: int, module_ids: Sequence[int], mentors: Sequence[int]) -> None:
    """Enrolled in every module (every other one completed); every step done, or for a
    challenge submitted and reviewed by one of ``mentors``."""
    steps = steps_of(module_ids)
    first_step = {}
    for step_id, module_id, _ in steps:
        first_step.setdefault(module_id, step_id)
    insert_rows(Enrollment, [
        {"user_id": user_id, "module_id": module_id,
         "status": "completed" if n % 2 else "in_progress",
         "completed_at": days_ago(2) if n % 2 else None, "last_activity_at": days_ago(n / 100),
         "last_step_id": first_step[module_id]} for n, module_id in enumerate(module_ids)])
    insert_rows(ModuleCompletion, [
        {"user_id": user_id, "module_id": module_id, "content_hash": f"{module_id}-hash",
         "completed_at": days_ago(2)} for module_id in module_ids[1::2]])
    insert_rows(StepProgress, [{"user_id": user_id, "step_id": step_id}
                               for step_id, _, kind in steps if kind != "challenge"])
    add_reflections([(user_id, step_id) for step_id, _, kind in steps if kind == "challenge"],
                    mentors)


def add_completions(user_ids: Sequence[int], module: Module) -> None:
    """The people completed ``module`` (an enrollment and a completion record each),
    over the last 200 days."""
    insert_rows(Enrollment, [{"user_id": u, "module_id": module.id, "status": "completed",
                              "completed_at": days_ago(1 + n % 200)}
                             for n, u in enumerate(user_ids)])
    insert_rows(ModuleCompletion, [{"user_id": u, "module_id": module.id,
                                    "content_hash": module.content_hash,
                                    "completed_at": days_ago(1 + n % 200)}
                                   for n, u in enumerate(user_ids)])


def add_assignments(user_id: int, module_ids: Sequence[int]) -> None:
    """Each module assigned to the person, due dates from 20 days ago onwards; the
    obligations of completed modules (every other one, as ``add_progress``) satisfied."""
    due = [days_ahead(n % 60 - 20) for n in range(len(module_ids))]
    assignments = insert_rows(Assignment, [
        {"module_id": m, "target_kind": "everyone", "due_kind": "date", "due_on": d}
        for m, d in zip(module_ids, due, strict=True)])
    insert_rows(Obligation, [
        {"assignment_id": a, "user_id": user_id, "module_id": m, "due_on": d,
         "assigned_at": days_ago(30), "satisfied_at": days_ago(2) if n % 2 else None}
        for n, (a, m, d) in enumerate(zip(assignments, module_ids, due, strict=True))])


def add_plan(user_id: int, actions: int) -> None:
    """An action plan with ``actions`` actions over a goal per 20 (two at least), set 40
    days ago and more; every other goal has its 30-day check-in, the rest owe it."""
    [plan] = insert_rows(ActionPlan, [{"user_id": user_id}])
    goals = insert_rows(Goal, [{"plan_id": plan, "title": f"Goal {n}", "set_at": days_ago(40 + n)}
                               for n in range(max(2, actions // 20))])
    insert_rows(PlanAction, [
        {"goal_id": goals[n % len(goals)], "text": f"Action {n}", "target_date": days_ahead(n % 30),
         "status": ("planned", "doing", "done")[n % 3]} for n in range(actions)])
    insert_rows(CheckIn, [{"goal_id": g, "checkpoint_day": 30, "did": "Something."}
                          for g in goals[::2]])


def add_sessions(user_ids: Sequence[int], count: int, *, training_slugs: Sequence[str] = (),
                 starts_in_days: float | None = None) -> list[int]:
    """``count`` offerings two hours apart, half of them over, over a training per 20 (or
    the trainings named); every fourth in an event week running now. Each person holds a
    seat at every offering and attended those that are over. The offerings' ids, by time.

    ``starts_in_days`` puts every offering that many days ahead instead.
    """
    [week] = insert_rows(EngagementWeek, [{"name": f"Week {next(_batch)}",
                                           "starts_on": days_ahead(-2), "ends_on": days_ahead(5)}])
    slugs = list(training_slugs) or [f"workshop-{next(_batch)}"
                                     for _ in range(max(1, count // 20))]
    trainings = insert_rows(Training, [{"slug": slug, "title": f"Workshop {slug}",
                                        "description": "What we explore together."}
                                       for slug in slugs])
    starts = [days_ago(-starts_in_days) if starts_in_days is not None
              else days_ago((count / 2 - n - 0.5) / 12) for n in range(count)]
    offerings = insert_rows(Offering, [
        {"training_id": trainings[n % len(trainings)], "starts_at": start,
         "ends_at": start + timedelta(hours=1), "mode": ("in_person", "virtual", "hybrid")[n % 3],
         "location": "Room 1", "video_url": "https://video.example.edu/j/1",
         "capacity": len(user_ids) + 1, "seats_taken": len(user_ids),
         "engagement_week_id": week if n % 4 == 0 else None}
        for n, start in enumerate(starts)])
    now = utcnow()
    insert_rows(Registration, [
        {"offering_id": offering, "user_id": user_id, "status": "registered",
         "registered_at": days_ago(60), "attendance": "attended" if start < now else None}
        for offering, start in zip(offerings, starts, strict=True) for user_id in user_ids])
    return offerings


@pytest.fixture
def revised_challenge(make_user, auth, synced, size) -> Step:  # noqa: F811 - fixture
    """The equity-impact challenge, signed in as a learner whose reflection on it has
    ``size`` revisions, each reviewed, the last one sent back for revision; with ``size``
    other learners' reflections on it."""
    learner = make_user()
    step = challenge_step("equity-impact")
    mentors = add_mentors(learner.id, max(1, size // 100))
    [submission] = insert_rows(Submission, [
        {"user_id": learner.id, "step_id": step.id, "status": "needs_revision",
         "answers": dict(EQUITY_ANSWERS), "draft_version": size, "submitted_version": size,
         "submitted_at": days_ago(1)}])
    revisions = insert_rows(SubmissionRevision, [
        {"submission_id": submission, "number": n + 1, "answers": dict(EQUITY_ANSWERS),
         "content_hash": "h", "submitted_at": days_ago(size - n)} for n in range(size)])
    insert_rows(Review, [
        {"submission_id": submission, "revision_id": r, "mentor_id": mentors[n % len(mentors)],
         "decision": "revise", "improve": f"Say more ({n}).", "created_at": days_ago(size - n)}
        for n, r in enumerate(revisions)])
    add_reflections([(u, step.id) for u in add_people(size)], mentors)
    insert_rows(Enrollment, [{"user_id": learner.id, "module_id": step.module_id}])
    db.session.commit()
    auth.login(learner)
    return step


@pytest.fixture
def listing():
    """``listing(counter)``: the statements a counter saw, numbered, for failure messages."""

    def show(counter) -> str:
        return "\n" + "\n".join(f"{n:3}: {' '.join(statement.split())[:300]}"
                                for n, statement in enumerate(counter.statements, start=1))

    return show
