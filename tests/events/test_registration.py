"""Registering, the FIFO waitlist, promotion and the rules that refuse a registration."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from lms import clock
from lms.extensions import db
from lms.models import AuditEvent, Offering, OutboxMessage, Registration, utcnow
from lms.services.errors import DomainError
from lms.services.events import offerings as events
from lms.services.events import registration as event_registration


def _commit(fn, *args, **kwargs):
    """Run a service call the way a view does: commit on success, roll back on error."""
    try:
        result = fn(*args, **kwargs)
    except DomainError:
        db.session.rollback()
        raise
    db.session.commit()
    return result


def _outbox(to: str, kind: str) -> list[OutboxMessage]:
    return list(db.session.execute(select(OutboxMessage).where(
        OutboxMessage.to_address == to, OutboxMessage.kind == kind)).scalars())


def test_registering_takes_a_seat_and_emails_a_calendar_file(make_user, make_offering):
    offering = make_offering(capacity=2)
    learner = make_user()
    registration = _commit(event_registration.register, learner, offering)
    assert registration.status == "registered"
    assert offering.seats_taken == 1
    [mail] = _outbox(learner.email, "event_registered")
    assert mail.attachment_name.endswith(".ics")
    assert mail.attachment_type == "text/calendar"
    assert offering.training.title in mail.subject


def test_full_offering_puts_people_on_a_fifo_waitlist(make_user, make_offering):
    offering = make_offering(capacity=1)
    first, second, third = make_user(), make_user(), make_user()
    assert _commit(event_registration.register, first, offering).status == "registered"
    w1 = _commit(event_registration.register, second, offering)
    w2 = _commit(event_registration.register, third, offering)
    assert (w1.status, w2.status) == ("waitlisted", "waitlisted")
    assert w1.waitlist_position < w2.waitlist_position
    assert offering.seats_taken == 1
    assert _outbox(second.email, "event_waitlisted")


def test_cancelling_promotes_the_first_in_line_and_tells_them(make_user, make_offering):
    offering = make_offering(capacity=1)
    first, second, third = make_user(), make_user(), make_user()
    seat = _commit(event_registration.register, first, offering)
    waiting = _commit(event_registration.register, second, offering)
    later = _commit(event_registration.register, third, offering)

    promoted = _commit(event_registration.cancel, seat, actor=first)

    assert [r.user_id for r in promoted] == [second.id]
    assert db.session.get(Registration, seat.id).status == "cancelled"
    assert db.session.get(Registration, waiting.id).status == "registered"
    assert db.session.get(Registration, later.id).status == "waitlisted"
    assert offering.seats_taken == 1
    [mail] = _outbox(second.email, "event_promoted")
    assert "seat" in mail.subject.lower()
    assert mail.attachment_data  # the calendar entry comes with the good news


def test_the_changed_rows_show_their_new_state_before_the_commit(make_user, make_offering,
                                                                 count_queries):
    """Seat counts, waitlist counters and compare-and-set changes come back from their
    UPDATEs: the objects in hand show the database's values without reading them again."""
    offering = make_offering(capacity=1)
    first, second = make_user(), make_user()
    seat = _commit(event_registration.register, first, offering)
    waiting = _commit(event_registration.register, second, offering)

    promoted = event_registration.cancel(seat, actor=first)
    with count_queries() as counter:
        shown = (seat.status, seat.cancelled_at is not None, seat.waitlist_position,
                 promoted[0].status, promoted[0].promoted_at is not None,
                 offering.seats_taken, offering.waitlist_counter)
    assert shown == ("cancelled", True, None, "registered", True, 1, 1)
    assert counter.count == 0
    db.session.commit()
    db.session.expire_all()
    assert (seat.status, waiting.status, offering.seats_taken) == ("cancelled", "registered", 1)


def test_leaving_the_waitlist_frees_no_seat(make_user, make_offering):
    offering = make_offering(capacity=1)
    first, second = make_user(), make_user()
    _commit(event_registration.register, first, offering)
    waiting = _commit(event_registration.register, second, offering)
    assert _commit(event_registration.cancel, waiting, actor=second) == []
    assert offering.seats_taken == 1


def test_registering_twice_is_refused_and_changes_nothing(make_user, make_offering):
    offering = make_offering(capacity=5)
    learner = make_user()
    _commit(event_registration.register, learner, offering)
    with pytest.raises(DomainError, match="already registered"):
        _commit(event_registration.register, learner, offering)
    assert offering.seats_taken == 1
    assert db.session.scalar(select(func.count(Registration.id))) == 1


def test_register_again_after_cancelling_reuses_the_place(make_user, make_offering):
    offering = make_offering(capacity=5)
    learner = make_user()
    registration = _commit(event_registration.register, learner, offering)
    _commit(event_registration.cancel, registration, actor=learner)
    again = _commit(event_registration.register, learner, offering)
    assert again.id == registration.id
    assert again.status == "registered"
    assert offering.seats_taken == 1


def test_a_place_claimed_meanwhile_gives_the_seat_it_took_back(make_user, make_offering):
    offering = make_offering(capacity=5)
    learner = make_user()
    registration = _commit(event_registration.register, learner, offering)
    _commit(event_registration.cancel, registration, actor=learner)
    db.session.execute(update(Registration).values(status="registered"))  # another tab
    db.session.execute(update(Offering).values(seats_taken=1))
    db.session.commit()
    with pytest.raises(DomainError, match="already registered"):
        # The page read the place while it was still cancelled.
        event_registration.register(learner, offering, place=registration)
    db.session.rollback()
    assert offering.seats_taken == 1
    assert offering.waitlist_counter == 0


