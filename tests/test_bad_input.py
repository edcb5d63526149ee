"""No input produces a server error: every foundation route gets hostile values.

Each route is opened by a signed-in admin (who can reach all of them) with
odd query strings and form values: huge, negative, non-numeric and
out-of-range numbers, strange Unicode, repeated fields. The answer may be a
form error, a 4xx page or a redirect, but never a 5xx.
"""

from __future__ import annotations

import pytest
from flask import url_for

from lms.extensions import db
from lms.services.mail import queue_email
from tests.conftest import AuthActions

AREAS = ("main", "auth", "admin")

HUGE = "x" * 20000
NUMBERS = ["-1", "0", "99999999999999999999", "1e309", "abc", ""]
TEXT = [HUGE, "\u202e\u200b𝔄\u0301", "<script>alert(1)</script>", "' OR 1=1 --", "%00", " "]

QUERIES = [
    {"page": n, "department": n, "per_page": n,
     "q": t, "role": t, "status": t, "action": t, "actor": t, "next": t}
    for n, t in zip(NUMBERS, TEXT, strict=True)
]

FIELDS = ["name", "email", "password", "confirm", "current", "pronouns", "description",
          "department_id", "parent_id", "lead_id", "roles", "cohort_ids", "is_active",
          "remember", "send_invite", "send_invites"]


def _forms():
    for value in NUMBERS + TEXT:
        yield {field: value for field in FIELDS}
    yield {field: [NUMBERS[2], TEXT[1]] for field in FIELDS}  # repeated fields


@pytest.fixture
def targets(app, make_user):
    """(method, url) for every foundation route, with real objects in the URLs."""
    learner = make_user()
    message = queue_email("someone@example.edu", "Hello", "Body")
    db.session.commit()
    real = {"user_id": learner.id, "message_id": message.id, "token": "not-a-token"}
    # Ids no row can have: the database must never be asked about them.
    huge = {"user_id": 10**20, "message_id": 2**31, "token": "x" * 5000}
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint.split(".")[0] not in AREAS:
                continue
            urls = {url_for(rule.endpoint, **{n: args[n] for n in rule.arguments})
                    for args in (real, huge)}
            for url in sorted(urls):
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    found.append((method, url))
    return found


def test_no_input_causes_a_server_error(app, client, make_user, targets):
    admin = make_user(roles=("admin", "learner"))
    failures = []
    for method, url in targets:
        client.delete_cookie("session")
        AuthActions(client).login(admin)  # again per route: one of them signs out
        for query in QUERIES:
            response = client.open(url, method=method, query_string=query)
            if response.status_code >= 500:
                failures.append(f"{method} {url} ?{sorted(query)} -> {response.status_code}")
        if method != "POST":
            continue
        for form in _forms():
            response = client.open(url, method=method, data=form)
            if response.status_code >= 500:
                failures.append(f"{method} {url} form={str(form)[:80]} -> "
                                f"{response.status_code}")
    assert failures == [], "\n".join(failures)
