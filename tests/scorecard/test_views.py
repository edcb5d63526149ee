"""Scorecard pages: who sees what, the CSV equals the page, a fixed number of queries (for
the department page; the scorecard's own budgets are in tests/perf)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from lms.clock import frozen_at
from lms.extensions import db
from lms.models import Submission
from lms.services.learning import progress as learning
from lms.services.learning import surveys
from tests.scorecard.conftest import csv_tables, page_tables

NOW = datetime(2026, 11, 15, 12, tzinfo=UTC)


@pytest.fixture
def institution(app, synced, make_department, staff, train, complete):
    """Departments of every kind: below target, small, with a sub-department."""
    medicine = make_department("Internal Medicine")
    cardiology = make_department("Cardiology", parent=medicine)
    emergency = make_department("Emergency Medicine")
    library = make_department("Library Services")
    pediatrics = make_department("Pediatrics")
    train(staff(medicine, 24)[:9], when=datetime(2026, 4, 2, tzinfo=UTC))
    train(staff(cardiology, 9)[:3], when=datetime(2026, 6, 2, tzinfo=UTC))
    complete(staff(emergency, 15)[:3], "implicit-bias-foundations")
    staff(library, 1)
    train(staff(pediatrics, 17)[:6], when=datetime(2026, 8, 2, tzinfo=UTC))
    return {"medicine": medicine, "cardiology": cardiology, "emergency": emergency,
            "library": library, "pediatrics": pediatrics}


def get(client, url):
    with frozen_at(NOW):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response


@pytest.mark.parametrize("path", ["/scorecard", "/scorecard/admin"])
@pytest.mark.parametrize("layout", ["", "?layout=rollup"])
def test_the_csv_is_exactly_what_the_page_shows(client, auth, make_user, institution, path,
                                                layout):
    auth.login(make_user(roles=("admin", "learner")))
    page = get(client, path + layout).get_data(as_text=True)
    download = get(client, path + ".csv" + layout)
    assert download.mimetype == "text/csv"
    assert "attachment" in download.headers["Content-Disposition"]
    assert page_tables(page) == csv_tables(download.get_data(as_text=True))


def test_the_published_view_shows_coverage_and_suppression(client, auth, make_user, institution):
    auth.login(make_user())
    html = get(client, "/scorecard").get_data(as_text=True)
    assert "<h1>Programme scorecard</h1>" in html
    assert "Below target" in html and "Emergency Medicine" in html
    assert "fewer than 5" in html
    # The default target is one trained ally: the count of departments does not make it plural.
    assert re.search(r"\d+ of \d+ departments have at least 1 trained ally\.", html)
    assert "Cardiology <span class=\"row-note\">(part of Internal Medicine)</span>" in html
    assert 'role="img"' in html and "<desc" in html
    # Learners get counts only: no drill-down, no names.
    assert "/scorecard/admin" not in html
    assert "Staff 1" not in html


def test_admins_drill_down_to_people_and_statuses(client, auth, make_user, institution):
    admin = make_user(roles=("admin", "learner"))
    auth.login(admin)
    html = get(client, "/scorecard/admin").get_data(as_text=True)
    medicine = institution["medicine"]
    link = f"/scorecard/admin/departments/{medicine.id}"
    assert link in html
    detail = get(client, link).get_data(as_text=True)
    assert "<h1>Internal Medicine</h1>" in detail
    assert "Figures for Internal Medicine and its sub-departments" in detail
    assert "Completed " in detail and "Not started" in detail
    assert "24 active people" in detail
    assert "page=2" not in detail or "Next" in detail


def test_the_drill_down_never_shows_reflections_or_survey_answers(client, auth, make_user,
                                                                  institution):
    department = institution["pediatrics"]
    learner = make_user(department=department)
    module = learning.published_module("implicit-bias-foundations")
    survey = next(s for s in module.steps if s.kind == "survey")
    answers = {i["id"]: ("no" if i["type"] == "yes_no" else i["scale"][0])
               for i in survey.config["items"]}
    surveys.record_response(learner, survey, answers)
    challenge = next(s for s in learning.published_module("identity-mapping").steps
                     if s.kind == "challenge")
    db.session.add(Submission(user_id=learner.id, step_id=challenge.id, status="submitted",
                              answers={"reflection": "A very private reflection sentence."}))
    db.session.commit()
    auth.login(make_user(roles=("admin", "learner")))
    detail = get(client, f"/scorecard/admin/departments/{department.id}").get_data(as_text=True)
    assert learner.name in detail
    assert "A very private reflection sentence." not in detail
    for item in survey.config["items"]:
        assert item["text"] not in detail
    assert "answered" not in detail.lower() and "evaluation:" not in detail.lower()


def test_unknown_department_is_not_found(client, auth, make_user, institution):
    auth.login(make_user(roles=("admin", "learner")))
    with frozen_at(NOW):
        assert client.get("/scorecard/admin/departments/999999").status_code == 404
    assert client.get(f"/scorecard/admin/departments/{institution['library'].id}"
                      "?page=-3").status_code == 400


def test_an_unknown_layout_falls_back_to_one_row_per_department(client, auth, make_user,
                                                                 institution):
    auth.login(make_user())
    html = get(client, "/scorecard?layout=<script>").get_data(as_text=True)
    assert "Figures by department, each on its own" in html
    assert "<script>" not in html.split("<main", 1)[1]


def test_formula_like_names_are_defused_in_the_csv(client, auth, make_user, make_department,
                                                   synced, staff):
    staff(make_department("=HYPERLINK(\"http://evil\")"), 6)
    auth.login(make_user())
    text = get(client, "/scorecard.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in text


def test_department_page_query_count_is_fixed(client, auth, make_user, make_department, synced,
                                              staff, train, count_queries):
    auth.login(make_user(roles=("admin", "learner")))
    small, large = make_department("Small"), make_department("Large")
    train(staff(small, 3))
    train(staff(large, 40)[:20])
    # The navigation's counts are kept from the first page on.
    get(client, f"/scorecard/admin/departments/{small.id}")
    with count_queries() as few:
        get(client, f"/scorecard/admin/departments/{small.id}")
    with count_queries() as many:
        get(client, f"/scorecard/admin/departments/{large.id}")
    assert few.count == many.count


def _staff_cell(client, name: str) -> str:
    table = page_tables(get(client, "/scorecard").get_data(as_text=True))[0]
    return next(row[1] for row in table[2:] if row[0] == name)


@pytest.fixture
def cache_clock(app, monkeypatch):
    """Results kept for 300 s on a clock the test moves: ``cache_clock[0] += 100``."""
    from lms.services.scorecard import cache as scorecard_cache

    app.config["LMS_SCORECARD_CACHE_SECONDS"] = 300
    now = [1000.0]
    monkeypatch.setattr(scorecard_cache.time, "monotonic", lambda: now[0])
    scorecard_cache.forget()
    yield now
    scorecard_cache.forget()
    app.config["LMS_SCORECARD_CACHE_SECONDS"] = 0


def test_a_computed_scorecard_is_reused_until_it_is_older_than_the_setting(
        client, auth, make_user, institution, staff, cache_clock):
    auth.login(make_user())
    assert _staff_cell(client, "Pediatrics") == "17"
    staff(institution["pediatrics"], 2)
    cache_clock[0] += 100
    assert _staff_cell(client, "Pediatrics") == "17"  # the kept figures
    cache_clock[0] += 300
    assert _staff_cell(client, "Pediatrics") == "19"  # older than 300 s: worked out again


def test_both_layouts_come_from_one_snapshot(client, auth, make_user, institution, staff,
                                             cache_clock):
    """Reading one layout, then the other a little later, never shows two moments: the
    difference between them could isolate one person."""
    auth.login(make_user())
    assert _staff_cell(client, "Pediatrics") == "17"
    staff(institution["pediatrics"], 2)
    cache_clock[0] += 100
    rollup = page_tables(get(client, "/scorecard?layout=rollup").get_data(as_text=True))[0]
    assert next(row[1] for row in rollup[2:] if row[0] == "Pediatrics") == "17"
    with frozen_at(NOW):
        download = client.get("/scorecard.csv?layout=rollup").get_data(as_text=True)
    assert csv_tables(download)[0] == rollup


def test_the_page_says_how_many_answers_wait_without_saying_where(client, auth, make_user,
                                                                    institution):
    survey = next(s for s in learning.published_module("implicit-bias-foundations").steps
                  if s.kind == "survey")
    answers = {i["id"]: ("yes" if i["type"] == "yes_no" else i["scale"][0])
               for i in survey.config["items"]}
    learner = make_user(department=institution["pediatrics"])
    surveys.record_response(learner, survey, answers)
    db.session.commit()
    auth.login(learner)
    for path in ("/scorecard", "/scorecard/admin"):
        if path.endswith("admin"):
            auth.logout()
            auth.login(make_user(roles=("admin", "learner")))
        html = get(client, path).get_data(as_text=True)
        note = html[html.index('id="evaluation-release"'):]
        note = note[:note.index("</p>")]
        assert "1 answer is waiting to be released." in note
        assert "No evaluation answers have been released yet." in note
        assert "Pediatrics" not in note
        # The note's sentences are separate sentences, not run together.
        assert "over time. No evaluation answers have been released yet. 1 answer" in note


@pytest.fixture
def rendered(app):
    """The names of the templates rendered while the test runs, in order."""
    from flask import template_rendered

    names = []

    def record(_sender, template, **_extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    yield names
    template_rendered.disconnect(record, app)


def _without_tokens(page: str) -> str:
    """The page without its CSRF tokens, which carry the second they were signed in."""
    return re.sub(r'("X-CSRFToken": "|name="csrf_token" value=")[^"]+', r"\1", page)


def test_a_kept_scorecard_is_rendered_once_per_language_and_kind_of_viewer(
        client, auth, make_user, institution, cache_clock, rendered):
    auth.login(make_user(roles=("admin", "learner"), name="Morgan Admin"))
    first = get(client, "/scorecard").get_data(as_text=True)
    again = get(client, "/scorecard").get_data(as_text=True)
    assert _without_tokens(again) == _without_tokens(first) and "/scorecard/admin" in first
    assert rendered.count("scorecard/_index_body.html") == 1
    assert rendered.count("scorecard/index.html") == 2  # the page around it: every time
    with frozen_at(NOW):
        spanish = client.get("/scorecard", headers={"Accept-Language": "es"})
    assert "<h1>Cuadro de indicadores del programa</h1>" in spanish.get_data(as_text=True)
    auth.logout()
    auth.login(make_user(name="Lee Learner"))
    learner = get(client, "/scorecard").get_data(as_text=True)
    assert rendered.count("scorecard/_index_body.html") == 3
    assert "/scorecard/admin" not in learner  # the admin's copy is not the learner's
    assert "Lee Learner" in learner and "Morgan Admin" not in learner
    assert page_tables(learner) == page_tables(first)  # the same kept figures

