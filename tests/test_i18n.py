"""The interface in more than one language, and one way to write dates and times."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from flask_babel import refresh
from werkzeug.datastructures import MultiDict
from wtforms import StringField
from wtforms.validators import DataRequired

from lms import dates, formtools
from lms.extensions import db
from lms.formtools import AppForm
from lms.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "lms" / "translations"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2), "lazy_pgettext": ((1, "c"), 2), "pgettext": ((1, "c"), 2),
            "N_": None}


def shipped_messages() -> set:
    """Every message the interface asks gettext for, extracted from the source as
    `make translations-extract` does."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _filename, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else tuple(message[:2]))
    return found


@pytest.fixture(scope="module")
def spanish():
    with open(TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po)


def test_the_spanish_catalogue_translates_every_message(spanish):
    translated = {}
    for message in spanish:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else tuple(message.id)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(strings) and not message.fuzzy:
            translated[key] = strings
    missing = sorted(map(str, shipped_messages() - set(translated)))
    assert not missing, f"{len(missing)} messages have no Spanish translation " \
                        f"(run `make translations` and translate them): {missing[:10]}"


def test_spanish_translations_keep_placeholders_and_plural_forms(spanish):
    assert spanish.num_plurals == 2
    for message in spanish:
        if not message.id:
            continue
        assert not list(message.check(spanish)), message.id

        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\(\w+\)[sd]", ids[-1]))
        for text in strings:
            assert set(re.findall(r"%\(\w+\)[sd]", text)) <= wanted | set(
                re.findall(r"%\(\w+\)[sd]", ids[0])), (message.id, text)


