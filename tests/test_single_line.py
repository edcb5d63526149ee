"""Control characters never reach a header (issue 13, finding 3).

Single-line fields refuse them with a message at the field; a message that
still carries one (an old row, an import) is marked failed with its reason
while the rest of the Outbox goes out, and nothing is sent twice.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.formtools import SINGLE_LINE_MESSAGE
from lms.models import OutboxMessage, Training
from lms.services.mail import deliver_pending, queue_email
from lms.text import has_control_characters
from tests.test_mail import _use_smtp, smtp_server  # noqa: F401 (fixture)

INJECTIONS = ["Ana\r\nBcc: everyone@example.edu", "Ana\nX", "Ana\rX", "Ana\tLee", "Ana\x00",
              "Ana\u2028Lee", "Ana\x85Lee"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_control_characters_are_found(value):
    assert has_control_characters(value)


@pytest.mark.parametrize("value", ["Ana Lee", "Zoë Ødegård", "李华", "Ana (she/her)"])
def test_ordinary_names_pass(value):
    assert not has_control_characters(value)


@pytest.mark.parametrize("value", INJECTIONS[:3])
def test_display_name_refuses_a_line_break_at_the_field(client, auth, make_user, value):
    user = make_user(name="Ana Lee")
    auth.login(user)
    response = client.post("/profile", data={"name": value, "pronouns": ""})
    assert response.status_code in (200, 422)
    page = response.get_data(as_text=True)
    assert "Please keep this to one line" in page
    assert "Bcc: everyone" in page or "Ana" in page  # what was typed is kept
    db.session.refresh(user)
    assert user.name == "Ana Lee"


def test_training_title_refuses_a_line_break(client, auth, make_user):
    auth.login(make_user(roles=("admin", "learner")))
    response = client.post("/events/manage/trainings/new",
                           data={"title": "Allyship\r\nBcc: all@example.edu",
                                 "description": "Two lines\nare fine here."})
    assert response.status_code in (200, 422)
    assert SINGLE_LINE_MESSAGE in response.get_data(as_text=True)
    assert db.session.scalar(select(Training.id)) is None


def test_text_areas_keep_their_line_breaks(client, auth, make_user):
    auth.login(make_user(roles=("admin", "learner")))
    response = client.post("/events/manage/trainings/new",
                           data={"title": "Allyship", "description": "Two lines\nare fine."})
    assert response.status_code == 303
    assert db.session.scalar(select(Training.description)) == "Two lines\nare fine."


def test_one_bad_message_fails_alone_and_nothing_is_sent_twice(app, smtp_server):  # noqa: F811
    port, handler = smtp_server
    _use_smtp(app, port)
    queue_email("first@example.edu", "Welcome", "Body")
    bad = queue_email("ana@example.edu", "Hello Ana\r\nBcc: everyone@example.edu", "Body")
    queue_email("last@example.edu", "Reminder", "Body")
    db.session.commit()

    assert deliver_pending() == (2, 1)
    db.session.commit()
    assert [e.rcpt_tos for e in handler.envelopes] == [["first@example.edu"],
                                                        ["last@example.edu"]]
    db.session.refresh(bad)
    assert bad.status == "failed"
    assert bad.last_error.startswith("refused:") and "linefeed" in bad.last_error.lower()

    assert deliver_pending() == (0, 0)  # the next run sends nothing again
    assert len(handler.envelopes) == 2
    statuses = db.session.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id))
    assert list(statuses) == ["sent", "failed", "sent"]
