"""Demonstration assignments, an overdue learner and an issued certificate. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from lms import clock
from lms.demo import learners
from lms.extensions import db
from lms.models import Assignment, Department, Obligation, User
from lms.services import duedates
from lms.services.assignments import status as stored_status
from lms.services.assignments.rules import Rule, create_assignment
from lms.services.learning import progress as learning

DEPARTMENTS = ("Internal Medicine", "Pediatrics")
OVERDUE_MODULE = "psychological-safety"


def _user(email: str) -> User | None:
    return db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()


def _assigned(module_id: int, kind: str) -> bool:
    return db.session.execute(select(Assignment.id).where(
        Assignment.module_id == module_id, Assignment.target_kind == kind,
        Assignment.deleted_at.is_(None))).first() is not None


def load_assignment_demo() -> None:
    """Assign implicit bias to two departments; make learner2 overdue; certify learner3.

    Skips quietly when the modules have not been synced yet.
    """
    bias = learning.published_module("implicit-bias-foundations")
    admin = _user("admin@example.edu")
    if bias is None:
        return
    today = duedates.today()
    if not _assigned(bias.id, "departments"):
        ids = list(db.session.execute(select(Department.id).where(
            Department.name.in_(DEPARTMENTS))).scalars())
        if ids:
            create_assignment(actor=admin, rule=Rule(
                module=bias, target_kind="departments", department_ids=ids,
                due_on=today + timedelta(days=21)))
    _overdue_learner(admin, today)
    _certified_learner(bias)
    db.session.flush()


def _overdue_learner(admin: User | None, today) -> None:
    module = learning.published_module(OVERDUE_MODULE)
    learner = _user("learner2@example.edu")
    if module is None or learner is None or _assigned(module.id, "people"):
        return
    assignment, _ = create_assignment(actor=admin, rule=Rule(
        module=module, target_kind="people", people_emails=[learner.email],
        due_on=today + timedelta(days=1)))
    # Admins cannot set a date in the past; the demo backdates it to show an
    # overdue item on learner2's home page and in the compliance view.
    past = today - timedelta(days=9)
    assignment.due_on = past
    for obligation in db.session.execute(select(Obligation).where(
            Obligation.assignment_id == assignment.id)).scalars():
        obligation.due_on = past
    stored_status.sync_assignments([assignment.id])


def _certified_learner(bias) -> None:
    learner = _user("learner3@example.edu")
    if learner is None:
        return
    enrollment = learning.enrollment_for(learner.id, bias.id)
    if enrollment is not None and enrollment.is_complete:
        return
    learners.work_through(learner, bias, clock.now() - timedelta(days=2))
