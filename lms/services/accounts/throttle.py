"""Growing waits after wrong passwords, per account and per account + address.

Counting per address alone locks out a whole hospital behind one NAT while
slowing a patient attacker hardly at all. So wrong passwords are counted for
the account from one address (a person mistyping, or one attacker) and for the
account from everywhere (an attacker spread over many addresses); past a free
allowance each further failure doubles the wait, up to ``LONGEST_WAIT``. Only
a generous ceiling per address remains (``LMS_LOGIN_RATE_LIMIT``).

The counts live in the database, so every worker sees them. Unknown emails
are counted like real ones: the answers never tell which accounts exist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import ngettext
from sqlalchemy import delete, select, update

from lms.extensions import db
from lms.models import PasswordFailure, utcnow
from lms.services.upsert import dialect_insert

FREE_PER_PLACE = 5  # wrong passwords for one account from one address before any wait
FREE_PER_ACCOUNT = 20  # for one account from all addresses together
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=24)  # failures older than this no longer count


@dataclass(frozen=True)
class Attempt:
    """One password check: ``scope`` ("sign-in", "password-change"), whose account, from where."""

    scope: str
    account: str
    address: str | None

    @property
    def account_key(self) -> str:
        return f"{self.scope}:{self.account}"[:400]

    @property
    def place_key(self) -> str:
        return f"{self.scope}:{self.account}|{self.address or '-'}"[:400]

    def allowances(self) -> dict[str, int]:
        return {self.account_key: FREE_PER_ACCOUNT, self.place_key: FREE_PER_PLACE}


def wait_after(failures: int, free: int) -> timedelta | None:
    """The wait after ``failures`` wrong passwords with ``free`` allowed: 30 s, 1 min, 2 min …"""
    excess = failures - free
    if excess <= 0:
        return None
    return min(LONGEST_WAIT, FIRST_WAIT * 2 ** min(excess - 1, 10))


def wait_before(attempt: Attempt) -> timedelta | None:
    """How long ``attempt`` must still wait; ``None`` when it may check a password now."""
    until = db.session.scalar(select(PasswordFailure.blocked_until).where(
        PasswordFailure.key.in_(list(attempt.allowances())),
        PasswordFailure.blocked_until.is_not(None))
        .order_by(PasswordFailure.blocked_until.desc()).limit(1))
    remaining = until - utcnow() if until is not None else None
    return remaining if remaining is not None and remaining > timedelta(0) else None


def record_failure(attempt: Attempt) -> timedelta | None:
    """Count a wrong password; returns the wait it brings (``None`` while still free).

    The count goes up in one ``INSERT … ON CONFLICT DO UPDATE``, so workers
    checking passwords at the same moment never lose a failure.
    """
    now = utcnow()
    keys = attempt.allowances()
    db.session.execute(delete(PasswordFailure).where(
        PasswordFailure.key.in_(list(keys)), PasswordFailure.last_failed_at < now - FORGET_AFTER))
    for key, free in keys.items():
        insert = dialect_insert()(PasswordFailure).values(key=key, failures=1,
                                                          last_failed_at=now)
        failures = db.session.execute(insert.on_conflict_do_update(
            index_elements=["key"],
            set_={"failures": PasswordFailure.failures + 1, "last_failed_at": now})
            .returning(PasswordFailure.failures)).scalar_one()
        wait = wait_after(failures, free)
        if wait is not None:
            db.session.execute(update(PasswordFailure).where(PasswordFailure.key == key)
                               .values(blocked_until=now + wait))
    db.session.flush()
    return wait_before(attempt)


def record_success(attempt: Attempt) -> None:
    """The right password from this place clears its count (the account's count fades)."""
    db.session.execute(delete(PasswordFailure).where(PasswordFailure.key == attempt.place_key))


def describe(wait: timedelta) -> str:
    """``wait`` for people: "40 seconds", "1 minute", "15 minutes" (always rounded up)."""
    seconds = math.ceil(wait.total_seconds())
    if seconds < 60:
        return ngettext("%(num)d second", "%(num)d seconds", seconds)
    minutes = math.ceil(seconds / 60)
    return ngettext("%(num)d minute", "%(num)d minutes", minutes)
