"""Application calls: anyone eligible applies; only the call's reviewers read answers;
the programme office manages calls and sees counts and decisions, never answers.

The world's call is open to everyone, reviewed by ``world.mentor``; ``world.learner``
has submitted an application. The admin is not a reviewer, so the answers are out of
their reach (404) like anyone else's.
"""

from datetime import timedelta

from lms.models import utcnow
from lms.services.applications import answers as applying
from lms.services.applications import calls
from tests.authz_matrix import ADMINS, LEARNER, MENTORS, SIGNED_IN, Rule

APPLICANT = frozenset({LEARNER})

ROWS = [
    Rule("applications.index", SIGNED_IN),
    Rule("applications.apply", SIGNED_IN, args={"call_id": "call.id"}),
    Rule("applications.save_draft", SIGNED_IN, "POST", args={"call_id": "call.id"},
         data={"p-why": "Because"}),
    Rule("applications.submit", SIGNED_IN, "POST", args={"call_id": "call.id"}),
    Rule("applications.withdraw", APPLICANT, "POST", args={"call_id": "call.id"}),
    Rule("applications.review_list", MENTORS, args={"call_id": "call.id"}),
    Rule("applications.review", MENTORS, args={"application_id": "application.id"}),
    Rule("applications.decide", MENTORS, "POST", args={"application_id": "application.id"},
         data={"decision": "waitlisted"}),
    Rule("applications.manage", ADMINS),
    Rule("applications.new_call", ADMINS),
    Rule("applications.edit_call", ADMINS, args={"call_id": "call.id"}),
    Rule("applications.decisions_csv", ADMINS, args={"call_id": "call.id"}),
]

QUESTIONS = """- id: why
  type: long_text
  label: Why do you want to join?
"""


def build_world(world, factories) -> None:
    now = utcnow()
    world.call = calls.create_call(world.admin, calls.CallData(
        title="Student fellowship", description="", opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30), questions_source=QUESTIONS,
        rubric_source="Motivation", reviewer_emails=[world.mentor.email]))
    world.application = applying.submit(world.learner, world.call,
                                        {"why": "To learn and to help."}, None)
