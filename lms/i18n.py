"""The interface's languages: which one a page is written in, and the catalogues behind it.

Each person may choose a language on their profile (``User.locale``); until they do, the
browser's ``Accept-Language`` decides, and the institution's default after that. Messages
are translated through gettext catalogues in ``lms/translations/<language>/``
(``make translations`` extracts, updates and compiles them; see the README).
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from babel import Locale
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import Babel, get_locale, get_translations, gettext
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import escape

# The languages the interface is translated into, as people name their own language.
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}


def default_locale() -> Locale:
    """The institution's default language (``LMS_DEFAULT_LANGUAGE``)."""
    try:
        return Locale.parse(current_app.config["BABEL_DEFAULT_LOCALE"])
    except RuntimeError:  # no application
        return Locale.parse("en")


def current_locale() -> Locale:
    """The locale pages are written in (the default when no request is being served)."""
    try:
        found = get_locale()
    except RuntimeError:  # no application context
        found = None
    return found or default_locale()


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
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True)


def request_translations():
    """The catalogue this request writes in, found once per request and language.

    Templates ask for some fifty messages a page; Flask-Babel's own lookup walks the
    request context three times and names the locale for each. The catalogue is kept
    where Flask-Babel keeps request state (``babel_translations``), which its
    ``refresh()`` and ``force_locale()`` clear and restore, so a change of language
    within the request is followed.
    """
    state = g.get("_flask_babel")
    found = getattr(state, "babel_translations", None) if state is not None else None
    if found is None:
        found = get_translations()
        if state is not None and getattr(state, "babel_locale", None) is not None:
            state.babel_translations = found
    return found


# --- training content in the reader's language ---------------------------------------------

class Localized:
    """A module or step as read in one language: the translated fields, and everything else
    (ids, slugs, kinds, relations) from the original object."""

    def __init__(self, original, language: str, **fields):
        self._original = original
        self._fields = fields
        self.content_language = language

    def __getattr__(self, name: str):
        fields = self.__dict__.get("_fields", {})
        if name in fields:
            return fields[name]
        return getattr(self.__dict__["_original"], name)

    def __eq__(self, other) -> bool:
        return self._original == getattr(other, "_original", other)

    def __hash__(self) -> int:
        return hash(self._original)


def content_language() -> str:
    """The language training content should be shown in: the interface's."""
    return current_locale().language


def in_language(item, language: str | None = None):
    """``item`` (a Module or a Step) in ``language`` (default: the reader's) when the module
    ships a translation for it; otherwise the original, which is the fallback."""
    if item is None or isinstance(item, Localized):
        return item
    language = language or content_language()
    translations = getattr(item, "translations", None)
    if translations is not None:  # a module
        translated = (translations or {}).get(language)
        if not translated:
            return item
        return Localized(item, language, **{k: v for k, v in translated.items() if v})
    config = getattr(item, "config", None) or {}
    translated = (config.get("translations") or {}).get(language)
    if not translated:
        return item
    return Localized(item, language, title=translated["title"], config=translated["config"])


def format_list(items: list[str]) -> str:
    """"30, 60 and 90" / "30, 60 y 90": a list in the reader's language."""
    from babel.lists import format_list as babel_format_list

    return babel_format_list([str(item) for item in items], locale=current_locale())


class LazyText(LazyString):
    """Text worked out when it is read, in the reader's language, and escaped in a template
    like any other text (flask_babel's lazy strings are marked safe HTML, so a name put
    into one would reach the page unescaped)."""

    def __html__(self):
        return escape(str(self))


def lazy_text(message: str, **variables) -> LazyText:
    """``lazy_gettext`` for messages with names or titles in them (import it as ``_l``):
    for words kept longer than a request (a cached scorecard) and read in many
    languages."""
    return LazyText(gettext, message, **variables)


def language_of(person) -> str:
    """The language ``person`` chose on their profile, else the institution's default: the
    one their messages and documents are written in (no request's language applies)."""
    chosen = getattr(person, "locale", None)
    return chosen if chosen in LANGUAGES else current_app.config["BABEL_DEFAULT_LOCALE"]


# The language of the document being written (an email, a PDF), while one is.
_document_language: ContextVar[str | None] = ContextVar("document_language", default=None)


def document_language() -> str:
    """The language documents are written in here: the recipient's inside
    :func:`written_for`, else the institution's default."""
    return _document_language.get() or current_app.config["BABEL_DEFAULT_LOCALE"]


@contextmanager
def written_for(person):
    """Write what is made inside (a message's subject and body, a PDF) in ``person``'s
    language, whoever's request makes it; its dates (``lms.dates``) follow."""
    from flask_babel import force_locale

    token = _document_language.set(language_of(person))
    try:
        with force_locale(document_language()):
            yield
    finally:
        _document_language.reset(token)


def in_default_language(function):
    """Run ``function`` in the language of the document being written: the recipient's
    inside :func:`written_for`, else the institution's default, so its dates agree with
    its text whoever's request makes it."""
    from functools import wraps

    from flask_babel import force_locale

    @wraps(function)
    def wrapper(*args, **kwargs):
        with force_locale(document_language()):
            return function(*args, **kwargs)

    return wrapper
