"""Notifications: the unread count in the navigation, the list, email choices, the daily
digest and reminders about reflections waiting too long."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from lms import clock
from lms.extensions import db
from lms.models import Notification, OutboxMessage
from lms.services import notifications, reminders
from lms.services.reviews import review as reviews

START = datetime(2026, 3, 2, 14, tzinfo=UTC)  # a Monday, 09:00 in Detroit


def _emails(kind: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.execute(query).scalars())


def test_the_navigation_shows_the_unread_count_accessibly(client, auth, people,
                                                          count_queries):
    for n in range(3):
        notifications.notify(people.learner, "feedback", f"Note {n}", "/")
    db.session.commit()
    auth.login(people.learner)
    with count_queries() as first:
        html = client.get("/review/mine").get_data(as_text=True)
    assert ('Notifications <span class="nav-badge" aria-hidden="true">3</span>'
            '<span class="visually-hidden">(3 unread)</span>') in html
    # One COUNT for the badge, kept for the person until their notifications change.
    badge_queries = [s for s in first.statements if "FROM notifications" in s]
    assert len(badge_queries) == 1 and "count(" in badge_queries[0].lower()
    with count_queries() as second:
        assert "(3 unread)" in client.get("/review/mine").get_data(as_text=True)
    assert not [s for s in second.statements if "FROM notifications" in s]


def test_no_badge_without_unread(client, auth, people):
    auth.login(people.learner)
    assert "nav-badge" not in client.get("/").get_data(as_text=True)


def test_open_marks_read_and_follows_only_site_links(client, auth, people):
    inside = notifications.notify(people.learner, "feedback", "Inside", "/review/mine")
    outside = notifications.notify(people.learner, "feedback", "Outside",
                                   "https://evil.example/")
    sneaky = notifications.notify(people.learner, "feedback", "Sneaky", "//evil.example/")
    theirs = notifications.notify(people.other_learner, "feedback", "Not yours", "/")
    db.session.commit()
    auth.login(people.learner)
    response = client.get(f"/review/notifications/{inside.id}")
    assert response.status_code == 302 and response.headers["Location"] == "/review/mine"
    assert db.session.get(Notification, inside.id).read_at is not None
    for n in (outside, sneaky):
        assert client.get(f"/review/notifications/{n.id}").headers["Location"] == \
            "/review/notifications"
    assert client.get(f"/review/notifications/{theirs.id}").status_code == 404
    assert db.session.get(Notification, theirs.id).read_at is None


def test_mark_all_read(client, auth, people):
    notifications.notify(people.learner, "feedback", "One", "/")
    notifications.notify(people.learner, "feedback", "Two", "/")
    notifications.notify(people.other_learner, "feedback", "Theirs", "/")
    db.session.commit()
    auth.login(people.learner)
    page = client.get("/review/notifications").get_data(as_text=True)
    assert "One" in page and "Two" in page and "Theirs" not in page
    client.post("/review/notifications/read-all")
    assert notifications.unread_count(people.learner) == 0
    assert notifications.unread_count(people.other_learner) == 1


def test_a_notification_with_a_ref_is_added_once(people):
    assert notifications.notify(people.learner, "x", "Once", ref="thing:1") is not None
    assert notifications.notify(people.learner, "x", "Twice", ref="thing:1") is None
    assert db.session.scalar(select(func.count(Notification.id))
                             .where(Notification.kind == "x")) == 1


def test_mentors_choose_immediate_or_digest(client, auth, synced, people, submit):
    auth.login(people.mentor)
    page = client.get("/review/notifications").get_data(as_text=True)
    assert "Once a day, in a digest" in page
    bad = client.post("/review/notifications/preferences", data={"submission_emails": "x"})
    assert bad.status_code == 422
    client.post("/review/notifications/preferences", data={"submission_emails": "digest"})
    assert notifications.email_choice(people.mentor) == "digest"

    with clock.frozen_at(START):
        submit(people.learner)
    assert _emails("review_submission") == []  # waits for the digest
    assert notifications.unread_count(people.mentor) == 1  # but shows in the app at once

    with clock.frozen_at(START + timedelta(hours=1)):
        assert notifications.send_digests() == 1
        assert notifications.send_digests() == 0  # idempotent
    [digest] = _emails("review_digest")
    assert digest.to_address == people.mentor.email
    assert "1 reflection arrived" in digest.body_text and "Priya Shah" in digest.body_text


def test_one_digest_a_day_later_arrivals_wait_for_tomorrow(synced, people, submit, link,
                                                           make_user):
    notifications.set_email_choice(people.mentor, "digest")
    second = make_user(name="Sam Later")
    link(people.mentor, learner=second)
    with clock.frozen_at(START):
        submit(people.learner)
        notifications.send_digests()
    with clock.frozen_at(START + timedelta(hours=2)):
        submit(second)
        assert notifications.send_digests() == 0  # today's digest went out already
    with clock.frozen_at(START + timedelta(days=1)):
        assert notifications.send_digests() == 1
    latest = _emails("review_digest")[-1]
    assert "Sam Later" in latest.body_text and "Priya Shah" not in latest.body_text


@pytest.fixture
def reminder_days(app):
    previous = app.config["LMS_REVIEW_REMINDER_DAYS"]
    app.config["LMS_REVIEW_REMINDER_DAYS"] = 3
    yield 3
    app.config["LMS_REVIEW_REMINDER_DAYS"] = previous


def test_reminders_about_reflections_waiting_too_long(runner, synced, people, submit, link,
                                                      reminder_days):
    link(people.other_mentor, learner=people.learner)
    with clock.frozen_at(START):
        waiting = submit(people.learner)
        submit(people.other_learner)  # nobody mentors them: nobody to remind
        submit(people.learner, "identity-mapping",
               answers={"catalyst_for_change": "Act."})  # review optional: no nagging
    with clock.frozen_at(START + timedelta(days=2)):
        assert reviews.send_waiting_reminders() == 0  # not yet 3 days
    with clock.frozen_at(START + timedelta(days=4)):
        result = runner.invoke(args=["reminders", "send"])
        assert "review-waiting: 2 message(s) queued" in result.output
        again = runner.invoke(args=["reminders", "send"])
        assert "review-waiting: 0 message(s) queued" in again.output
    reminder_mails = _emails("review_reminder")
    assert sorted(m.to_address for m in reminder_mails) == sorted(
        [people.mentor.email, people.other_mentor.email])
    assert "has waited 4 days" in reminder_mails[0].body_text
    assert f"/review/submissions/{waiting.id}" in reminder_mails[0].body_text

    # Once answered, nothing more is sent; a new revision waiting too long is reminded anew.
    reviews.decide(people.mentor, waiting, waiting.revisions[0], decision="revise",
                   improve="More.")
    db.session.commit()
    with clock.frozen_at(START + timedelta(days=5)):
        assert reviews.send_waiting_reminders() == 0


def test_reminder_jobs_are_registered(app):
    assert {"review-digest", "review-waiting"} <= set(reminders.jobs())
