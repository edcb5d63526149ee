"""'My data': every signed-in person reaches their own page and archive request; an
archive downloads, and a reflection is deleted, only by its owner (everyone else gets 404)."""

from lms.extensions import db
from lms.services.privacy import exports
from tests.authz_matrix import LEARNER, SIGNED_IN, Rule

ROWS = [
    Rule("mydata.index", SIGNED_IN),
    Rule("mydata.request_export", SIGNED_IN, "POST"),
    Rule("mydata.download", frozenset({LEARNER}), args={"token": "data_export.token"}),
    Rule("mydata.delete_reflection", frozenset({LEARNER}),
         args={"submission_id": "reflection.id"}),
    Rule("mydata.delete_reflection", frozenset({LEARNER}), "POST",
         args={"submission_id": "reflection.id"}, data={"completion": "keep"}),
    Rule("mydata.keep_reflection", frozenset({LEARNER}), "POST",
         args={"submission_id": "reflection.id"}),
]


def build_world(world, factories):
    from lms.models import Submission

    world.data_export = exports.request_export(world.learner)
    world.reflection = Submission(user_id=world.learner.id, step_id=_a_page_step().id,
                                  answers={"reflection": "Mine alone."})
    db.session.add(world.reflection)
    db.session.flush()


def _a_page_step():
    """A step no other area writes a submission for (they use challenge steps), so the
    learner's one submission per step is free."""
    from sqlalchemy import select

    from lms.models import Step

    return db.session.scalars(select(Step).where(Step.kind == "page")
                              .order_by(Step.id.desc())).first()
