"""Connecting the review area to the extension points of other areas (all idempotent,
because tests build several apps in one process)."""

from __future__ import annotations

from flask import Blueprint

from lms.demo.people import AREA_DEMOS
from lms.main.views import add_home_section
from lms.services import notifications, reminders
from lms.services.learning import challenges
from lms.services.reviews import review as reviews
from lms.templating import add_nav_badge


def _unread(user) -> int:
    return notifications.unread_count(user)


def _learner_home(user) -> dict:
    from lms.services.accounts import mentoring

    return {"feedback": reviews.recent_feedback(user), "mentors": mentoring.mentors_of(user)}


def _mentor_home(user) -> dict:
    return {"waiting": reviews.queue_counts(user)["waiting"]}


def wire(bp: Blueprint) -> None:
    from lms.demo.reviews import load_review_demo

    add_nav_badge("review.notifications", _unread, "unread")
    add_home_section("review/_home_queue.html", _mentor_home, roles=("mentor",))
    add_home_section("review/_home_feedback.html", _learner_home, roles=("learner",))
    if reviews.notify_mentors_of_submission not in challenges.SUBMIT_HOOKS:
        challenges.SUBMIT_HOOKS.append(reviews.notify_mentors_of_submission)
    reminders.register_job("review-digest", notifications.send_digests)
    reminders.register_job("review-waiting", reviews.send_waiting_reminders)
    if load_review_demo not in AREA_DEMOS:
        AREA_DEMOS.append(load_review_demo)

    @bp.app_template_global("review_feedback")
    def review_feedback(submission):
        """For the learner's challenge page: feedback, revision count, mentors."""
        return reviews.feedback_for(submission)
