"""The retention notice is kept as a message with its day, so it reads in the reader's
language of the moment, with the day written as their pages write days."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import force_locale
from sqlalchemy import select

from lms import clock, dates
from lms.extensions import db
from lms.models import Notification
from lms.services.privacy import retention
from lms.services.reviews import review as reviews


def test_the_retention_notice_reads_in_the_learners_language(app, client, auth, people,
                                                             submit):
    app.config["LMS_REFLECTION_RETENTION_DAYS"] = 90
    try:
        submission = submit(people.learner)
        reviews.decide(people.mentor, submission, submission.revisions[-1],
                       decision="approve")
        db.session.commit()
        start = clock.now()
        with clock.frozen_at(start + timedelta(days=61)):
            assert retention.apply() == (1, 0)
        db.session.commit()
    finally:
        app.config["LMS_REFLECTION_RETENTION_DAYS"] = 0
    notice = db.session.scalar(select(Notification).where(
        Notification.kind == retention.NOTICE_KIND))
    day = date.fromisoformat(notice.params["day"]["date"])
    with app.test_request_context(), force_locale("en"):
        english_day = dates.format_date(day)
    assert notice.text == (  # the English stays stored, as it read before
        f"The text of your reflection “{submission.step.title}” will be removed on "
        f"{english_day}. Choose “Keep mine” on your data page to keep it.")

    people.learner.locale = "es"
    db.session.commit()
    auth.login(people.learner)
    page = client.get("/review/notifications").get_data(as_text=True)
    with app.test_request_context(), force_locale("es"):
        spanish_day = dates.format_date(day)
    assert f"se eliminará el {spanish_day}. Elija «Conservar la mía»" in page
    assert "will be removed" not in page
