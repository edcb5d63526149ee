"""Every signal one area sends to the others: who sends it, who listens.

Areas do not import each other to say "this happened"; the area where it
happens sends a named signal and the interested areas connect a receiver
in their ``init_app(app)``, which the application factory calls for every
area (``lms.create_app``). Receivers are connected for one application
(``sender=app``) and signals are sent with the current application as
sender, so what a service does depends on the application it runs in, never
on which modules happen to have been imported.

Receivers run inside the sender's transaction: they flush, never commit,
and an exception they raise reaches the caller (the view rolls back).

``module_completed(app, user=, module=, enrollment=)``
    A learner has just completed a module (every required step done and every
    rule of its version met -- pass marks, minimum minutes, attestation; the
    ``ModuleCompletion`` row, with its evidence, is flushed).
    Sent by ``lms.services.learning.progress.refresh_completion`` (and by the demo's
    ``lms.demo.learners.record_completed`` for modules a demo learner cannot walk).
    Listeners: certificates (``services.certificates.issue_for_completion``
    issues the certificate of a certificate module) and assignments
    (``services.assignments.rules.on_module_completed`` marks the person's
    open obligations for the module satisfied).

``module_started(app, user=, module=, enrollment=)``
    A learner has just enrolled in a module (the ``Enrollment`` row is flushed).
    Sent by ``lms.services.learning.progress.start_module``.
    Listener: assignments (``services.assignments.rules.on_module_started``
    marks the person's open obligations for the module in progress).

``submission_submitted(app, submission=, revision=)``
    A learner has submitted a revision of a reflection.
    Sent by ``lms.services.learning.challenges.submit``.
    Listener: review (``services.reviews.review.notify_mentors_of_submission``
    tells the learner's mentors).

``people_changed(app, user_ids=)``
    People were created, imported or changed (department, roles, cohorts,
    active).
    Sent by ``lms.services.accounts.people.people_changed`` (account
    creation and edits, the CSV import).
    Listeners: assignments (``services.assignments.rules.refresh_for_people``
    opens and closes their obligations) and review
    (``services.reviews.review.forget_kept_queues``: the mentors whose queues list
    them may have changed).

Every signal above is also received by the per-person caches
(``services.personal_cache.forget_people_named``, connected by ``create_app``):
what is cached for the people a signal names is stale from then on.

Extension points that are not events are registered per application in the
same ``init_app`` functions: navigation items and badges
(``lms.templating.add_nav``, ``add_nav_badge``), home-page panels
(``lms.main.views.add_home_section``), ``flask`` command groups
(``app.cli.add_command``) and reminder jobs (``lms.services.reminders.add_job``).
How a step kind is completed lives in the step-kind registry
(``lms.services.learning.step_kinds``); demo data is loaded in one place
(``lms.demo``).
"""

from __future__ import annotations

from blinker import Namespace
from flask import current_app

_signals = Namespace()

module_completed = _signals.signal("module-completed")
module_started = _signals.signal("module-started")
submission_submitted = _signals.signal("submission-submitted")
people_changed = _signals.signal("people-changed")


def send(signal, **data) -> None:
    """Send ``signal`` from the current application to the receivers its areas connected."""
    signal.send(current_app._get_current_object(), **data)
