"""Two senders at once send every message once (issue 13, finding 4).

Cron's ``flask mail deliver`` and the admin's "deliver now" can run at the
same time. Both runners here talk to a real SMTP server (aiosmtpd) and to the
test database (SQLite, or PostgreSQL with ``TEST_DATABASE_URL``) from their
own threads, sessions and connections.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import OutboxMessage, utcnow
from lms.services.mail import deliver_pending, queue_email
from tests.mailbox import running_smtp
from tests.test_mail import _use_smtp

# Delivery commits its claims on its own connection; the races need real commits.
pytestmark = pytest.mark.commits

MESSAGES = 30


class SlowHandler:
    """Accepts each message after a short pause, so two senders overlap."""

    def __init__(self):
        self.recipients: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.01)
        self.recipients.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


@pytest.fixture
def slow_smtp():
    """A real SMTP server that takes a moment per message; yields ``(port, handler)``."""
    handler = SlowHandler()
    with running_smtp(handler) as port:
        yield port, handler


def _in_threads(app, work, count: int = 2) -> list:
    """Run ``work()`` in ``count`` threads at once, each in its own app context."""
    start = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        with app.app_context():
            start.wait()
            try:
                results[index] = work()
            except Exception as error:  # surfaced by the assertion below
                db.session.rollback()
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _deliver_and_commit():
    result = deliver_pending()
    db.session.commit()
    return result


def test_two_senders_at_once_send_each_message_once(app, slow_smtp):
    port, handler = slow_smtp
    _use_smtp(app, port)
    for n in range(MESSAGES):
        queue_email(f"person{n}@example.edu", f"Message {n}", "Body")
    db.session.commit()

    results = _in_threads(app, _deliver_and_commit)

    assert all(isinstance(r, tuple) for r in results), results
    assert sum(sent for sent, _ in results) == MESSAGES
    assert sum(failed for _, failed in results) == 0
    counts = Counter(handler.recipients)
    assert len(counts) == MESSAGES and set(counts.values()) == {1}, counts.most_common(3)
    rows = db.session.execute(select(OutboxMessage.status, OutboxMessage.attempts)).all()
    assert {tuple(row) for row in rows} == {("sent", 1)}  # every attempt counted, once


def test_a_claim_left_by_a_crashed_sender_is_never_sent_again(app, slow_smtp):
    port, handler = slow_smtp
    _use_smtp(app, port)
    message = queue_email("ana@example.edu", "Hello", "Body")
    message.status, message.claimed_at = "sending", utcnow() - timedelta(hours=2)
    db.session.commit()

    assert deliver_pending() == (0, 0)
    db.session.refresh(message)
    assert message.status == "failed" and "may have arrived" in message.last_error
    assert handler.recipients == []


def test_two_reminder_runs_at_once_queue_a_message_once(app):
    """Every reminder job queues through ``queue_email`` with a ``dedupe_key``."""
    def queue_and_hold():
        message = queue_email("ana@example.edu", "Due soon", "Body", dedupe_key="reminder:1")
        db.session.commit()
        return message is not None

    results = _in_threads(app, queue_and_hold)

    assert sorted(results) == [False, True], results  # the later run queued nothing, no error
    keys = db.session.scalars(select(OutboxMessage.dedupe_key)).all()
    assert keys == ["reminder:1"]
