"""An application decision reaches the applicant in their language, whoever decides: the
email's subject and body, and the notice on their notifications page."""

from __future__ import annotations

from datetime import timedelta

from lms.clock import frozen_at
from lms.extensions import db
from lms.models import OutboxMessage
from tests.applications.test_applications import (  # noqa: F401 - fixtures
    CLOSES,
    _submitted,
    call,
    cohort,
    people,
)


def test_a_spanish_applicant_reads_the_decision_in_spanish(client, auth, people, call):  # noqa: F811
    student = people["student"]
    student.locale = "es"
    db.session.commit()
    application = _submitted(client, auth, people, call)
    auth.login(people["reviewer"])
    with frozen_at(CLOSES + timedelta(days=3)):
        client.post(f"/applications/review/{application.id}/decision",
                    data={"decision": "accepted", "mentor_id": str(people["mentor"].id)},
                    headers={"Accept-Language": "en"})
    mail = db.session.query(OutboxMessage).filter_by(kind="application_decision").one()
    assert mail.subject == "Su solicitud para Student fellowship: aceptada"
    assert mail.body_text.startswith(
        "Hola, Sam Student:\n\nSu solicitud para «Student fellowship» ha sido aceptada.\n"
        "Se ha incorporado a la cohorte «Fellows 2026».\nSu mentor es Dr Mina Mentor.\n\n"
        "Más información: http")
    auth.logout()
    auth.login(student)
    page = client.get("/review/notifications").get_data(as_text=True)
    assert "Su solicitud para «Student fellowship» ha sido aceptada." in page


def test_an_english_applicant_reads_todays_english(client, auth, people, call):  # noqa: F811
    application = _submitted(client, auth, people, call)
    auth.login(people["reviewer"])
    with frozen_at(CLOSES + timedelta(days=3)):
        client.post(f"/applications/review/{application.id}/decision",
                    data={"decision": "waitlisted"}, headers={"Accept-Language": "es"})
    mail = db.session.query(OutboxMessage).filter_by(kind="application_decision").one()
    assert mail.subject == "Your application to Student fellowship: waitlisted"
    assert mail.body_text == (
        "Hello Sam Student,\n\nYour application to “Student fellowship” was waitlisted."
        f"\n\nRead more: http://lms.test/applications/{call.id}\n")
