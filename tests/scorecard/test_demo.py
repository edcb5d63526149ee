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
