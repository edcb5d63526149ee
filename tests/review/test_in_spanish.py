"""A mentor and a learner who prefer Spanish read the review pages of a submitted
reflection in Spanish (the reflection's own words stay as they were written)."""

from __future__ import annotations

from lms.extensions import db

# Interface phrases of these pages in English: none may be left.
ENGLISH_INTERFACE = ["Learner", "Module", "Revision history", "Waiting for review", "Approve",
                     "Request a revision", "Not rated", "Answers in revision", "Review queue",
                     "This reflection is confidential", "What changed", "oldest first",
                     "Reflections by status", "Status", "Submitted"]


def _prefer_spanish(*people) -> None:
    for person in people:
        person.locale = "es"
    db.session.commit()


def test_the_mentor_reviews_in_spanish(synced, people, submit, client_for):
    _prefer_spanish(people.mentor, people.learner)
    submission = submit(people.learner)
    mentor = client_for(people.mentor)
    pages = {
        "/review/": ["Cola de revisión", "Reflexiones por estado", "Revisar"],
        f"/review/submissions/{submission.id}": [
            "Participante", "Historial de versiones (1)", "Esta reflexión es confidencial",
            "Respuestas de la versión 1", "Aprobar", "Pedir una revisión", "Sin valorar"],
        f"/review/submissions/{submission.id}/compare": [
            "Qué ha cambiado", "Solo hay una versión"],
    }
    for path, phrases in pages.items():
        html = mentor.get(path).get_data(as_text=True)
        assert '<html lang="es">' in html
        for phrase in phrases:
            assert phrase in html, (path, phrase)
        for english in ENGLISH_INTERFACE:
            assert f">{english}<" not in html and f">{english} " not in html, (path, english)


def test_a_mentor_is_refused_in_spanish_and_a_decision_is_confirmed_in_spanish(
        synced, people, submit, client_for):
    _prefer_spanish(people.mentor, people.other_mentor, people.learner)
    submission = submit(people.learner)
    refused = client_for(people.other_mentor).get(f"/review/submissions/{submission.id}")
    assert refused.status_code == 403
    assert "Esta reflexión no le corresponde leerla" in refused.get_data(as_text=True)

    mentor = client_for(people.mentor)
    answered = mentor.post(f"/review/submissions/{submission.id}/decide", data={
        "revision_id": submission.revisions[-1].id, "decision": "revise", "comment": "",
        "improve": ""})
    assert answered.status_code == 422
    assert "Diga qué debe mejorar el participante" in answered.get_data(as_text=True)
