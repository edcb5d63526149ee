"""Demo application call: the student fellowship, open for two weeks. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from lms import localtime
from lms.extensions import db
from lms.models import ApplicationCall, Cohort, User, utcnow
from lms.services.accounts import people as accounts
from lms.services.applications import calls

TITLE = "Student Fellowship 2026"
COHORT = ("Fellows 2026", "Students accepted to the fellowship, each paired with a mentor.")
REVIEWER = "mentor.two@example.edu"

QUESTIONS = """- id: motivation
  type: long_text
  label: Why do you want to be a fellow?
  help: Tell us what draws you to equity and inclusion work in medicine.
  min_words: 30
- id: project
  type: short_text
  label: A project idea in one line
- id: year
  type: single_choice
  label: Your year
  options: [First year, Second year, Third year, Fourth year, Resident]
- id: commitment
  type: acknowledge
  label: Time commitment
  statement: I can attend the monthly meetings from October to May.
"""


def load_applications_demo() -> None:
    if db.session.execute(select(ApplicationCall.id).where(
            ApplicationCall.title == TITLE)).first():
        return
    cohort = db.session.execute(select(Cohort).where(
        Cohort.name == COHORT[0])).scalar_one_or_none() or accounts.create_cohort(
            name=COHORT[0], description=COHORT[1])
    admin = db.session.execute(select(User).where(
        User.email == "admin@example.edu")).scalar_one()
    today = localtime.today()
    calls.create_call(admin, calls.CallData(
        title=TITLE,
        description="The fellowship pairs students with faculty mentors for a year of "
                    "projects on equity in care. Applications are read by the fellowship "
                    "reviewers only.",
        opens_at=utcnow() - timedelta(days=3),
        closes_at=localtime.local_midnight(today + timedelta(days=15)) - timedelta(minutes=1),
        questions_source=QUESTIONS,
        rubric_source="Motivation\nProject idea\nCommitment",
        eligible_roles=["learner"], reviewer_emails=[REVIEWER], cohort_id=cohort.id))
    db.session.flush()
