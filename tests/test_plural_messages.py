"""Messages with a count read in the singular for one and the plural otherwise, in English
and Spanish."""

from __future__ import annotations

from flask_babel import force_locale

from lms.content.kinds.prompts import validate_answers
from lms.models import Assignment
from lms.services.assignments.rules import due_rule_text


def test_a_due_rule_counts_its_days_and_months(app):
    one = Assignment(due_kind="after_assigned", due_days=1, recertify_months=1)
    many = Assignment(due_kind="after_joining", due_days=30, recertify_months=12)
    with app.test_request_context():
        with force_locale("en"):
            assert due_rule_text(one) == "1 day after being assigned; renew every 1 month"
            assert due_rule_text(many) == "30 days after joining; renew every 12 months"
        with force_locale("es"):
            assert due_rule_text(one) == "1 día después de la asignación; renovar cada 1 mes"
            assert due_rule_text(many) == ("30 días después de incorporarse; "
                                           "renovar cada 12 meses")


def test_too_few_rows_are_counted(app):
    prompt = {"id": "actions", "type": "rows", "min_rows": 1, "max_rows": 5,
              "columns": [{"id": "what", "type": "short_text", "label": "What"}]}
    with app.test_request_context(), force_locale("en"):
        assert validate_answers([prompt], {"actions": []}, final=True, max_chars=100) == {
            "actions": ["Please add at least 1 row."]}
        assert validate_answers([{**prompt, "min_rows": 2}], {"actions": []}, final=True,
                                max_chars=100) == {"actions": ["Please add at least 2 rows."]}
    with app.test_request_context(), force_locale("es"):
        assert validate_answers([prompt], {"actions": []}, final=True, max_chars=100) == {
            "actions": ["Añada al menos 1 fila."]}
