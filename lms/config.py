"""Configuration: defaults first, then the environment, then explicit overrides.

Every setting read from the environment is listed in ``ENV_SETTINGS`` so the
README table and the code cannot drift apart.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _day_list(value: str) -> str:
    """"30, 60,90" -> "30,60,90"; anything but positive whole numbers stops the start."""
    try:
        days = sorted({int(part) for part in value.split(",") if part.strip()})
    except ValueError:
        days = []
    if not days or days[0] <= 0:
        raise RuntimeError(f"LMS_CHECKIN_DAYS must list positive whole numbers of days, "
                           f"e.g. 30,60,90; got {value!r}")
    return ",".join(str(day) for day in days)


def _json_list(value: str) -> list:
    """A JSON list of objects (identity providers); anything else stops the start."""
    import json

    try:
        parsed = json.loads(value)
    except ValueError as error:
        raise RuntimeError(f"expected a JSON list of objects, got {value[:40]!r}: {error}") \
            from error
    if not isinstance(parsed, list) or not all(isinstance(item, dict) for item in parsed):
        raise RuntimeError(f"expected a JSON list of objects, got {value[:40]!r}")
    return parsed


# name -> (default, parser, description)
ENV_SETTINGS: dict[str, tuple[Any, Any, str]] = {
    "SECRET_KEY": (None, str, "Signs sessions and tokens. Required in production; "
                   "in development one is generated into instance/secret_key."),
    "DATABASE_URL": (None, str, "SQLAlchemy URL; default SQLite file instance/lms.sqlite3. "
                     "Use postgresql+psycopg://... in production."),
    "LMS_ENV": ("development", str, "development or production (production refuses "
                "to start without SECRET_KEY and DATABASE_URL, and refuses demo data)."),
    "LMS_BASE_URL": ("http://127.0.0.1:5000", str, "Public address used in emails, "
                     "calendar feeds and certificates."),
    "LMS_TIMEZONE": ("America/Detroit", str, "Institution time zone for display and due dates."),
    "LMS_DEFAULT_LANGUAGE": ("en", str, "Interface language (en or es) for people who have not "
                             "chosen one and whose browser asks for none we have."),
    "LMS_INTERNAL_EMAIL_DOMAINS": ("", str, "Comma-separated email domains of the "
                                   "institution's own people; others count as external "
                                   "professionals for live sessions. Empty: all are internal."),
    "LMS_INSTITUTION_NAME": ("Ally Training Programme", str, "Shown in the header, "
                             "emails and certificates."),
    "LMS_MODULES_DIR": (None, str, "Folder of training content; default modules/ "
                        "beside the lms package."),
    "LMS_RATELIMIT_STORAGE_URI": ("memory://", str, "Flask-Limiter storage, e.g. "
                                  "redis://127.0.0.1:6379/0 when several workers run."),
    "LMS_LOGIN_RATE_LIMIT": ("60 per minute;600 per hour", str,
                             "Sign-in and reset requests per address (a generous ceiling)."),
    "LMS_FEED_RATE_LIMIT": ("60 per hour", str, "Fetches of one private calendar feed."),
    "LMS_EXTERNAL_SIGNUP_RATE_LIMIT": ("10 per hour", str, "Sign-ups of external "
                                       "professionals for open sessions per address."),
    "LMS_CURRENCY": ("USD", str, "Currency of the fees of sessions open to external "
                     "professionals (ISO 4217 code, shown on receipts)."),
    "LMS_TEAM_REQUEST_MIN_SIZE": (50, int, "Smallest group a department may request a team "
                                  "training session for."),
    "LMS_MAX_UPLOAD_MB": (5, int, "Largest accepted request body in megabytes."),
    "LMS_MAX_ANSWER_CHARS": (20000, int, "Longest accepted answer to one reflection prompt."),
    "LMS_MIN_CELL": (5, int, "Aggregates over fewer people than this are suppressed."),
    "LMS_SESSION_HOURS": (12, int, "A sign-in ends after this many hours without a visit "
                          "(\"Keep me signed in\" lasts 14 days)."),
    "LMS_SESSION_REFRESH_SECONDS": (60, int, "An unchanged sign-in cookie is sent again (its "
                                    "expiry moved on) at most this often."),
    "LMS_CHECKIN_DAYS": ("30,60,90", _day_list, "Days after an action-plan goal is set when the "
                         "learner is reminded to write a check-in (comma-separated)."),
    "LMS_REVIEW_REMINDER_DAYS": (7, int, "Mentors are reminded of reflections waiting "
                                 "longer than this many days for review."),
    "LMS_REFLECTION_RETENTION_DAYS": (0, int, "Reflection text is removed this many days after "
                                      "a mentor approved it, after a notice 30 days before "
                                      "(the learner may choose to keep it). 0 keeps it."),
    "LMS_CORE_MODULES": ("implicit-bias-foundations,inclusive-allyship", str,
                         "Comma-separated module slugs of the core ally programme: a person "
                         "who completed all of them counts as a trained ally on the scorecard."),
    "LMS_ALLY_TARGET": (1, int, "Trained allies each department should have; departments "
                        "below it stand out on the scorecard."),
    "LMS_SCORECARD_MONTHS": (12, int, "Months shown in the scorecard's trend charts."),
    "LMS_SCORECARD_CACHE_SECONDS": (300, int, "How long each worker reuses a computed "
                                    "scorecard before working it out again (0: every request)."),
    "LMS_CACHE_REDIS_URL": (None, str, "Redis for the per-person home-page and navigation "
                            "caches, shared by every worker; in each worker's memory when "
                            "unset."),
    "LMS_CACHE_SECONDS": (600, int, "Longest a cached home-page panel or navigation count is "
                          "reused; changes invalidate them at once anyway. 0 keeps nothing."),
    "LMS_CACHE_DIR": (None, str, "Without Redis: the directory where this machine's worker "
                      "processes share the cache generations (default: a folder of the "
                      "system's temporary directory named for the database)."),
    "LMS_SECURE_COOKIES": (None, _bool, "Force Secure cookies; default on in production."),
    "LMS_PROXY_COUNT": (0, int, "Reverse proxies / load balancers in front of the app whose "
                        "X-Forwarded-For/-Proto headers are trusted (rate limits per client "
                        "address and HTTPS detection depend on it)."),
    "LMS_OIDC_PROVIDERS": ([], _json_list, "OpenID Connect providers as a JSON list "
                           "(see Institutional sign-in in the README)."),
    "LMS_SAML_PROVIDERS": ([], _json_list, "SAML 2.0 identity providers as a JSON list "
                           "(see Institutional sign-in in the README)."),
    "LMS_SAML_SP_CERT_FILE": (None, str, "PEM certificate of this service provider, "
                              "published in its SAML metadata."),
    "LMS_SAML_SP_KEY_FILE": (None, str, "PEM private key of that certificate."),
    "LMS_SSO_ONLY_DOMAINS": ("", str, "Comma-separated email domains whose people sign in "
                             "only through their identity provider (no password sign-in)."),
    "LMS_SCIM_GROUPS": ("department", str, "What a SCIM group provisions: department or "
                        "cohort."),
    "MAIL_SERVER": (None, str, "SMTP host; when unset, mail stays in the Outbox."),
    "MAIL_PORT": (587, int, "SMTP port."),
    "MAIL_USERNAME": (None, str, "SMTP user."),
    "MAIL_PASSWORD": (None, str, "SMTP password."),
    "MAIL_USE_TLS": (True, _bool, "STARTTLS on connect."),
    "MAIL_USE_SSL": (False, _bool, "SMTP over TLS (port 465)."),
    "MAIL_DEFAULT_SENDER": ("ally-lms@localhost", str, "From address."),
    "REDIS_URL": (None, str, "Optional Redis for rate limits across workers "
                  "(used when LMS_RATELIMIT_STORAGE_URI is not set)."),
}


class DefaultConfig:
    """Values that hold unless the environment or the caller says otherwise."""

    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead of a clock
    WTF_CSRF_HEADERS = ["X-CSRFToken"]
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # "Keep me signed in" lasts two weeks, not Flask-Login's default of a year.
    REMEMBER_COOKIE_DURATION = 14 * 24 * 3600
    # argon2id parameters; tests lower them to keep the suite fast.
    PASSWORD_HASH = {"time_cost": 3, "memory_cost": 65536, "parallelism": 4}
    PASSWORD_MIN_LENGTH = 12
    PASSWORD_RESET_MAX_AGE = 3600
    INVITE_MAX_AGE = 7 * 24 * 3600
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    TESTING = False


def build_config(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Merge defaults, environment and ``overrides`` into one plain dict.

    Raises ``RuntimeError`` when production is asked for without a secret key
    or a database URL.
    """
    config: dict[str, Any] = {
        k: getattr(DefaultConfig, k) for k in dir(DefaultConfig) if k.isupper()
    }
    for name, (default, parse, _doc) in ENV_SETTINGS.items():
        raw = os.environ.get(name)
        config[name] = parse(raw) if raw not in (None, "") else default
    if not os.environ.get("LMS_RATELIMIT_STORAGE_URI") and config["REDIS_URL"]:
        config["LMS_RATELIMIT_STORAGE_URI"] = config["REDIS_URL"]
    config.update(overrides or {})

    production = config["LMS_ENV"] == "production"
    if not config.get("SECRET_KEY"):
        if production:
            raise RuntimeError("SECRET_KEY must be set in production")
        config["SECRET_KEY"] = _instance_secret(instance_path)
    if not config.get("DATABASE_URL") and not config.get("SQLALCHEMY_DATABASE_URI"):
        if production:
            raise RuntimeError("DATABASE_URL must be set in production")
        config["DATABASE_URL"] = "sqlite:///" + str(Path(instance_path) / "lms.sqlite3")
    config.setdefault("SQLALCHEMY_DATABASE_URI", normalise_database_url(config["DATABASE_URL"]))
    if config["LMS_SECURE_COOKIES"] is None:
        config["LMS_SECURE_COOKIES"] = production
    config["SESSION_COOKIE_SECURE"] = config["LMS_SECURE_COOKIES"]
    config["REMEMBER_COOKIE_SECURE"] = config["LMS_SECURE_COOKIES"]
    config["MAX_CONTENT_LENGTH"] = config["LMS_MAX_UPLOAD_MB"] * 1024 * 1024
    config["PERMANENT_SESSION_LIFETIME"] = config["LMS_SESSION_HOURS"] * 3600
    config["RATELIMIT_STORAGE_URI"] = config["LMS_RATELIMIT_STORAGE_URI"]
    if not config.get("LMS_MODULES_DIR"):
        config["LMS_MODULES_DIR"] = str(Path(__file__).resolve().parent.parent / "modules")
    return config


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _instance_secret(instance_path: str) -> str:
    """A development secret kept in the instance folder so logins survive restarts."""
    path = Path(instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
