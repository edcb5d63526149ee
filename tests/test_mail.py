"""Mail goes through the Outbox; with MAIL_SERVER set it is delivered over real SMTP."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import OutboxMessage
from lms.services.mail import MAX_ATTEMPTS, deliver_pending, queue_email
from tests.mailbox import free_port, running_smtp

# Delivery commits its claims on its own connection; the races need real commits.
pytestmark = pytest.mark.commits


class RecordingHandler:
    """Keeps every message the SMTP server accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1; yields ``(port, handler)``."""
    handler = RecordingHandler()
    with running_smtp(handler) as port:
        yield port, handler


def _use_smtp(app, port):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                      MAIL_USE_SSL=False, MAIL_DEFAULT_SENDER="ally@example.edu")


def test_queue_dedupes_by_key(app):
    first = queue_email("a@example.edu", "Due soon", "Body", dedupe_key="reminder:1")
    again = queue_email("a@example.edu", "Due soon", "Body", dedupe_key="reminder:1")
    assert first is not None and again is None
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1


def test_without_mail_server_messages_stay_in_the_outbox(app):
    queue_email("a@example.edu", "Hello", "Body")
    db.session.commit()
    assert deliver_pending() == (0, 0)
    message = db.session.execute(select(OutboxMessage)).scalar_one()
    assert message.status == "queued" and message.attempts == 0


def test_delivers_through_a_real_smtp_server(app, smtp_server):
    port, handler = smtp_server
    _use_smtp(app, port)
    queue_email("ana@example.edu", "Your certificate", "Well done, Ana.",
                attachment=("certificate.pdf", "application/pdf", b"%PDF-1.4 fake"))
    queue_email("sam@example.edu", "Reminder", "Due Friday.")
    db.session.commit()

    assert deliver_pending() == (2, 0)
    db.session.commit()

    assert [e.rcpt_tos for e in handler.envelopes] == [["ana@example.edu"], ["sam@example.edu"]]
    first = handler.envelopes[0]
    assert first.mail_from == "ally@example.edu"
    content = first.content.decode()
    assert "Subject: Your certificate" in content
    assert "Well done, Ana." in content
    assert 'filename="certificate.pdf"' in content
    statuses = db.session.execute(select(OutboxMessage.status, OutboxMessage.sent_at)).all()
    assert all(status == "sent" and sent_at is not None for status, sent_at in statuses)

    # Running again sends nothing twice.
    assert deliver_pending() == (0, 0)
    assert len(handler.envelopes) == 2


def test_unreachable_server_keeps_messages_and_gives_up_after_retries(app):
    _use_smtp(app, free_port())  # nothing listens there
    queue_email("ana@example.edu", "Hello", "Body")
    db.session.commit()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert deliver_pending() == (0, 1)
        db.session.commit()
        message = db.session.execute(select(OutboxMessage)).scalar_one()
        assert message.attempts == attempt
        assert message.last_error.startswith("connect:")
    assert message.status == "failed"
    assert deliver_pending() == (0, 0)


def test_cli_deliver(app, runner, smtp_server):
    port, handler = smtp_server
    result = runner.invoke(args=["mail", "deliver"])
    assert "MAIL_SERVER is not set" in result.output
    _use_smtp(app, port)
    queue_email("ana@example.edu", "Hello", "Body")
    db.session.commit()
    result = runner.invoke(args=["mail", "deliver"])
    assert result.exit_code == 0, result.output
    assert "Sent 1, failed 0." in result.output
    assert len(handler.envelopes) == 1


@pytest.fixture
def admin(make_user, auth):
    user = make_user(roles=("admin",))
    auth.login(user)
    return user


def test_admin_reads_the_outbox_without_a_mail_server(client, admin):
    message = queue_email("ana@example.edu", "Reset your password",
                          "Open <this> link: http://lms.test/auth/reset/abc")
    db.session.commit()
    listing = client.get("/admin/outbox").get_data(as_text=True)
    assert "No mail server is configured" in listing
    assert "Reset your password" in listing
    assert "Send queued messages now" not in listing
    page = client.get(f"/admin/outbox/{message.id}").get_data(as_text=True)
    assert "Open &lt;this&gt; link: http://lms.test/auth/reset/abc" in page
    refused = client.post("/admin/outbox/deliver", follow_redirects=True)
    assert "No mail server is configured" in refused.get_data(as_text=True)
    assert client.get("/admin/outbox/424242").status_code == 404


def test_admin_sends_queued_messages_from_the_outbox(app, client, admin, smtp_server):
    port, handler = smtp_server
    _use_smtp(app, port)
    queue_email("ana@example.edu", "Hello", "Body")
    db.session.commit()
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "Send queued messages now" in page
    response = client.post("/admin/outbox/deliver", follow_redirects=True)
    assert "Sent 1 message; 0 could not be sent." in response.get_data(as_text=True)
    assert len(handler.envelopes) == 1
    sent = client.get("/admin/outbox", query_string={"status": "sent"}).get_data(as_text=True)
    assert "ana@example.edu" in sent


def test_outbox_list_query_count_does_not_grow(client, admin, count_queries):
    for i in range(3):
        queue_email(f"p{i}@example.edu", "Hello", "Body")
    db.session.commit()
    client.get("/admin/outbox")  # the navigation's counts are kept from the first page on
    with count_queries() as few:
        client.get("/admin/outbox")
    for i in range(40):
        queue_email(f"q{i}@example.edu", "Hello", "Body")
    db.session.commit()
    with count_queries() as many:
        client.get("/admin/outbox")
    assert many.count == few.count


@pytest.mark.parametrize("dedupe_key", [None, "once:1"])
def test_a_queued_message_is_not_read_back_and_later_changes_are_written(app, count_queries,
                                                                        dedupe_key):
    with count_queries() as counter:
        message = queue_email("a@example.edu", "Subject", "Body", kind="test",
                              dedupe_key=dedupe_key, attachment=("a.ics", "text/calendar", b"X"))
        seen = (message.id, message.to_address, message.status, message.attempts,
                message.secret_ref, message.attachment_data, message.created_at)
    assert counter.count == 1, counter.statements  # the insert alone
    assert seen[1:6] == ("a@example.edu", "queued", 0, None, "WA==")
    message.secret_ref = "test:1"
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(OutboxMessage, seen[0])
    assert (stored.secret_ref, stored.kind, stored.dedupe_key, stored.created_at) == (
        "test:1", "test", dedupe_key, seen[6])
