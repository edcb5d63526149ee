"""Reminders for assigned modules, run by ``flask reminders send`` and 'send now'.

Each assignment has a schedule: some days before the due date (default 14
and 3), on the due date (0), then every N days while overdue (default
weekly), and after M days overdue (default 14) a note to the person's
department lead — the nearest lead up the department tree. Every reminder
is queued through the Outbox and recorded as a ``Reminder`` whose
``dedupe_key`` names the obligation, its due date and the stage, so running
the job twice sends nothing twice.

When the job has not run for a while, only the latest stage due is sent
(not a backlog of every missed one).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import insert, select

from lms import dates
from lms.extensions import db
from lms.i18n import current_locale
from lms.models import Assignment, Department, Module, Obligation, Reminder, User
from lms.services import audit, duedates
from lms.services.assignments import status as stored_status
from lms.services.assignments.compliance import Filters, obligation_rows
from lms.services.mail import queue_for, render_email


@dataclass
class Pending:
    """An open, not completed obligation of an active person."""

    user_id: int
    email: str
    name: str
    department_id: int | None
    due: date
    locale: str | None = None  # the language the person chose

    def key(self, assignment_id: int, stage: str) -> str:
        return f"assign:{assignment_id}:{self.user_id}:{self.due.isoformat()}:{stage}"


@contextmanager
def _url_context() -> Iterator[None]:
    """``url_for`` needs a request; cron has none."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context("/"):
        yield


def _link(endpoint: str, **values) -> str:
    return current_app.config["LMS_BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def pending(assignment: Assignment, on: date) -> list[Pending]:
    """Everyone who still has to complete ``assignment``, with their (next) due date."""
    inner = obligation_rows(Filters(assignment_id=assignment.id), None,
                  Obligation.user_id.label("user_id"), Obligation.next_due_on.label("due_on"),
                  User.email.label("email"),
                  User.name.label("name"), User.department_id.label("department_id"),
                  User.locale.label("locale"),
                  on=on).where(User.is_active_account.is_(True)).subquery()
    rows = db.session.execute(select(inner).where(inner.c.status != "completed")
                              .order_by(inner.c.user_id))
    return [Pending(user_id=r.user_id, email=r.email, name=r.name, department_id=r.department_id,
                    due=r.due_on, locale=r.locale) for r in rows]


def _existing_keys(assignment: Assignment) -> set[str]:
    return set(db.session.execute(select(Reminder.dedupe_key).where(
        Reminder.assignment_id == assignment.id)).scalars())


def _stage(assignment: Assignment, person: Pending, on: date,
           reminded_for_due: set[str]) -> tuple[str, str] | None:
    """(kind, stage) of the reminder due today for ``person``, or None."""
    days_left = (person.due - on).days
    if days_left >= 0:
        offsets = [d for d in assignment.remind_days_before if d >= days_left]
        if not offsets:
            return None
        offset = min(offsets)
        return ("due", "due") if offset == 0 else ("before", f"before-{offset}")
    overdue = -days_left
    every = assignment.overdue_every_days
    repeat = overdue // every if every else 0
    if repeat >= 1:
        return "overdue", f"overdue-{repeat}"
    # Overdue without ever having been reminded (assigned late, or a lapsed
    # renewal): say so once now rather than waiting a week.
    prefix = person.key(assignment.id, "")
    if prefix not in reminded_for_due:
        return "overdue", "overdue-0"
    return None


def _day(value: date) -> str:
    """The day in a subject line: "22 March 2026" in English, as reminders have always
    said it; the locale's long date in other languages."""
    if current_locale().language == "en":
        return f"{value.day} {value:%B %Y}"
    return dates.format_date(value, "long")


def _subject(kind: str, module: Module, due: date) -> str:
    if kind == "due":
        return _("Due today: %(title)s", title=module.title)
    if kind == "overdue":
        return _("Still to do: %(title)s (was due %(day)s)", title=module.title, day=_day(due))
    return _("Reminder: %(title)s is due on %(day)s", title=module.title, day=_day(due))


def _queue_for_person(assignment: Assignment, person: Pending, kind: str, stage: str,
                      on: date, records: list[dict], sent_by: User | None = None,
                      recorded_kind: str | None = None) -> bool:
    """Queue one reminder; append its ``Reminder`` row to ``records``. False if already sent."""
    key = person.key(assignment.id, stage)
    module = assignment.module
    message = queue_for(
        person, lambda: _subject(kind, module, person.due),
        body=lambda: render_email(
            "assignments/email/reminder.txt", name=person.name, module=module, due=person.due,
            words=duedates.due_words(person.due, on), kind=kind,
            minutes=module.estimated_minutes, link=_link("learn.module", slug=module.slug),
            home=_link("main.home")),
        kind="assignment_reminder", dedupe_key=key)
    if message is None:
        return False
    records.append({"assignment_id": assignment.id, "user_id": person.user_id,
                    "kind": recorded_kind or kind, "stage": stage, "due_on": person.due,
                    "recipient": person.email, "sent_by_id": sent_by.id if sent_by else None,
                    "outbox_message_id": message.id, "dedupe_key": key})
    return True


def _record(records: list[dict]) -> None:
    """Insert the reminder history rows in one statement (one per message is slow)."""
    if records:
        db.session.execute(insert(Reminder), records)
        records.clear()


def _leads() -> dict[int, User]:
    """Department id -> the nearest active lead at or above it."""
    departments = {d.id: d for d in db.session.execute(select(Department)).scalars()}
    lead_ids = {d.lead_id for d in departments.values() if d.lead_id}
    leads = {u.id: u for u in db.session.execute(select(User).where(
        User.id.in_(lead_ids), User.is_active_account.is_(True))).scalars()} if lead_ids else {}
    nearest: dict[int, User] = {}
    for dept_id in departments:
        current, seen = departments.get(dept_id), set()
        while current is not None and current.id not in seen:
            seen.add(current.id)
            if current.lead_id in leads:
                nearest[dept_id] = leads[current.lead_id]
                break
            current = departments.get(current.parent_id) if current.parent_id else None
    return nearest


def remind_assignment(assignment: Assignment, on: date | None = None) -> int:
    """Queue the reminders and escalations due today for one assignment; returns messages."""
    on = on or duedates.today()
    existing = _existing_keys(assignment)
    reminded_for_due = {key.rsplit(":", 1)[0] + ":" for key in existing}
    sent = 0
    records: list[dict] = []
    escalations: dict[int, list[tuple[Pending, str]]] = defaultdict(list)
    leads: dict[int, User] | None = None
    with _url_context():
        for person in pending(assignment, on):
            stage = _stage(assignment, person, on, reminded_for_due)
            if (stage is not None and person.key(assignment.id, stage[1]) not in existing
                    and _queue_for_person(assignment, person, *stage, on=on, records=records)):
                sent += 1
            overdue = (on - person.due).days
            if assignment.escalate_after_days and overdue >= assignment.escalate_after_days:
                key = person.key(assignment.id, "escalate")
                if key in existing:
                    continue
                leads = _leads() if leads is None else leads
                lead = leads.get(person.department_id) if person.department_id else None
                if lead is not None and lead.id != person.user_id:
                    escalations[lead.id].append((person, key))
        sent += _escalate(assignment, escalations, on, records)
    _record(records)
    db.session.flush()
    return sent


def _escalate(assignment: Assignment, escalations: dict[int, list[tuple[Pending, str]]],
              on: date, records: list[dict]) -> int:
    """One message per lead listing the newly escalated people; one Reminder per person."""
    sent = 0
    for lead_id, items in escalations.items():
        lead = db.session.get(User, lead_id)
        keys = sorted(key for _, key in items)
        digest = hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16]
        people = [(p.name, (on - p.due).days) for p, _ in sorted(items, key=lambda i: i[0].name)]
        message = queue_for(
            lead, lambda items=items: ngettext(
                "%(num)d person is overdue on %(title)s",
                "%(num)d people are overdue on %(title)s", len(items),
                title=assignment.module.title),
            template="assignments/email/escalation.txt", kind="assignment_escalation",
            dedupe_key=f"assign-escalate:{assignment.id}:{lead.id}:{digest}",
            lead=lead, module=assignment.module, people=people,
            days=assignment.escalate_after_days,
            link=_link("assignments.compliance", assignment=assignment.id, status="overdue"))
        if message is None:
            continue
        records.extend({"assignment_id": assignment.id, "user_id": person.user_id,
                        "kind": "escalation", "stage": "escalate", "due_on": person.due,
                        "recipient": lead.email, "sent_by_id": None,
                        "outbox_message_id": message.id, "dedupe_key": key}
                       for person, key in items)
        sent += 1
    return sent


