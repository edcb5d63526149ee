"""The audit log: written in the transaction of the change it records."""

from __future__ import annotations

from sqlalchemy import event, select

from lms.extensions import db
from lms.models import AuditEvent, Department
from lms.services import audit


def _recorded(action: str):
    return db.session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars()


def test_an_event_is_written_with_the_change_by_a_plain_insert(app, make_user):
    actor = make_user()
    department = Department(name="Recorded")
    db.session.add(department)
    audit.record(actor, "department.create", department, name="Recorded")
    assert department.id is not None  # what the session held is written first

    flushes = []
    session_class = type(db.session())
    listener = lambda *_: flushes.append(1)  # noqa: E731
    event.listen(session_class, "after_flush", listener)
    try:
        audit.record(actor, "department.look", department)
    finally:
        event.remove(session_class, "after_flush", listener)
    assert flushes == []  # no unit of work for the event itself

    [created] = _recorded("department.create")
    assert (created.actor_id, created.target_type, created.target_id, created.details) == (
        actor.id, "Department", department.id, {"name": "Recorded"})
    assert created.created_at is not None
    db.session.rollback()
    assert list(_recorded("department.create")) == list(_recorded("department.look")) == []
