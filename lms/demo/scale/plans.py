"""Action plans: goals from the templates, actions in every status, check-ins, comments."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from lms.demo.scale import words
from lms.demo.scale.build import Build
from lms.plans.goal_templates import GOAL_TEMPLATES
from lms.services.plans.action_plans import checkin_offsets

PLAN_SHARE = 0.25
SHARED_SHARE = 0.4
DAY = 1440


def make_plans(b: Build) -> None:
    """Plans for everyone whose module progress needs one, and for a share of the rest."""
    rng = b.rng("plans")
    loader = b.loader
    owners = sorted(set(b.plan_needed) | {
        i for i in range(b.people) if rng.random() < PLAN_SHARE})
    offsets = checkin_offsets()
    next_plan, next_goal, next_action = (loader.next_id("action_plans"),
                                         loader.next_id("plan_goals"),
                                         loader.next_id("plan_actions"))
    plans, goals, actions, check_ins, comments = [], [], [], [], []
    for index in owners:
        plan = next_plan
        next_plan += 1
        latest = b.plan_needed.get(index, b.ago(3 * DAY))
        first_set = latest - timedelta(minutes=rng.randint(0, 200 * DAY))
        shared = rng.random() < SHARED_SHARE
        updated = first_set
        for number in range(rng.choice((1, 1, 2, 3))):
            template = GOAL_TEMPLATES[(index + number) % len(GOAL_TEMPLATES)]
            set_at = first_set + timedelta(minutes=number * rng.randint(DAY, 20 * DAY))
            set_at = min(set_at, b.ago(60))
            goal = next_goal
            next_goal += 1
            goals.append((goal, plan, template.title, template.value, template.behaviours,
                          template.circle_of_influence, template.support_needed, "template",
                          template.key, set_at, set_at, set_at))
            age_days = (b.anchor - set_at).days
            changes = []
            for text in template.actions[:rng.randint(2, len(template.actions))]:
                status = rng.choices(("planned", "doing", "done", "dropped"),
                                     weights=(3, 3, 3 if age_days > 20 else 1, 1))[0]
                done_at = (min(set_at + timedelta(days=rng.randint(3, 40)), b.ago(30))
                           if status == "done" else None)
                target = (set_at + timedelta(days=rng.randint(7, 90))).date()
                actions.append((next_action, goal, text, target, status, done_at, set_at,
                                done_at or set_at))
                if status == "done":
                    changes.append({"action_id": next_action, "from": "doing", "to": "done"})
                next_action += 1
            for day in offsets:
                written = set_at + timedelta(days=day, minutes=rng.randint(0, 5 * DAY))
                if written >= b.anchor or rng.random() < 0.4:
                    continue
                check_ins.append((goal, day, rng.choice(words.CHECKIN_DID),
                                  rng.choice(words.CHECKIN_OBSTACLES),
                                  rng.choice(words.CHECKIN_NEXT),
                                  json.dumps(changes[:1] if day == offsets[0] else []),
                                  written))
                updated = max(updated, written)
        mentor = b.mentor_of.get(index)
        if shared and mentor is not None and rng.random() < 0.3:
            comments.append((plan, b.user_id(mentor), rng.choice(words.PLAN_COMMENTS),
                             _between(updated, b.anchor, rng)))
        plans.append((plan, b.user_id(index), shared, first_set if shared else None,
                      first_set, updated))
    loader.load("action_plans", ["id", "user_id", "is_shared", "shared_at", "created_at",
                                 "updated_at"], plans)
    loader.load("plan_goals", ["id", "plan_id", "title", "value", "behaviours",
                               "circle_of_influence", "support_needed", "source", "source_ref",
                               "set_at", "created_at", "updated_at"], goals)
    loader.load("plan_actions", ["id", "goal_id", "text", "target_date", "status", "done_at",
                                 "created_at", "updated_at"], actions)
    loader.load("plan_check_ins", ["goal_id", "checkpoint_day", "did", "obstacles",
                                   "next_steps", "status_changes", "created_at"], check_ins)
    loader.load("plan_comments", ["plan_id", "author_id", "body", "created_at"], comments)


def _between(start: datetime, end: datetime, rng) -> datetime:
    return start + (end - start) * rng.uniform(0.2, 0.8)
