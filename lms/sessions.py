"""The signed session cookie, sent again only when it changed or is getting old.

Flask sends a permanent session's cookie with every answer so that its expiry
slides ("a sign-in ends after ``LMS_SESSION_HOURS`` without a visit"). Signing
and sending it on every page costs each request a serialisation, a compression
and an HMAC, for an expiry that moves by seconds. Here an unchanged cookie is
sent again only once it is older than ``LMS_SESSION_REFRESH_SECONDS``: the
expiry still slides, to within that many seconds.
"""

from __future__ import annotations

import time

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import BadSignature


class DatedSession(SecureCookieSession):
    """A session that knows when its cookie was signed (None: new, or unreadable)."""

    signed_at: float | None = None


class RefreshingSessionInterface(SecureCookieSessionInterface):
    session_class = DatedSession

    def open_session(self, app: Flask, request: Request) -> DatedSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed_at.timestamp()
        return session

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_at = getattr(session, "signed_at", None)
        return signed_at is None or \
            time.time() - signed_at >= app.config["LMS_SESSION_REFRESH_SECONDS"]


def configure_sessions(app: Flask) -> None:
    app.session_interface = RefreshingSessionInterface()
