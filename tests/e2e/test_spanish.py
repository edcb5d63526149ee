"""A learner switches the interface to Spanish and walks home → challenge → action plan.

Nothing of the interface may stay in English on the way: the test reads the text of
every page, sets aside what is training content or a name (module and step titles of
modules without a Spanish translation, people, the institution), and fails on English
words. axe-core and the HTML checker run on every page, as everywhere.
"""

from __future__ import annotations

import re
import secrets

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import ApplicationCall, EngagementWeek, Module, Offering, Step, Training
from tests.spanish_words import english_words

pytestmark = pytest.mark.e2e

@pytest.fixture
def kit(request):
    try:
        return (request.getfixturevalue("live_server"), request.getfixturevalue("page"),
                request.getfixturevalue("login_as"), request.getfixturevalue("check_a11y"))
    except pytest.FixtureLookupError:
        pytest.skip("browser fixtures are not available")


@pytest.fixture
def newcomer(kit):
    """A learner of the demo institution who has not chosen a language yet."""
    from lms.demo.people import DEMO_PASSWORD
    from lms.services.accounts import passwords
    from lms.services.accounts import people as accounts

    server = kit[0]
    with server.app.app_context():
        tag = secrets.token_hex(3)
        person = accounts.create_user(email=f"rosa.{tag}@example.edu", name="Rosa Méndez")
        passwords.set_password(person, DEMO_PASSWORD)
        db.session.commit()
        email = person.email
        content = set()
        for module in db.session.execute(select(Module)).scalars():
            if "es" not in (module.translations or {}):
                content.update({module.title, module.summary})
        for step in db.session.execute(select(Step)).scalars():
            if "es" not in (step.config or {}).get("translations", {}):
                content.add(step.title)
        content.update(db.session.execute(select(Training.title)).scalars())
        content.update(db.session.execute(select(Training.description)).scalars())
        content.update(db.session.execute(select(Training.series)).scalars())
        for offering in db.session.execute(select(Offering)).scalars():
            content.update({offering.location, offering.notes, offering.fee_note})
        # Names staff give to weeks and calls are content too; other browser tests add
        # some ("Open Week …") to the same database while this one runs.
        content.update(db.session.execute(select(EngagementWeek.name)).scalars())
        content.update(db.session.execute(select(ApplicationCall.title)).scalars())
        db.session.remove()
    return email, sorted(
(c for c in content if c), key=len, reverse=True)


def english_left(page, content: list[str], institution: str) -> set[str]:
    """English words in the page's visible text once content and names are set aside."""
    return english_words(page.locator("body").inner_text(),
                         [*content, institution, "Ally LMS", "Rosa Méndez"])


def choose_spanish(page, login_as, email: str) -> None:
    """Sign in as ``email`` and choose Spanish on the profile, as a person would."""
    login_as(page, email)
    page.get_by_role("link", name="Rosa Méndez").click()
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Perfil guardado.").wait_for()


def test_a_learner_walks_home_challenge_and_plan_in_spanish(kit, newcomer):
    server, page, login_as, check_a11y = kit
    email, content = newcomer
    institution = server.app.config["LMS_INSTITUTION_NAME"]
    choose_spanish(page, login_as, email)
    assert page.locator("html").get_attribute("lang") == "es"
    check_a11y(page)
    assert not english_left(page, content, institution)

    page.get_by_role("link", name="Inicio").first.click()
    page.get_by_role("heading", name="Le damos la bienvenida, Rosa Méndez").wait_for()
    check_a11y(page)
    assert not english_left(page, content, institution)

    page.goto(server.url + "/learn/identity-mapping")
    page.get_by_role("heading", name="Reto del mapa de identidades").wait_for()
    check_a11y(page)
    assert not english_left(page, content, institution)
    page.get_by_role("button", name="Empezar este módulo").click()
    page.get_by_role("heading", name="Sobre los retos de reflexión").wait_for()
    check_a11y(page)
    assert not english_left(page, content, institution)
    page.get_by_role("button", name="Marcar como hecho y continuar").click()

    row = page.get_by_role("group", name="Fila 1")
    row.get_by_label("Identidad").fill("Mujer")
    row.get_by_label("¿Privilegio o dificultad?").select_option(label="Sobre todo dificultad")
    row.get_by_label("Cómo se manifiesta en mi vida y en mi trabajo").fill(
        "Me interrumpen en las reuniones.")
    page.get_by_role("button", name="Guardar borrador").click()
    page.locator("#save-status").filter(
        has_text=re.compile(r"Borrador guardado a las \d{1,2}:\d\d\.")).wait_for()
    assert row.get_by_label("¿Privilegio o dificultad?").input_value() == "Mostly hardship"
    check_a11y(page)
    assert not english_left(page, content, institution)

    page.get_by_role("link", name="Mi plan de acción").click()
    page.get_by_role("heading", name="Mi plan de acción", level=1).wait_for()
    check_a11y(page)
    assert not english_left(page, content, institution)
    page.get_by_role("link", name="Añadir un objetivo").first.click()
    check_a11y(page)
    assert not english_left(page, content, institution)


def test_a_learner_finds_live_sessions_in_spanish_and_the_countdown_ticks_in_spanish(kit,
                                                                                   newcomer):
    server, page, login_as, check_a11y = kit
    email, content = newcomer
    institution = server.app.config["LMS_INSTITUTION_NAME"]
    choose_spanish(page, login_as, email)

    page.get_by_role("link", name="Sesiones en vivo").first.click()
    page.get_by_role("heading", name="Sesiones en vivo", level=1).wait_for()
    check_a11y(page)
    assert not english_left(page, content, institution)

    page.locator("a[href^='/events/offerings/']").first.click()
    page.get_by_role("heading", name="Su plaza").wait_for()
    check_a11y(page)
    assert not english_left(page, content, institution)
    countdown = page.locator("[data-countdown]").first
    # The script rewrites the words from the page's Spanish phrases: move the moment to
    # 2 days, 3 hours and 4½ minutes from the server's now and let it tick.
    countdown.evaluate("""el => {
        const skew = Number(el.dataset.skew || 0);
        el.dataset.countdown = new Date(Date.now() + skew + 183870000).toISOString();
        el.dispatchEvent(new Event("htmx:load", {bubbles: true}));
    }""")
    value = countdown.locator(".countdown-value")
    value.filter(has_text="2 días, 3 horas y 4 minutos").wait_for()
