"""A notice with a count keeps its singular and plural, and reads in the form the reader's
language gives that count; a notice stored before counted notices reads as it did."""

from __future__ import annotations

from flask_babel import force_locale

from lms.extensions import db
from lms.services import notifications
from lms.services.notifications import NP_, Notice

WAITED = NP_("%(name)s's “%(title)s” (%(module)s) has waited %(days)s day for review.",
             "%(name)s's “%(title)s” (%(module)s) has waited %(days)s days for review.")


def waited(people, days: int):
    return notifications.notify(people.mentor, notifications.REVIEW_REMINDER, Notice.counted(
        WAITED, "days", {"name": "Ann", "title": "Listening", "module": "Basics", "days": days}))


def test_a_counted_notice_reads_in_the_singular_or_the_plural(app, people):
    one, three = waited(people, 1), waited(people, 3)
    db.session.commit()
    assert one.text == "Ann's “Listening” (Basics) has waited 1 day for review."
    assert three.text == "Ann's “Listening” (Basics) has waited 3 days for review."
    with app.test_request_context(), force_locale("es"):
        assert notifications.shown_text(one) == (
            "«Listening» de Ann (Basics) lleva 1 día esperando revisión.")
        assert notifications.shown_text(three) == (
            "«Listening» de Ann (Basics) lleva 3 días esperando revisión.")


def test_a_notice_stored_before_counts_reads_as_it_did(app, people):
    old = notifications.notify(people.mentor, notifications.REVIEW_REMINDER, Notice(
        "%(name)s's “%(title)s” (%(module)s) has waited %(days)s days for review.",
        {"name": "Ann", "title": "Listening", "module": "Basics", "days": 3}))
    db.session.commit()
    with app.test_request_context(), force_locale("en"):
        assert notifications.shown_text(old) == (
            "Ann's “Listening” (Basics) has waited 3 days for review.")
    with app.test_request_context(), force_locale("es"):
        assert notifications.shown_text(old) == (
            "«Listening» de Ann (Basics) lleva 3 días esperando revisión.")
