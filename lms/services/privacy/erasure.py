"""Erasure of a leaver (GDPR art. 17), done by an admin.

What goes: the person's name, email and pronouns (replaced by a neutral
label and an address that cannot receive mail), password and sign-in
token, every piece of free text they wrote about themselves (reflections
and their revisions, the feedback on them, their action plan), their
notifications, calendar feeds, prepared downloads, mentor links and mail
still addressed to them. What stays: the records that make up the counts --
enrolments, step progress, module completions, certificates (issued to the
neutral label), registrations and attendance -- so completion figures and
released aggregates do not change; anonymous evaluation answers were never
linked to the person and are untouched. The account is deactivated, so the
person no longer counts as staff.

Each area's part is one :data:`ERASERS` entry (as with the export sections,
an area that stores something new about people adds one). Afterwards a
sweep replaces the old name and email wherever they still occur in any text
or JSON column of any table (notification texts and mail bodies addressed
to others, audit details, a team request's contact), so nothing the areas
forgot can keep them. The audit entry names the account by id only.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import delete, or_, select

from lms.extensions import db
from lms.models import (
    ActionPlan,
    Application,
    ApplicationReview,
    Base,
    CalendarFeed,
    Certificate,
    Champion,
    ChampionActivity,
    CoauthorInvitation,
    DataExport,
    ExternalIdentity,
    MentorLink,
    Notification,
    NotificationPreference,
    OutboxMessage,
    RaffleConsent,
    Submission,
    User,
)
from lms.services import audit
from lms.services.privacy.withdrawal import erase_text

ERASED_DOMAIN = "erased.invalid"  # RFC 2606: never deliverable


def _reflections(user: User) -> None:
    for submission in db.session.scalars(select(Submission).where(
            Submission.user_id == user.id)):
        erase_text(submission)


def _action_plan(user: User) -> None:
    plan = db.session.scalar(select(ActionPlan).where(ActionPlan.user_id == user.id))
    if plan is not None:
        db.session.delete(plan)  # goals, actions, check-ins and comments go with it


def _messages(user: User) -> None:
    db.session.execute(delete(Notification).where(Notification.user_id == user.id))
    db.session.execute(delete(NotificationPreference).where(
        NotificationPreference.user_id == user.id))
    db.session.execute(delete(OutboxMessage).where(
        sa.func.lower(OutboxMessage.to_address) == user.email.lower()))


def _links_and_feeds(user: User) -> None:
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    db.session.execute(delete(DataExport).where(DataExport.user_id == user.id))
    db.session.execute(delete(MentorLink).where(or_(MentorLink.learner_id == user.id,
                                                    MentorLink.mentor_id == user.id)))
    db.session.execute(delete(ExternalIdentity).where(ExternalIdentity.user_id == user.id))
    # Without a consent a raffle win is no longer named on the week page.
    db.session.execute(delete(RaffleConsent).where(RaffleConsent.user_id == user.id))
    db.session.execute(delete(CoauthorInvitation).where(
        sa.func.lower(CoauthorInvitation.email) == user.email.lower()))


def _applications_and_champions(user: User) -> None:
    # Answers are free text about oneself; the activity notes too. Nothing counted depends
    # on them (the scorecard counts active accounts only).
    mine = select(Application.id).where(Application.user_id == user.id)
    db.session.execute(delete(ApplicationReview).where(
        ApplicationReview.application_id.in_(mine)))
    db.session.execute(delete(Application).where(Application.user_id == user.id))
    db.session.execute(delete(ChampionActivity).where(ChampionActivity.user_id == user.id))
    db.session.execute(delete(Champion).where(Champion.user_id == user.id))


def _licence_number(user: User) -> None:
    """The licence number identifies the person; the certificates keep counting without."""
    user.licence_number = None
    db.session.execute(sa.update(Certificate).where(Certificate.user_id == user.id)
                       .values(licence_number=None))


ERASERS: tuple[Callable[[User], None], ...] = (_reflections, _action_plan, _messages,
                                                _links_and_feeds, _applications_and_champions,
                                                _licence_number)


def erase_person(actor: User, user: User) -> User:
    """Anonymise ``user`` everywhere; keep the records behind counts. Flushes, never commits.

    Returns the anonymised user. The audit entry records the account id only.
    """
    old_name, old_email = user.name, user.email
    for eraser in ERASERS:
        eraser(user)
    db.session.flush()
    label = f"Former member {secrets.token_hex(3)}"
    user.name = label
    user.email = f"erased-{secrets.token_hex(8)}@{ERASED_DOMAIN}"
    user.pronouns = None
    user.password_hash = None
    user.session_token = secrets.token_hex(32)  # signs out every open session
    user.is_active_account = False
    user.last_login_at = None
    user.roles = []
    user.cohorts = []
    db.session.flush()
    for needle in {old_name, old_email, old_email.lower()}:
        if needle:
            sweep(needle, label if needle == old_name else user.email)
    audit.record(actor, "person.erased", user)
    db.session.flush()
    return user


# --- the sweep ----------------------------------------------------------------------------

def _text_columns(table: sa.Table) -> list[sa.Column]:
    return [c for c in table.c if isinstance(c.type, sa.String | sa.Text)]


def _json_columns(table: sa.Table) -> list[sa.Column]:
    return [c for c in table.c if isinstance(c.type, sa.JSON)]


def _replace(value: Any, needle: str, replacement: str) -> Any:
    if isinstance(value, str):
        return value.replace(needle, replacement)
    if isinstance(value, list):
        return [_replace(v, needle, replacement) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, needle, replacement) for k, v in value.items()}
    return value


def sweep(needle: str, replacement: str) -> int:
    """Replace ``needle`` by ``replacement`` in every text and JSON column of every table;
    returns how many rows changed. One UPDATE per text column, one SELECT per JSON column
    (rows are rewritten only where the needle occurs)."""
    changed = 0
    # JSON may store non-ASCII characters escaped, so look for both spellings.
    patterns = {f"%{needle}%", f"%{json.dumps(needle)[1:-1]}%"}
    for table in Base.metadata.sorted_tables:
        for column in _text_columns(table):
            changed += db.session.execute(
                table.update().where(column.contains(needle, autoescape=True))
                .values({column.name: sa.func.replace(column, needle, replacement)})).rowcount
        key = list(table.primary_key.columns)
        for column in _json_columns(table):
            if not key:
                continue
            as_text = sa.cast(column, sa.Text)
            rows = db.session.execute(select(*key, column).where(
                or_(*[as_text.like(p) for p in patterns]))).all()
            for *ids, value in rows:
                db.session.execute(table.update().where(
                    *[k == i for k, i in zip(key, ids, strict=True)])
                    .values({column.name: _replace(value, needle, replacement)}))
                changed += 1
    return changed
