"""The compliance view: counts, drill-down, filters, CSV, department leads."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from flask import template_rendered
from sqlalchemy import select

from lms import clock
from lms.extensions import db
from lms.models import Step, Submission
from lms.services.learning import progress as learning
from tests.assignments.helpers import assign, at, complete_module
from tests.assignments.helpers import table_cells as _table

TODAY = date(2026, 3, 2)


@pytest.fixture
def frozen():
    with clock.frozen_at(at(TODAY)):
        yield


@pytest.fixture
def hospital(make_department, make_user):
    """Medicine (with Cardiology below it) and Pediatrics, with people in each."""
    medicine = make_department("Internal Medicine")
    cardiology = make_department("Cardiology", parent=medicine)
    pediatrics = make_department("Pediatrics")
    people = {
        "ana": make_user(name="Ana Medic", department=medicine),
        "ben": make_user(name="Ben Medic", department=medicine),
        "cy": make_user(name="Cy Cardio", department=cardiology),
        "di": make_user(name="Di Child", department=pediatrics),
        "ed": make_user(name="Ed Child", department=pediatrics),
    }
    return {"medicine": medicine, "cardiology": cardiology, "pediatrics": pediatrics, **people}


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def _setup(hospital, short_module, admin):
    """Ana completed, Ben in progress, Di overdue-ish later; assignment to two departments."""
    assignment, _ = assign(admin, short_module, target_kind="departments",
                           department_ids=[hospital["medicine"].id, hospital["pediatrics"].id],
                           due_on=TODAY + timedelta(days=7))
    complete_module(hospital["ana"], short_module)
    learning.start_module(hospital["ben"], short_module)
    db.session.commit()
    return assignment


def test_counts_per_assignment_and_department(client, auth, frozen, hospital, short_module,
                                              admin):
    assignment = _setup(hospital, short_module, admin)
    auth.login(admin)
    html = client.get(f"/assignments/compliance?assignment={assignment.id}").get_data(
        as_text=True)
    departments = _table(html, "by-department-heading")
    assert departments[0] == ["Department", "Assigned", "Completed", "In progress",
                              "Not started", "Overdue", "Completion rate"]
    assert ["Cardiology", "1", "0", "0", "1", "0", "0%"] in departments
    assert ["Internal Medicine", "2", "1", "1", "0", "0", "50%"] in departments
    assert ["Pediatrics", "2", "0", "0", "2", "0", "0%"] in departments
    by_assignment = _table(html, "by-assignment-heading")
    assert by_assignment[1][1:] == ["5", "1", "1", "3", "0", "20%"]

    with clock.frozen_at(at(TODAY + timedelta(days=8))):  # the due date has passed
        html = client.get(f"/assignments/compliance?assignment={assignment.id}").get_data(
            as_text=True)
    assert _table(html, "by-assignment-heading")[1][1:] == ["5", "1", "0", "0", "4", "20%"]


def test_the_counts_are_rendered_once_and_again_after_anything_they_show_changes(
        app, client, auth, frozen, hospital, short_module, admin):
    assignment = _setup(hospital, short_module, admin)
    auth.login(admin)
    page = f"/assignments/compliance?assignment={assignment.id}"
    rendered = []

    def record(sender, template, context, **extra):
        rendered.append(template.name)

    with template_rendered.connected_to(record, app):
        first = client.get(page).get_data(as_text=True)
        again = client.get(page).get_data(as_text=True)
    assert rendered.count("assignments/_counts.html") == 1
    assert _table(again, "by-department-heading") == _table(first, "by-department-heading")

    complete_module(hospital["ben"], short_module)  # the counts change
    html = client.get(page).get_data(as_text=True)
    assert ["Internal Medicine", "2", "2", "0", "0", "0", "100%"] in _table(
        html, "by-department-heading")

    hospital["pediatrics"].name = "Children"  # a name changes, the counts do not
    db.session.commit()
    html = client.get(page).get_data(as_text=True)
    assert ["Children", "2", "0", "0", "2", "0", "0%"] in _table(html, "by-department-heading")
    assert f'<option value="{hospital["pediatrics"].id}">Children</option>' in html

    spanish = client.get(page, headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert _table(spanish, "by-department-heading")[0][0] == "Departamento"
    filtered = client.get(page + "&status=completed").get_data(as_text=True)
    assert _table(filtered, "by-assignment-heading")[1][1:] == ["2", "2", "0", "0", "0", "100%"]


def test_drill_down_filters_and_csv_match_the_page(client, auth, frozen, hospital, short_module,
                                                   admin):
    assignment = _setup(hospital, short_module, admin)
    auth.login(admin)
    for query in (f"assignment={assignment.id}",
                  f"assignment={assignment.id}&department={hospital['medicine'].id}",
                  "status=not_started", "q=child", "status=completed"):
        html = client.get(f"/assignments/compliance?{query}").get_data(as_text=True)
        page_rows = _table(html, "people-heading")
        csv_rows = _csv(client.get(f"/assignments/compliance.csv?table=people&{query}"))
        assert [row[:7] for row in csv_rows] == page_rows, query
        page_departments = _table(html, "by-department-heading")
        csv_departments = _csv(client.get(
            f"/assignments/compliance.csv?table=departments&{query}"))
        assert csv_departments == page_departments, query

    medicine = _csv(client.get("/assignments/compliance.csv?table=people&department="
                               f"{hospital['medicine'].id}"))
    assert {row[0] for row in medicine[1:]} == {"Ana Medic", "Ben Medic", "Cy Cardio"}
    statuses = {row[0]: row[5] for row in medicine[1:]}
    assert statuses == {"Ana Medic": "Completed", "Ben Medic": "In progress",
                        "Cy Cardio": "Not started"}


def test_zero_rows_export_a_header_and_the_page_says_so(client, auth, frozen, hospital,
                                                        short_module, admin):
    _setup(hospital, short_module, admin)
    auth.login(admin)
    html = client.get("/assignments/compliance?q=nobody-called-this").get_data(as_text=True)
    assert "No people match these filters. The CSV export contains only its header row." in html
    rows = _csv(client.get("/assignments/compliance.csv?table=people&q=nobody-called-this"))
    assert rows == [["Name", "Email", "Department", "Module", "Due date", "Status",
                     "Completed on", "Score (%)", "Engaged minutes", "Attested at (UTC)",
                     "Content version"]]


def test_csv_cells_cannot_run_formulas(client, auth, frozen, short_module, admin, make_user):
    make_user(name="=HYPERLINK(\"http://evil.example\",\"x\")")
    make_user(name="+1 Person")
    assign(admin, short_module)
    auth.login(admin)
    rows = _csv(client.get("/assignments/compliance.csv?table=people"))
    names = {row[0] for row in rows[1:]}
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in names
    assert "'+1 Person" in names


def test_department_leads_see_only_their_departments(client, auth, frozen, hospital,
                                                     short_module, admin):
    _setup(hospital, short_module, admin)
    auth.login(admin)
    assert "Pediatrics" in client.get("/assignments/compliance").get_data(as_text=True)
    auth.logout()
    hospital["medicine"].lead_id = hospital["ben"].id
    db.session.commit()
    auth.login(hospital["ben"])
    html = client.get("/assignments/compliance").get_data(as_text=True)
    assert "for your departments" in html
    names = {row[0] for row in _table(html, "people-heading")[1:]}
    assert names == {"Ana Medic", "Ben Medic", "Cy Cardio"}
    assert "Pediatrics" not in html
    # Asking for another department shows nothing of it.
    rows = _csv(client.get("/assignments/compliance.csv?table=people&department="
                           f"{hospital['pediatrics'].id}"))
    assert rows[1:] == []
    # Admin-only actions are not offered, and refused if tried.
    assert "Send reminders now" not in html
    assert client.get("/assignments/").status_code == 403


def test_people_without_a_lead_role_are_refused(client, auth, frozen, hospital, short_module,
                                                admin):
    _setup(hospital, short_module, admin)
    auth.login(hospital["di"])
    assert client.get("/assignments/compliance").status_code == 403
    assert client.get("/assignments/compliance.csv").status_code == 403


def test_reflection_text_never_appears(client, auth, frozen, synced, admin, make_user):
    learner = make_user(name="Reflective Person")
    module = learning.published_module("identity-mapping")
    assignment, _ = assign(admin, module)
    step = db.session.scalar(select(Step).where(Step.module_id == module.id,
                                                Step.kind == "challenge"))
    db.session.add(Submission(user_id=learner.id, step_id=step.id, status="submitted",
                              answers={"intersections": "A very private sentence."}))
    learning.start_module(learner, module)
    db.session.commit()
    auth.login(admin)
    html = client.get(f"/assignments/compliance?assignment={assignment.id}").get_data(
        as_text=True)
    csv_text = client.get("/assignments/compliance.csv").get_data(as_text=True)
    assert "Reflective Person" in html and "Reflective Person" in csv_text
    assert "private sentence" not in html and "private sentence" not in csv_text


def test_unknown_csv_table_is_404(client, auth, admin):
    auth.login(admin)
    assert client.get("/assignments/compliance.csv?table=secrets").status_code == 404
