"""The programme office's pages, the learner's data and certificates, and the mail and
PDFs sent to people, in Spanish.

Each page is requested by someone who chose Spanish on their profile, with the role the
page needs; its main content must carry the Spanish wording and no English word once
the names and titles people gave things are set aside. Messages and documents follow
the recipient's language, whoever's request makes them.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta
from html import unescape

import pypdf
import pytest
from flask import url_for
from sqlalchemy import select

from lms import clock, dates
from lms.extensions import db
from lms.i18n import written_for
from lms.models import Certificate, OutboxMessage
from lms.services import duedates
from lms.services.accounts import people as accounts
from lms.services.assignments import reminders
from lms.services.learning import progress as learning
from lms.services.privacy import exports
from tests.assignments.helpers import assign, at, complete_module, write_short_module
from tests.learn.conftest import module_root, sync_root  # noqa: F401 - fixtures
from tests.spanish_words import OFFICE_ENGLISH, english_words

MODULE = "Bias Basics"
DEPARTMENT = "Cardiología"


def english_left(html: str, names: list[str]) -> set[str]:
    """English words in the page's main content once names and titles are set aside, with
    code, sample files and recorded data (``<pre>``, ``<code>``, ``audit.action`` names)."""
    main = html[html.index("<main"):html.index("</main>")]
    main = re.sub(r"<(script|style|pre|code)\b.*?</\1>", " ", main, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", " ", main))
    text = re.sub(r"\b\w+(?:[._]\w+)+\b", " ", text)
    return english_words(text, names, OFFICE_ENGLISH)


@pytest.fixture
def spanish_world(app, module_root, sync_root, make_user, make_department):  # noqa: F811
    """A department with a Spanish-speaking admin (who leads it) and two learners, one
    reading Spanish, one English; a certificate module assigned to everyone."""
    write_short_module(module_root, "bias-basics", title=MODULE, certificate=True,
                       estimated_minutes=90)
    sync_root()
    module = learning.published_module("bias-basics")
    department = make_department(DEPARTMENT)
    admin = make_user(name="Marta Ruiz", email="marta@example.edu",
                      roles=("admin", "learner"), department=department)
    department.lead_id = admin.id
    spanish = make_user(name="Lucía Gómez", email="lucia@example.edu", department=department)
    english = make_user(name="Sam Okafor", email="sam@example.edu", department=department)
    for person in (admin, spanish):
        person.locale = "es"
    accounts.create_cohort(name="Cohorte 2026", actor=admin)
    db.session.commit()
    assignment, _ = assign(admin, module)
    return {"admin": admin, "spanish": spanish, "english": english, "module": module,
            "department": department, "assignment": assignment}


def _names(world) -> list[str]:
    return [MODULE, DEPARTMENT, "Cohorte 2026", "Marta Ruiz", "Lucía Gómez", "Sam Okafor",
            "marta@example.edu", "lucia@example.edu", "sam@example.edu", "Ally LMS",
            "Institutional sign-in",  # the README section's title
            "email, name, department", "roles, pronouns, cohorts"]  # the CSV's columns


ADMIN_PAGES = [
    # (endpoint, arguments from the world, Spanish text the page must say)
    ("admin.index", {}, "Oficina del programa"),
    ("admin.users", {}, "Añadir una persona"),
    ("admin.new_user", {}, "(elija al menos uno)"),
    ("admin.edit_user", {"user_id": "english"}, "Expediente de formación"),
    ("admin.import_users_page", {}, "Importar personas desde un CSV"),
    ("admin.departments", {}, "Añadir un departamento"),
    ("admin.cohorts", {}, "Añadir una cohorte"),
    ("admin.outbox", {}, "Bandeja de salida"),
    ("admin.audit_log", {}, "Registro de auditoría"),
    ("identity.index", {}, "Proveedores de identidad y aprovisionamiento"),
    ("erasure.erase", {"user_id": "english"}, "Qué ocurre"),
    ("scorecard.index", {}, "Cuadro de indicadores del programa"),
    ("scorecard.admin", {}, "Cuadro de indicadores: vista de administración"),
    ("scorecard.department", {"department_id": "department"}, "Estado de formación"),
    ("assignments.index", {}, "Asignaciones activas"),
    ("assignments.new", {}, "Asignar un módulo"),
    ("assignments.edit", {"assignment_id": "assignment"}, "Cambiar la asignación de"),
    ("assignments.delete", {"assignment_id": "assignment"}, "¿Eliminar la asignación de"),
    ("assignments.compliance", {"assignment": "assignment"}, "Personas y su estado"),
    ("assignments.reminders", {"assignment_id": "assignment"}, "Recordatorios de"),
    ("mydata.index", {}, "Descargar mis datos"),
    ("certificates.index", {}, "Sus certificados"),
    ("certificates.transcript", {}, "Su expediente de formación"),
    ("certificates.verify_form", {}, "Verificar un certificado"),
    ("auth.change_password", {}, "Cambiar su contraseña"),
]


@pytest.mark.parametrize("endpoint, arguments, spanish_text", ADMIN_PAGES,
                         ids=[page[0] for page in ADMIN_PAGES])
def test_each_page_reads_in_spanish(app, client, auth, spanish_world, endpoint, arguments,
                                    spanish_text):
    world = spanish_world
    auth.login(world["admin"])
    values = {key: world[name].id for key, name in arguments.items()}
    with app.test_request_context():
        path = url_for(endpoint, **values)
    response = client.get(path, headers={"Accept-Language": "en"})
    assert response.status_code == 200, path
    page = response.get_data(as_text=True)
    assert '<html lang="es">' in page
    assert spanish_text in unescape(page), path
    assert not english_left(page, _names(world)), path


def test_the_users_page_counts_and_labels_roles_in_spanish(client, auth, spanish_world):
    auth.login(spanish_world["admin"])
    page = unescape(client.get("/admin/users").get_data(as_text=True))
    assert "3 personas" in page and "Activa" in page and ">Participante</option>" in page


def test_form_refusals_and_flashes_come_in_spanish(client, auth, spanish_world):
    auth.login(spanish_world["admin"])
    refused = client.post("/admin/cohorts", data={"name": "Cohorte 2026"})
    assert "Ya existe una cohorte con este nombre." in refused.get_data(as_text=True)
    created = client.post("/admin/users/new", data={
        "name": "Ana Pérez", "email": "ana@example.edu", "roles": ["learner"],
        "department_id": ""}, follow_redirects=True)
    assert "Cuenta creada para Ana Pérez." in created.get_data(as_text=True)
    imported = client.post("/admin/users/import", data={
        "file": (io.BytesIO(b"email,name,department\nbad,Nadie,Nowhere\n"), "people.csv")},
        content_type="multipart/form-data")
    text = unescape(imported.get_data(as_text=True))
    assert "No se ha importado nada: 2 problemas por resolver" in text
    assert "Línea 2: «bad» no es una dirección de correo válida." in text


def test_the_scorecard_kept_for_everyone_reads_in_each_readers_language(
        app, client, auth, spanish_world):
    app.config["LMS_SCORECARD_CACHE_SECONDS"] = 300
    auth.login(spanish_world["admin"])
    spanish = unescape(client.get("/scorecard/admin").get_data(as_text=True))
    assert "Total de la institución" in spanish and "Personal" in spanish
    spanish_world["admin"].locale = "en"
    db.session.commit()
    english = unescape(client.get("/scorecard/admin").get_data(as_text=True))
    assert "Institution total" in english and "Total de la institución" not in english


def test_the_data_archive_is_written_in_its_owners_language(app, spanish_world):
    archive = exports.archive(spanish_world["spanish"])
    page = zipfile.ZipFile(io.BytesIO(archive)).read("index.html").decode()
    assert '<html lang="es">' in page and "Sus datos de" in page
    assert "Inscripciones y progreso" in page


# --- mail and documents in the recipient's language ------------------------------------------

def _long_day(app, day: date, language: str) -> str:
    from flask_babel import force_locale

    with app.test_request_context(), force_locale(language):
        return dates.format_date(day, "long")


def test_a_reminder_sent_from_a_spanish_request_reaches_each_person_in_their_language(
        app, client, auth, spanish_world):
    world = spanish_world
    auth.login(world["admin"])
    page = unescape(client.get("/assignments/mine").get_data(as_text=True))
    due = world["assignment"].due_on
    spanish_day = _long_day(app, due, "es")
    assert spanish_day in page  # the learner's page writes the due date this way
    response = client.post(f"/assignments/{world['assignment'].id}/remind",
                           follow_redirects=True)
    assert "recordatorios en cola" in unescape(response.get_data(as_text=True))
    messages = {m.to_address: m for m in db.session.execute(select(OutboxMessage)).scalars()}
    lucia, sam = messages["lucia@example.edu"], messages["sam@example.edu"]
    assert lucia.subject.startswith("Recordatorio: la fecha límite de Bias Basics es el ")
    assert "Hola, Lucía Gómez:" in lucia.body_text and spanish_day in lucia.body_text
    assert "Abrir el módulo:" in lucia.body_text and "Hello" not in lucia.body_text
    assert sam.subject == (f"Reminder: Bias Basics is due on {due.day} {due:%B %Y}")
    assert "Hello Sam Okafor," in sam.body_text
    assert _long_day(app, due, "en") in sam.body_text


def test_an_overdue_escalation_reaches_a_spanish_lead_in_spanish(app, spanish_world):
    world = spanish_world
    assignment = world["assignment"]
    assignment.escalate_after_days = 1
    db.session.commit()
    with app.test_request_context():
        reminders.remind_assignment(assignment, on=assignment.due_on + timedelta(days=3))
    escalation = db.session.execute(select(OutboxMessage).where(
        OutboxMessage.kind == "assignment_escalation")).scalar_one()
    assert escalation.subject == "2 personas van con retraso en Bias Basics"
    assert "Lucía Gómez (3 días de retraso)" in escalation.body_text


def test_a_password_link_and_a_security_notice_follow_the_persons_language(
        app, client, spanish_world):
    client.post("/auth/forgot", data={"email": "lucia@example.edu"},
                headers={"Accept-Language": "en"})
    reset = db.session.execute(select(OutboxMessage).where(
        OutboxMessage.to_address == "lucia@example.edu")).scalar_one()
    assert reset.subject == "Restablezca su contraseña de Ally LMS"
    assert "Abra este enlace antes de una hora" in reset.body_text
    from lms.services.accounts import security

    with app.test_request_context(headers={"Accept-Language": "en"}):
        security.change_password(spanish_world["spanish"], "a-long-new-password", how="reset")
    db.session.commit()
    notice = db.session.execute(select(OutboxMessage).where(
        OutboxMessage.kind == "security_notice")).scalar_one()
    assert notice.subject == "Se ha cambiado su contraseña de Ally LMS"
    assert "Su contraseña se restableció con un enlace" in notice.body_text


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_certificate_and_transcript_pdfs_are_in_the_learners_language(
        app, client, auth, spanish_world, make_user):
    world = spanish_world
    with clock.frozen_at(at(date(2026, 3, 14))):
        complete_module(world["spanish"], world["module"])
    certificate = db.session.scalar(select(Certificate))
    auth.login(world["spanish"])
    listing = unescape(client.get("/certificates/").get_data(as_text=True))
    assert "14 de marzo de 2026" in listing
    text = _pdf_text(client.get(f"/certificates/{certificate.id}.pdf"))
    for expected in ("Certificado de finalización", "Se certifica que", "ha completado",
                     "el 14 de marzo de 2026 · 1,5 horas", "Código de verificación"):
        assert expected in text, expected
    assert "Certificate" not in text
    page = unescape(client.get("/transcript").get_data(as_text=True))
    transcript = _pdf_text(client.get("/transcript.pdf"))
    assert "Expediente de formación" in transcript and "Completado el 14 mar 2026" in transcript
    assert "14 mar 2026" in page

    # The programme office downloads it in the learner's language too.
    auth.logout()
    auth.login(make_user(roles=("admin",), email="office@example.edu"))
    office = _pdf_text(client.get(f"/admin/people/{world['spanish'].id}/transcript.pdf"))
    assert "Expediente de formación" in office


def test_outside_a_document_nothing_changes_language(app, spanish_world):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with written_for(spanish_world["spanish"]):
            assert duedates.hours_label(90) == "1,5 horas"
        assert duedates.hours_label(90) == "1.5 hours"


def test_names_inside_translated_scorecard_words_are_escaped(client, auth, spanish_world,
                                                            make_department):
    make_department("Planta 2", parent=make_department("<b>Unidad</b>"))
    auth.login(spanish_world["admin"])
    page = client.get("/scorecard/admin").get_data(as_text=True)
    assert "(parte de &lt;b&gt;Unidad&lt;/b&gt;)" in page and "<b>Unidad</b>" not in page
