"""Friendly error pages: HTML for people, short fragments for htmx."""

import time
from datetime import timedelta

from flask import Flask, render_template
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

from lms.viewtools import is_htmx

MESSAGES = {
    400: (_l("Something in that request was not right"),
          _l("The form may have expired. Go back, reload the page and try again.")),
    401: (_l("Please sign in"), _l("You need to sign in to see this page.")),
    403: (_l("You don't have access to this page"),
          _l("If you think you should, contact your programme office.")),
    404: (_l("Page not found"), _l("The page may have moved, or the link may be mistyped.")),
    405: (_l("That action isn't available here"), _l("Go back and use the buttons on the page.")),
    413: (_l("That file is too large"),
          _l("Upload a smaller file (the limit is shown on the form).")),
    429: (_l("Too many attempts"), _l("Please wait a minute before trying again.")),
    500: (_l("Something went wrong on our side"),
          _l("Nothing you typed was lost by us on purpose; please try again in a moment.")),
}


def render_error(code: int, detail: str | None = None):
    """The friendly page for ``code``; ``detail`` replaces the generic advice when given."""
    title, generic = (str(text) for text in MESSAGES.get(code, MESSAGES[500]))
    detail = detail or generic
    if is_htmx():
        return render_template("errors/_inline.html", code=code, title=title,
                               detail=detail), code
    return render_template("errors/error.html", code=code, title=title, detail=detail), code


def rate_limit_wait() -> str | None:
    """The real wait for a request over a rate limit ("Please wait 7 minutes …")."""
    from lms.extensions import limiter
    from lms.services.accounts.throttle import describe

    current = limiter.current_limit
    reset_at = getattr(current, "reset_at", None)
    if not reset_at:
        return None
    seconds = max(1.0, reset_at - time.time())
    window = getattr(getattr(current, "limit", None), "get_expiry", lambda: None)()
    wait = timedelta(seconds=min(seconds, window) if window else seconds)
    return gettext("Please wait %(wait)s before trying again.", wait=describe(wait))


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        if error.code in MESSAGES:
            if error.code == 429:  # its description is the rule, not advice for people
                own = rate_limit_wait()
            elif error.description != type(error).description:
                own = error.description  # abort(code, description=...) says what went wrong
            else:
                own = None  # Werkzeug's generic English: keep our wording
            response = render_error(error.code, own)
            if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
                return response[0], 405, {"Allow": ", ".join(error.valid_methods)}
            return response
        return error

    @app.errorhandler(InternalServerError)
    def handle_500(error):
        from lms.extensions import db

        db.session.rollback()
        return render_error(500)
