"""Action plans: a learner's own plan, and the plans mentees share with their mentors.

The world's learner has a plan with one goal and one action, shared with
mentors. ``world.mentor`` works in the learner's department, which makes
them the learner's mentor (lms.services.accounts.mentoring); the other learner and
the admin are not, so they get 404 on the learner's goals, actions and
shared plan — admins see plan counts only, never the text.
"""

from datetime import timedelta

from lms.services.plans import action_plans as plans
from tests.authz_matrix import LEARNER, MENTORS, SIGNED_IN, Rule

OWNER = frozenset({LEARNER})

ROWS = [
    Rule("plans.index", SIGNED_IN),
    Rule("plans.new_goal", SIGNED_IN),
    Rule("plans.edit_goal", OWNER, args={"goal_id": "plan_goal.id"}),
    Rule("plans.delete_goal", OWNER, "POST", args={"goal_id": "plan_goal.id"}),
    Rule("plans.add_action", OWNER, "POST", args={"goal_id": "plan_goal.id"},
         data={"text": ""}),
    Rule("plans.edit_action", OWNER, args={"action_id": "plan_action.id"}),
    Rule("plans.set_action_status", OWNER, "POST", args={"action_id": "plan_action.id"},
         data={"status": "doing"}),
    Rule("plans.delete_action", OWNER, "POST", args={"action_id": "plan_action.id"}),
    Rule("plans.checkin", OWNER, args={"goal_id": "plan_goal.id"}),
    Rule("plans.set_sharing", SIGNED_IN, "POST", data={"shared": "y"}),
    Rule("plans.print_view", SIGNED_IN),
    Rule("plans.export_markdown", SIGNED_IN),
    Rule("plans.export_pdf", SIGNED_IN),
    # Only the author of a submitted challenge can turn it into actions.
    Rule("plans.from_challenge", OWNER, args={"source_id": "submission_source"}),
    Rule("plans.shared", MENTORS),
    Rule("plans.shared_plan", MENTORS, args={"plan_id": "plan.id"}),
    Rule("plans.comment", MENTORS, "POST", args={"plan_id": "plan.id"},
         data={"body": "Lovely first step."}),
]


def build_world(world, factories) -> None:
    goal = plans.create_goal(
        world.learner, title="Speak up when I witness exclusion",
        actions=[plans.ActionDraft("Learn three phrases to interrupt bias",
                                   plans.local_today() + timedelta(days=10))])
    plans.set_sharing(goal.plan, shared=True, actor=world.learner)
    world.plan = goal.plan
    world.plan_goal = goal
    world.plan_action = goal.actions[0]
    world.submission_source = _submitted_challenge(world.learner)


def _submitted_challenge(learner) -> str:
    from lms.extensions import db
    from lms.models import Submission
    from lms.services.learning.progress import published_module

    step = next(s for s in published_module("power-dynamics").steps if s.kind == "challenge")
    prompt = next(p for p in step.config["prompts"] if p.get("produces_actions"))
    submission = Submission(user_id=learner.id, step_id=step.id, status="submitted",
                            answers={prompt["id"]: "Ask the rota team to review who is "
                                                   "left out. Share findings with staff."})
    db.session.add(submission)
    db.session.flush()
    return f"submission-{submission.id}"