def run_due_reminders() -> int:
    """The ``flask reminders send`` job: every active assignment of a published module.

    First reconciles the stored obligation statuses (``status.reconcile``), so
    the nightly run repairs and reports any row an event missed before anyone
    is reminded from it.
    """
    on = duedates.today()
    reconciled = stored_status.reconcile(on)
    corrected = reconciled.corrected
    if corrected:
        current_app.logger.warning("Reconciling obligation statuses corrected %d row(s): %s",
                                   len(corrected), corrected[:20])
    if reconciled.recounted:
        current_app.logger.warning(
            "Reconciling compliance counts corrected %d assignment/department pair(s): %s",
            len(reconciled.recounted), reconciled.recounted[:20])
    assignments = db.session.execute(
        select(Assignment).join(Module, Module.id == Assignment.module_id)
        .where(Assignment.deleted_at.is_(None), Module.is_published)
        .order_by(Assignment.id)).scalars().all()
    return sum(remind_assignment(assignment, on) for assignment in assignments)


def send_now(assignment: Assignment, *, actor: User) -> tuple[int, int]:
    """Remind everyone who has not completed ``assignment`` now (the admin's button).

    At most one manual reminder per person per day: pressing the button
    again the same day sends nothing twice. Returns ``(sent, already
    reminded today)`` and records ``assignment.remind`` in the audit log.
    """
    on = duedates.today()
    existing = _existing_keys(assignment)
    stage = f"manual-{on.isoformat()}"
    sent = skipped = 0
    records: list[dict] = []
    with _url_context():
        for person in pending(assignment, on):
            if person.key(assignment.id, stage) in existing:
                skipped += 1
                continue
            kind = "overdue" if person.due < on else ("due" if person.due == on else "before")
            if _queue_for_person(assignment, person, kind, stage, on=on, records=records,
                                 sent_by=actor, recorded_kind="manual"):
                sent += 1
            else:
                skipped += 1
    _record(records)
    db.session.flush()
    audit.record(actor, "assignment.remind", assignment, module=assignment.module.slug,
                 sent=sent, already_reminded=skipped)
    return sent, skipped
