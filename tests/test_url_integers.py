"""Every integer read from a URL is parsed once, by ``lms.urlargs`` (issue 13, finding 9).

A number no row can have — in a path segment or a query filter — answers 404
or 400, never a 500: PostgreSQL raises on integers beyond 32 bits and SQLite
on integers beyond 64. The sweep opens every GET route of the authorization
matrix with the world's real objects, once with a huge number in each integer
path segment and once with a huge number in every integer query argument the
application reads.
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import url_for
from werkzeug.routing import IntegerConverter

from tests.authz_matrix import ADMIN, LEARNER, MATRIX, MENTOR
from tests.conftest import AuthActions
from tests.test_authorization_matrix import _resolve, world  # noqa: F401 (fixture)

HUGE = [str(2**31), str(10**20), "9" * 400]
LMS = Path(__file__).resolve().parents[1] / "lms"


def _query_int_names() -> set[str]:
    """Every query argument the application reads as an integer."""
    names = {"page"}
    for source in LMS.rglob("*.py"):
        names.update(re.findall(r'query_int\(\s*"([a-z_]+)"', source.read_text()))
    return names


def test_no_view_parses_url_integers_by_hand():
    hand_made = re.compile(r"request\.(args|view_args)\.get\([^)]*type=int|int\(request\.")
    offenders = [str(p.relative_to(LMS)) for p in LMS.rglob("*.py")
                 if hand_made.search(p.read_text())]
    assert offenders == []


GET_RULES = [r for r in MATRIX if r.method == "GET"]


class Visitor:
    """One signed-in client per identity, so the sweep signs in three times, not per URL."""

    def __init__(self, app, objects):
        self.app, self.world, self.clients = app, objects, {}

    def get(self, rule, args, query=None):
        role = next((r for r in (ADMIN, MENTOR, LEARNER) if r in rule.allowed), None)
        if role not in self.clients:
            self.clients[role] = self.app.test_client()
            if role is not None:
                AuthActions(self.clients[role]).login(getattr(self.world, role))
        with self.app.test_request_context():
            url = url_for(rule.endpoint, **args)
        return self.clients[role].get(url, query_string=query or {})


def _int_args(app, endpoint: str) -> set[str]:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    return {name for name, conv in rule._converters.items()
            if isinstance(conv, IntegerConverter)}


def _huge_variants(value) -> list[str]:
    """Huge numbers for a text segment, keeping a ``prefix-`` such as ``submission-``."""
    prefix = re.match(r"^(.*?-)\d+$", str(value))
    return [(prefix.group(1) if prefix else "") + n for n in HUGE]


def _real_args(objects, rule) -> dict:
    return {name: _resolve(objects, value) for name, value in rule.args.items()}


def test_huge_numbers_in_the_path_are_not_found(app, world):  # noqa: F811
    visitor, failures = Visitor(app, world), []
    for rule in GET_RULES:
        real, int_args = _real_args(world, rule), _int_args(app, rule.endpoint)
        for name in real:
            for huge in HUGE if name in int_args else _huge_variants(real[name]):
                status = visitor.get(rule, {**real, name: huge}).status_code
                if status >= 500 or (name in int_args and status != 404):
                    failures.append(f"{rule.endpoint} {name}={huge[:24]} -> {status}")
    assert failures == [], "\n".join(failures)


def test_huge_numbers_in_the_query_never_cause_a_server_error(app, world):  # noqa: F811
    visitor, failures, names = Visitor(app, world), [], sorted(_query_int_names())
    for rule in GET_RULES:
        for bad in HUGE + ["-5", "1e9", "\u0663"]:
            status = visitor.get(rule, _real_args(world, rule),
                                 dict.fromkeys(names, bad)).status_code
            if status >= 500:
                failures.append(f"{rule.endpoint} ?{bad[:24]} -> {status}")
    assert failures == [], "\n".join(failures)


def _page_urls(objects) -> dict[str, str]:
    return {
        "/review/mine/reads": LEARNER, "/review/notifications": LEARNER,
        f"/assignments/{objects.assignment.id}/reminders": ADMIN,
        "/assignments/compliance": ADMIN, "/review/": MENTOR,
        "/admin/users": ADMIN, "/admin/outbox": ADMIN, "/admin/audit": ADMIN,
        f"/scorecard/admin/departments/{objects.department.id}": ADMIN,
    }


def test_paged_lists_refuse_a_page_that_cannot_exist(app, world):  # noqa: F811
    clients = {}
    for url, role in _page_urls(world).items():
        if role not in clients:
            clients[role] = app.test_client()
            AuthActions(clients[role]).login(getattr(world, role))
        for page in (str(10**20), "0", "two"):
            response = clients[role].get(url, query_string={"page": page})
            assert response.status_code == 400, (url, page)
            assert "“page” part of the address" in response.get_data(as_text=True)
        assert clients[role].get(url, query_string={"page": "1"}).status_code == 200


def test_filters_refuse_huge_ids(client, world):  # noqa: F811
    AuthActions(client).login(world.admin)
    huge = str(10**20)
    for url, query in [("/assignments/compliance", {"assignment": huge}),
                       ("/assignments/compliance", {"department": huge}),
                       ("/admin/users", {"department": huge}),
                       ("/admin/audit", {"target_id": huge})]:
        assert client.get(url, query_string=query).status_code == 400, (url, query)
    client.delete_cookie("session")
    AuthActions(client).login(world.learner)
    assert client.get(f"/plans/from-challenge/submission-{huge}").status_code == 404
