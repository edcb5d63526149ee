"""What views share: reading htmx requests, running a form's service call, HTML kept to
be served again (with each answer's CSRF token put in) and links to many rows.

A view that changes something reads the same everywhere: load, check, then
``result = run_service(form, lambda: service.do(...))``; on ``REFUSED`` the
service's ``DomainError`` has been rolled back and shown at its field, so the
view renders the form again with everything the person typed; otherwise the
change is committed and the view flashes and redirects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import render_template, request, url_for
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from lms.extensions import db
from lms.services.errors import DomainError

# What ``run_service`` returns when the service refused: show the form again.
REFUSED = object()

# HTML rendered once and served to many answers holds this in place of the CSRF token: the
# token belongs to a browser session, so each answer puts its own in.
CSRF_PLACEHOLDER = "\x00csrf-token\x00"


def render_shareable(template: str, **context) -> str:
    """``template`` rendered to be kept and served again (see ``with_csrf_token``)."""
    return render_template(template, csrf_token=lambda: CSRF_PLACEHOLDER, **context)


def with_csrf_token(html: str) -> Markup:
    """Kept HTML from ``render_shareable`` with this browser session's CSRF token in it."""
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, generate_csrf())
    return Markup(html)


def is_htmx() -> bool:
    """True when htmx sent the request (it swaps a fragment instead of loading a page)."""
    return bool(request.headers.get("HX-Request"))


def is_history_restore() -> bool:
    """True when htmx asks for a whole page to restore browser history."""
    return bool(request.headers.get("HX-History-Restore-Request"))


def url_prefix(endpoint: str, argument: str) -> str:
    """The address of ``endpoint`` up to its ``argument``, which ends its path (an id): a
    page linking every row writes ``prefix ~ id`` instead of a ``url_for`` per row."""
    url = url_for(endpoint, **{argument: 0})
    if not url.endswith("/0"):
        raise ValueError(f"the address of {endpoint} does not end with its {argument}")
    return url[:-1]


def show_error(form, error: DomainError, default: str | None = None) -> None:
    """Show ``error`` at the field it names ("actions-0-text" reaches into a row of a
    field list), else at the ``default`` field, else above the form."""
    target = _named_field(form, error.field) or (getattr(form, default) if default else None)
    if target is not None:
        target.errors = [*target.errors, error.message]
    else:
        form.form_errors.append(error.message)


def _named_field(form, name: str | None):
    if not name:
        return None
    fields = getattr(form, "_fields", {})
    if name in fields:
        field = fields[name]
        return None if field.type == "FieldList" else field
    head, _, rest = name.partition("-")
    field = fields.get(head)
    if field is None or field.type != "FieldList":
        return None
    index, _, sub = rest.partition("-")
    if index.isdigit() and int(index) < len(field.entries) and sub:
        return field.entries[int(index)].form._fields.get(sub)
    return None


def run_service(form, action: Callable[[], Any], field: str | None = None) -> Any:
    """Run the service call behind a submitted form: commit and return its result, or roll
    back, show the refusal at the field it names (else at ``field``, see ``show_error``) and
    return ``REFUSED``."""
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        show_error(form, error, field)
        return REFUSED
    db.session.commit()
    return result


def commit_keeping_loaded() -> None:
    """Commit without expiring what the request has loaded, for a view that answers with
    the rows it has just written.

    A plain commit expires every object, so the answer would load the signed-in person,
    their roles and each row again. What the transaction read after its own writes is
    what it committed; an attribute a service expired (a seat count it changed by
    UPDATE) is still read afresh when the answer needs it.
    """
    session = db.session()
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep
