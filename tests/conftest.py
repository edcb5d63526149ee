"""Fixtures every area's tests share: app, client, factories, login, query counter."""

from __future__ import annotations

import contextvars
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from lms import create_app
from lms.extensions import db
from lms.models import Base, Department, User
from tests.db import empty_all_tables, fresh_database, upgrade

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


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in an application context of its own.

    The ``app`` fixture keeps an application context open so a test can use
    ``db.session``; Flask would reuse it for each request, sharing ``g`` (the
    signed-in user Flask-Login caches there) and the database session between
    requests and between clients. In production each request starts clean, so
    here too: the request runs in an empty ``contextvars`` context and pushes
    its own application context.
    """

    def open(self, *args, **kwargs):
        if self.preserve_context:  # ``with client:`` wants the contexts kept
            return super().open(*args, **kwargs)
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def app(database_url: str, app_config: dict) -> Iterator[Flask]:
    """A fresh application over the run's migrated database; rows are emptied afterwards."""
    app = create_app(test_config(database_url, **app_config))
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        empty_all_tables(db.engine, Base.metadata)
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
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
