"""Retention: approved reflection text removed after LMS_REFLECTION_RETENTION_DAYS, never
without 30 days' notice, never when the learner chose 'keep mine'; off by default."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from lms import clock
from lms.demo.reviews import EQUITY_ANSWERS
from lms.extensions import db
from lms.models import Notification, Submission
from lms.services.privacy import retention
from lms.services.reviews import review as reviews


def _approved(people, submit):
    submission = submit(people.learner)
    reviews.decide(people.mentor, submission, submission.revisions[-1], decision="approve",
                   comment="Clear and honest.")
    db.session.commit()
    return submission


def _run(app, when):
    with clock.frozen_at(when):
        result = app.test_cli_runner().invoke(args=["privacy", "apply-retention"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def test_retention_is_off_by_default(app, people, submit):
    submission = _approved(people, submit)
    assert app.config["LMS_REFLECTION_RETENTION_DAYS"] == 0
    assert "Sent 0 notices; removed the text of 0 reflections." in _run(
        app, clock.now() + timedelta(days=3650))
    assert db.session.get(Submission, submission.id).answers == EQUITY_ANSWERS


def test_text_goes_after_the_period_with_a_notice_30_days_before(app, client, auth, people,
                                                                 submit):
    app.config["LMS_REFLECTION_RETENTION_DAYS"] = 90
    try:
        submission = _approved(people, submit)
        start = clock.now()
        assert "Sent 0 notices" in _run(app, start + timedelta(days=59))
        assert "Sent 1 notice;" in _run(app, start + timedelta(days=61))
        notice = db.session.scalar(select(Notification).where(
            Notification.kind == retention.NOTICE_KIND))
        assert notice.user_id == people.learner.id and "Keep mine" in notice.text
        assert "Sent 0 notices; removed the text of 0" in _run(app, start + timedelta(days=89))
        auth.login(people.learner)
        with clock.frozen_at(start + timedelta(days=89)):
            page = client.get("/my-data/").get_data(as_text=True)
        assert "Its text will be removed on" in page and "Keep mine" in page
        assert "removed the text of 1 reflection." in _run(app, start + timedelta(days=92))
        removed = db.session.get(Submission, submission.id)
        assert removed.answers == {} and all(r.answers == {} for r in removed.revisions)
        assert removed.status == "approved"  # still counts as done
    finally:
        app.config["LMS_REFLECTION_RETENTION_DAYS"] = 0


def test_turning_retention_on_late_still_gives_30_days_notice(app, people, submit):
    submission = _approved(people, submit)
    app.config["LMS_REFLECTION_RETENTION_DAYS"] = 30
    try:
        start = clock.now() + timedelta(days=400)
        assert "Sent 1 notice; removed the text of 0" in _run(app, start)
        assert "removed the text of 0" in _run(app, start + timedelta(days=29))
        assert db.session.get(Submission, submission.id).answers == EQUITY_ANSWERS
        assert "removed the text of 1" in _run(app, start + timedelta(days=31))
    finally:
        app.config["LMS_REFLECTION_RETENTION_DAYS"] = 0


def test_keep_mine_keeps_the_text(app, client, auth, people, submit):
    app.config["LMS_REFLECTION_RETENTION_DAYS"] = 60
    try:
        submission = _approved(people, submit)
        start = clock.now()
        _run(app, start + timedelta(days=31))
        auth.login(people.other_learner)
        assert client.post(f"/my-data/reflections/{submission.id}/keep").status_code == 404
        auth.logout()
        auth.login(people.learner)
        response = client.post(f"/my-data/reflections/{submission.id}/keep",
                               follow_redirects=True)
        assert "will be kept" in response.get_data(as_text=True)
        assert "You chose to keep its text." in client.get("/my-data/").get_data(as_text=True)
        assert "removed the text of 0" in _run(app, start + timedelta(days=400))
        assert db.session.get(Submission, submission.id).answers == EQUITY_ANSWERS
    finally:
        app.config["LMS_REFLECTION_RETENTION_DAYS"] = 0
