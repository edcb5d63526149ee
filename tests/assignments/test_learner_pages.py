"""'Assigned to you' on the home page, the full list, and renewing a completion."""

from __future__ import annotations

from datetime import date, timedelta

from lms import clock
from lms.extensions import db
from lms.services.learning import progress as learning
from tests.assignments.helpers import assign, at, complete_module, write_short_module

TODAY = date(2026, 3, 2)


def test_home_lists_assignments_by_due_date_with_words_and_badges(client, auth, admin,
                                                                  module_root, sync_root,
                                                                  make_user):
    for slug in ("later-course", "overdue-course"):
        write_short_module(module_root, slug)
    sync_root()
    learner = make_user()
    with clock.frozen_at(at(TODAY - timedelta(days=10))):
        assign(admin, learning.published_module("overdue-course"),
               due_on=TODAY - timedelta(days=3))
    with clock.frozen_at(at(TODAY)):
        assign(admin, learning.published_module("later-course"), due_on=TODAY + timedelta(days=5))
        auth.login(learner)
        html = client.get("/").get_data(as_text=True)
    section = html[html.index("Assigned to you"):html.index("All your assignments")]
    assert section.index("Overdue Course") < section.index("Later Course")
    assert "Overdue by 3 days" in section and "you can still complete it now" in section
    assert "Due in 5 days" in section
    assert '<span class="badge badge-bad">Overdue</span>' in section
    assert '<span class="badge badge-muted">Not started</span>' in section
    assert "2 to do" in section


def test_people_with_nothing_assigned_see_no_section(client, auth, make_user):
    auth.login(make_user())
    assert "Assigned to you" not in client.get("/").get_data(as_text=True)
    page = client.get("/assignments/mine").get_data(as_text=True)
    assert "Nothing is assigned to you at the moment" in page


def test_department_leads_get_a_link_to_compliance(client, auth, make_user, make_department):
    lead = make_user()
    department = make_department("Pediatrics")
    department.lead_id = lead.id
    db.session.commit()
    auth.login(lead)
    assert "Compliance for your departments" in client.get("/").get_data(as_text=True)


def test_renewing_through_the_page(client, auth, admin, module_root, sync_root, make_user):
    write_short_module(module_root, "yearly")
    sync_root()
    module = learning.published_module("yearly")
    learner = make_user()
    with clock.frozen_at(at(date(2025, 3, 20))):
        assign(admin, module, due_on=date(2025, 3, 30), recertify_months=12)
        complete_module(learner, module)
    auth.login(learner)
    with clock.frozen_at(at(date(2025, 6, 1))):
        mine = client.get("/assignments/mine").get_data(as_text=True)
        assert "valid until March 20, 2026" in mine and "Renew" not in mine
        refused = client.post("/assignments/renew/yearly", follow_redirects=True)
        assert "nothing to renew" in refused.get_data(as_text=True)
    with clock.frozen_at(at(date(2026, 3, 25))):
        mine = client.get("/assignments/mine").get_data(as_text=True)
        assert "Overdue by 5 days" in mine and "Renew: take it again" in mine
        response = client.post("/assignments/renew/yearly")
        assert response.headers["Location"].endswith("/learn/yearly")
        assert learning.enrollment_for(learner.id, module.id).status == "in_progress"
        mine = client.get("/assignments/mine").get_data(as_text=True)
        # Still overdue until completed again, and now resumable.
        assert '<span class="badge badge-bad">Overdue</span>' in mine and "Continue" in mine
    assert client.post("/assignments/renew/no-such-module").status_code == 404
