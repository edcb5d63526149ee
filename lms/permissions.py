"""Access rules in one place.

Every view declares who may reach it with ``@public`` or ``@roles_required``
(``authenticated`` means any signed-in person). A ``before_request`` hook
refuses any endpoint that declares nothing, so a new page cannot forget its
check. Object-level rules (whose reflection, whose plan) are functions here
too, called by views after loading the object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, current_app, request
from flask_login import current_user

F = TypeVar("F", bound=Callable)

PUBLIC = "public"
AUTHENTICATED = "authenticated"
ACCESS_ATTR = "_lms_access"


def public(view: F) -> F:
    """Anyone, signed in or not, may open this view."""
    setattr(view, ACCESS_ATTR, (PUBLIC,))
    return view


def login_required(view: F) -> F:
    """Any signed-in, active person may open this view."""
    setattr(view, ACCESS_ATTR, (AUTHENTICATED,))
    return view


def roles_required(*roles: str) -> Callable[[F], F]:
    """Only people holding one of ``roles`` may open this view."""

    def decorator(view: F) -> F:
        setattr(view, ACCESS_ATTR, tuple(roles))
        return view

    return decorator


def declared_access(endpoint: str | None) -> tuple[str, ...] | None:
    if endpoint is None:
        return None
    if endpoint == "static":
        return (PUBLIC,)
    view = current_app.view_functions.get(endpoint)
    return getattr(view, ACCESS_ATTR, None)


def enforce_access():
    """``before_request`` hook: default-deny for every endpoint."""
    if request.endpoint is None:  # 404/405 are handled by routing
        return
    access = declared_access(request.endpoint)
    if access is None:
        current_app.logger.error("endpoint %s declares no access rule", request.endpoint)
        abort(403)
    if PUBLIC in access:
        return
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # redirect to login
    if AUTHENTICATED in access:
        return
    if not current_user.has_role(*access):
        abort(403)
