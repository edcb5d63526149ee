"""Evaluation outcomes: share of respondents who learned at least one strategy.

Table: ``survey_responses`` (anonymous: ``department_id`` and answers only,
no person). The cell size is the number of responses; they are not limited
to active staff because a response cannot be traced to anyone.
"""

from __future__ import annotations

from sqlalchemy import case, func, select

from lms.extensions import db
from lms.i18n import lazy_text as _l
from lms.models import Step, SurveyResponse
from lms.services.scorecard.metrics.base import Context, Figures, People, Provider, Rate

ITEM = "learned_strategy"


def survey_steps_asking(item_id: str) -> list[int]:
    """Ids of survey steps (any module, any version) that ask ``item_id``."""
    rows = db.session.execute(select(Step.id, Step.config).where(Step.kind == "survey"))
    return [step_id for step_id, config in rows
            if any(item.get("id") == item_id for item in (config or {}).get("items", []))]


def compute(ctx: Context) -> Figures:
    responses: dict[int | None, int] = {}
    yes: dict[int | None, int] = {}
    step_ids = survey_steps_asking(ITEM)
    if step_ids:
        answer = SurveyResponse.answers[ITEM].as_string()
        rows = db.session.execute(
            select(SurveyResponse.department_id, func.count(),
                   func.sum(case((answer == "yes", 1), else_=0)))
            .where(SurveyResponse.step_id.in_(step_ids), answer.is_not(None))
            .group_by(SurveyResponse.department_id))
        for department_id, count, said_yes in rows:
            responses[department_id] = int(count)
            yes[department_id] = int(said_yes or 0)
    columns = [
        Rate("eval_learned", _l("Learned a strategy"),
             _l("Share of evaluation responses saying 'I learned at least one strategy I will "
                "use'."),
             numerator="eval_yes", denominator="eval_responses", kind="share"),
        People("eval_responses", _l("Evaluation responses"),
               _l("Anonymous answers to that evaluation question (not limited to current "
                  "staff)."),
               within_staff=False),
        People("eval_yes", _l("Said they learned a strategy"), "", within_staff=False, shown=False),
    ]
    return Figures(columns=columns, counts={"eval_responses": responses, "eval_yes": yes})


PROVIDER = Provider("evaluation", _l("Evaluation"), compute, order=20)
