"""How areas talk: named signals connected per application by each area's ``init_app``."""

from __future__ import annotations

from flask import Flask

from lms import create_app, signals
from lms.models import STEP_KINDS
from lms.services.learning.step_kinds import KINDS

RECEIVERS = {
    signals.module_started: {"on_module_started", "forget_people_named"},
    signals.module_completed: {"issue_for_completion", "on_module_completed",
                               "forget_people_named"},
    signals.submission_submitted: {"notify_mentors_of_submission", "forget_people_named"},
    signals.people_changed: {"refresh_for_people", "forget_people_named", "forget_kept_queues"},
}


def receiver_names(signal, app) -> set[str]:
    return {receiver.__name__ for receiver in signal.receivers_for(app)}


def test_every_application_connects_the_documented_receivers(app):
    for signal, names in RECEIVERS.items():
        assert receiver_names(signal, app) == names
        assert signal.name in signals.__doc__.replace("_", "-")
        for name in names:
            assert name in signals.__doc__


def test_receivers_belong_to_their_application_not_to_imported_modules(app_config):
    other = create_app(dict(app_config))
    bare = Flask("bare")
    for signal, names in RECEIVERS.items():
        assert receiver_names(signal, other) == names
        assert receiver_names(signal, bare) == set()


def test_one_definition_per_step_kind():
    assert list(KINDS) == list(STEP_KINDS)
