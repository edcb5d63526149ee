"""Naming ally champions per department, finding them, and their participation record
(sessions attended and activities they log with a date and a short note)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from lms import localtime
from lms.extensions import db
from lms.models import (
    CHAMPION_SOURCES,
    Champion,
    ChampionActivity,
    Department,
    Offering,
    Registration,
    Training,
    User,
    utcnow,
)
from lms.models.events import ATTENDED
from lms.services import audit
from lms.services.errors import DomainError

MAX_NOTE = 300


def assign(*, actor: User | None, user: User, department: Department,
           source: str = "admin") -> Champion:
    """Name ``user`` an ally champion of ``department`` (already one: returned unchanged).
    Raises ``DomainError`` for an inactive account."""
    if source not in CHAMPION_SOURCES:
        raise ValueError(source)
    if not user.is_active_account:
        raise DomainError(_("%(name)s's account is not active.", name=user.name), field="email")
    existing = find(user, department)
    if existing is not None:
        return existing
    champion = Champion(user_id=user.id, department_id=department.id, source=source,
                        since=utcnow(), assigned_by_id=actor.id if actor else None)
    try:
        with db.session.begin_nested():
            db.session.add(champion)
    except IntegrityError:
        found = find(user, department)
        assert found is not None
        return found
    audit.record(actor, "champion.assign", champion, user=user.email,
                 department=department.name, source=source)
    return champion


def find(user: User, department: Department) -> Champion | None:
    return db.session.execute(select(Champion).where(
        Champion.user_id == user.id, Champion.department_id == department.id)
    ).scalar_one_or_none()


def remove(*, actor: User, champion: Champion) -> None:
    """The person stops being a champion of that department (their record is kept)."""
    audit.record(actor, "champion.remove", champion, user_id=champion.user_id,
                 department_id=champion.department_id)
    db.session.delete(champion)
    db.session.flush()


def is_champion(user: User) -> bool:
    return db.session.execute(select(Champion.id).where(
        Champion.user_id == user.id).limit(1)).first() is not None


def directory(department_id: int | None = None) -> list[Champion]:
    """Champions of active accounts, by department then name (one query), optionally of
    one department."""
    query = (select(Champion).join(User, User.id == Champion.user_id)
             .join(Department, Department.id == Champion.department_id)
             .where(User.is_active_account)
             .options(selectinload(Champion.user), selectinload(Champion.department))
             .order_by(Department.name, User.name))
    if department_id is not None:
        query = query.where(Champion.department_id == department_id)
    return list(db.session.execute(query).scalars())


def log_activity(user: User, happened_on: date | None, note: str) -> ChampionActivity:
    """Add an activity to a champion's record. Raises ``DomainError`` at the field."""
    if not is_champion(user):
        raise DomainError(_("Only ally champions keep a participation record."))
    if happened_on is None:
        raise DomainError(_("Enter the date of the activity."), field="happened_on")
    if happened_on > localtime.today():
        raise DomainError(_("The date cannot be in the future."), field="happened_on")
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say in a few words what you did."), field="note")
    if len(note) > MAX_NOTE:
        raise DomainError(_("Keep the note under %(most)s characters.", most=MAX_NOTE),
                          field="note")
    activity = ChampionActivity(user_id=user.id, happened_on=happened_on, note=note)
    db.session.add(activity)
    db.session.flush()
    return activity


@dataclass
class RecordEntry:
    day: date
    kind: str  # "session" or "activity"
    text: str


def participation_record(user: User) -> list[RecordEntry]:
    """Sessions ``user`` attended and activities they logged, newest first (two queries)."""
    entries = [RecordEntry(localtime.local_date(starts_at), "session", title)
               for starts_at, title in db.session.execute(
                   select(Offering.starts_at, Training.title)
                   .join(Registration, Registration.offering_id == Offering.id)
                   .join(Training, Training.id == Offering.training_id)
                   .where(Registration.user_id == user.id,
                          Registration.attendance == ATTENDED))]
    entries += [RecordEntry(a.happened_on, "activity", a.note)
                for a in db.session.execute(select(ChampionActivity).where(
                    ChampionActivity.user_id == user.id)).scalars()]
    return sorted(entries, key=lambda e: (e.day, e.kind), reverse=True)


def champion_departments(user: User) -> list[Department]:
    return list(db.session.execute(
        select(Department).join(Champion, Champion.department_id == Department.id)
        .where(Champion.user_id == user.id).order_by(Department.name)).scalars())
