"""What views share: reading htmx requests and running a form's service call.

A view that changes something reads the same everywhere: load, check, then
``result = run_service(form, lambda: service.do(...))``; on ``REFUSED`` the
service's ``DomainError`` has been rolled back and shown at its field, so the
view renders the form again with everything the person typed; otherwise the
change is committed and the view flashes and redirects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request

from lms.extensions import db
from lms.services.errors import DomainError

# What ``run_service`` returns when the service refused: show the form again.
REFUSED = object()


def is_htmx() -> bool:
    """True when htmx sent the request (it swaps a fragment instead of loading a page)."""
    return bool(request.headers.get("HX-Request"))


def is_history_restore() -> bool:
    """True when htmx asks for a whole page to restore browser history."""
    return bool(request.headers.get("HX-History-Restore-Request"))


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
