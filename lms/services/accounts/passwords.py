"""Password hashing (argon2id) and reset tokens."""

from __future__ import annotations

import contextlib
import hashlib

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from lms import clock
from lms.extensions import db
from lms.models import User
from lms.models.users import new_session_token

TOKEN_PURPOSES = {"reset": "PASSWORD_RESET_MAX_AGE", "invite": "INVITE_MAX_AGE"}


class PasswordTooShort(ValueError):
    """The password is below PASSWORD_MIN_LENGTH."""


def _hasher() -> PasswordHasher:
    return PasswordHasher(**current_app.config["PASSWORD_HASH"])


def hash_password(password: str) -> str:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise PasswordTooShort(_("Use at least %(minimum)s characters.", minimum=minimum))
    return _hasher().hash(password)


def check_password(user: User, password: str) -> bool:
    """True when ``password`` matches; a missing hash never matches."""
    if not user.password_hash:
        burn_hash_time(password)  # an account without a password must not answer faster
        return False
    try:
        return _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(user: User | None, password: str) -> User | None:
    """``user`` when it is an active account and ``password`` matches, else ``None``.

    Exactly one password-hash verification runs whatever the account — unknown
    (``None``), deactivated, without a password, or active — so the time an
    answer takes tells nobody which of these an email belongs to.
    """
    matches = check_password(user, password) if user is not None else burn_hash_time(password)
    return user if matches and user.is_active else None


def burn_hash_time(password: str) -> bool:
    """Spend the time a real check would, so unknown emails can't be timed apart.

    Always False: no password opens the dummy hash's (nonexistent) account.
    """
    with contextlib.suppress(VerificationError, InvalidHashError):
        _hasher().verify(_dummy_hash(), password)
    return False


_DUMMY: dict[str, str] = {}


def _dummy_hash() -> str:
    key = repr(current_app.config["PASSWORD_HASH"])
    if key not in _DUMMY:
        _DUMMY[key] = _hasher().hash("not-a-real-password-0000")
    return _DUMMY[key]


def set_password(user: User, password: str) -> None:
    """Hash and store ``password``; every other session of the user ends."""
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    db.session.flush()


def _fingerprint(user: User) -> str:
    # Changes as soon as the password changes, so a used token cannot be reused.
    return hashlib.sha256((user.password_hash or "none").encode()).hexdigest()[:16]


class _ClockSigner(TimestampSigner):
    """Stamps and checks token ages with ``lms.clock`` so expiry follows the app's clock."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-token",
                                  signer=_ClockSigner)


def make_reset_token(user: User, purpose: str = "reset") -> str:
    """A signed token to set a password: ``reset`` lasts an hour, ``invite`` a week."""
    return _serializer().dumps({"u": user.id, "f": _fingerprint(user), "p": purpose})


def user_for_reset_token(token: str) -> User | None:
    """The user a valid, unexpired, unused token belongs to, else ``None``."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["INVITE_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or data.get("p") not in TOKEN_PURPOSES:
        return None
    try:
        _serializer().loads(token, max_age=current_app.config[TOKEN_PURPOSES[data["p"]]])
    except SignatureExpired:
        return None
    user = db.session.get(User, data.get("u"))
    if user is None or not user.is_active or data.get("f") != _fingerprint(user):
        return None
    if data["p"] == "invite" and user.password_hash is not None:
        return None  # invitations set a first password, never replace one
    return user
