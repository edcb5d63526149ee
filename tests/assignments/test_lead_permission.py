"""Issue 13, finding 10: seeing one's department's compliance is the department lead's
explicit permission, shown to the lead on the page and documented; it never reaches
reflection text."""

from __future__ import annotations

from pathlib import Path

from lms import permissions
from lms.demo.reviews import EQUITY_ANSWERS
from lms.extensions import db
from lms.services.learning import challenges
from lms.services.learning import progress as learning

NOTICE = "You see compliance status for your department; never reflection text."


def _lead_of(make_user, make_department):
    medicine = make_department("Medicine")
    lead = make_user(name="Lee Lead", department=medicine)
    medicine.lead_id = lead.id
    db.session.commit()
    return medicine, lead


def test_the_lead_is_told_what_they_see(client, auth, make_user, make_department):
    _, lead = _lead_of(make_user, make_department)
    auth.login(lead)
    assert NOTICE in client.get("/assignments/compliance").get_data(as_text=True)


def test_admins_see_everything_without_the_lead_notice(client, auth, make_user):
    auth.login(make_user(roles=("admin",)))
    assert NOTICE not in client.get("/assignments/compliance").get_data(as_text=True)


def test_the_permission_never_reaches_reflection_text(client, auth, synced, make_user,
                                                      make_department):
    medicine, lead = _lead_of(make_user, make_department)
    member = make_user(name="Priya Shah", department=medicine)
    module = learning.published_module("equity-impact")
    step = next(s for s in module.steps if s.kind == "challenge")
    learning.start_module(member, module)
    submission = challenges.submit(member, step, dict(EQUITY_ANSWERS), expected_version=None)
    db.session.commit()
    assert permissions.visible_departments(lead) == {medicine.id}
    auth.login(lead)
    for page in ("history", "compare"):
        assert client.get(f"/review/submissions/{submission.id}/{page}").status_code == 403
    assert client.get(f"/review/submissions/{submission.id}").status_code == 403


def test_the_readme_documents_the_permission():
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert NOTICE in readme
