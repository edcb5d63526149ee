"""The whole story, through the pages a person would use.

The admin assigns the implicit-bias module to two departments with a due
date; a learner in one sees it due, completes it and downloads a
certificate whose code verifies; ``flask reminders send`` queues the right
messages once; the compliance CSV matches the page.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from sqlalchemy import select

from lms import clock
from lms.extensions import db
from lms.models import Assignment, Certificate, OutboxMessage
from lms.services.learning import progress as learning
from tests.assignments.helpers import at, table_cells
from tests.learn.evidence_helpers import spend_time

TODAY = date(2026, 3, 2)
DUE = TODAY + timedelta(days=21)
SLUG = "implicit-bias-foundations"


def _complete_through_the_pages(client, module):
    assert client.post(f"/learn/{SLUG}/start").status_code == 302
    for step in module.steps:
        base = f"/learn/{SLUG}/{step.slug}"
        if step.kind in ("page", "video"):
            assert client.post(f"{base}/complete").status_code == 302
        elif step.kind == "check":
            answers = {f"q-{q['id']}": str(next(i for i, o in enumerate(q["options"])
                                                if o["correct"]))
                       for q in step.config["questions"]}
            assert client.post(f"{base}/check", data=answers).status_code == 302
            assert client.post(f"{base}/continue").status_code == 302
        elif step.kind == "survey":
            answers = {f"s-{item['id']}": ("yes" if item["type"] == "yes_no"
                                           else item["scale"][-1])
                       for item in step.config["items"]}
            assert client.post(f"{base}/survey", data=answers).status_code == 302
    # The course asks for an hour of engaged time and a statement in the learner's name.
    spend_time(client, SLUG, module.steps[0].slug, module.minimum_minutes)
    assert client.post(f"/learn/{SLUG}/attest", data={"confirm": "y"}).status_code == 302


def test_assign_complete_certify_remind_and_export(client, auth, runner, synced, make_user,
                                                   make_department):
    medicine = make_department("Internal Medicine")
    pediatrics = make_department("Pediatrics")
    library = make_department("Library Services")
    admin = make_user(roles=("admin", "learner"), name="Morgan Reyes", department=library,
                      email="admin@example.edu")
    lucia = make_user(name="Lucía Fernández", email="lucia@example.edu", department=medicine)
    make_user(name="Jordan Miles", email="jordan@example.edu", department=medicine)
    make_user(name="Grace Nakamura", email="grace@example.edu", department=pediatrics)
    make_user(name="Noah Adeyemi", email="noah@example.edu", department=library)
    module = learning.published_module(SLUG)

    with clock.frozen_at(at(TODAY)):
        auth.login(admin)
        response = client.post("/assignments/new", data={
            "module_id": module.id, "target_kind": "departments",
            "department_ids": [medicine.id, pediatrics.id], "include_subdepartments": "y",
            "due_kind": "date", "due_on": DUE.isoformat(), "remind_days_before": "14, 3, 0",
            "overdue_every_days": "7", "escalate_after_days": "14"})
        assert response.status_code == 302
        assignment = db.session.scalar(select(Assignment))
        auth.logout()

        auth.login(lucia)
        home = client.get("/").get_data(as_text=True)
        assert "Assigned to you" in home
        assert "Due in 3 weeks" in home and "Not started" in home
        _complete_through_the_pages(client, module)
        home = client.get("/").get_data(as_text=True)
        assert "up to date with everything assigned to you" in home
        certificate = db.session.scalar(select(Certificate))
        pdf = client.get(f"/certificates/{certificate.id}.pdf")
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
        auth.logout()

    code = re.search(rb"Verification code ([0-9A-Z-]{14})", _pdf_bytes_text(pdf.data)).group(1)
    verified = client.get(f"/verify/{code.decode()}").get_data(as_text=True)
    assert "This certificate is genuine" in verified and "Lucía Fernández" in verified

    with clock.frozen_at(at(DUE - timedelta(days=14))):
        first = runner.invoke(args=["reminders", "send"])
        second = runner.invoke(args=["reminders", "send"])
    assert "assignments: 2 message(s) queued" in first.output
    assert "assignments: 0 message(s) queued" in second.output
    db.session.expire_all()
    messages = db.session.execute(select(OutboxMessage).where(
        OutboxMessage.kind == "assignment_reminder")).scalars().all()
    assert sorted(m.to_address for m in messages) == ["grace@example.edu", "jordan@example.edu"]
    assert {m.subject for m in messages} == {
        f"Reminder: {module.title} is due on 23 March 2026"}

    with clock.frozen_at(at(DUE - timedelta(days=14))):
        auth.login(admin)
        page = client.get(f"/assignments/compliance?assignment={assignment.id}")
        csv_response = client.get(
            f"/assignments/compliance.csv?table=people&assignment={assignment.id}")
    page_rows = table_cells(page.get_data(as_text=True), "people-heading")
    csv_rows = list(csv.reader(io.StringIO(csv_response.get_data(as_text=True))))
    # The CSV is the page plus the evidence of each completion.
    assert [row[:7] for row in csv_rows] == page_rows
    evidence = dict(zip(csv_rows[0][7:], next(r for r in csv_rows if r[0] == "Lucía Fernández")[7:],
                        strict=True))
    assert evidence["Score (%)"] == "100"
    assert int(evidence["Engaged minutes"]) >= 60
    assert evidence["Attested at (UTC)"].startswith("2026-03-02T")
    assert evidence["Content version"] == module.content_hash[:12]
    assert {row[0]: row[5] for row in csv_rows[1:]} == {
        "Lucía Fernández": "Completed", "Jordan Miles": "Not started",
        "Grace Nakamura": "Not started"}


def _pdf_bytes_text(data: bytes) -> bytes:
    import pypdf

    return pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text().encode()
