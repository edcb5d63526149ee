"""The day-before reminders: ``flask events send-reminders`` is safe to run repeatedly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from lms import clock
from lms.extensions import db
from lms.models import OutboxMessage
from lms.services.events import offerings as events
from lms.services.events import registration as event_registration


def test_reminders_go_once_to_seat_holders_of_tomorrows_sessions(runner, admin, make_user,
                                                                 make_offering):
    now = datetime(2031, 5, 6, 14, 0, tzinfo=UTC)  # 10:00 in Detroit
    with clock.frozen_at(now):
        tomorrow = make_offering(starts_in=timedelta(days=1), capacity=1)
        next_week = make_offering(starts_in=timedelta(days=7))
        cancelled = make_offering(starts_in=timedelta(days=1))
        seated, waiting, later = make_user(), make_user(), make_user()
        event_registration.register(seated, tomorrow)
        event_registration.register(waiting, tomorrow)
        event_registration.register(later, next_week)
        event_registration.register(later, cancelled)
        events.cancel_offering(cancelled, actor=admin)
        db.session.commit()

        first = runner.invoke(args=["events", "send-reminders"])
        second = runner.invoke(args=["events", "send-reminders"])

    assert first.exit_code == 0, first.output
    assert "Queued 1 reminder(s)." in first.output
    assert "Queued 0 reminder(s)." in second.output
    [reminder] = db.session.execute(select(OutboxMessage).where(
        OutboxMessage.kind == "event_reminder")).scalars()
    assert reminder.to_address == seated.email
    assert reminder.attachment_name.endswith(".ics")
    assert "video.example.edu" in reminder.body_text  # seat holders get the link


def test_a_rescheduled_session_is_reminded_again(admin, make_user, make_offering):
    from lms.services.events.mail import send_reminders

    offering = make_offering(starts_in=timedelta(hours=20))
    event_registration.register(make_user(), offering)
    assert send_reminders() == 1
    data = events.OfferingData(**{**{n: getattr(offering, n) for n in events.EDITABLE_FIELDS},
                                  "capacity": offering.capacity,
                                  "starts_at": offering.starts_at + timedelta(hours=2),
                                  "ends_at": offering.ends_at + timedelta(hours=2)})
    events.update_offering(offering, data, actor=admin)
    assert send_reminders() == 1
    assert send_reminders() == 0
