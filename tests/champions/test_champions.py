"""Ally champions: named per department by admins, found by staff in the directory,
counted by the scorecard's coverage, with a participation record of sessions attended and
activities logged."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

from lms.clock import frozen_at
from lms.extensions import db
from lms.localtime import countdown_words
from lms.models import Champion, ChampionActivity, Offering, Registration, Training
from lms.services.champions import champions

NOW = datetime(2026, 11, 15, 17, tzinfo=UTC)


def test_admins_name_champions_and_staff_find_their_departments(client, auth, admin,
                                                                 make_user, make_department):
    surgery, library = make_department("Surgery"), make_department("Library Services")
    champion = make_user(name="Chen Champion", department=surgery)
    colleague = make_user(name="Casey Colleague", department=surgery)
    other = make_user(name="Lee Librarian", department=library)
    auth.login(admin)
    response = client.post("/champions/manage", data={"email": "nobody@example.edu",
                                                      "department_id": str(surgery.id)})
    assert response.status_code == 422
    assert "No account has this email." in response.get_data(as_text=True)
    assert client.post("/champions/manage", data={
        "email": champion.email.upper(), "department_id": str(surgery.id)}).status_code == 302
    assert db.session.query(Champion).one().department_id == surgery.id
    auth.logout()

    auth.login(colleague)
    page = client.get("/champions/").get_data(as_text=True)
    assert "Chen Champion" in page and champion.email in page
    auth.logout()
    auth.login(other)  # their own department by default: none there yet
    page = client.get("/champions/").get_data(as_text=True)
    assert "Chen Champion" not in page and "No champions in this department yet." in page
    assert "Chen Champion" in client.get("/champions/?department=all").get_data(as_text=True)
    assert "Chen Champion" in client.get(f"/champions/?department={surgery.id}").get_data(
        as_text=True)


def test_the_scorecard_coverage_can_count_champions(client, auth, admin, make_department,
                                                    make_user, synced):
    surgery = make_department("Surgery")
    people = [make_user(department=surgery) for _ in range(6)]
    auth.login(admin)
    with frozen_at(NOW):
        before = client.get("/scorecard/admin.csv").get_data(as_text=True)
    assert "Coverage with champions" in before
    champions.assign(actor=admin, user=people[0], department=surgery)
    db.session.commit()
    from lms.services.scorecard import cache

    cache.forget()
    with frozen_at(NOW):
        after = client.get("/scorecard/admin.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(after)))
    header = next(r for r in rows if r and r[0] == "Department")
    values = dict(zip(header, next(r for r in rows if r and r[0] == "Surgery"), strict=True))
    assert values["Ally champions"] == "fewer than 5"  # small cells stay hidden
    assert values["Coverage with champions"] == "Meets target"
    assert values["Coverage"] == "Below target"


def test_a_champions_participation_record(client, auth, make_user, make_department, admin):
    surgery = make_department("Surgery")
    person = make_user(name="Chen Champion", department=surgery)
    training = Training(slug="bystander", title="Bystander intervention")
    db.session.add(training)
    db.session.flush()
    offering = Offering(training_id=training.id, starts_at=NOW - timedelta(days=20),
                        ends_at=NOW - timedelta(days=20, hours=-1), capacity=10)
    db.session.add(offering)
    db.session.flush()
    db.session.add(Registration(offering_id=offering.id, user_id=person.id,
                                status="registered", attendance="attended"))
    db.session.commit()
    auth.login(person)
    with frozen_at(NOW):
        refused = client.post("/champions/record", data={"happened_on": "2026-11-10",
                                                          "note": "Department meeting"})
    assert "Only ally champions keep a participation record." in refused.get_data(as_text=True)
    champions.assign(actor=admin, user=person, department=surgery)
    db.session.commit()
    with frozen_at(NOW):
        future = client.post("/champions/record", data={"happened_on": "2026-12-01",
                                                         "note": "Planned talk"})
        assert "The date cannot be in the future." in future.get_data(as_text=True)
        assert client.post("/champions/record", data={
            "happened_on": "2026-11-10",
            "note": "Led the rota discussion at the department meeting"}).status_code == 302
    assert db.session.query(ChampionActivity).one().happened_on == date(2026, 11, 10)
    auth.logout()
    auth.login(admin)
    page = client.get(f"/champions/{person.id}/record").get_data(as_text=True)
    assert "Bystander intervention" in page and "Session attended" in page
    assert "Led the rota discussion at the department meeting" in page
    assert page.index("Led the rota") < page.index("Bystander intervention")  # newest first


def test_countdown_words_count_days_hours_and_minutes():
    now = NOW
    assert countdown_words(now + timedelta(days=2, hours=3, minutes=4, seconds=30), now) == \
        "2 days, 3 hours and 4 minutes"
    assert countdown_words(now + timedelta(days=1, minutes=1), now) == \
        "1 day, 0 hours and 1 minute"
    assert countdown_words(now + timedelta(hours=5, minutes=59), now) == "5 hours and 59 minutes"
    assert countdown_words(now + timedelta(minutes=7), now) == "7 minutes"
    assert countdown_words(now + timedelta(seconds=20), now) == "less than a minute"
    assert countdown_words(now, now) is None
