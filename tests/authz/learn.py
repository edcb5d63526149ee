"""Learner area: open to every signed-in person; their own progress only."""

from pathlib import Path

from tests.authz_matrix import SIGNED_IN, Rule

M = {"slug": "=identity-mapping"}
PAGE = {**M, "step_slug": "=how-the-challenges-work"}
CHALLENGE = {**M, "step_slug": "=challenge"}
CHECK = {"slug": "=implicit-bias-foundations", "step_slug": "=knowledge-check"}
SURVEY = {"slug": "=implicit-bias-foundations", "step_slug": "=feedback"}

ROWS = [
    Rule("learn.catalogue", SIGNED_IN),
    Rule("learn.module", SIGNED_IN, args=M),
    Rule("learn.start", SIGNED_IN, "POST", args=M),
    Rule("learn.step", SIGNED_IN, args=PAGE),
    Rule("learn.complete_step", SIGNED_IN, "POST", args=PAGE),
    Rule("learn.save_draft", SIGNED_IN, "POST", args=CHALLENGE),
    Rule("learn.submit_challenge", SIGNED_IN, "POST", args=CHALLENGE),
    Rule("learn.answer_check", SIGNED_IN, "POST", args=CHECK),
    Rule("learn.continue_after", SIGNED_IN, "POST", args=CHECK),
    Rule("learn.answer_survey", SIGNED_IN, "POST", args=SURVEY),
    Rule("learn.answer", SIGNED_IN, "POST", args=SURVEY),
    Rule("learn.engaged", SIGNED_IN, "POST",
         args={"slug": "=implicit-bias-foundations", "step_slug": "=welcome"}),
    Rule("learn.attest", SIGNED_IN, "POST", args={"slug": "=implicit-bias-foundations"},
         data={"confirm": "y"}),
]


def build_world(world, factories):
    from flask import current_app

    from lms.content.sync import sync_modules
    from tests.fixtures.content import shipped_modules

    root = current_app.config["LMS_MODULES_DIR"]
    sync_modules(Path(root), shipped_modules(root))
