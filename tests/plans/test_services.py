"""Action plan services: goals, actions, check-ins, reminders, sharing, counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms import clock, permissions
from lms.extensions import db
from lms.models import ActionPlan, CheckIn, Goal, OutboxMessage, PlanAction, PlanComment
from lms.services.errors import DomainError
from lms.services.plans import action_plans as plans
from tests.plans.conftest import START, days_from_today


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- goals and actions ----------------------------------------------------------------------

def test_first_goal_creates_the_plan_and_later_goals_join_it(make_user):
    learner = make_user()
    first = plans.create_goal(learner, title="  Speak up when I witness exclusion  ",
                              value="Silence tells people they are alone.\r\nI won't.",
                              actions=[plans.ActionDraft("Learn three phrases",
                                                         days_from_today(7))])
    second = plans.create_goal(learner, title="Make meetings more inclusive")
    db.session.commit()
    assert first.plan_id == second.plan_id
    assert count(ActionPlan) == 1
    assert first.title == "Speak up when I witness exclusion"
    assert first.value == "Silence tells people they are alone.\nI won't."
    assert [a.text for a in first.actions] == ["Learn three phrases"]
    assert first.actions[0].status == "planned"
    assert first.plan.is_shared is False  # private by default


@pytest.mark.parametrize("title", ["", "   ", None])
def test_a_goal_needs_a_title_and_nothing_is_written_without_one(make_user, title):
    learner = make_user()
    with pytest.raises(DomainError) as error:
        plans.create_goal(learner, title=title, value="Why it matters",
                          actions=[plans.ActionDraft("Do it", days_from_today(3))])
    assert error.value.field == "title"
    assert count(ActionPlan) == 0 and count(Goal) == 0 and count(PlanAction) == 0


def test_very_long_text_is_refused_with_its_length(make_user):
    learner = make_user()
    with pytest.raises(DomainError) as error:
        plans.create_goal(learner, title="Goal", behaviours="x" * (plans.TEXT_MAX + 1))
    assert error.value.field == "behaviours"
    assert "4,001 characters" in error.value.message and "4,000" in error.value.message
    assert count(Goal) == 0


def test_new_actions_cannot_be_dated_in_the_past(make_user, frozen_start):
    learner = make_user()
    with pytest.raises(DomainError) as error:
        plans.create_goal(learner, title="Goal", actions=[
            plans.ActionDraft("Fine", days_from_today(1)),
            plans.ActionDraft("Too late", days_from_today(-1))])
    assert error.value.field == "actions-1-target_date"
    assert "past" in error.value.message
    assert count(Goal) == 0

    goal = plans.create_goal(learner, title="Goal")
    with pytest.raises(DomainError) as error:
        plans.add_action(goal, text="Yesterday", target_date=days_from_today(-1))
    assert error.value.field == "target_date"
    with pytest.raises(DomainError) as error:
        plans.add_action(goal, text="No date", target_date=None)
    assert error.value.message == "Choose a target date."
    action = plans.add_action(goal, text="Today is fine", target_date=days_from_today(0))
    assert action.target_date == plans.local_today()


def test_an_overdue_action_keeps_its_date_but_cannot_move_to_another_past_date(
        make_user, make_goal):
    learner = make_user()
    with clock.frozen_at(START):
        goal = make_goal(learner, actions=["Send the agenda early"])
        action = goal.actions[0]
        due = action.target_date
    with clock.frozen_at(START + timedelta(days=40)):  # the action is now overdue
        plans.update_action(action, text="Send the agenda two days early", target_date=due,
                            status="doing")
        assert action.text == "Send the agenda two days early"
        with pytest.raises(DomainError) as error:
            plans.update_action(action, text="x", target_date=due + timedelta(days=1),
                                status="doing")
        assert error.value.field == "target_date"


def test_status_changes_remember_when_an_action_was_done(make_user, make_goal, frozen_start):
    goal = make_goal(make_user(), actions=["Credit ideas to who raised them"])
    action = goal.actions[0]
    plans.set_action_status(action, "done")
    assert (action.status, action.done_at) == ("done", frozen_start)
    plans.set_action_status(action, "doing")
    assert action.done_at is None
    with pytest.raises(DomainError):
        plans.set_action_status(action, "finished")
    assert action.status == "doing"


def test_a_goal_holds_a_bounded_number_of_actions(make_user, make_goal):
    goal = make_goal(make_user())
    for n in range(plans.ACTIONS_PER_GOAL_MAX):
        plans.add_action(goal, text=f"Action {n}", target_date=days_from_today(5))
    with pytest.raises(DomainError, match="at most|already has"):
        plans.add_action(goal, text="One more", target_date=days_from_today(5))


def test_deleting_a_goal_removes_its_actions_and_check_ins_only(make_user, make_goal):
    learner = make_user()
    keep = make_goal(learner, title="Keep", actions=["A"])
    gone = make_goal(learner, title="Gone", actions=["B", "C"])
    plans.record_checkin(gone, did="Tried B")
    plans.delete_goal(gone, actor=learner)
    db.session.commit()
    assert count(Goal) == 1 and count(PlanAction) == 1 and count(CheckIn) == 0
    assert db.session.get(Goal, keep.id).actions[0].text == "A"


# --- check-ins ------------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "answered", "expected"), [
    (0, None, None), (29, None, None), (30, None, 30), (45, 30, None),
    (60, 30, 60), (65, None, 60), (95, None, 90), (95, 60, 90), (200, 90, None),
])
def test_due_checkpoint_is_the_latest_reached_and_unanswered(day, answered, expected):
    now = START + timedelta(days=day)
    assert plans.due_checkpoint(START, answered, now, (30, 60, 90)) == expected


def test_check_ins_fall_due_at_30_60_and_90_days(make_user, make_goal):
    learner = make_user()
    with clock.frozen_at(START):
        goal = make_goal(learner, actions=["Open with a round"])
    with clock.frozen_at(START + timedelta(days=29)):
        assert plans.checkins_due(learner) == []
    with clock.frozen_at(START + timedelta(days=30)):
        [due] = plans.checkins_due(learner)
        assert (due.goal.id, due.day) == (goal.id, 30)
        check_in = plans.record_checkin(goal, did="Ran the round twice.",
                                        statuses={goal.actions[0].id: "done"})
        db.session.commit()
        assert check_in.checkpoint_day == 30
        assert check_in.status_changes == [
            {"action_id": goal.actions[0].id, "from": "planned", "to": "done"}]
        assert goal.actions[0].status == "done"
        assert plans.checkins_due(learner) == []
    with clock.frozen_at(START + timedelta(days=95)):  # missed day 60: one check-in owed
        assert [d.day for d in plans.checkins_due(learner)] == [90]


def test_an_early_check_in_is_kept_but_does_not_answer_the_reminder(make_user, make_goal):
    learner = make_user()
    with clock.frozen_at(START):
        goal = make_goal(learner)
    with clock.frozen_at(START + timedelta(days=10)):
        early = plans.record_checkin(goal, next_steps="Ask my manager about the format")
        assert early.checkpoint_day is None
    with clock.frozen_at(START + timedelta(days=30)):
        plans.record_checkin(goal, did="Asked; we try it next month")
        db.session.commit()
    assert [c.checkpoint_day for c in db.session.get(Goal, goal.id).check_ins] == [30, None]


def test_a_check_in_needs_some_words_and_only_this_goals_actions(make_user, make_goal):
    learner = make_user()
    goal = make_goal(learner, actions=["Mine"])
    other = make_goal(make_user(), actions=["Someone else's"])
    with pytest.raises(DomainError) as error:
        plans.record_checkin(goal, did="  ", obstacles="", next_steps="")
    assert error.value.field == "did"
    with pytest.raises(DomainError):
        plans.record_checkin(goal, did="Did things", statuses={other.actions[0].id: "done"})
    with pytest.raises(DomainError) as error:
        plans.record_checkin(goal, did="x" * (plans.TEXT_MAX + 1))
    assert error.value.field == "did"
    db.session.rollback()
    assert count(CheckIn) == 0
    assert db.session.get(PlanAction, other.actions[0].id).status == "planned"


def _reminders():
    return db.session.execute(select(OutboxMessage).where(OutboxMessage.kind == "plan_checkin")
                              .order_by(OutboxMessage.id)).scalars().all()


def test_reminders_are_sent_once_per_checkpoint_and_name_no_goal_text(make_user, make_goal):
    learner = make_user(name="Lucía Fernández")
    with clock.frozen_at(START):
        goal = make_goal(learner, title="Share power in decisions")
    with clock.frozen_at(START + timedelta(days=29)):
        assert plans.send_checkin_reminders() == 0
    with clock.frozen_at(START + timedelta(days=30, hours=1)):
        assert plans.send_checkin_reminders() == 1
        assert plans.send_checkin_reminders() == 0  # idempotent
        db.session.commit()
    [message] = _reminders()
    assert message.to_address == learner.email
    assert message.dedupe_key == f"checkin:{goal.id}:30"
    assert "30-day" in message.subject
    assert "Hello Lucía Fernández" in message.body_text
    assert f"http://lms.test/plans/goals/{goal.id}/check-in" in message.body_text
    assert "Share power" not in message.body_text + message.subject  # admins read the Outbox

    with clock.frozen_at(START + timedelta(days=31)):
        plans.record_checkin(goal, did="Asked who was missing at two meetings")
    with clock.frozen_at(START + timedelta(days=45)):
        assert plans.send_checkin_reminders() == 0
    with clock.frozen_at(START + timedelta(days=61)):
        assert plans.send_checkin_reminders() == 1
    assert [m.dedupe_key for m in _reminders()] == [f"checkin:{goal.id}:30",
                                                     f"checkin:{goal.id}:60"]


def test_reminders_skip_inactive_accounts_and_finished_goals(make_user, make_goal):
    gone = make_user(active=False)
    done = make_user()
    with clock.frozen_at(START):
        make_goal(gone)
        finished = make_goal(done)
    with clock.frozen_at(START + timedelta(days=90)):
        plans.record_checkin(finished, did="All done")
    with clock.frozen_at(START + timedelta(days=120)):
        assert plans.send_checkin_reminders() == 0


@pytest.mark.parametrize("app_config", [{"LMS_CHECKIN_DAYS": "14, 7"}])
def test_check_in_days_come_from_configuration(make_user, make_goal, app_config):
    learner = make_user()
    assert plans.checkin_offsets() == (7, 14)
    with clock.frozen_at(START):
        goal = make_goal(learner)
    with clock.frozen_at(START + timedelta(days=7)):
        assert plans.send_checkin_reminders() == 1
    assert _reminders()[0].dedupe_key == f"checkin:{goal.id}:7"


@pytest.mark.parametrize("value", ["thirty", "0,30", "", "-5"])
def test_a_malformed_check_in_setting_fails_loudly(app, value):
    app.config["LMS_CHECKIN_DAYS"] = value
    with pytest.raises(ValueError, match="LMS_CHECKIN_DAYS"):
        plans.checkin_offsets()


def test_a_malformed_check_in_environment_setting_stops_the_start(monkeypatch, tmp_path):
    from lms.config import build_config

    monkeypatch.setenv("LMS_CHECKIN_DAYS", "30,sixty")
    with pytest.raises(RuntimeError, match="LMS_CHECKIN_DAYS"):
        build_config(str(tmp_path), {"SECRET_KEY": "k"})
    monkeypatch.setenv("LMS_CHECKIN_DAYS", " 60, 30 ")
    assert build_config(str(tmp_path), {"SECRET_KEY": "k"})["LMS_CHECKIN_DAYS"] == "30,60"


def test_reminder_job_uses_a_fixed_number_of_queries(make_user, make_goal, count_queries):
    with clock.frozen_at(START):
        for _ in range(6):
            make_goal(make_user())
    with clock.frozen_at(START + timedelta(days=30)):
        with count_queries() as few:
            plans.send_checkin_reminders()
        db.session.rollback()
        for _ in range(6):
            with clock.frozen_at(START):
                make_goal(make_user())
        with count_queries() as many:
            plans.send_checkin_reminders()
    # two selects up front, then one insert per new reminder (which claims its dedupe key)
    assert few.count - 6 == many.count - 12 == 2


# --- sharing and comments -------------------------------------------------------------------

def test_plans_are_visible_to_the_owner_and_to_mentors_only_while_shared(
        make_user, make_department, make_goal):
    department = make_department()
    learner = make_user(department=department)
    mentor = make_user(roles=("mentor", "learner"), department=department)
    peer = make_user(department=department)
    admin = make_user(roles=("admin", "learner"), department=department)
    plan = make_goal(learner).plan
    assert permissions.can_view_plan(learner, plan)
    assert not permissions.can_view_plan(mentor, plan)  # private by default
    plans.set_sharing(plan, shared=True, actor=learner)
    assert permissions.can_view_plan(mentor, plan) and plans.can_comment(mentor, plan)
    assert not permissions.can_view_plan(peer, plan)
    assert not permissions.can_view_plan(admin, plan)
    assert not plans.can_comment(learner, plan)
    with pytest.raises(DomainError):
        plans.set_sharing(plan, shared=False, actor=mentor)
    assert plan.is_shared


def test_a_mentor_comment_is_kept_and_the_learner_is_emailed_without_its_text(
        make_user, make_department, make_goal):
    department = make_department()
    learner = make_user(department=department)
    mentor = make_user(roles=("mentor",), department=department, name="Dr. Amara Okafor")
    plan = make_goal(learner).plan
    with pytest.raises(DomainError):
        plans.add_comment(plan, author=mentor, body="Too early: not shared yet")
    plans.set_sharing(plan, shared=True, actor=learner)
    with pytest.raises(DomainError) as error:
        plans.add_comment(plan, author=mentor, body="   ")
    assert error.value.field == "body"
    comment = plans.add_comment(plan, author=mentor, body="Try the round at the huddle too.")
    db.session.commit()
    assert count(PlanComment) == 1 and comment.author_id == mentor.id
    [email] = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.kind == "plan_comment")).scalars().all()
    assert email.to_address == learner.email
    assert "Dr. Amara Okafor" in email.body_text
    assert "huddle" not in email.body_text
    assert "http://lms.test/plans/#comments" in email.body_text


def test_mentors_list_the_plans_their_mentees_share(make_user, make_department, make_goal,
                                                    count_queries):
    department = make_department()
    mentor = make_user(roles=("mentor",), department=department)
    sharing = make_user(department=department, name="Ana Sharing")
    private = make_user(department=department)
    elsewhere = make_user(department=make_department())
    goals = {}
    for person in (sharing, private, elsewhere):
        goals[person.id] = make_goal(person, actions=["One", "Two"])
        if person is not private:
            plans.set_sharing(goals[person.id].plan, shared=True, actor=person)
    plans.set_action_status(goals[sharing.id].actions[0], "done")
    make_goal(sharing, title="Second goal")
    db.session.refresh(mentor)
    with count_queries() as counter:
        rows = plans.shared_plans_for(mentor)
    assert counter.count == 1
    assert [(r.learner_name, r.goals, r.actions, r.actions_done) for r in rows] == [
        ("Ana Sharing", 2, 2, 1)]


# --- suggestions from challenge answers -----------------------------------------------------

EQUITY_IMPACT_YAML = """
slug: equity-impact
kind: challenge
title: Equity Impact Challenge
prompts:
  - id: decision
    type: long_text
    label: Which recent personal or team decision are you assessing?
    min_words: 20
  - id: impact
    type: long_text
    label: How will this decision impact individuals from different backgrounds and identities?
  - id: biases
    type: long_text
    label: Are there any potential biases or inequities in the way this decision is made?
  - id: steps
    type: long_text
    label: What steps will we take to ensure the decision promotes fairness and inclusivity?
    produces_actions: true
