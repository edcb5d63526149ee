"""Engagement weeks and their raffle: one entry per attended session of the week.

A draw is reproducible: the entries are sorted by person, the seed feeds
Python's ``random.Random`` (stable across runs and machines for string seeds),
and both the seed and the result go into the draw record and the audit log,
so anyone can re-run ``draw_winners(entries, seed, count)`` and check it.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from lms.dates import format_date
from lms.extensions import db
from lms.localtime import today
from lms.models import (
    EngagementWeek,
    Offering,
    RaffleConsent,
    RaffleDraw,
    Registration,
    User,
    utcnow,
)
from lms.models.events import ACTIVE_STATUSES, ATTENDED, SCHEDULED
from lms.services import audit
from lms.services.errors import DomainError


@dataclass
class WeekData:
    name: str
    starts_on: date
    ends_on: date
    description: str = ""
    prizes: str = ""


def _apply_week(week: EngagementWeek, data: WeekData) -> None:
    name = (data.name or "").strip()
    if not name:
        raise DomainError(_("Give the week a name."), field="name")
    if data.starts_on is None:
        raise DomainError(_("Give the first day."), field="starts_on")
    if data.ends_on is None:
        raise DomainError(_("Give the last day."), field="ends_on")
    if data.ends_on < data.starts_on:
        raise DomainError(_("The last day cannot be before the first day."), field="ends_on")
    taken = db.session.execute(select(EngagementWeek.id).where(
        EngagementWeek.name == name, EngagementWeek.id != (week.id or -1))).first()
    if taken:
        raise DomainError(_("Another event week already has this name."), field="name")
    week.name = name
    week.starts_on = data.starts_on
    week.ends_on = data.ends_on
    week.description = (data.description or "").strip()
    week.prizes = (data.prizes or "").strip()


def create_week(data: WeekData, *, actor: User | None) -> EngagementWeek:
    """Create an event week. Raises ``DomainError`` for a missing or taken name or bad dates."""
    week = EngagementWeek()
    _apply_week(week, data)
    db.session.add(week)
    db.session.flush()
    audit.record(actor, "engagement_week.create", week, name=week.name)
    return week


def update_week(week: EngagementWeek, data: WeekData, *, actor: User | None) -> EngagementWeek:
    """Change an event week. Raises ``DomainError`` like ``create_week``."""
    _apply_week(week, data)
    db.session.flush()
    audit.record(actor, "engagement_week.update", week, name=week.name)
    return week


def entries_for_week(week_id: int) -> dict[int, int]:
    """Raffle entries per user id: attended sessions of the week (one grouped query).

    The raffle is for the institution's people: external participants have no entries."""
    rows = db.session.execute(
        select(Registration.user_id, func.count(Registration.id))
        .join(Offering, Offering.id == Registration.offering_id)
        .where(Offering.engagement_week_id == week_id, Offering.status == SCHEDULED,
               Registration.user_id.is_not(None),
               Registration.attendance == ATTENDED,
               Registration.status.in_(ACTIVE_STATUSES))
        .group_by(Registration.user_id))
    return {user_id: count for user_id, count in rows.all()}


def draw_winners(entries: dict[int, int], seed: str, count: int) -> list[int]:
    """Pick ``count`` different people, each with chances proportional to their entries.

    Pure and deterministic: the same entries, seed and count give the same winners.
    """
    rng = random.Random(seed)
    pool = sorted((user_id, n) for user_id, n in entries.items() if n > 0)
    winners: list[int] = []
    for _draw in range(min(count, len(pool))):
        total = sum(n for _, n in pool)
        ticket = rng.randrange(total)
        for index, (user_id, n) in enumerate(pool):
            if ticket < n:
                winners.append(user_id)
                del pool[index]
                break
            ticket -= n
    return winners


def week_has_ended(week: EngagementWeek) -> bool:
    """True once the week's last day is over in the institution's time zone."""
    return today() > week.ends_on


