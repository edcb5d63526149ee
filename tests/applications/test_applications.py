"""Application calls: a window judged by the server's clock, drafts that are never lost,
answers only the applicant and the call's reviewers read, decisions that tell the
applicant and can add them to a cohort, link a mentor and name a champion."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from lms.clock import frozen_at
from lms.extensions import db
from lms.models import (
    Application,
    ApplicationCall,
    Cohort,
    Notification,
    OutboxMessage,
)
from lms.services.accounts.mentoring import is_mentor_of
from lms.services.applications import calls
from lms.services.champions import champions
from tests.mailbox import mailbox  # noqa: F401  (fixture)

OPENS = datetime(2026, 9, 9, 13, 0, tzinfo=UTC)       # 09:00 in Detroit
CLOSES = datetime(2026, 9, 24, 3, 59, tzinfo=UTC)     # 23 September, 23:59 in Detroit
DURING = datetime(2026, 9, 15, 15, 0, tzinfo=UTC)

QUESTIONS = """- id: motivation
  type: long_text
  label: Why do you want to be a fellow?
  min_words: 5
- id: year
  type: single_choice
  label: Your year of study
  options: [First, Second, Third]
"""

ANSWER = "I want to build a more inclusive clinic for every patient."


@pytest.fixture
def people(make_user, make_department):
    medicine = make_department("Medicine")
    law = make_department("Law School")
    return {
        "admin": make_user(roles=("admin", "learner"), name="Morgan Admin"),
        "student": make_user(roles=("learner",), name="Sam Student", department=medicine),
        "outsider": make_user(roles=("learner",), name="Olu Outsider", department=law),
        "reviewer": make_user(roles=("learner",), name="Rae Reviewer", department=medicine),
        "mentor": make_user(roles=("mentor", "learner"), name="Dr Mina Mentor",
                            department=medicine),
        "medicine": medicine,
    }


@pytest.fixture
def cohort(app):
    c = Cohort(name="Fellows 2026", description="")
    db.session.add(c)
    db.session.commit()
    return c


@pytest.fixture
def call(people, cohort):
    with frozen_at(OPENS - timedelta(days=10)):
        created = calls.create_call(people["admin"], calls.CallData(
            title="Student fellowship", description="Pairs students with faculty mentors.",
            opens_at=OPENS, closes_at=CLOSES, questions_source=QUESTIONS,
            rubric_source="Motivation\nFit with the programme",
            eligible_department_ids=[people["medicine"].id],
            reviewer_emails=[people["reviewer"].email], cohort_id=cohort.id))
    db.session.commit()
    return created


def form(answer=ANSWER, year="Second", version=None):
    data = {"p-motivation": answer, "p-year": year, "p-year-shown": "1"}
    if version is not None:
        data["draft_version"] = str(version)
    return data


def test_admin_creates_a_call_with_questions_in_the_challenge_format(client, auth, people,
                                                                     cohort):
    auth.login(people["admin"])
    data = {"title": "Student fellowship", "description": "For students",
            "opens_at": "2026-09-09T09:00", "closes_at": "2026-09-23T23:59",
            "eligible_roles": ["learner"], "questions": QUESTIONS,
            "rubric": "Motivation", "rubric_max": "5",
            "reviewers": people["reviewer"].email, "cohort_id": str(cohort.id)}
    response = client.post("/applications/manage/new", data={**data, "questions":
                                                             "- id: Bad Id\n  type: essay\n"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Line 1: question &#39;id&#39; must be snake_case text" in page
    assert "&#39;type&#39; must be one of" in page
    assert db.session.query(ApplicationCall).count() == 0

    response = client.post("/applications/manage/new", data={**data, "reviewers":
                                                             "nobody@example.edu"})
    assert "No active account has the email nobody@example.edu" in response.get_data(
        as_text=True)

    assert client.post("/applications/manage/new", data=data).status_code == 302
    created = db.session.query(ApplicationCall).one()
    # Typed in the institution's zone (Detroit, UTC-4 in September).
    assert created.closes_at == CLOSES
    assert [q["id"] for q in created.questions] == ["motivation", "year"]
    assert created.reviewers == [people["reviewer"]]


def test_eligible_people_see_the_call_on_their_dashboard_with_a_countdown(client, auth,
                                                                         people, call):
    auth.login(people["student"])
    with frozen_at(CLOSES - timedelta(days=2, hours=3, minutes=4)):
        page = client.get("/").get_data(as_text=True)
    assert "Student fellowship" in page
    assert "2 days, 3 hours and 4 minutes" in page
    assert 'aria-live="off"' in page
    auth.logout()
    auth.login(people["outsider"])
    with frozen_at(DURING):
        assert "Student fellowship" not in client.get("/").get_data(as_text=True)
        assert client.get(f"/applications/{call.id}").status_code == 404
        assert client.post(f"/applications/{call.id}/draft", data=form()).status_code == 404


def test_a_draft_autosaves_and_a_submission_at_the_close_counts(client, auth, people, call):
    auth.login(people["student"])
    with frozen_at(DURING):
        response = client.post(f"/applications/{call.id}/draft", data=form(version=0),
                               headers={"HX-Request": "true"})
        assert "Draft saved" in response.get_data(as_text=True)
    application = db.session.query(Application).one()
    assert application.status == "draft"
    assert application.answers["motivation"] == ANSWER
    with frozen_at(CLOSES):
        response = client.post(f"/applications/{call.id}/submit", data=form(version=1))
    assert response.status_code == 302
    db.session.refresh(application)
    assert application.status == "submitted"
    assert application.submitted_at == CLOSES


def test_a_submission_one_second_after_the_close_is_refused_and_the_draft_kept(
        client, auth, people, call):
    auth.login(people["student"])
    with frozen_at(DURING):
        client.post(f"/applications/{call.id}/draft", data=form("Early words kept"))
    with frozen_at(CLOSES + timedelta(seconds=1)):
        response = client.post(f"/applications/{call.id}/submit",
                               data=form("Late words typed after the close"))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "This call closed on Wednesday 23 September 2026 at 23:59:00" in page
    assert "your draft is kept but was not submitted" in page
    assert "Late words typed after the close" in page  # shown back, to copy
    application = db.session.query(Application).one()
    assert application.status == "draft"
    assert application.answers["motivation"] == "Early words kept"
    with frozen_at(CLOSES + timedelta(days=1)):
        page = client.get(f"/applications/{call.id}").get_data(as_text=True)
    assert "The call closed before this draft was submitted. It is kept here for you." in page
    assert "Early words kept" in page


def test_submission_checks_the_answers_and_keeps_them(client, auth, people, call):
    auth.login(people["student"])
    with frozen_at(DURING):
        response = client.post(f"/applications/{call.id}/submit", data=form("Too short"))
    assert response.status_code == 422
    assert "Please write at least 5 words" in response.get_data(as_text=True)
    application = db.session.query(Application).one()
    assert (application.status, application.answers["motivation"]) == ("draft", "Too short")


def test_withdraw_and_submit_again_before_the_close(client, auth, people, call):
    auth.login(people["student"])
    with frozen_at(DURING):
        client.post(f"/applications/{call.id}/submit", data=form())
        assert client.post(f"/applications/{call.id}/withdraw").status_code == 302
        application = db.session.query(Application).one()
        assert application.status == "withdrawn"
        page = client.get(f"/applications/{call.id}").get_data(as_text=True)
        assert "You withdrew this application" in page
        client.post(f"/applications/{call.id}/submit", data=form(version=1))
    db.session.refresh(application)
    assert application.status == "submitted"


def _submitted(client, auth, people, call):
    auth.login(people["student"])
    with frozen_at(DURING):
        client.post(f"/applications/{call.id}/submit", data=form())
    auth.logout()
    return db.session.query(Application).one()


def test_answers_are_read_by_the_applicant_and_the_reviewers_only(client, auth, people, call):
    application = _submitted(client, auth, people, call)
    for who in ("admin", "outsider", "mentor"):
        auth.login(people[who])
        assert client.get(f"/applications/review/{application.id}").status_code == 404
        assert client.get(f"/applications/{call.id}/review").status_code == 404
        auth.logout()
    auth.login(people["reviewer"])
    assert ANSWER in client.get(f"/applications/review/{application.id}").get_data(
        as_text=True)
    auth.logout()
    auth.login(people["admin"])
    manage = client.get("/applications/manage").get_data(as_text=True)
    assert "Student fellowship" in manage and ANSWER not in manage
    download = client.get(f"/applications/manage/{call.id}/decisions.csv").get_data(
        as_text=True)
    rows = list(csv.DictReader(io.StringIO(download)))
    assert rows[0]["name"] == "Sam Student" and rows[0]["status"] == "submitted"
    assert ANSWER not in download


def test_reviewers_score_decide_and_accepting_adds_cohort_and_mentor(
        client, auth, people, call, cohort, mailbox):  # noqa: F811
    application = _submitted(client, auth, people, call)
    auth.login(people["reviewer"])
    url = f"/applications/review/{application.id}"
    response = client.post(url, data={"score_0": "4", "notes": "Clear motivation."})
    assert response.status_code == 422
    assert "Score “Fit with the programme”." in response.get_data(as_text=True)
    assert client.post(url, data={"score_0": "4", "score_1": "5",
                                  "notes": "Clear motivation."}).status_code == 302
    with frozen_at(CLOSES + timedelta(days=3)):
        response = client.post(url + "/decision", data={"decision": "accepted",
                                                        "mentor_id": str(people["mentor"].id)})
    assert response.status_code == 302
    db.session.refresh(application)
    student = people["student"]
    assert application.decision == "accepted"
    assert cohort in student.cohorts
    assert is_mentor_of(people["mentor"], student)
    notice = db.session.query(Notification).filter_by(user_id=student.id,
                                                      kind="application_decision").one()
    assert notice.text == "Your application to “Student fellowship” was accepted."
    body = mailbox.bodies(student.email)[-1]
    assert "was accepted" in body and "Your mentor is Dr Mina Mentor" in body
    assert ANSWER not in body
    # Deciding the same way again tells nobody twice.
    client.post(url + "/decision", data={"decision": "accepted"})
    assert db.session.query(OutboxMessage).filter_by(
        kind="application_decision").count() == 1
    review_list = client.get(f"/applications/{call.id}/review").get_data(as_text=True)
    assert "9.0" in review_list and "Accepted" in review_list


def test_a_call_for_champions_names_the_accepted_a_champion(client, auth, people, call):
    call.makes_champions = True
    db.session.commit()
    application = _submitted(client, auth, people, call)
    auth.login(people["reviewer"])
    client.post(f"/applications/review/{application.id}/decision",
                data={"decision": "accepted"})
    found = champions.find(people["student"], people["medicine"])
    assert found is not None and found.source == "application"


def test_the_review_list_runs_a_fixed_number_of_queries(client, auth, people, call,
                                                        make_user, count_queries):
    for _ in range(6):
        person = make_user(department=people["medicine"])
        auth.login(person)
        with frozen_at(DURING):
            client.post(f"/applications/{call.id}/submit", data=form())
        auth.logout()
    auth.login(people["reviewer"])
    with count_queries() as counter:
        page = client.get(f"/applications/{call.id}/review").get_data(as_text=True)
    assert page.count("Not yet") == 6
    assert counter.count <= 12


def test_my_data_holds_my_applications_and_erasure_removes_them(client, auth, people, call):
    from lms.models import ApplicationReview
    from lms.services.privacy import erasure, sections

    application = _submitted(client, auth, people, call)
    auth.login(people["reviewer"])
    client.post(f"/applications/review/{application.id}",
                data={"score_0": "3", "score_1": "4", "notes": "Promising."})
    exported = sections.applications(people["student"])
    assert exported[0]["answers"]["motivation"] == ANSWER
    assert exported[0]["call"] == "Student fellowship"
    assert "Promising." not in str(exported)
    erasure.erase_person(people["admin"], people["student"])
    db.session.commit()
    assert db.session.query(Application).count() == 0
    assert db.session.query(ApplicationReview).count() == 0


def test_questions_cannot_change_once_someone_submitted(client, auth, people, call):
    _submitted(client, auth, people, call)
    auth.login(people["admin"])
    data = {"title": "Student fellowship", "opens_at": "2026-09-09T09:00",
            "closes_at": "2026-09-30T23:59", "questions": QUESTIONS + "- id: extra\n"
            "  type: short_text\n  label: Anything else?\n", "rubric": "Motivation",
            "rubric_max": "5", "reviewers": people["reviewer"].email}
    response = client.post(f"/applications/manage/{call.id}/edit", data=data)
    assert response.status_code == 422
    assert "can no longer change" in response.get_data(as_text=True)
    assert client.post(f"/applications/manage/{call.id}/edit",
                       data={**data, "questions": QUESTIONS}).status_code == 302
    db.session.refresh(call)
    assert call.closes_at == datetime(2026, 10, 1, 3, 59, tzinfo=UTC)  # the window moved


def test_waitlisting_and_declining_tell_the_applicant_each_time(client, auth, people, call):
    application = _submitted(client, auth, people, call)
    auth.login(people["reviewer"])
    url = f"/applications/review/{application.id}/decision"
    client.post(url, data={"decision": "waitlisted"})
    client.post(url, data={"decision": "declined"})
    texts = [n.text for n in db.session.query(Notification).filter_by(
        user_id=people["student"].id, kind="application_decision").order_by(Notification.id)]
    assert texts == ["Your application to “Student fellowship” was waitlisted.",
                     "Your application to “Student fellowship” was declined."]
    assert people["student"].cohorts == []
    response = client.post(url, data={"decision": "maybe"})
    assert response.status_code == 422
    auth.logout()
    auth.login(people["student"])
    with frozen_at(DURING):
        assert "Decision: <strong>Declined</strong>" in client.get(
            f"/applications/{call.id}").get_data(as_text=True)
        refused = client.post(f"/applications/{call.id}/withdraw", follow_redirects=True)
    assert "A decision has been made on this application" in refused.get_data(as_text=True)
