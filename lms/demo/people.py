"""Demonstration data for a first look at the product. Idempotent."""

from __future__ import annotations

from sqlalchemy import select

from lms.extensions import db
from lms.models import Cohort, Department, User
from lms.services.accounts import passwords
from lms.services.accounts import people as accounts

DEMO_PASSWORD = "ally-demo-password"

DEPARTMENTS = [
    ("Internal Medicine", None),
    ("Cardiology", "Internal Medicine"),
    ("Pediatrics", None),
    ("Emergency Medicine", None),
    ("Medical Education", None),
    ("Human Resources", None),
    ("Library Services", None),
]

COHORT = ("Ally Champions 2026", "Allies from every department, meeting monthly.")

MENTOR_ROLES = ("mentor", "learner")

PEOPLE = [
    # email, name, pronouns, department, roles, in cohort
    ("admin@example.edu", "Morgan Reyes", "they/them", "Human Resources",
     ("admin", "learner"), False),
    ("mentor.one@example.edu", "Dr. Amara Okafor", "she/her", "Medical Education",
     MENTOR_ROLES, True),
    ("mentor.two@example.edu", "Dr. Daniel Cho", "he/him", "Emergency Medicine",
     MENTOR_ROLES, True),
    ("learner@example.edu", "Priya Shah", "she/her", "Internal Medicine", ("learner",), True),
    ("learner2@example.edu", "Jordan Miles", "he/him", "Internal Medicine", ("learner",), False),
    ("learner3@example.edu", "Lucía Fernández", "she/her", "Internal Medicine", ("learner",),
     False),
    ("learner4@example.edu", "Sam Whitfield", "they/them", "Cardiology", ("learner",), True),
    ("learner5@example.edu", "Grace Nakamura", "she/her", "Pediatrics", ("learner",), False),
    ("learner6@example.edu", "Omar Haddad", "he/him", "Pediatrics", ("learner",), True),
    ("learner7@example.edu", "Elena Petrova", None, "Pediatrics", ("learner",), False),
    ("learner8@example.edu", "Marcus Green", "he/him", "Emergency Medicine", ("learner",), False),
    ("learner9@example.edu", "Aisha Bello", "she/her", "Emergency Medicine", ("learner",), True),
    ("learner10@example.edu", "Tomás Rivera", "he/him", "Medical Education", ("learner",), False),
    ("learner11@example.edu", "Hannah Kim", "she/her", "Human Resources", ("learner",), False),
    ("learner12@example.edu", "Noah Adeyemi", None, "Library Services", ("learner",), False),
    ("author@example.edu", "Rosa Lindqvist", "she/her", "Medical Education",
     ("author", "learner"), False),
]

# Department leads: department -> email
LEADS = {"Internal Medicine": "learner3@example.edu", "Pediatrics": "learner5@example.edu"}


def load_demo() -> list[tuple[str, str, str]]:
    """Create the demo people, departments and cohort where missing.

    Returns ``(role label, email, password)`` for printing. Running it again
    changes nothing that exists.
    """
    accounts.ensure_roles()
    departments = {d.name: d for d in db.session.execute(select(Department)).scalars()}
    for name, parent in DEPARTMENTS:
        if name not in departments:
            departments[name] = accounts.create_department(name=name,
                                                           parent=departments.get(parent))
    cohort = db.session.execute(select(Cohort).where(Cohort.name == COHORT[0])).scalar_one_or_none()
    if cohort is None:
        cohort = accounts.create_cohort(name=COHORT[0], description=COHORT[1])
    logins = []
    for email, name, pronouns, department, roles, in_cohort in PEOPLE:
        user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
        if user is None:
            user = accounts.create_user(email=email, name=name, pronouns=pronouns,
                                        department=departments[department], roles=roles,
                                        cohorts=[cohort] if in_cohort else [])
            passwords.set_password(user, DEMO_PASSWORD)
        logins.append((roles[0], email, DEMO_PASSWORD))
    for department, email in LEADS.items():
        dept = departments[department]
        if dept.lead_id is None:
            dept.lead = db.session.execute(select(User).where(User.email == email)).scalar_one()
    db.session.flush()
    _load_area_demos()
    return logins


def _load_area_demos() -> None:
    """Each area's demo data, once the people exist."""
    from lms.demo.applications import load_applications_demo
    from lms.demo.assignments import load_assignment_demo
    from lms.demo.champions import load_champions_demo
    from lms.demo.events import load_events_demo
    from lms.demo.plans import load_plan_demo
    from lms.demo.reviews import load_review_demo
    from lms.demo.scorecard import load_scorecard_demo

    for loader in (load_assignment_demo, load_events_demo, load_plan_demo, load_review_demo,
                   load_scorecard_demo, load_champions_demo, load_applications_demo):
        loader()
