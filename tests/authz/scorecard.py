"""Scorecard: the published view for every signed-in person; the admin view and drill-down
for admins only."""

from tests.authz_matrix import ADMINS, SIGNED_IN, Rule

ROWS = [
    Rule("scorecard.index", SIGNED_IN),
    Rule("scorecard.index_csv", SIGNED_IN),
    Rule("scorecard.admin", ADMINS),
    Rule("scorecard.admin_csv", ADMINS),
    Rule("scorecard.department", ADMINS, args={"department_id": "department.id"}),
]
