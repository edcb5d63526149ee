"""Every route × every role, from the table in ``authz_matrix.py``."""

from __future__ import annotations

import operator
from types import SimpleNamespace

import pytest
from flask import url_for

from lms.extensions import db
from lms.services.mail import queue_email
from tests.authz_matrix import ANONYMOUS, MATRIX, ROLES, WORLD_BUILDERS
from tests.conftest import AuthActions
from tests.fixtures.database import cached_app, detach, rolled_back
from tests.fixtures.people import create_department, create_user


@pytest.fixture(scope="module")
def world(database_url, _app_cache):
    """The people and objects the matrix refers to.

    Built once for this module: every test runs in a SAVEPOINT inside the
    transaction that holds the world, so each one starts from it untouched.
    """
    app = cached_app(database_url, {})
    with rolled_back(app):
        with app.app_context():
            make_user, make_department = create_user, create_department
            department = make_department("Matrix Department")
            w = SimpleNamespace(
                learner=make_user(roles=("learner",), department=department),
                other_learner=make_user(roles=("learner",), department=department),
                mentor=make_user(roles=("mentor", "learner"), department=department),
                admin=make_user(roles=("admin", "learner"), department=department),
                author=make_user(roles=("author", "learner"), department=department),
                department=department,
            )
            w.message = queue_email("someone@example.edu", "Hello", "Body")
            factories = SimpleNamespace(make_user=make_user, make_department=make_department)
            for build in WORLD_BUILDERS:
                build(w, factories)
            db.session.commit()
            detach(w)
        yield w


def _resolve(world, value: str):
    if value.startswith("="):
        return value[1:]
    return operator.attrgetter(value)(world)


def _url(app, world, rule) -> str:
    kwargs = {name: _resolve(world, value) for name, value in rule.args.items()}
    with app.test_request_context():
        return url_for(rule.endpoint, **kwargs)


def test_every_route_is_listed(app):
    listed = {rule.endpoint for rule in MATRIX}
    registered = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint != "static"}
    assert registered - listed == set(), "routes missing from tests/authz_matrix.py"
    assert listed - registered == set(), "matrix rows for routes that no longer exist"


def test_every_view_declares_access(app):
    from lms.permissions import ACCESS_ATTR

    undeclared = [name for name, view in app.view_functions.items()
                  if name != "static" and getattr(view, ACCESS_ATTR, None) is None]
    assert undeclared == []


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("rule", MATRIX, ids=lambda r: f"{r.method} {r.endpoint}")
def test_route_access(app, client, world, rule, role):
    if role != ANONYMOUS:
        AuthActions(client).login(getattr(world, role))
    url = _url(app, world, rule)
    response = client.open(url, method=rule.method, data=rule.data)
    location = response.headers.get("Location", "")
    signed_out = response.status_code == 302 and "/auth/login?next=" in location
    refused = response.status_code in (403, 404) or signed_out
    if role in rule.allowed:
        assert not refused, f"{role} should reach {url}, got {response.status_code}"
        assert response.status_code < 500
    else:
        assert refused, f"{role} must not reach {url}, got {response.status_code}"
        if role == ANONYMOUS:
            assert signed_out, "anonymous visitors are sent to sign in"
