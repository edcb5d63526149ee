"""Demo data for mentor review (run by ``flask demo load``; safe to run again).

- Dr. Amara Okafor (mentor.one@) mentors the Internal Medicine department
  (with Cardiology inside it) and the Ally Champions cohort.
- Dr. Daniel Cho (mentor.two@) mentors Jordan Miles (learner2@) directly.
- Priya Shah (learner@) has submitted her Equity Impact reflection (review
  required); it waits in Dr. Okafor's queue. It is dated a little over a
  week ago, so ``flask reminders send`` has a reminder to show.

The reflection needs the modules synced first (``flask modules sync``); when
the module is missing this part is skipped and the links are still made.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from lms.demo.people import COHORT
from lms.extensions import db
from lms.models import Cohort, Department, User, utcnow
from lms.services.accounts import mentoring
from lms.services.learning import challenges
from lms.services.learning import progress as learning

WAITING_DAYS = 8

EQUITY_ANSWERS = {
    "decision": "Moving the weekly teaching session for residents to 7 a.m.",
    "decision_context": (
        "Our residency leadership moved the Thursday teaching session from noon to 7 a.m. "
        "this spring, so that it no longer clashes with clinic overruns. The programme "
        "director and two chief residents decided it in one meeting. Residents, teaching "
        "faculty and the clinic nurses who cover the noon slot are all affected."),
    "impact_on_people": (
        "Residents who drop children at daycare or school cannot arrive by 7 a.m., and most "
        "of them are women or single parents. Residents who commute by bus from cheaper "
        "neighbourhoods face a much longer trip at that hour. Colleagues who observe a "
        "morning prayer have less time for it. On the other hand, residents with afternoon "
        "clinics finally attend the whole session, and the nurses no longer cover alone at "
        "noon. We do not know how international graduates on visas feel about raising "
        "concerns, because nobody asked them."),
    "biases_in_process": (
        "The decision was made by three people who all live close to the hospital and have "
        "no caring duties, so the costs that an early start brings were invisible to them. "
        "The only information used was the attendance record, which counts who was in the "
        "room and not who could not come. It was announced by email two weeks before it "
        "started, with no way to respond. Residents who are new to the country may not feel "
        "safe objecting to leadership in public."),
    "steps_for_fairness": (
        "I will ask the programme director to run a short anonymous survey of residents and "
        "faculty about the timing by the end of next month. I will propose recording the "
        "session and holding a second discussion slot at a later hour, and I will bring the "
        "survey results to the education committee. After three months we will compare "
        "attendance by group to check whether the change left anyone behind."),
    "share_findings_with": "The people who made the decision",
}


def _user(email: str) -> User | None:
    return db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()


def _ensure_link(mentor: User, **target) -> None:
    if mentoring.find_link(mentor=mentor, **target) is None:
        mentoring.link_mentor(actor=None, mentor=mentor, **target)


def load_review_demo() -> None:
    """Create the demo mentor links and one reflection waiting for review, where missing."""
    mentor_one = _user("mentor.one@example.edu")
    mentor_two = _user("mentor.two@example.edu")
    learner = _user("learner@example.edu")
    learner2 = _user("learner2@example.edu")
    if not all((mentor_one, mentor_two, learner, learner2)):
        return
    medicine = db.session.execute(
        select(Department).where(Department.name == "Internal Medicine")).scalar_one_or_none()
    cohort = db.session.execute(select(Cohort).where(Cohort.name == COHORT[0])).scalar_one_or_none()
    if medicine is not None:
        _ensure_link(mentor_one, department=medicine)
    if cohort is not None:
        _ensure_link(mentor_one, cohort=cohort)
    _ensure_link(mentor_two, learner=learner2)
    db.session.flush()

    module = learning.published_module("equity-impact")
    step = next((s for s in module.steps if s.slug == "challenge"), None) if module else None
    if step is None:
        return  # modules not synced yet: `flask modules sync`, then load again
    if challenges.submission_for(learner, step) is not None:
        return
    learning.start_module(learner, module)
    for earlier in module.steps:
        if earlier.kind == "page":
            learning.mark_step_done(learner, earlier)
    submission = challenges.submit(learner, step, dict(EQUITY_ANSWERS), expected_version=None)
    # Date it as if it arrived over a week ago, so the reminder job has work to show.
    submitted = utcnow() - timedelta(days=WAITING_DAYS)
    submission.submitted_at = submitted
    submission.created_at = submitted
    submission.saved_at = submitted
    submission.revisions[0].submitted_at = submitted
    learning.touch(learner, module, step)
    db.session.flush()
