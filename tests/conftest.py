"""Fixtures every area's tests share: app, client, factories, login, query counter."""

from __future__ import annotations

import contextvars
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import Flask, has_app_context
from flask.testing import FlaskClient

from lms import create_app
from lms.extensions import db, limiter
from lms.models import Base, Department, User
from tests.db import empty_all_tables, fresh_database, upgrade

# ``mailbox``: a real SMTP server standing in for people's mailboxes.
pytest_plugins = ["tests.mailbox"]

TEST_PASSWORD = "correct horse battery"

FAST_HASH = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


def test_config(database_url: str, **extra) -> dict:
    """Settings for an app under test; never reads the developer's instance config."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": database_url,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "PASSWORD_HASH": FAST_HASH,
        "MAIL_SERVER": None,
        "LMS_BASE_URL": "http://lms.test",
        "SERVER_NAME": None,
        # Tests change data between requests and expect the scorecard to follow.
        "LMS_SCORECARD_CACHE_SECONDS": 0,
    }
    config.update(extra)
    return config


test_config.__test__ = False  # a helper other modules import, not a test


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    """One migrated database for the whole run (rows are emptied after each test)."""
    with fresh_database(tmp_path_factory.mktemp("db")) as url:
        migrate_app = create_app(test_config(url))
        upgrade(migrate_app)
        with migrate_app.app_context():
            db.engine.dispose()
        yield url


@pytest.fixture
def app_config() -> dict:
    """Override in a test module to change settings for its app."""
    return {}


_apps: dict[str, Flask] = {}


@pytest.fixture(scope="session")
def _app_cache() -> Iterator[dict[str, Flask]]:
    yield _apps
    for cached in _apps.values():
        with cached.app_context():
            db.engine.dispose()
    _apps.clear()


@pytest.fixture
def app(database_url: str, app_config: dict, _app_cache) -> Iterator[Flask]:
    """An app on the shared test database, emptied after each test.

    Apps are reused between tests with the same settings: building one
    (and compiling its templates) per test would dominate the run time.
    """
    key = repr(sorted(app_config.items()))
    if key not in _app_cache:
        _app_cache[key] = create_app(test_config(database_url, **app_config))
    app = _app_cache[key]
    app.test_client_class = IsolatedClient
    saved_config = dict(app.config)  # tests may change settings; the next one gets them back
    # The limiter is one object shared by every cached app: point it at this one.
    limiter.enabled = app.config["RATELIMIT_ENABLED"]
    with app.app_context():
        if limiter.enabled:
            limiter.reset()
        yield app
        db.session.remove()
        empty_all_tables(db.engine, Base.metadata)
        if app.config["RATELIMIT_ENABLED"]:
            limiter.reset()
    app.config.clear()
    app.config.update(saved_config)


class IsolatedClient(FlaskClient):
    """Runs each request in its own app context, as a real server does.

    The test body keeps an app context for factories and queries; without
    this, requests would share its ``g`` and database session and hide bugs
    (a cached user, objects never reloaded). After each request the test's
    own session is expired so it reads what the request wrote.
    """

    def open(self, *args, **kwargs):
        if self.preserve_context:  # ``with client:`` wants the contexts kept
            return super().open(*args, **kwargs)
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return response


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


_counter = itertools.count(1)


@pytest.fixture
def make_department(app) -> Callable[..., Department]:
    """Factory: ``make_department("Pediatrics", parent=None)``."""
    from lms.services import accounts

    def make(name: str | None = None, parent: Department | None = None) -> Department:
        department = accounts.create_department(
            name=name or f"Department {next(_counter)}", parent=parent)
        db.session.commit()
        return department

    return make


@pytest.fixture
def make_user(app) -> Callable[..., User]:
    """Factory: ``make_user(roles=("mentor",), department=dept)``; password TEST_PASSWORD."""
    from lms.services import accounts, passwords

    def make(*, email: str | None = None, name: str | None = None,
             roles: tuple[str, ...] = ("learner",), department: Department | None = None,
             password: str | None = TEST_PASSWORD, active: bool = True, cohorts=()) -> User:
        n = next(_counter)
        user = accounts.create_user(email=email or f"person{n}@example.edu",
                                    name=name or f"Person {n}", roles=roles,
                                    department=department, cohorts=cohorts)
        if password:
            passwords.set_password(user, password)
        user.is_active_account = active
        db.session.commit()
        return user

    return make


class AuthActions:
    """Sign a test client in and out through the real login form."""

    def __init__(self, client: FlaskClient):
        self._client = client

    def login(self, user_or_email, password: str = TEST_PASSWORD):
        email = getattr(user_or_email, "email", user_or_email)
        response = self._client.post("/auth/login", data={"email": email, "password": password})
        assert response.status_code == 302, "login failed"
        return response

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)


@pytest.fixture
def count_queries(app) -> Callable:
    """``with count_queries() as counter: ...; counter.count`` — SQL statements run."""

    @contextmanager
    def counting():
        counter = QueryCounter()
        sa.event.listen(db.engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", counter)

    return counting
