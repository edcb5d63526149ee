"""Review mail and notifications in each reader's language: a mentor or learner who chose
Spanish gets Spanish subjects, bodies and notices; someone reading English gets exactly
the English text as before. Notifications are worded when read, so a person who changes
language reads their list in the new one, and rows written before read as they were."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from lms import clock
from lms.extensions import db
from lms.models import Notification, OutboxMessage
from lms.services import notifications
from lms.services.learning import coauthoring
from lms.services.reviews import review as reviews

START = datetime(2026, 3, 2, 14, tzinfo=UTC)  # a Monday, 09:00 in Detroit


def _emails(kind: str) -> list[OutboxMessage]:
    return list(db.session.execute(select(OutboxMessage).where(OutboxMessage.kind == kind)
                                   .order_by(OutboxMessage.id)).scalars())


def _spanish(*people) -> None:
    for person in people:
        person.locale = "es"
    db.session.commit()


def test_a_spanish_mentor_hears_of_a_submission_in_spanish(synced, people, submit):
    _spanish(people.mentor)
    submission = submit(people.learner)
    step = submission.step
    [mail] = _emails("review_submission")
    assert mail.subject == f"Reflexión para revisar: Priya Shah, {step.title}"
    assert mail.body_text.startswith(
        f"Hola, Dr. Amara Okafor:\n\nPriya Shah envió «{step.title}» ({step.module.title}).")
    assert "Ábrala aquí: http" in mail.body_text and "resumen diario" in mail.body_text
    assert "Hello" not in mail.body_text


def test_an_english_learner_gets_todays_feedback_email_and_a_spanish_one_gets_spanish(
        synced, people, submit, link):
    submission = submit(people.learner)
    step = submission.step
    reviews.decide(people.mentor, submission, submission.revisions[0], decision="approve")
    db.session.commit()
    [mail] = _emails("review_feedback")
    page = f"/learn/{step.module.slug}/{step.slug}"
    assert mail.subject == f"Feedback on your reflection: {step.title}"
    assert mail.body_text == (
        f"Hello Priya Shah,\n\nDr. Amara Okafor approved your reflection “{step.title}” "
        f"({step.module.title}).\n\nRead the feedback: http://lms.test{page}\n\n"
        "For your privacy, this email does not include your answers or the feedback "
        "itself.\n")

    _spanish(people.other_learner)
    link(people.mentor, learner=people.other_learner)
    other = submit(people.other_learner)
    reviews.decide(people.mentor, other, other.revisions[0], decision="revise",
                   improve="More.")
    db.session.commit()
    spanish = _emails("review_feedback")[-1]
    assert spanish.to_address == people.other_learner.email
    assert spanish.subject == f"Comentarios sobre su reflexión: {step.title}"
    assert (f"Dr. Amara Okafor pidió una revisión de su reflexión «{step.title}»"
            in spanish.body_text)
    assert "Para proteger su privacidad" in spanish.body_text


def test_notifications_are_worded_when_read_and_old_rows_stay_readable(
        client, auth, synced, people, submit):
    submission = submit(people.learner)
    reviews.decide(people.mentor, submission, submission.revisions[0], decision="approve")
    old = Notification(user_id=people.learner.id, kind="feedback",
                       text="Written before notices were translated.", created_at=START)
    db.session.add(old)
    db.session.commit()
    notice = db.session.execute(select(Notification).where(
        Notification.kind == notifications.FEEDBACK,
        Notification.message.is_not(None))).scalar_one()
    step = submission.step
    assert notice.text == (f"Dr. Amara Okafor approved your reflection “{step.title}” "
                           f"({step.module.title}).")  # the English stays stored

    auth.login(people.learner)
    english = client.get("/review/notifications").get_data(as_text=True)
    assert "Dr. Amara Okafor approved your reflection" in english
    _spanish(people.learner)
    page = client.get("/review/notifications").get_data(as_text=True)
    assert "Dr. Amara Okafor aprobó su reflexión «" in page
    assert "approved your reflection" not in page
    assert "Written before notices were translated." in page


def test_the_digest_and_waiting_reminders_reach_a_spanish_mentor_in_spanish(
        app, synced, people, submit):
    _spanish(people.mentor)
    notifications.set_email_choice(people.mentor, "digest")
    with clock.frozen_at(START):
        submit(people.learner)
    with clock.frozen_at(START + timedelta(hours=1)):
        assert notifications.send_digests() == 1
    [digest] = _emails("review_digest")
    assert digest.subject == "Reflexiones para revisar: 1 nueva"
    assert "Desde su último resumen ha llegado 1 reflexión para revisar:" in digest.body_text
    assert "- Priya Shah envió «" in digest.body_text
    assert "2 mar" in digest.body_text  # the day as the Spanish page writes it

    previous = app.config["LMS_REVIEW_REMINDER_DAYS"]
    app.config["LMS_REVIEW_REMINDER_DAYS"] = 3
    try:
        with clock.frozen_at(START + timedelta(days=4)):
            assert reviews.send_waiting_reminders() == 1
    finally:
        app.config["LMS_REVIEW_REMINDER_DAYS"] = previous
    [reminder] = _emails("review_reminder")
    assert reminder.subject == "1 reflexión espera su revisión"
    assert "Estas reflexiones llevan más de 3 días esperando su revisión:" in \
        reminder.body_text
    assert "lleva 4 días esperando revisión." in reminder.body_text


def test_a_mentor_link_mail_is_spanish_from_subject_to_body(people, make_user, link):
    learner = make_user(name="Lucía Gómez")
    _spanish(learner)
    link(people.mentor, learner=learner)
    mail = _emails("mentor_link")[-1]
    assert mail.to_address == learner.email
    assert mail.subject == "Dr. Amara Okafor ya puede leer sus reflexiones"
    assert mail.body_text.startswith("Hola, Lucía Gómez:")
    assert "Dr. Amara Okafor puede leer ahora las reflexiones que envíe, como su mentor." \
        in mail.body_text
    assert "Hello" not in mail.body_text and "Your mentors" not in mail.body_text


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_coauthor_invitation_is_in_the_invitees_language(synced, people, submit, language):
    invitee = people.other_learner
    invitee.locale = language
    db.session.commit()
    submission = submit(people.learner)
    coauthoring.invite(submission, people.learner, [invitee.email])
    db.session.commit()
    [mail] = _emails(coauthoring.INVITATION)
    step = submission.step
    if language == "en":
        assert mail.subject == f"Invitation to co-author: {step.title}"
        assert mail.body_text.startswith("Hello Jordan Miles,")
    else:
        assert mail.subject == f"Invitación para ser coautor: {step.title}"
        assert mail.body_text.startswith("Hola, Jordan Miles:")
        assert "Hello" not in mail.body_text