def run_draw(week: EngagementWeek, *, actor: User, count: int, seed: str | None = None,
             reason: str = "") -> RaffleDraw:
    """Draw ``count`` winners for ``week`` and record the seed, entries and result.

    A blank seed is replaced by a random one. Before the week has ended people
    can still earn entries, so an early draw needs a ``reason``, which goes into
    the audit log. Raises ``DomainError`` for an early draw without a reason (at
    ``reason``), when nobody has an entry, or ``count`` is below 1 or above the
    number of people with entries.
    """
    reason = (reason or "").strip()
    early = not week_has_ended(week)
    if early and not reason:
        raise DomainError(_("The week runs until %(day)s and people can still earn entries. "
                            "Wait until it has ended, or give the reason for drawing now.",
                            day=format_date(week.ends_on, "long")), field="reason")
    if count is None or count < 1:
        raise DomainError(_("Draw at least one winner."), field="winners")
    entries = entries_for_week(week.id)
    if not entries:
        raise DomainError(_("Nobody has an entry yet: entries come from attended sessions of "
                          "this week."), field="winners")
    if count > len(entries):
        raise DomainError(ngettext("Only %(count)s person has an entry, so at most %(count)s "
                                   "winner can be drawn.",
                                   "Only %(count)s people have entries, so at most %(count)s "
                                   "winners can be drawn.", len(entries), count=len(entries)),
                          field="winners")
    seed = (seed or "").strip()[:100] or secrets.token_hex(8)
    winners = draw_winners(entries, seed, count)
    draw = RaffleDraw(week_id=week.id, seed=seed,
                      entries={str(k): v for k, v in sorted(entries.items())},
                      winner_ids=winners, drawn_by_id=actor.id)
    db.session.add(draw)
    db.session.flush()
    details = {"early_reason": reason[:1000]} if early else {}
    audit.record(actor, "raffle.draw", week, seed=seed, winners=winners,
                 entries={str(k): v for k, v in sorted(entries.items())}, draw_id=draw.id,
                 **details)
    return draw


def consent_of(user_id: int, week_id: int) -> RaffleConsent | None:
    return db.session.execute(select(RaffleConsent).where(
        RaffleConsent.week_id == week_id, RaffleConsent.user_id == user_id)).scalar_one_or_none()


def set_consent(user: User, week: EngagementWeek, *, show_name: bool) -> RaffleConsent:
    """Record whether ``user`` agrees to be named on the week page if they win; they can
    change their answer at any time (a winner who withdraws it disappears from the page)."""
    consent = consent_of(user.id, week.id)
    if consent is None:
        consent = RaffleConsent(week_id=week.id, user_id=user.id)
        db.session.add(consent)
    consent.show_name = bool(show_name)
    consent.answered_at = utcnow()
    db.session.flush()
    audit.record(user, "raffle.consent", week, show_name=consent.show_name)
    return consent


def public_winners(draw: RaffleDraw) -> tuple[list[User], int]:
    """The winners of ``draw`` who agreed to be named, in prize order, and how many others
    won without being named (two queries)."""
    ids = list(draw.winner_ids or [])
    if not ids:
        return [], 0
    named = set(db.session.execute(select(RaffleConsent.user_id).where(
        RaffleConsent.week_id == draw.week_id, RaffleConsent.user_id.in_(ids),
        RaffleConsent.show_name.is_(True))).scalars())
    people = {u.id: u for u in db.session.execute(
        select(User).where(User.id.in_(named or {0}), User.is_active_account.is_(True))
    ).scalars()}
    shown = [people[i] for i in ids if i in people]
    return shown, len(ids) - len(shown)


def consents_for(week_id: int, user_ids) -> dict[int, bool]:
    """{user id: show name} for the people who answered (one query)."""
    return dict(db.session.execute(select(RaffleConsent.user_id, RaffleConsent.show_name).where(
        RaffleConsent.week_id == week_id, RaffleConsent.user_id.in_(list(user_ids) or [0]))
    ).all())


def leaderboard(week_id: int) -> list[tuple[User, int]]:
    """People with entries for the week, most entries first (two queries)."""
    entries = entries_for_week(week_id)
    if not entries:
        return []
    users = {u.id: u for u in db.session.execute(
        select(User).where(User.id.in_(entries))).scalars()}
    return sorted(((users[i], n) for i, n in entries.items() if i in users),
                  key=lambda pair: (-pair[1], pair[0].name.lower()))


def user_entries(user_id: int, week_id: int) -> int:
    return db.session.execute(
        select(func.count(Registration.id))
        .join(Offering, Offering.id == Registration.offering_id)
        .where(Offering.engagement_week_id == week_id, Offering.status == SCHEDULED,
               Registration.user_id == user_id, Registration.attendance == ATTENDED,
               Registration.status.in_(ACTIVE_STATUSES))).scalar_one()
