"""The demo shows a department below target and a suppressed small department."""

from __future__ import annotations

import sqlalchemy as sa

from lms.demo.people import load_demo
from lms.extensions import db
from lms.models import ModuleCompletion, SurveyResponse, User
from lms.services.scorecard.report import build_scorecard


def _counts():
    return [db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (User, ModuleCompletion, SurveyResponse)]


def test_demo_scorecard(app, synced):
    load_demo()
    db.session.commit()
    first = _counts()
    load_demo()
    db.session.commit()
    assert _counts() == first  # idempotent
    card = build_scorecard()
    assert card.below_target == ["Emergency Medicine"]
    library = next(r for r in card.rows if r.label == "Library Services")
    assert {cell.text for cell in library.cells} == {"fewer than 5"}
    assert first[2] > 0  # evaluation answers for a few departments
    assert any(cell.text == "hidden" for r in card.rows for cell in r.cells)


def test_demo_without_synced_modules_adds_only_people(app):
    load_demo()
    db.session.commit()
    users, completions, responses = _counts()
    assert users > 80 and completions == 0 and responses == 0
    assert build_scorecard().below_target  # nobody trained yet: every large department


def test_demo_completions_satisfy_the_assignment_and_carry_their_evidence(app, synced):
    """Every demo completion of the assigned course went through the real rules: it meets
    the course's evidence rules and satisfies the person's obligation (nobody who finished
    is listed as not started or reminded)."""
    from lms.models import Assignment, Certificate, Module, Obligation

    load_demo()
    db.session.commit()
    bias = db.session.scalar(sa.select(Module).where(
        Module.slug == "implicit-bias-foundations"))
    assignment = db.session.scalar(sa.select(Assignment).where(
        Assignment.module_id == bias.id, Assignment.target_kind == "departments"))
    obligations = db.session.scalars(sa.select(Obligation).where(
        Obligation.assignment_id == assignment.id, Obligation.closed_at.is_(None))).all()
    completed = set(db.session.scalars(sa.select(ModuleCompletion.user_id).where(
        ModuleCompletion.module_id == bias.id)))
    holders = [o for o in obligations if o.user_id in completed]
    assert len(holders) > 5
    assert all(o.satisfied_at is not None for o in holders)
    assert all(o.satisfied_at is None for o in obligations if o.user_id not in completed)
    for completion in db.session.scalars(sa.select(ModuleCompletion).where(
            ModuleCompletion.module_id == bias.id)):
        assert completion.score_percent >= 80
        assert completion.engaged_minutes >= bias.minimum_minutes
        assert completion.attested_at is not None
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id)).where(
        Certificate.module_id == bias.id)) == len(completed)
