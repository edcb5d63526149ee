"""How Flask-Login finds the signed-in person: one indexed query (the person, their role names)."""

from functools import cache

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, select

from lms.extensions import db, login_manager
from lms.models import User
from lms.models.users import with_role_names


def configure_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.localize_callback = str  # the message in the reader's language
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(token: str) -> User | None:
        user_id, _, session_token = token.partition(":")
        if not user_id.isdigit() or not session_token:
            return None
        user = db.session.execute(_person_by_id(), {"user_id": int(user_id)}
                                  ).scalar_one_or_none()
        if user is None or user.session_token != session_token or not user.is_active:
            return None
        return user


@cache
def _person_by_id() -> Select:
    """The query, built once (it runs on every request). The role names come in it as a
    correlated subquery: joining the roles instead makes SQLite scan all of user_roles."""
    return select(User).options(*with_role_names()).where(User.id == bindparam("user_id"))