"""

POWER_DYNAMICS_YAML = """
slug: power-dynamics
kind: challenge
title: Power Dynamics Challenge
prompts:
  - id: event
    type: long_text
    label: Describe the event
  - id: power_to
    type: long_text
    label: How will I use my 'power to' make a difference?
    produces_actions: true
  - id: power_with
    type: rows
    label: How will I use my 'power with' colleagues or peers?
    produces_actions: how
    columns:
      - {id: who, label: With whom, type: short_text}
      - {id: how, label: What we will do together, type: long_text}
"""


def _prompts(text: str) -> list[dict]:
    import yaml

    return yaml.safe_load(text)["prompts"]


def test_equity_impact_steps_become_suggested_actions(make_user):
    learner = make_user()
    answers = {
        "decision": "We moved the weekly team meeting to 7:30 am to fit the clinic schedule.",
        "impact": "Colleagues with caring duties cannot attend. We will lose their input.",
        "biases": "Only the people who were in the room decided.",
        "steps": "- Ask the whole team which times work, anonymously\n"
                 "- Rotate the meeting time monthly so the same people\n"
                 "  are not always the ones missing out\n"
                 "- Share notes and decisions within 24 hours\n"
                 "- Share notes and decisions within 24 hours\n"
                 "- N/A\n",
    }
    suggestions = plans.actions_from_answers(learner, _prompts(EQUITY_IMPACT_YAML), answers)
    assert suggestions == [
        "Ask the whole team which times work, anonymously",
        "Rotate the meeting time monthly so the same people are not always the ones missing out",
        "Share notes and decisions within 24 hours",
    ]


def test_prose_answers_are_split_into_sentences_not_at_abbreviations(make_user):
    learner = make_user()
    answers = {"power_to": "I will speak first in rounds, e.g. at the huddle. I will ask Dr. "
                           "Okafor to co-chair!\n\nMentor two residents this term.",
               "power_with": [{"who": "Nurses", "how": "Co-design the handover checklist"},
                              {"who": "Students", "how": ""},
                              "not a row"],
               "event": "Someone was talked over. It happened again."}
    suggestions = plans.actions_from_answers(learner, _prompts(POWER_DYNAMICS_YAML), answers)
    assert suggestions == [
        "I will speak first in rounds, e.g. at the huddle.",
        "I will ask Dr. Okafor to co-chair!",
        "Mentor two residents this term.",
        "Co-design the handover checklist",
    ]


def test_suggestions_skip_actions_already_in_the_plan_and_odd_answers(make_user, make_goal):
    learner = make_user()
    make_goal(learner, actions=["Share notes and decisions within 24 hours"])
    prompts = _prompts(EQUITY_IMPACT_YAML)
    assert plans.actions_from_answers(
        learner, prompts, {"steps": "share notes and decisions within 24 hours."[:-1]}) == []
    assert plans.actions_from_answers(learner, prompts, {"steps": 42}) == []
    assert plans.actions_from_answers(learner, prompts, {}) == []
    long_answer = "Ask " + "really " * 200 + "politely."
    [cut] = plans.actions_from_answers(learner, prompts, {"steps": long_answer})
    assert len(cut) <= plans.ACTION_MAX and cut.endswith("…")


def test_suggestions_become_a_goal_in_one_step(make_user, frozen_start):
    learner = make_user()
    goal = plans.create_goal_from_suggestions(
        learner, "Act on my equity impact assessment", "Everyone deserves a say",
        ["Ask the whole team which times work",
         plans.ActionDraft("Share notes within 24 hours", days_from_today(3)), "  "],
        source_ref="submission:7")
    db.session.commit()
    assert goal.source == "challenge" and goal.source_ref == "submission:7"
    assert [(a.text, a.target_date) for a in goal.actions] == [  # soonest first
        ("Share notes within 24 hours", days_from_today(3)),
        ("Ask the whole team which times work", days_from_today(30)),  # the first check-in
    ]
    with pytest.raises(DomainError) as error:
        plans.create_goal_from_suggestions(learner, "Empty", "", ["", " "])
    assert error.value.field == "actions"


# --- completion and counts ------------------------------------------------------------------

def test_plan_step_completion_needs_a_goal_with_an_action(make_user, make_goal, count_queries):
    nothing, goal_only, complete = make_user(), make_user(), make_user()
    make_goal(goal_only)
    make_goal(complete, actions=["Do one thing"])
    assert not plans.has_goal_with_action(nothing.id)
    assert not plans.has_goal_with_action(goal_only.id)
    assert plans.has_goal_with_action(complete.id)
    with count_queries() as counter:
        done = plans.users_with_plan_actions([nothing.id, goal_only.id, complete.id])
    assert done == {complete.id} and counter.count == 1
    assert plans.users_with_plan_actions([]) == set()


def test_counts_for_the_scorecard_hold_no_text(make_user, make_goal):
    a, b = make_user(), make_user()
    goal = make_goal(a, actions=["One", "Two"])
    make_goal(a, title="Second")
    make_goal(b)
    plans.set_action_status(goal.actions[0], "done")
    counts = plans.plan_counts()
    assert counts == {"plans": 2, "people_with_actions": 1, "goals": 3, "actions": 2,
                      "actions_planned": 1, "actions_doing": 0, "actions_done": 1,
                      "actions_dropped": 0}
    assert plans.plan_counts([b.id])["goals"] == 1
    assert plans.plan_counts([])["plans"] == 0
    assert all(isinstance(value, int) for value in counts.values())


# --- double submits -------------------------------------------------------------------------

def test_double_submits_create_nothing_twice(make_user, make_department, frozen_start):
    department = make_department()
    learner = make_user(department=department)
    mentor = make_user(roles=("mentor",), department=department)

    def submit_goal():
        return plans.create_goal(learner, title="Share power", value="Fairness",
                                 actions=[plans.ActionDraft("Ask who is missing",
                                                            days_from_today(5))])

    goal = submit_goal()
    assert submit_goal() is goal
    assert plans.add_action(goal, text="Rotate chairs", target_date=days_from_today(9)) is \
        plans.add_action(goal, text="Rotate chairs", target_date=days_from_today(9))
    first = plans.record_checkin(goal, did="Asked twice")
    assert plans.record_checkin(goal, did="Asked twice") is first
    plans.set_sharing(goal.plan, shared=True, actor=learner)
    comment = plans.add_comment(goal.plan, author=mentor, body="Great start")
    assert plans.add_comment(goal.plan, author=mentor, body="Great start") is comment
    db.session.commit()
    assert (count(Goal), count(PlanAction), count(CheckIn), count(PlanComment)) == (1, 2, 1, 1)
    assert db.session.scalar(select(func.count(OutboxMessage.id))
                             .where(OutboxMessage.kind == "plan_comment")) == 1

    # Later, the same words are a new entry: people do repeat themselves on purpose.
    with clock.frozen_at(START + plans.RESUBMIT_WINDOW + timedelta(seconds=1)):
        assert plans.record_checkin(goal, did="Asked twice") is not first
        assert submit_goal() is not goal
