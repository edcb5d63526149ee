"""Team training requests: a department asks for a facilitated session for its group;
the programme office triages them (new / scheduled / declined, with a note), and
scheduling one creates an offering reserved for that department."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from lms.extensions import db
from lms.models import Department, TeamRequest, Training, User, utcnow
from lms.models.events import DECLINED, NEW, SCHEDULED
from lms.services import audit
from lms.services.errors import DomainError
from lms.services.events import mail as event_mail
from lms.services.events import offerings as events

MAX_GROUP = 2000


def min_group_size() -> int:
    """The smallest group a team session can be requested for (LMS_TEAM_REQUEST_MIN_SIZE)."""
    return max(int(current_app.config["LMS_TEAM_REQUEST_MIN_SIZE"]), 1)


@dataclass
class RequestData:
    topic: str
    group_size: int
    preferred_dates: str
    contact_name: str
    contact_email: str
    department_id: int | None = None
    training_id: int | None = None
    details: str = ""


def create_request(data: RequestData, *, requester: User) -> TeamRequest:
    """Record a request. Raises ``DomainError`` at the field for a missing topic, dates
    or contact, a group size out of range (below ``min_group_size()`` or above
    ``MAX_GROUP``), or an unknown department or training."""
    topic = (data.topic or "").strip()
    if not topic and data.training_id:
        training = db.session.get(Training, data.training_id)
        topic = training.title if training else ""
    if not topic:
        raise DomainError(_("Say what the session should be about."), field="topic")
    smallest = min_group_size()
    if data.group_size is None or not smallest <= data.group_size <= MAX_GROUP:
        raise DomainError(group_size_message(smallest), field="group_size")
    if not (data.preferred_dates or "").strip():
        raise DomainError(_("Give one or more dates or periods that suit the group."),
                          field="preferred_dates")
    if not (data.contact_name or "").strip():
        raise DomainError(_("Give a contact name."), field="contact_name")
    if not (data.contact_email or "").strip():
        raise DomainError(_("Give a contact email."), field="contact_email")
    if data.department_id and db.session.get(Department, data.department_id) is None:
        raise DomainError(_("That department no longer exists."), field="department_id")
    if data.training_id and db.session.get(Training, data.training_id) is None:
        raise DomainError(_("That training no longer exists."), field="training_id")
    request = TeamRequest(
        requester_id=requester.id, department_id=data.department_id or None,
        training_id=data.training_id or None, topic=topic[:300], group_size=data.group_size,
        preferred_dates=data.preferred_dates.strip(), contact_name=data.contact_name.strip(),
        contact_email=data.contact_email.strip().lower(), details=(data.details or "").strip(),
        status=NEW)
    db.session.add(request)
    db.session.flush()
    audit.record(requester, "team_request.create", request, topic=request.topic)
    return request


def group_size_message(smallest: int) -> str:
    return _("Team sessions are for groups of %(smallest)s to %(largest)s people. For a "
             "smaller group, register for one of the scheduled sessions instead.",
             smallest=format_number(smallest), largest=format_number(MAX_GROUP))


def decline_request(request: TeamRequest, *, actor: User, note: str) -> TeamRequest:
    """Decline with a note the contact will read. Raises ``DomainError`` without a note or
    when the request was already scheduled."""
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Add a note saying why, so the department knows what to do next."),
                          field="note")
    if request.status == SCHEDULED:
        raise DomainError(_("This request was already scheduled; cancel the session instead."))
    request.status = DECLINED
    request.admin_note = note
    request.triaged_by_id = actor.id
    request.triaged_at = utcnow()
    db.session.flush()
    audit.record(actor, "team_request.decline", request)
    event_mail.notify_request_update(request)
    return request


def save_note(request: TeamRequest, *, actor: User, note: str) -> TeamRequest:
    """Keep an internal working note on a request without changing its status."""
    request.admin_note = (note or "").strip()
    db.session.flush()
    audit.record(actor, "team_request.note", request)
    return request


def schedule_request(request: TeamRequest, *, actor: User, training: Training,
                     data: events.OfferingData, note: str = ""):
    """Create the offering for a request and mark it scheduled; emails the contact.

    Raises ``DomainError`` when the request is not new, or for invalid offering data.
    """
    if request.status != NEW:
        raise DomainError(_("Only new requests can be scheduled."))
    offering = events.create_offering(training, data, actor=actor)
    request.status = SCHEDULED
    request.offering_id = offering.id
    request.training_id = training.id
    if note.strip():
        request.admin_note = note.strip()
    request.triaged_by_id = actor.id
    request.triaged_at = utcnow()
    db.session.flush()
    audit.record(actor, "team_request.schedule", request, offering_id=offering.id)
    event_mail.notify_request_update(request)
    return offering


def list_requests(status: str | None = None) -> list[TeamRequest]:
    query = (select(TeamRequest)
             .options(joinedload(TeamRequest.department), joinedload(TeamRequest.requester),
                      joinedload(TeamRequest.training))
             .order_by(TeamRequest.created_at.desc(), TeamRequest.id.desc()))
    if status:
        query = query.where(TeamRequest.status == status)
    return list(db.session.execute(query).scalars())


def requests_of(user: User) -> list[TeamRequest]:
    return list(db.session.execute(
        select(TeamRequest).options(joinedload(TeamRequest.offering))
        .where(TeamRequest.requester_id == user.id)
        .order_by(TeamRequest.created_at.desc())).scalars())


def status_counts() -> dict[str, int]:
    rows = db.session.execute(select(TeamRequest.status, func.count(TeamRequest.id))
                              .group_by(TeamRequest.status))
    return dict(rows.all())
