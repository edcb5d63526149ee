"""The interface's languages: which one a page is written in, and the catalogues behind it.

Each person may choose a language on their profile (``User.locale``); until they do, the
browser's ``Accept-Language`` decides, and the institution's default after that. Messages
are translated through gettext catalogues in ``lms/translations/<language>/``
(``make translations`` extracts, updates and compiles them; see the README).
"""

from __future__ import annotations

from babel import Locale
from flask import Flask, current_app, has_request_context, request
from flask_babel import Babel
from flask_login import current_user

# The languages the interface is translated into, as people name their own language.
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}


def default_locale() -> Locale:
    """The institution's default language (``LMS_DEFAULT_LANGUAGE``)."""
    try:
        return Locale.parse(current_app.config["BABEL_DEFAULT_LOCALE"])
    except RuntimeError:  # no application
        return Locale.parse("en")


def select_locale() -> str:
    """The language of this request: the person's choice, else the browser's, else the
    default."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = getattr(current_user, "locale", None) if current_user else None
    if chosen in LANGUAGES:
        return chosen
    return (request.accept_languages.best_match(list(LANGUAGES))
            or current_app.config["BABEL_DEFAULT_LOCALE"])


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", app.config.get("LMS_DEFAULT_LANGUAGE", "en"))
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["LMS_TIMEZONE"])
    Babel(app, locale_selector=select_locale)
    # {% trans %} blocks collapse their whitespace, as the extractor does (babel.cfg).
    app.jinja_env.policies["ext.i18n.trimmed"] = True
