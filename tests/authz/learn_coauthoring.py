"""Co-author invitations: every signed-in person has a list of their own; only the invitee
answers one (anyone else gets 404). The world's learner submitted a group reflection
naming the other learner."""

from tests.authz_matrix import OTHER_LEARNER, SIGNED_IN, Rule

INVITATION = {"invitation_id": "coauthor_invitation.id"}

ROWS = [
    Rule("learn.coauthor_invitations", SIGNED_IN),
    Rule("learn.accept_coauthoring", frozenset({OTHER_LEARNER}), "POST", args=INVITATION),
    Rule("learn.decline_coauthoring", frozenset({OTHER_LEARNER}), "POST", args=INVITATION),
]


def build_world(world, factories) -> None:
    from lms.services.learning import challenges, coauthoring
    from lms.services.learning import progress as learning

    module = learning.published_module("us-vs-them")
    step = next(s for s in module.steps if s.kind == "challenge")
    challenges.submit(world.learner, step, {"emerging_divisions": "Shared."},
                      expected_version=None, coauthors=[world.other_learner])
    [world.coauthor_invitation] = coauthoring.pending_for(world.other_learner)