def test_the_compiled_catalogue_matches_its_source(spanish):
    """The committed .mo is what `make translations-compile` makes of the committed .po."""
    with open(TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.mo", "rb") as mo:
        compiled = {_key(message.id): _key(message.string) for message in read_mo(mo)
                    if message.id}
    source = {_key(message.id): _key(message.string) for message in spanish
              if message.id and not message.fuzzy}
    assert compiled == source, "messages.mo is stale: run `make translations-compile`"


def _key(value):
    return value if isinstance(value, str) else tuple(value)


def test_every_language_offered_has_a_catalogue():

    for code in LANGUAGES:
        if code != "en":
            assert (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").exists()


# --- choosing a language ------------------------------------------------------------------

def test_the_browser_language_is_the_default_and_the_profile_choice_wins(client, auth,
                                                                         make_user):
    user = make_user(name="Lucía Ramos")
    auth.login(user)
    english = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(True)
    assert '<html lang="en">' in english and "Welcome, Lucía Ramos" in english

    spanish = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    page = spanish.get_data(as_text=True)
    assert '<html lang="es">' in page
    assert "Le damos la bienvenida, Lucía Ramos" in page and "Cerrar sesión" in page
    assert "Sign out" not in page

    saved = client.post("/profile", data={"name": "Lucía Ramos", "pronouns": "",
                                          "locale": "es"},
                        headers={"Accept-Language": "en"})
    assert saved.status_code == 302
    db.session.refresh(user)
    assert user.locale == "es"
    profile = client.get("/profile", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="es">' in profile and "Perfil guardado." in profile
    assert '<option selected value="es">Español</option>' in profile

    client.post("/profile", data={"name": "Lucía Ramos", "locale": "en"})
    page = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "Welcome" in page


def test_a_language_we_do_not_offer_is_refused_at_the_field(client, auth, make_user):
    user = make_user()
    auth.login(user)
    response = client.post("/profile", data={"name": user.name, "locale": "xx"})
    assert response.status_code == 200 and b"Not a valid choice" in response.data
    db.session.refresh(user)
    assert user.locale is None


def test_form_labels_and_built_in_messages_follow_the_language(client, auth, make_user):
    user = make_user()
    user.locale = "es"
    db.session.commit()
    auth.login(user)
    page = client.post("/profile", data={"name": "  "}).get_data(as_text=True)
    assert "Nombre visible" in page and "Revise el formulario" in page
    assert "This field is required." not in page


class _Required(AppForm):
    class Meta:
        csrf = False

    name = StringField(validators=[DataRequired()])


def test_wtforms_messages_are_read_once_per_language_and_follow_each_request(
        app, monkeypatch):
    loaded = []

    class CountingTranslations:
        @staticmethod
        def load(dirname, locales, domain):
            loaded.append([str(locale) for locale in locales])
            return Translations.load(dirname, locales, domain)

    monkeypatch.setattr(formtools, "Translations", CountingTranslations)
    formtools._wtforms_catalogue.cache_clear()
    messages = []
    for language in ("es", "en", "es", "en", "es"):
        with _in(app, language):
            form = _Required(formdata=MultiDict({"name": ""}))
            form.validate()
            messages.append(form.name.errors[0])
    formtools._wtforms_catalogue.cache_clear()

    assert messages == ["Este campo es obligatorio.", "This field is required."] * 2 + [
        "Este campo es obligatorio."]
    assert loaded == [["es"], ["en"]]


# --- dates and times ------------------------------------------------------------------------

WINTER_MORNING = datetime(2027, 1, 31, 12, 15, tzinfo=UTC)  # 7:15 in Detroit (EST)


@contextmanager
def _in(app, language: str):
    """A request from a browser asking for ``language`` (the test's app context is shared,
    so the locale worked out for an earlier one is forgotten)."""
    with app.test_request_context(headers={"Accept-Language": language}):
        refresh()
        yield


def test_times_say_am_or_pm_in_english_and_use_the_24_hour_clock_in_spanish(app):
    with _in(app, "en"):
        assert dates.format_time(WINTER_MORNING) == "7:15\u00a0AM"
        assert dates.format_time(WINTER_MORNING + timedelta(hours=12)) == "7:15\u00a0PM"
    with _in(app, "es"):
        assert dates.format_time(WINTER_MORNING + timedelta(hours=12)) == "19:15"


def test_a_session_time_range_is_written_the_same_way_at_both_ends(app):
    start = datetime(2027, 1, 31, 12, 0, tzinfo=UTC)
    with _in(app, "en"):
        text = dates.format_datetime_range(start, start + timedelta(hours=2))
        assert text == "Sun, Jan 31, 2027, 7:00 – 9:00\u00a0AM EST"
        late = dates.format_time_range(start, start + timedelta(hours=6))
        assert late == "7:00\u00a0AM – 1:00\u00a0PM EST"
    with _in(app, "es"):
        assert dates.format_datetime_range(start, start + timedelta(hours=2)).startswith(
            "dom, 31 ene 2027, 7:00–9:00")


def test_remembered_dates_follow_the_reader_and_the_zone(app):
    """Formatted dates are kept between requests: per language and per time zone."""
    start = datetime(2027, 1, 31, 12, 0, tzinfo=UTC)
    for _ in range(2):
        with _in(app, "en"):
            assert dates.format_strftime(start, "%a %d %b, %H:%M") == "Sun, Jan 31, 7:00\u00a0AM"
        with _in(app, "es"):
            assert dates.format_strftime(start, "%a %d %b, %H:%M") == "dom, 31 ene, 7:00"
    zone = app.config["LMS_TIMEZONE"]
    app.config["LMS_TIMEZONE"] = "Europe/Madrid"
    try:
        with _in(app, "es"):
            assert dates.format_strftime(start, "%a %d %b, %H:%M") == "dom, 31 ene, 13:00"
            assert dates.format_datetime_range(start, start + timedelta(hours=2)).startswith(
                "dom, 31 ene 2027, 13:00–15:00")
    finally:
        app.config["LMS_TIMEZONE"] = zone


def test_days_are_written_one_way(app):
    with _in(app, "en"):
        assert dates.format_date(date(2027, 1, 31)) == "Jan 31, 2027"
        assert dates.format_date(date(2027, 1, 31), "long") == "January 31, 2027"
        # An instant late in the evening in Detroit is still that day there.
        assert dates.format_date(datetime(2027, 2, 1, 3, 0, tzinfo=UTC)) == "Jan 31, 2027"
        assert dates.iso(date(2027, 1, 31)) == "2027-01-31"
    with _in(app, "es"):
        assert dates.format_date(date(2027, 1, 31), "long") == "31 de enero de 2027"


def test_a_list_writes_its_dates_as_a_single_date_would_be(app):
    """The writers a list page uses for its rows say what ``|date`` and ``|days_ago`` say,
    in the reader's language and zone, however many rows share a day."""
    now = datetime(2027, 2, 3, 12, 0, tzinfo=UTC)
    moments = [datetime(2027, 2, 1, 3, 0, tzinfo=UTC), datetime(2027, 2, 1, 3, 0, tzinfo=UTC),
               datetime(2027, 1, 31, 12, 0, tzinfo=UTC), now - timedelta(hours=3),
               now + timedelta(hours=1), now - timedelta(days=1)]
    for language, first_day, two_days in (("en", "Jan 31, 2027", "2 days ago"),
                                          ("es", "31 ene 2027", "hace 2 días")):
        with _in(app, language):
            written, ago = dates.date_writer(), dates.days_ago_writer(now)
            assert [written(m) for m in moments] == [dates.format_date(m) for m in moments]
            assert [ago(m) for m in moments] == [dates.days_ago(m, now) for m in moments]
            assert written(moments[0]) == first_day  # the evening before, in Detroit
            assert ago(moments[0]) == two_days
            assert written(None) == ""
    with _in(app, "en"):
        ago = dates.days_ago_writer(now)
        assert [ago(m) for m in moments[3:]] == ["today", "today", "1 day ago"]
        assert dates.date_writer("long")(moments[2]) == "January 31, 2027"
    zone = app.config["LMS_TIMEZONE"]
    app.config["LMS_TIMEZONE"] = "Europe/Madrid"
    try:
        with _in(app, "es"):
            assert dates.date_writer()(moments[0]) == "1 feb 2027"
    finally:
        app.config["LMS_TIMEZONE"] = zone


@pytest.mark.parametrize(("days", "english", "spanish"), [
    (0, "due today", "vence hoy"), (1, "due tomorrow", "vence mañana"),
    (21, "due in 3 weeks", "vence en 3 semanas"), (-1, "overdue by 1 day",
                                                  "con 1 día de retraso"),
    (-12, "overdue by 12 days", "con 12 días de retraso")])
def test_relative_phrases_come_from_one_place(app, days, english, spanish):
    today = date(2026, 12, 3)
    with _in(app, "en"):
        assert dates.due_phrase(today + timedelta(days=days), today) == english
    with _in(app, "es"):
        assert dates.due_phrase(today + timedelta(days=days), today) == spanish


def test_relative_words_for_moments(app):
    with _in(app, "en"):
        assert dates.relative(date(2026, 12, 24), date(2026, 12, 3)) == "in 3 weeks"
        assert dates.relative(date(2026, 12, 4), date(2026, 12, 3)) == "tomorrow"
        assert dates.countdown(WINTER_MORNING + timedelta(days=1, hours=2),
                               WINTER_MORNING) == "in 1 day and 2 hours"
    with _in(app, "es"):
        assert dates.relative(date(2026, 12, 24), date(2026, 12, 3)) == "dentro de 3 semanas"
        assert dates.countdown(WINTER_MORNING + timedelta(days=3),
                               WINTER_MORNING) == "dentro de 3 días"


def test_templates_written_with_strftime_letters_get_the_locale_format(app):
    with _in(app, "en"):
        assert dates.format_strftime(WINTER_MORNING, "%d %b %Y, %H:%M") == \
            "Jan 31, 2027, 7:15\u00a0AM"
        assert dates.format_strftime(WINTER_MORNING, "%H:%M %Z") == "7:15\u00a0AM EST"
    with _in(app, "es"):
        assert dates.format_strftime(WINTER_MORNING, "%A %d %B %Y") == \
            "domingo, 31 de enero de 2027"


def test_templates_follow_a_change_of_language_within_a_request(app):
    """The catalogue is found once per request, yet a message written for someone else
    (force_locale) or after a change of language (refresh) reads in that language."""
    from flask import render_template_string
    from flask_babel import force_locale

    def home() -> str:
        return render_template_string("{{ _('Home') }}")

    with app.test_request_context(headers={"Accept-Language": "es"}):
        assert home() == "Inicio"
        with force_locale("en"):
            assert home() == "Home"
        assert home() == "Inicio"
        with force_locale("en"):
            refresh()
            assert home() == "Home"
