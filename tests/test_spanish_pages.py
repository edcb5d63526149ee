"""Live sessions, applications, champions, review and action plans read in Spanish.

Each page is requested as a person who prefers Spanish and has the role the page is for;
its visible text, once names and staff-given titles are set aside, must hold key Spanish
phrases and none of the English words Spanish never uses (the browser walk in
tests/e2e/test_spanish.py does the same through Chromium).
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest

from lms.extensions import db
from lms.models import utcnow
from lms.services.applications import answers as applying
from lms.services.applications import calls
from lms.services.champions import champions
from lms.services.events import externals, raffle
from lms.services.events import offerings as events
from lms.services.events import registration as event_registration
from tests.spanish_words import english_words

NAMES = ["Rosa Méndez", "Morgan Admin", "Dr Mina Mentor", "Medicina", "Escucha activa",
         "Beca de inclusión", "Semana de inclusión", "Ally LMS", "Lucía Prado", "Hospital Sur",
         "Enfermera", "Quiero aprender a acompañar mejor a mis pacientes.", "Claridad"]


class _VisibleText(HTMLParser):
    """The text a person sees: everything outside <script>, <style> and <title>."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "title"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def english_left(html: str, institution: str) -> set[str]:
    """English words in the page's visible text once names and titles are set aside."""
    return english_words(visible_text(html), [*NAMES, institution])


@pytest.fixture
def world(app, make_user, make_department):
    """A learner, a mentor and a programme office, all preferring Spanish, with a session
    the learner has a seat at, an event week coming up, an open call and a champion."""
    medicine = make_department("Medicina")
    learner = make_user(roles=("learner",), name="Rosa Méndez", department=medicine)
    admin = make_user(roles=("admin", "learner"), name="Morgan Admin", department=medicine)
    mentor = make_user(roles=("mentor", "learner"), name="Dr Mina Mentor", department=medicine)
    for person in (learner, admin, mentor):
        person.locale = "es"
    training = events.create_training(events.TrainingData(
        title="Escucha activa", slug="escucha-activa", description="",
        related_module_slugs=[], facilitator_ids=[admin.id]), actor=admin)
    start = (utcnow() + timedelta(days=17, hours=10, minutes=31)).replace(microsecond=0)
    offering = events.create_offering(training, events.OfferingData(
        starts_at=start, ends_at=start + timedelta(hours=2), capacity=10, mode="virtual",
        video_url="https://video.example.edu/j/1"), actor=admin)
    event_registration.register(learner, offering)
    today = events.local_today()
    week = raffle.create_week(raffle.WeekData(
        name="Semana de inclusión", starts_on=today + timedelta(days=10),
        ends_on=today + timedelta(days=14)), actor=admin)
    call = calls.create_call(admin, calls.CallData(
        title="Beca de inclusión", description="", opens_at=utcnow() - timedelta(days=1),
        closes_at=utcnow() + timedelta(days=9), questions_source=(
            "- id: why\n  type: long_text\n  label: ¿Por qué?\n"),
        rubric_source="Claridad", reviewer_emails=[admin.email]))
    champions.assign(actor=admin, user=admin, department=medicine)
    offering.audience = "open"
    offering.fee = 50
    participant = externals.sign_up(offering, externals.SignUpData(
        name="Lucía Prado", email="lucia@hospital-sur.example", organisation="Hospital Sur",
        profession="Enfermera"))
    external = externals.verify(participant)
    application = applying.submit(learner, call, {
        "why": "Quiero aprender a acompañar mejor a mis pacientes."}, expected_version=None)
    db.session.commit()
    return {"learner": learner, "admin": admin, "mentor": mentor, "offering": offering,
            "week": week, "call": call, "external": external, "participant": participant,
            "application": application}


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def _read_in_spanish(app, client, auth, person, pages: dict[str, list[str]]) -> None:
    auth.login(person)
    institution = app.config["LMS_INSTITUTION_NAME"]
    for path, phrases in pages.items():
        html = _page(client, path)
        assert '<html lang="es">' in html, path
        for phrase in phrases:
            assert phrase in html, (path, phrase)
        assert not english_left(html, institution), (path, english_left(html, institution))


def test_a_learner_reads_live_sessions_applications_and_champions_in_spanish(
        app, client, auth, world):
    offering, week, call = world["offering"], world["week"], world["call"]
    _read_in_spanish(app, client, auth, world["learner"], {
        "/events/": ["Sesiones en vivo", "Sus sesiones", "Próximos talleres"],
        f"/events/offerings/{offering.id}": ["Su plaza", "empieza dentro de", "Cuándo"],
        f"/events/weeks/{week.id}": ["Sorteo", "Sus participaciones: 0", "empieza dentro de"],
        "/events/calendar": ["Su suscripción de calendario", "Cómo suscribirse"],
        "/events/trainings/escucha-activa": ["Fechas", "Pedir este taller para su equipo"],
        "/events/team-requests": ["Sus solicitudes de formación para equipos"],
        "/events/team-requests/new": ["Pedir una sesión para su equipo"],
        "/applications/": ["Solicitudes", "Abiertas para usted"],
        f"/applications/{call.id}": ["Su solicitud", "Enviada", "Retirar mi solicitud"],
        "/champions/": ["Referentes de aliados", "Todos los departamentos"],
        "/champions/record": ["No es referente de aliados"],
        "/review/mine/reads": ["Quién ha leído mis reflexiones"],
        "/plans/print": ["Plan de acción: Rosa Méndez"],
        "/learn/co-authoring": ["Invitaciones de coautoría"],
    })


