"""Erasure of a leaver: admins only. The POST row sends a wrong confirmation, so the
matrix never erases the world's learner."""

from tests.authz_matrix import ADMINS, Rule

ROWS = [
    Rule("erasure.erase", ADMINS, args={"user_id": "learner.id"}),
    Rule("erasure.erase", ADMINS, "POST", args={"user_id": "learner.id"},
         data={"confirm_email": "someone-else@example.edu"}),
]
