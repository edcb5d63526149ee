"""Template globals and filters shared by every page."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask_login import current_user


def local_time(value: datetime | None, fmt: str = "%d %b %Y, %H:%M") -> str:
    """Show an aware UTC datetime in the institution's time zone."""
    if value is None:
        return ""
    zone = ZoneInfo(current_app.config["LMS_TIMEZONE"])
    return value.astimezone(zone).strftime(fmt).lstrip("0")


def register(app: Flask) -> None:
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def inject_globals():
        return {
            "institution_name": current_app.config["LMS_INSTITUTION_NAME"],
            "nav_items": navigation_for(current_user),
            "has_endpoint": lambda endpoint: endpoint in current_app.view_functions,
        }


def navigation_for(user) -> list[tuple[str, str]]:
    """(endpoint, label) pairs for the signed-in person's roles; blueprints add theirs."""
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[tuple[str, str]] = [("main.home", "Home")]
    for roles, endpoint, label in NAV_REGISTRY:
        if roles is None or user.has_role(*roles):
            items.append((endpoint, label))
    return items


# Filled by blueprints at import: (roles or None for everyone, endpoint, label)
NAV_REGISTRY: list[tuple[tuple[str, ...] | None, str, str]] = []


def add_nav(endpoint: str, label: str, roles: tuple[str, ...] | None = None) -> None:
    if all(existing[1] != endpoint for existing in NAV_REGISTRY):
        NAV_REGISTRY.append((roles, endpoint, label))
