"""Who mentors whom, until explicit mentor links exist."""

from __future__ import annotations

from lms.extensions import db
from lms.models import User
from lms.services import accounts
from lms.services.mentoring import is_mentor_of, mentee_ids, mentors_of


def test_mentors_are_mentor_role_holders_in_the_same_department_or_cohort(
        make_user, make_department):
    medicine, pediatrics = make_department("Medicine"), make_department("Pediatrics")
    cohort = accounts.create_cohort(name="Ally Champions", description="")
    learner = make_user(department=medicine, name="Priya Shah", cohorts=[cohort])
    same_department = make_user(roles=("mentor", "learner"), department=medicine,
                                name="Dr. Zed Same")
    same_cohort = make_user(roles=("mentor",), department=pediatrics, name="Dr. Amara Cohort",
                            cohorts=[cohort])
    unrelated = make_user(roles=("mentor",), department=pediatrics)
    inactive = make_user(roles=("mentor",), department=medicine, active=False)
    colleague = make_user(department=medicine, cohorts=[cohort])
    admin = make_user(roles=("admin",), department=medicine)
    db.session.commit()

    assert is_mentor_of(same_department, learner)
    assert is_mentor_of(same_cohort, learner)
    for person in (unrelated, inactive, colleague, admin, learner):
        assert not is_mentor_of(person, learner), person
    assert [m.name for m in mentors_of(learner)] == ["Dr. Amara Cohort", "Dr. Zed Same"]
    mentees = set(db.session.execute(mentee_ids(same_cohort)).scalars())
    assert learner.id in mentees and colleague.id in mentees
    assert same_cohort.id not in mentees  # nobody mentors themselves


def test_people_without_department_or_cohort_have_no_mentors(make_user):
    learner = make_user()
    make_user(roles=("mentor",))
    assert mentors_of(learner) == []
    assert db.session.execute(mentee_ids(db.session.get(User, learner.id))).all() == []
