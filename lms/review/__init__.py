"""Mentor review of reflections, mentor links and notifications."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("review", __name__, url_prefix="/review")


def _unread(user) -> int:
    from lms.services import notifications

    return notifications.unread_count(user)


def _learner_home(user) -> dict:
    from lms.services.accounts import mentoring
    from lms.services.reviews import review as reviews

    return {"feedback": reviews.recent_feedback(user), "mentors": mentoring.mentors_of(user)}


def _mentor_home(user) -> dict:
    from lms.services.reviews import review as reviews

    return {"waiting": reviews.queue_counts(user)["waiting"]}


def init_app(app: Flask) -> None:
    """Register the review pages, navigation (with the unread-notification count), home
    panels and reminder jobs; tell mentors when a reflection is submitted; forget kept
    queues when people change."""
    from lms import signals
    from lms.main.views import add_home_section
    from lms.review import views  # noqa: F401  (the routes attach to bp)
    from lms.services import notifications, reminders
    from lms.services.reviews import review as reviews
    from lms.templating import add_nav, add_nav_badge

    app.register_blueprint(bp)
    # A notification is worded when it is read, in the reader's language.
    app.add_template_filter(notifications.shown_text, "notice_text")
    add_nav(app, "review.queue", _l("Review queue"), roles=("mentor",))
    add_nav(app, "review.mine", _l("My reflections"), roles=("learner",))
    add_nav(app, "review.notifications", _l("Notifications"))
    add_nav(app, "review.admin_overview", _l("Reviews"), roles=("admin",))
    add_nav_badge(app, "review.notifications", _unread, _l("unread"))
    add_home_section(app, "review/_home_queue.html", _mentor_home, roles=("mentor",))
    add_home_section(app, "review/_home_feedback.html", _learner_home, roles=("learner",))
    reminders.add_job(app, "review-digest", notifications.send_digests)
    reminders.add_job(app, "review-waiting", reviews.send_waiting_reminders)
    signals.submission_submitted.connect(reviews.notify_mentors_of_submission, sender=app)
    signals.people_changed.connect(reviews.forget_kept_queues, sender=app)


@bp.app_template_global("review_feedback")
def review_feedback(submission):
    """For the learner's challenge page: feedback, revision count, mentors."""
    from lms.services.reviews import review as reviews

    return reviews.feedback_for(submission)