def test_register_again_at_a_full_session_joins_the_back_of_the_line(make_user,
                                                                      make_offering):
    offering = make_offering(capacity=1)
    learner, other, third = make_user(), make_user(), make_user()
    registration = _commit(event_registration.register, learner, offering)
    _commit(event_registration.cancel, registration, actor=learner)
    _commit(event_registration.register, other, offering)
    waiting = _commit(event_registration.register, third, offering)
    again = _commit(event_registration.register, learner, offering)
    assert (again.id, again.status) == (registration.id, "waitlisted")
    assert again.waitlist_position == waiting.waitlist_position + 1
    assert db.session.scalar(select(Registration.waitlist_position).where(
        Registration.id == again.id)) == again.waitlist_position
    assert offering.seats_taken == 1


@pytest.mark.parametrize("setup, message", [
    (dict(starts_in=timedelta(days=-1)), "already taken place"),
    (dict(starts_in=timedelta(minutes=-30)), "already started"),
    (dict(registration_closes_at=lambda now: now - timedelta(hours=1)), "Registration closed"),
    (dict(registration_opens_at=lambda now: now + timedelta(days=1)), "Registration opens"),
])
def test_registration_outside_the_window_is_refused(make_user, make_offering, setup, message):
    now = utcnow()
    kwargs = {k: (v(now) if callable(v) else v) for k, v in setup.items()}
    offering = make_offering(**kwargs)
    with pytest.raises(DomainError, match=message):
        _commit(event_registration.register, make_user(), offering)
    assert db.session.scalar(select(func.count(Registration.id))) == 0
    db.session.refresh(offering)
    assert offering.seats_taken == 0


def test_cancelled_offering_refuses_registration(make_user, make_offering, admin):
    offering = make_offering()
    _commit(events.cancel_offering, offering, actor=admin)
    with pytest.raises(DomainError, match="cancelled"):
        _commit(event_registration.register, make_user(), offering)


def test_audience_rules(app, make_user, make_offering, make_department):
    app.config["LMS_INTERNAL_EMAIL_DOMAINS"] = "example.edu"
    pediatrics, cardiology = make_department("Pediatrics"), make_department("Cardiology")
    outsider = make_user(email="nurse@partner-clinic.org")
    internal = make_offering()
    with pytest.raises(DomainError, match="members of the institution"):
        _commit(event_registration.register, outsider, internal)
    open_session = make_offering(audience="open", fee_note="$50 for external participants")
    assert _commit(event_registration.register, outsider, open_session).status == "registered"
    team = make_offering(audience="department", department_id=pediatrics.id)
    with pytest.raises(DomainError, match="reserved for Pediatrics"):
        _commit(event_registration.register, make_user(department=cardiology), team)
    assert _commit(event_registration.register, make_user(department=pediatrics),
                   team).status == "registered"


def test_cancel_after_start_is_refused(make_user, make_offering):
    offering = make_offering()
    learner = make_user()
    registration = _commit(event_registration.register, learner, offering)
    with clock.frozen_at(offering.starts_at + timedelta(minutes=5)), \
            pytest.raises(DomainError, match="already started"):
        _commit(event_registration.cancel, registration, actor=learner)
    assert db.session.get(Registration, registration.id).status == "registered"


def test_capacity_cannot_drop_below_seats_taken(make_user, make_offering, admin):
    offering = make_offering(capacity=3)
    for _ in range(3):
        _commit(event_registration.register, make_user(), offering)
    data = _data(offering, capacity=2)
    with pytest.raises(DomainError, match="3 people are already registered") as caught:
        _commit(events.update_offering, offering, data, actor=admin)
    assert caught.value.field == "capacity"
    db.session.refresh(offering)
    assert (offering.capacity, offering.seats_taken, offering.sequence) == (3, 3, 0)


def test_more_capacity_promotes_the_waitlist_in_order(make_user, make_offering, admin):
    offering = make_offering(capacity=1)
    people = [make_user() for _ in range(4)]
    regs = [_commit(event_registration.register, p, offering) for p in people]
    _commit(events.update_offering, offering, _data(offering, capacity=3), actor=admin)
    statuses = [db.session.get(Registration, r.id).status for r in regs]
    assert statuses == ["registered", "registered", "registered", "waitlisted"]
    assert offering.seats_taken == 3


def test_end_before_start_is_refused_at_the_field(make_offering, admin):
    offering = make_offering()
    data = _data(offering, ends_at=offering.starts_at - timedelta(minutes=1))
    with pytest.raises(DomainError) as caught:
        _commit(events.update_offering, offering, data, actor=admin)
    assert caught.value.field == "ends_at"
    with pytest.raises(DomainError, match="end after it starts"):
        _commit(events.create_offering, offering.training, data, actor=admin)


def test_every_change_raises_sequence_and_is_audited(make_offering, admin):
    offering = make_offering()
    _commit(events.update_offering, offering, _data(offering, notes="Bring a pen."), actor=admin)
    _commit(events.update_offering, offering,
            _data(offering, starts_at=offering.starts_at + timedelta(hours=1),
                  ends_at=offering.ends_at + timedelta(hours=1)), actor=admin)
    assert offering.sequence == 2
    actions = db.session.execute(select(AuditEvent.action).where(
        AuditEvent.target_type == "Offering")).scalars().all()
    assert actions.count("offering.update") == 2


def _data(offering, **changes) -> events.OfferingData:
    values = {name: getattr(offering, name) for name in events.EDITABLE_FIELDS}
    values["capacity"] = offering.capacity
    values.update(changes)
    return events.OfferingData(**values)
