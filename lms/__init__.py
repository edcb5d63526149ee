"""Ally LMS application factory."""

from __future__ import annotations

import hashlib
import os
from typing import Any

import sqlalchemy as sa
from flask import Flask

from lms.config import build_config


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application.

    ``config`` overrides defaults and the environment (tests pass their own
    database URL here). Nothing touches the database at creation time.
    """
    app = Flask(__name__, instance_relative_config=True,
                template_folder="../templates", static_folder="../static")
    app.config.from_mapping(build_config(app.instance_path, config))
    trust_proxies(app)
    register_url_converters(app)
    register_extensions(app)
    register_languages(app)
    register_areas(app)
    register_commands(app)
    register_request_hooks(app)
    register_errors(app)
    register_template_helpers(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Behind ``LMS_PROXY_COUNT`` proxies, read the client address and scheme they forward.

    Without this every request behind a load balancer seems to come from the
    balancer, and all sign-ins would share one rate limit.
    """
    count = app.config["LMS_PROXY_COUNT"]
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def register_url_converters(app: Flask) -> None:
    """``<int:...>`` in every route stops at the largest id the database can hold.

    A larger number cannot name a row; without the bound it reaches the
    database, which fails (a 500) instead of answering 404.
    """
    from werkzeug.routing import IntegerConverter

    from lms.urlargs import MAX_ID

    class IdConverter(IntegerConverter):
        def __init__(self, map, *args, **kwargs):
            kwargs.setdefault("max", MAX_ID)
            super().__init__(map, *args, **kwargs)

    app.url_map.converters["int"] = IdConverter


def register_extensions(app: Flask) -> None:
    from lms.auth.loader import configure_login
    from lms.extensions import cache, csrf, db, limiter, migrate
    from lms.services import personal_cache
    from lms.sessions import configure_sessions

    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            sa.event.listen(db.engine, "connect", tune_sqlite_connection)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
                     render_as_batch=True, compare_type=True, render_item=render_migration_item)
    csrf.init_app(app)
    limiter.init_app(app)
    cache.init_app(app, config=cache_config(app))
    personal_cache.register(app)
    configure_login(app)
    configure_sessions(app)


def cache_config(app: Flask) -> dict[str, Any]:
    """Flask-Caching settings: Redis when ``LMS_CACHE_REDIS_URL`` is set, else in-process;
    nothing at all with ``LMS_CACHE_SECONDS`` 0 (Flask-Caching would read 0 as "forever").

    Keys carry a prefix naming the database, so applications over different
    databases sharing one Redis never read each other's entries.
    """
    prefix = "lms:" + hashlib.sha256(
        app.config["SQLALCHEMY_DATABASE_URI"].encode()).hexdigest()[:12] + ":"
    url = app.config.get("LMS_CACHE_REDIS_URL")
    if app.config["LMS_CACHE_SECONDS"] <= 0:  # kept for no time: nothing is kept
        return {"CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True}
    if url:
        return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": url, "CACHE_KEY_PREFIX": prefix,
                "CACHE_DEFAULT_TIMEOUT": app.config["LMS_CACHE_SECONDS"]}
    return {"CACHE_TYPE": "lms.cache_backend.CompressedSimpleCache", "CACHE_THRESHOLD": 20_000,
            "CACHE_DEFAULT_TIMEOUT": app.config["LMS_CACHE_SECONDS"]}


def tune_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    """Settings for an SQLite file shared by several worker processes.

    Write-ahead logging lets pages keep reading while another worker writes (with the
    default rollback journal every reader waits for every write), and a busy timeout
    makes a writer wait its turn instead of failing with "database is locked".
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def render_migration_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write our UTC datetime type as a plain DateTime so migrations import no app code."""
    from lms.models.base import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def register_languages(app: Flask) -> None:
    """Flask-Babel: the interface's language per request and the gettext catalogues."""
    from lms import i18n

    i18n.init_app(app)


def register_areas(app: Flask) -> None:
    """Every area's ``init_app``: its blueprint, navigation, home panels, commands, reminder
    jobs and signal receivers (``lms.signals``). The order is the navigation's and the home
    page's order."""
    from lms import (
        admin,
        applications,
        assignments,
        auth,
        certificates,
        champions,
        erasure,
        events,
        identity,
        learn,
        main,
        mydata,
        plans,
        review,
        scim,
        scorecard,
        sso,
        studio,
    )

    for area in (admin, assignments, auth, certificates, events, learn, main, plans, review,
                 scorecard, sso, scim, identity, mydata, erasure, applications, champions,
                 studio):
        area.init_app(app)


def register_commands(app: Flask) -> None:
    from lms.cli import register

    register(app)


def register_request_hooks(app: Flask) -> None:
    from lms.permissions import enforce_access
    from lms.security import apply_security_headers, reject_nul_bytes

    app.before_request(reject_nul_bytes)
    app.before_request(enforce_access)
    app.after_request(apply_security_headers)


def register_errors(app: Flask) -> None:
    from lms.errors import register_error_pages

    register_error_pages(app)


def register_template_helpers(app: Flask) -> None:
    from lms.templating import register

    register(app)
