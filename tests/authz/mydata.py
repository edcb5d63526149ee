"""'My data': every signed-in person reaches their own page and archive request; an
archive downloads only for its owner (everyone else gets 404)."""

from lms.services.privacy import exports
from tests.authz_matrix import LEARNER, SIGNED_IN, Rule

ROWS = [
    Rule("mydata.index", SIGNED_IN),
    Rule("mydata.request_export", SIGNED_IN, "POST"),
    Rule("mydata.download", frozenset({LEARNER}), args={"token": "data_export.token"}),
]


def build_world(world, factories):
    world.data_export = exports.request_export(world.learner)