def test_the_programme_office_manages_in_spanish(app, client, auth, world):
    offering, week, call = world["offering"], world["week"], world["call"]
    _read_in_spanish(app, client, auth, world["admin"], {
        "/events/manage": ["Gestionar las sesiones en vivo", "Nueva formación"],
        "/events/manage/weeks": ["Semanas temáticas", "Añadir una semana temática"],
        f"/events/manage/weeks/{week.id}": ["Participaciones en el sorteo", "Sortear ganadores"],
        f"/events/offerings/{offering.id}/roster": [
            "Lista de asistentes: ", "Código de asistencia"],
        "/events/manage/requests": ["Solicitudes de formación para equipos"],
        "/events/manage/trainings/new": ["Nueva formación", "Guardar formación"],
        f"/events/manage/trainings/{offering.training_id}/offerings/new": [
            "Nueva fecha: Escucha activa", "Inscripción"],
        f"/events/manage/offerings/{offering.id}/cancel": ["¿Cancelar Escucha activa"],
        "/applications/manage/new": ["Nueva convocatoria", "Quién puede presentarse"],
        "/applications/manage": ["Convocatorias", "Nueva convocatoria"],
        f"/applications/review/{world['application'].id}": [
            "Sus puntuaciones", "Decisión", "de 1 a 5"],
        f"/events/manage/registrations/{world['external'].id}/fee": [
            "Registrar la tarifa", "Borrar a petición"],
        f"/applications/{call.id}/review": ["Solicitudes enviadas, primero las más antiguas"],
        "/champions/manage": ["Gestionar los referentes de aliados", "Nombrar un referente"],
        "/champions/record": ["Mi registro de participación", "Anotar una actividad"],
        "/review/admin": ["Todavía no se ha enviado ninguna reflexión"],
        "/review/admin/links": ["Vínculos de mentores", "Añadir un vínculo"],
    })


def test_a_mentor_reads_the_queue_and_shared_plans_in_spanish(app, client, auth, world):
    _read_in_spanish(app, client, auth, world["mentor"], {
        "/review/": ["Cola de revisión", "Todavía no hay participantes vinculados a usted"],
        "/plans/shared": ["Planes compartidos", "Todavía no hay planes compartidos"],
    })


def test_external_professionals_sign_up_in_spanish(app, client, world):
    offering = world["offering"]
    institution = app.config["LMS_INSTITUTION_NAME"]
    manage = f"/events/external/{externals.manage_token(world['participant'])}"
    for path, phrase in {"/events/open": "Sesiones abiertas a profesionales externos",
                         f"/events/offerings/{offering.id}/join": "Nombre completo",
                         manage: "Esta página es solo para usted"}.items():
        html = client.get(path, headers={"Accept-Language": "es"}).get_data(as_text=True)
        assert phrase in html
        assert not english_left(html, institution), (path, english_left(html, institution))


def test_the_live_countdown_is_given_its_words_in_spanish(client, auth, world):
    """The server writes the countdown in Spanish and hands the script the same words, so
    it goes on ticking in Spanish."""
    auth.login(world["learner"])
    html = _page(client, f"/events/offerings/{world['offering'].id}")
    value = re.search(r'<span class="countdown-value" aria-live="off">([^<]+)</span>', html)
    assert re.fullmatch(r"17 días, 10 horas y (30|31) minutos", value.group(1))
    words = json.loads(re.search(r"data-words='([^']+)'", html).group(1))
    assert words["day"] == ["%(num)d día", "%(num)d días"]
    assert words["hour"] == ["%(num)d hora", "%(num)d horas"]
    assert words["minute"] == ["%(num)d minuto", "%(num)d minutos"]
    assert words["less"] == "menos de un minuto"
    assert words["list"]["end"] == "{0} y {1}" and words["list"]["middle"] == "{0}, {1}"
    assert 'data-ended="un momento"' in html
    assert "page_language" not in html


def test_the_countdown_keeps_its_english_words(client, auth, make_user, world):
    learner = world["learner"]
    learner.locale = "en"
    db.session.commit()
    auth.login(learner)
    html = _page(client, f"/events/offerings/{world['offering'].id}")
    assert re.search(r"\(starts in <span class=\"countdown\"[^>]*><span class=\"countdown-value\" "
                     r"aria-live=\"off\">17 days, 10 hours and (30|31) minutes</span>", html)
    words = json.loads(re.search(r"data-words='([^']+)'", html).group(1))
    assert words["day"] == ["%(num)d day", "%(num)d days"]
    assert words["list"]["end"] == "{0} and {1}"
