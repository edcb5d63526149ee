"""Mentor review: the queue and review pages for mentors, history and comparison for the
author and their linked mentors, notifications for everyone, links and counts for admins.

The world's learner has a submitted Equity Impact reflection; ``world.mentor`` is linked
to the learner directly. The other learner and the admin are not linked, so they get 403
on every page showing the text (admins see status and counts only).
"""

from tests.authz_matrix import ADMINS, LEARNER, MENTOR, MENTORS, SIGNED_IN, Rule

SUBMISSION = {"submission_id": "review_submission.id"}
AUTHOR_AND_MENTOR = frozenset({LEARNER, MENTOR})

ROWS = [
    Rule("review.queue", MENTORS),
    Rule("review.review", MENTORS, args=SUBMISSION),
    # Without a revision id the form is refused with 422: reached, nothing decided.
    Rule("review.decide", MENTORS, "POST", args=SUBMISSION, data={"decision": "approve"}),
    Rule("review.history", AUTHOR_AND_MENTOR, args=SUBMISSION),
    Rule("review.compare", AUTHOR_AND_MENTOR, args=SUBMISSION),
    Rule("review.mine", SIGNED_IN),
    Rule("review.reads", SIGNED_IN),
    Rule("review.notifications", SIGNED_IN),
    Rule("review.open_notification", frozenset({LEARNER}),
         args={"notification_id": "review_notification.id"}),
    Rule("review.read_all", SIGNED_IN, "POST"),
    Rule("review.preferences", MENTORS, "POST", data={"submission_emails": "digest"}),
    Rule("review.admin_overview", ADMINS),
    Rule("review.links", ADMINS),
    Rule("review.links", ADMINS, "POST", data={"target": "learner"}),
    Rule("review.delete_link", ADMINS, "POST", args={"link_id": "review_link.id"}),
]


def build_world(world, factories) -> None:
    from lms.demo.reviews import EQUITY_ANSWERS
    from lms.services import notifications
    from lms.services.accounts import mentoring
    from lms.services.learning import challenges
    from lms.services.learning import progress as learning

    world.review_link = mentoring.link_mentor(actor=None, mentor=world.mentor,
                                              learner=world.learner)
    module = learning.published_module("equity-impact")
    step = next(s for s in module.steps if s.slug == "challenge")
    world.review_submission = challenges.submit(world.learner, step, dict(EQUITY_ANSWERS),
                                                expected_version=None)
    world.review_notification = notifications.notify(
        world.learner, notifications.FEEDBACK, "Feedback arrived.",
        f"/learn/{module.slug}/{step.slug}")
