"""Action plan pages, as a learner and a mentor use them."""

from __future__ import annotations

import re
import zlib
from datetime import timedelta

import pytest
import yaml
from sqlalchemy import func, select

from lms import clock
from lms.extensions import db
from lms.models import ActionPlan, CheckIn, Goal, OutboxMessage, PlanAction, PlanComment
from lms.plans.sources import SOURCES_KEY, AnswerSource, add_answer_source
from lms.services.plans import action_plans as plans
from tests.conftest import AuthActions
from tests.plans.conftest import START, days_from_today
from tests.plans.test_services import EQUITY_IMPACT_YAML


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def html(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def learner(make_user, make_department):
    return make_user(name="Lucía Fernández", department=make_department("Internal Medicine"))


@pytest.fixture
def mentor(make_user, learner):
    return make_user(roles=("mentor", "learner"), department=learner.department,
                     name="Dr. Amara Okafor")


def sign_in_as(client, user) -> None:
    """Switch the test client to ``user`` (signing out whoever was signed in).

    One client per test: the tests share one app context, and Flask-Login
    keeps the signed-in user on it, so a second client would see the first
    client's user.
    """
    client.post("/auth/logout")
    AuthActions(client).login(user)


def new_goal_data(title="Make meetings more inclusive", **extra):
    data = {"title": title, "value": "Everyone deserves to be heard.", "behaviours": "",
            "circle_of_influence": "", "support_needed": "",
            "actions-0-text": "", "actions-0-target_date": "",
            "actions-1-text": "", "actions-1-target_date": "",
            "actions-2-text": "", "actions-2-target_date": ""}
    data.update(extra)
    return data


# --- creating goals -------------------------------------------------------------------------

def test_an_empty_plan_invites_the_learner_to_start(client, auth, learner):
    auth.login(learner)
    page = html(client.get("/plans/"))
    assert "Start your plan" in page and "Private" in page
    assert 'href="/plans/"' in html(client.get("/"))  # nav: My action plan
    home = html(client.get("/"))
    assert "Check-ins due" in home and "no action plan goals yet" in home


def test_a_learner_adds_a_goal_with_first_actions(client, auth, learner):
    auth.login(learner)
    response = client.post("/plans/goals/new", data=new_goal_data(**{
        "actions-0-text": "Send the agenda two days early",
        "actions-0-target_date": days_from_today(7).isoformat(),
        "actions-1-text": "Open with a round", "actions-1-target_date":
            days_from_today(14).isoformat()}))
    assert response.status_code == 302
    goal = db.session.execute(select(Goal)).scalar_one()
    assert response.headers["Location"].endswith(f"/plans/#goal-{goal.id}")
    assert [a.text for a in goal.actions] == ["Send the agenda two days early",
                                              "Open with a round"]
    page = html(client.get("/plans/"))
    assert "Make meetings more inclusive" in page and "Open with a round" in page


@pytest.mark.parametrize(("data", "message"), [
    (new_goal_data(title="   "), "Enter your goal."),
    (new_goal_data(title="x" * 201), "Keep this to 200 characters or fewer."),
    (new_goal_data(value="y" * 4001), "Keep this to 4,000 characters or fewer."),
    (new_goal_data(**{"actions-1-text": "Ask who is missing"}),
     "Choose a target date for this action."),
    (new_goal_data(**{"actions-0-text": "Too late", "actions-0-target_date": "2001-01-01"}),
     "The target date is in the past."),
    (new_goal_data(**{"actions-0-text": "Garbled", "actions-0-target_date": "31/02/2026"}),
     "Not a valid date value."),
])
def test_bad_goals_get_a_message_and_keep_what_was_typed(client, auth, learner, data, message):
    auth.login(learner)
    response = client.post("/plans/goals/new", data=data)
    assert response.status_code == 200
    page = html(response)
    assert message in page
    assert 'class="error-summary"' in page
    assert "Everyone deserves to be heard." in page or "y" * 50 in page  # nothing lost
    assert count(Goal) == 0 and count(ActionPlan) == 0


def test_a_goal_can_start_from_a_template(client, auth, learner):
    auth.login(learner)
    page = html(client.get("/plans/goals/new"))
    assert "Speak up when I witness exclusion" in page and "Share power in decisions" in page
    prefilled = html(client.get("/plans/goals/new?template=speak-up"))
    assert "Learn three phrases to interrupt bias" in prefilled
    assert days_from_today(30).isoformat() in prefilled  # aims for the first check-in
    assert client.get("/plans/goals/new?template=no-such-thing").status_code == 404
    response = client.post("/plans/goals/new?template=speak-up", data=new_goal_data(
        title="Speak up in handovers", **{"actions-0-text": "Learn three phrases",
                                          "actions-0-target_date": days_from_today(3)}))
    assert response.status_code == 302
    goal = db.session.execute(select(Goal)).scalar_one()
    assert (goal.source, goal.source_ref, goal.title) == ("template", "speak-up",
                                                          "Speak up in handovers")


def test_editing_a_goal_keeps_the_date_it_was_set(client, auth, learner, make_goal):
    with clock.frozen_at(START):
        goal = make_goal(learner)
    auth.login(learner)
    assert "Make meetings more inclusive" in html(client.get(f"/plans/goals/{goal.id}/edit"))
    response = client.post(f"/plans/goals/{goal.id}/edit",
                           data={"title": "Make our huddles inclusive", "value": "Voice"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Goal, goal.id).title == "Make our huddles inclusive"
    assert db.session.get(Goal, goal.id).set_at == START
    response = client.post(f"/plans/goals/{goal.id}/edit", data={"title": ""})
    assert response.status_code == 200 and "Enter your goal." in html(response)


# --- actions --------------------------------------------------------------------------------

def test_actions_are_added_checked_and_updated(client, auth, learner, make_goal):
    goal = make_goal(learner)
    auth.login(learner)
    bad = client.post(f"/plans/goals/{goal.id}/actions", data={
        f"goal-{goal.id}-text": "Yesterday's idea",
        f"goal-{goal.id}-target_date": days_from_today(-1).isoformat()})
    assert bad.status_code == 200
    assert "The target date is in the past" in html(bad)
    assert "Yesterday&#39;s idea" in html(bad)  # the typed text is still there
    assert count(PlanAction) == 0
    ok = client.post(f"/plans/goals/{goal.id}/actions", data={
        f"goal-{goal.id}-text": "Credit ideas to who raised them",
        f"goal-{goal.id}-target_date": days_from_today(10).isoformat()})
    assert ok.status_code == 302
    action = db.session.execute(select(PlanAction)).scalar_one()

    edit = client.post(f"/plans/actions/{action.id}/edit", data={
        "text": "Credit ideas by name", "target_date": days_from_today(12).isoformat(),
        "status": "doing"})
    assert edit.status_code == 302
    db.session.expire_all()
    assert (action.text, action.status) == ("Credit ideas by name", "doing")
    assert client.post(f"/plans/actions/{action.id}/edit", data={
        "text": "", "target_date": "", "status": "nonsense"}).status_code == 200
    db.session.expire_all()
    assert action.text == "Credit ideas by name"


def test_status_updates_return_the_row_to_htmx_and_redirect_otherwise(
        client, auth, learner, make_goal):
    goal = make_goal(learner, actions=["Open with a round"])
    action_id = goal.actions[0].id
    auth.login(learner)
    fragment = client.post(f"/plans/actions/{action_id}/status", data={"status": "done"},
                           headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    body = html(fragment)
    assert body.lstrip().startswith(f'<tr id="action-{action_id}">')
    assert "badge-ok" in body and "Status saved." in body and "<html" not in body
    plain = client.post(f"/plans/actions/{action_id}/status", data={"status": "dropped"})
    assert plain.status_code == 302
    assert client.post(f"/plans/actions/{action_id}/status",
                       data={"status": "finished"}).status_code == 400
    db.session.expire_all()
    assert db.session.get(PlanAction, action_id).status == "dropped"
    deleted = client.post(f"/plans/actions/{action_id}/delete")
    assert deleted.status_code == 302 and count(PlanAction) == 0


def test_someone_elses_goals_and_actions_answer_404_and_stay_untouched(
        client, auth, learner, make_user, make_goal):
    theirs = make_goal(learner, title="Private goal", actions=["Private action"])
    action_id = theirs.actions[0].id
    auth.login(make_user())
    for method, url, data in [
        ("GET", f"/plans/goals/{theirs.id}/edit", {}),
        ("POST", f"/plans/goals/{theirs.id}/edit", {"title": "Hijacked"}),
        ("POST", f"/plans/goals/{theirs.id}/delete", {}),
        ("POST", f"/plans/goals/{theirs.id}/actions", {"text": "x"}),
        ("GET", f"/plans/goals/{theirs.id}/check-in", {}),
        ("POST", f"/plans/goals/{theirs.id}/check-in", {"did": "Sneaky"}),
        ("GET", f"/plans/actions/{action_id}/edit", {}),
        ("POST", f"/plans/actions/{action_id}/status", {"status": "done"}),
        ("POST", f"/plans/actions/{action_id}/delete", {}),
        ("GET", "/plans/goals/999999/edit", {}),
    ]:
        response = client.open(url, method=method, data=data)
        assert response.status_code == 404, url
        assert "Private goal" not in html(response)
    db.session.expire_all()
    goal = db.session.get(Goal, theirs.id)
    assert goal.title == "Private goal" and goal.actions[0].status == "planned"
    assert count(CheckIn) == 0
    assert "Private goal" not in html(client.get("/plans/"))


def test_deleting_a_goal(client, auth, learner, make_goal):
    goal = make_goal(learner, actions=["One"])
    auth.login(learner)
    assert client.post(f"/plans/goals/{goal.id}/delete").status_code == 302
    assert count(Goal) == 0 and count(PlanAction) == 0
    assert "Start your plan" in html(client.get("/plans/"))


# --- check-ins ------------------------------------------------------------------------------

def test_the_30_day_check_in_is_reminded_written_and_kept(client, auth, runner, learner,
                                                          make_goal):
    with clock.frozen_at(START):
        goal = make_goal(learner, title="Speak up when I witness exclusion",
                         actions=["Learn three phrases", "Check in with colleagues"])
    first, second = (a.id for a in goal.actions)
    auth.login(learner)
    with clock.frozen_at(START + timedelta(days=29)):
        assert "None right now" in html(client.get("/"))
    with clock.frozen_at(START + timedelta(days=30, hours=2)):
        result = runner.invoke(args=["plans", "send-checkin-reminders"])
        assert result.exit_code == 0, result.output
        assert "Queued 1 check-in reminder." in result.output
        assert "Queued 0 check-in reminders." in runner.invoke(
            args=["plans", "send-checkin-reminders"]).output
        home = html(client.get("/"))
        assert "30-day check-in for “Speak up when I witness exclusion”" in home
        assert "30-day check-in due" in html(client.get("/plans/"))

        form = html(client.get(f"/plans/goals/{goal.id}/check-in"))
        assert "Your 30-day check-in was due on April 1, 2026" in form
        assert "Status of “Learn three phrases”" in form
        empty = client.post(f"/plans/goals/{goal.id}/check-in", data={
            "did": " ", "obstacles": "", "next_steps": "", f"status_{first}": "done",
            f"status_{second}": "planned"})
        assert "Write at least a line" in html(empty)
        assert db.session.get(PlanAction, first).status == "planned"
        saved = client.post(f"/plans/goals/{goal.id}/check-in", data={
            "did": "Used a phrase in the huddle.", "obstacles": "Nerves",
            "next_steps": "Practise with a peer", f"status_{first}": "done",
            f"status_{second}": "doing"})
        assert saved.status_code == 302
        db.session.expire_all()
        assert db.session.get(PlanAction, first).status == "done"
        check_in = db.session.execute(select(CheckIn)).scalar_one()
        assert check_in.checkpoint_day == 30 and check_in.obstacles == "Nerves"
        assert "None right now" in html(client.get("/"))
        page = html(client.get("/plans/"))
        assert "Used a phrase in the huddle." in page and "30-day check-in" in page
    reminder = db.session.execute(select(OutboxMessage)).scalar_one()
    assert reminder.dedupe_key == f"checkin:{goal.id}:30"


def test_a_check_in_past_its_day_says_it_is_overdue(client, auth, learner, make_goal):
    with clock.frozen_at(START):
        goal = make_goal(learner, title="Speak up when I witness exclusion", actions=["Ask"])
    auth.login(learner)
    with clock.frozen_at(START + timedelta(days=31, hours=2)):
        form = html(client.get(f"/plans/goals/{goal.id}/check-in"))
        assert "Your 30-day check-in was due on April 1, 2026 (overdue by 1 day)." in form
        assert "(overdue by 1 day: April 1, 2026)" in html(client.get("/plans/"))
        assert "(overdue by 1 day: April 1, 2026)" in html(client.get("/"))
    with clock.frozen_at(START + timedelta(days=30, hours=2)):
        assert "(due today: April 1, 2026)" in html(client.get("/plans/"))


def test_a_goal_date_reads_the_same_on_the_page_in_the_email_and_in_the_pdf(
        client, auth, runner, learner, make_goal):
    from io import BytesIO

    from pypdf import PdfReader

    with clock.frozen_at(START):
        make_goal(learner, title="Speak up when I witness exclusion", actions=["Ask"])
    auth.login(learner)
    with clock.frozen_at(START + timedelta(days=30, hours=2)):
        page = html(client.get("/plans/"))
        assert runner.invoke(args=["plans", "send-checkin-reminders"]).exit_code == 0
        pdf = client.get("/plans/export.pdf").data
    email = db.session.execute(select(OutboxMessage)).scalar_one().body_text
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert "Set on March 2, 2026." in page
    assert "in your action plan on March 2, 2026." in email
    assert "Set on March 2, 2026" in " ".join(text.split())


# --- sharing and mentor comments ------------------------------------------------------------



def test_a_learner_shares_with_a_mentor_who_comments(client, auth, learner, mentor,
                                                     make_goal):
    goal = make_goal(learner, actions=["Open with a round"])
    plan_id = goal.plan_id
    auth.login(learner)
    assert "Dr. Amara Okafor" in html(client.get("/plans/"))  # who would see it
    assert client.post("/plans/sharing", data={"shared": "y"}).status_code == 302
    assert db.session.get(ActionPlan, plan_id).is_shared

    mentor_client = client
    sign_in_as(client, mentor)
    listing = html(mentor_client.get("/plans/shared"))
    assert "Lucía Fernández" in listing and f"/plans/shared/{plan_id}" in listing
    shared = html(mentor_client.get(f"/plans/shared/{plan_id}"))
    assert "Make meetings more inclusive" in shared and "Open with a round" in shared
    assert "Your comment" in shared
    empty = mentor_client.post(f"/plans/shared/{plan_id}/comments", data={"body": " "})
    assert empty.status_code == 200 and "Write your comment." in html(empty)
    posted = mentor_client.post(f"/plans/shared/{plan_id}/comments",
                                data={"body": "Lovely — try it at the ward round too."})
    assert posted.status_code == 302
    email = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.kind == "plan_comment")).scalar_one()
    assert email.to_address == learner.email and "ward round" not in email.body_text

    sign_in_as(client, learner)
    page = html(client.get("/plans/"))
    assert "Comments from my mentors" in page and "try it at the ward round too." in page

    # Unsharing hides the plan from the mentor again; the comment stays with the plan.
    client.post("/plans/sharing", data={})
    sign_in_as(client, mentor)
    assert mentor_client.get(f"/plans/shared/{plan_id}").status_code == 404
    assert mentor_client.post(f"/plans/shared/{plan_id}/comments",
                              data={"body": "Still here?"}).status_code == 404
    assert "Lucía" not in html(mentor_client.get("/plans/shared"))
    assert count(PlanComment) == 1


def test_shared_plans_stay_hidden_from_other_mentors_learners_and_admins(
        client, learner, make_user, make_department, make_goal):
    plan = make_goal(learner).plan
    plans.set_sharing(plan, shared=True, actor=learner)
    db.session.commit()
    elsewhere = make_department("Pediatrics")
    outsiders = [make_user(roles=("mentor",), department=elsewhere),
                 make_user(roles=("admin", "learner"), department=learner.department),
                 make_user(department=learner.department)]
    for person in outsiders:
        sign_in_as(client, person)
        assert client.get(f"/plans/shared/{plan.id}").status_code in (403, 404)
        assert client.post(f"/plans/shared/{plan.id}/comments",
                           data={"body": "Hi"}).status_code in (403, 404)
    assert count(PlanComment) == 0


# --- print and export -----------------------------------------------------------------------

def _pdf_text_streams(pdf: bytes) -> bytes:
    out = b""
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out += zlib.decompress(raw)
        except zlib.error:
            out += raw
    return out


def test_print_view_and_exports_carry_the_whole_plan(client, auth, learner, make_goal):
    goal = make_goal(learner, title="Learn about a community I'm not part of",
                     actions=["Read a memoir by Nguyễn Thị Lan"])
    plans.record_checkin(goal, did="Started the book.")
    db.session.commit()
    auth.login(learner)
    printed = html(client.get("/plans/print"))
    assert "Action plan: Lucía Fernández" in printed
    assert "Read a memoir by Nguyễn Thị Lan" in printed and "Started the book." in printed
    assert "<form" not in printed.split('id="main"')[1]  # a clean sheet: no forms

    markdown = client.get("/plans/export.md")
    assert markdown.mimetype == "text/markdown"
    assert "attachment; filename=action-plan-" in markdown.headers["Content-Disposition"]
    text = markdown.get_data(as_text=True)
    assert text.startswith("# Action plan: Lucía Fernández")
    assert "- [ ] Read a memoir by Nguyễn Thị Lan (by " in text
    assert "**What I did:** Started the book." in text

    pdf = client.get("/plans/export.pdf")
    assert pdf.mimetype == "application/pdf"
    data = pdf.get_data()
    assert data.startswith(b"%PDF-")
    assert b"DejaVuSans" in data  # the Unicode font is embedded
    streams = _pdf_text_streams(data)
    # The embedded font's ToUnicode map covers í and ễ, so the names print and copy as typed.
    assert b"<00ED>" in streams.upper() and b"<1EC5>" in streams.upper()


def test_exports_without_a_plan_say_so(client, auth, learner):
    auth.login(learner)
    response = client.get("/plans/export.pdf")
    assert response.status_code == 302
    assert "Add a goal first" in html(client.get("/plans/"))
    assert "no goals yet" in html(client.get("/plans/print"))


# --- from challenge answers -----------------------------------------------------------------

@pytest.fixture
def equity_answers(app, learner):
    """Register the learner's equity impact answers as an answer source, as the challenge
    area will for real submissions."""
    prompts = yaml.safe_load(EQUITY_IMPACT_YAML)["prompts"]
    answers = {"decision": "We moved the team meeting to 7:30 am.",
               "steps": "1. Ask the whole team which times work\n"
                        "2. Rotate the meeting time monthly\n"
                        "3. Share notes within 24 hours"}

    def load(user, source_id):
        if source_id == "submission-7" and user.id == learner.id:
            return AnswerSource(title="Equity Impact Challenge", prompts=prompts,
                                answers=answers, source_ref="submission:7")
        return None

    add_answer_source(app, load)
    yield
    app.extensions[SOURCES_KEY].remove(load)


def test_equity_impact_answers_become_a_goal_with_chosen_actions(
        client, auth, learner, make_user, equity_answers):
    auth.login(learner)
    page = html(client.get("/plans/from-challenge/submission-7"))
    for step in ("Ask the whole team which times work", "Rotate the meeting time monthly",
                 "Share notes within 24 hours"):
        assert step in page
    assert "Add action 2 to my plan" in page and "Target date for action 3" in page

    target = days_from_today(20).isoformat()
    nothing = client.post("/plans/from-challenge/submission-7", data={
        "title": "Fairer meeting times", "value": "",
        "actions-0-text": "Ask the whole team", "actions-0-target_date": target})
    assert "Tick at least one action" in html(nothing)
    past = client.post("/plans/from-challenge/submission-7", data={
        "title": "Fairer meeting times", "actions-0-include": "y",
        "actions-0-text": "Ask the whole team", "actions-0-target_date": "2020-01-01"})
    assert "The target date is in the past" in html(past)
    assert count(Goal) == 0

    response = client.post("/plans/from-challenge/submission-7", data={
        "title": "Fairer meeting times", "value": "Carers deserve a say",
        "actions-0-include": "y", "actions-0-text": "Ask the whole team, anonymously",
        "actions-0-target_date": target,
        "actions-1-text": "Rotate the meeting time monthly", "actions-1-target_date": target,
        "actions-2-include": "y", "actions-2-text": "Share notes within 24 hours",
        "actions-2-target_date": target})
    assert response.status_code == 302
    goal = db.session.execute(select(Goal)).scalar_one()
    assert (goal.source, goal.source_ref) == ("challenge", "submission:7")
    assert [a.text for a in goal.actions] == ["Ask the whole team, anonymously",
                                              "Share notes within 24 hours"]
    # Actions already in the plan are not suggested again; the unticked one still is.
    again = html(client.get("/plans/from-challenge/submission-7"))
    assert "Rotate the meeting time monthly" in again
    assert "Share notes within 24 hours" not in again
    assert "Ask the whole team which times work" in again  # the learner reworded it


def test_answers_of_someone_else_or_unknown_sources_answer_404(
        client, auth, make_user, equity_answers):
    auth.login(make_user())
    assert client.get("/plans/from-challenge/submission-7").status_code == 404
    assert client.post("/plans/from-challenge/submission-7",
                       data={"title": "Mine now"}).status_code == 404
    assert client.get("/plans/from-challenge/anything").status_code == 404
    assert count(Goal) == 0


# --- query counts ---------------------------------------------------------------------------

def test_plan_page_queries_do_not_grow_with_the_plan(client, auth, learner, make_goal,
                                                     count_queries):
    auth.login(learner)
    first = make_goal(learner, actions=["One", "Two"])
    plans.record_checkin(first, did="Some")
    db.session.commit()
    with count_queries() as small:
        assert client.get("/plans/").status_code == 200
    for n in range(6):
        goal = make_goal(learner, title=f"Goal {n}", actions=["A", "B", "C"])
        plans.record_checkin(goal, did="Went well")
    db.session.commit()
    with count_queries() as large:
        assert client.get("/plans/").status_code == 200
    assert large.count == small.count, "\n".join(large.statements)


def test_shared_plans_list_queries_do_not_grow(client, auth, mentor, make_user, make_goal,
                                               count_queries):
    auth.login(mentor)

    def share(n):
        for _ in range(n):
            person = make_user(department=mentor.department)
            plan = make_goal(person, actions=["One"]).plan
            plans.set_sharing(plan, shared=True, actor=person)
        db.session.commit()

    share(1)
    with count_queries() as small:
        client.get("/plans/shared")
    share(6)
    with count_queries() as large:
        page = html(client.get("/plans/shared"))
    assert page.count("/plans/shared/") >= 7
    assert large.count == small.count


# --- demo data ------------------------------------------------------------------------------

def test_demo_gives_priya_a_shared_plan_once(app):
    from lms.demo.people import load_demo

    load_demo()
    load_demo()
    db.session.commit()
    plan = db.session.execute(select(ActionPlan)).scalar_one()
    assert plan.user.email == "learner@example.edu" and plan.is_shared
    assert len(plan.goals) == 1 and len(plan.goals[0].actions) == 2
    assert [d.day for d in plans.checkins_due(plan.user)] == [30]


def test_too_many_chosen_suggestions_get_a_message(client, auth, learner, equity_answers):
    auth.login(learner)
    target = days_from_today(5).isoformat()
    data = {"title": "Everything at once"}
    for n in range(plans.ACTIONS_PER_GOAL_MAX + 1):
        data |= {f"actions-{n}-include": "y", f"actions-{n}-text": f"Step number {n}",
                 f"actions-{n}-target_date": target}
    response = client.post("/plans/from-challenge/submission-7", data=data)
    assert response.status_code == 200
    assert f"at most {plans.ACTIONS_PER_GOAL_MAX} actions" in html(response)
    assert count(Goal) == 0
