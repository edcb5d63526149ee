"""Action plan mail in the learner's language: a check-in reminder and a mentor's comment
reach someone who chose Spanish in Spanish (the day the goal was set written as the Spanish
page writes it), and someone reading English as before."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale
from sqlalchemy import select

from lms import clock, dates
from lms.extensions import db
from lms.localtime import local_date
from lms.models import OutboxMessage
from lms.services.plans import action_plans as plans
from tests.plans.conftest import START


def _mails(kind: str) -> list[OutboxMessage]:
    return list(db.session.execute(select(OutboxMessage).where(OutboxMessage.kind == kind)
                                   .order_by(OutboxMessage.id)).scalars())


def test_a_checkin_reminder_is_in_each_learners_language(app, make_user, make_goal):
    lucia = make_user(name="Lucía Fernández", email="lucia@example.edu")
    lucia.locale = "es"
    sam = make_user(name="Sam Okafor", email="sam@example.edu")
    db.session.commit()
    with clock.frozen_at(START):
        make_goal(lucia)
        make_goal(sam)
    with clock.frozen_at(START + timedelta(days=30, hours=1)):
        assert plans.send_checkin_reminders() == 2
    mails = {m.to_address: m for m in _mails("plan_checkin")}
    spanish, english = mails["lucia@example.edu"], mails["sam@example.edu"]
    with app.test_request_context(), force_locale("es"):
        set_on = dates.format_date(local_date(START), "long")
    assert spanish.subject == "Seguimiento de 30 días de su plan de acción"
    assert spanish.body_text.startswith("Hola, Lucía Fernández:")
    assert set_on in spanish.body_text and "Hello" not in spanish.body_text
    assert english.subject == "Your 30-day action plan check-in"
    assert english.body_text.startswith("Hello Sam Okafor,")


def test_a_mentors_comment_is_announced_in_the_learners_language(make_user, make_department,
                                                                  make_goal):
    department = make_department()
    learner = make_user(department=department, name="Lucía Fernández")
    learner.locale = "es"
    db.session.commit()
    mentor = make_user(roles=("mentor",), department=department, name="Dr. Amara Okafor")
    plan = make_goal(learner).plan
    plans.set_sharing(plan, shared=True, actor=learner)
    plans.add_comment(plan, author=mentor, body="Try the round at the huddle too.")
    db.session.commit()
    [mail] = _mails("plan_comment")
    assert mail.subject == "Un mentor comentó su plan de acción"
    assert mail.body_text.startswith("Hola, Lucía Fernández:")
    assert "Dr. Amara Okafor" in mail.body_text and "Hello" not in mail.body_text
    assert "huddle" not in mail.body_text  # the comment's words stay out of the Outbox
