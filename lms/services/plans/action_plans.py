"""Personal action plans: goals, actions, check-ins, sharing and mentor comments.

Every function here takes its actors and data explicitly, flushes but never
commits, and raises ``DomainError`` (with the form field at fault) when a
rule is broken, before changing anything. Plan text is private: it is shown
to the learner, and to the learner's mentors only while the plan is shared.
Nothing here puts plan text into email (admins can read the Outbox) or into
the audit log; the scorecard gets counts only (``plan_counts``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from lms import clock
from lms.content.kinds.plan import has_goal_with_action as has_goal_with_action
from lms.extensions import db
from lms.localtime import local_date as local_date
from lms.localtime import today as local_today
from lms.models import ACTION_STATUSES, ActionPlan, CheckIn, Goal, PlanAction, PlanComment, User
from lms.services import audit
from lms.services.accounts.mentoring import is_mentor_of, mentee_ids, mentors_of
from lms.services.errors import DomainError
from lms.services.mail import Recipient, queue_for

TITLE_MAX = 200
TEXT_MAX = 4000
ACTION_MAX = 500
COMMENT_MAX = 4000
# A goal with more actions than this stops being a plan and becomes a list.
ACTIONS_PER_GOAL_MAX = 30
GOALS_PER_PLAN_MAX = 20

STATUS_LABELS = {"planned": _l("Planned"), "doing": _l("Doing"), "done": _l("Done"),
                 "dropped": _l("Dropped")}
DEFAULT_CHECKIN_DAYS = (30, 60, 90)
# The same content sent again this soon is a double submit (a second click, a
# browser retry), answered with what the first one created instead of a copy.
RESUBMIT_WINDOW = timedelta(minutes=2)


@dataclass(frozen=True)
class ActionDraft:
    """An action not yet saved: text and an optional target date."""

    text: str
    target_date: date | None = None


@dataclass(frozen=True)
class DueCheckIn:
    """A check-in the learner owes: ``day`` days after ``goal`` was set, due on ``due_on``."""

    goal: Goal
    day: int
    due_on: date


# --- time -----------------------------------------------------------------------------------

def checkin_offsets() -> tuple[int, ...]:
    """The check-in days from ``LMS_CHECKIN_DAYS`` ("30,60,90"), sorted and distinct.

    Raises ``ValueError`` naming the setting when it holds anything but
    positive whole numbers, so a typo fails loudly instead of silently
    sending no reminders.
    """
    raw = current_app.config.get("LMS_CHECKIN_DAYS", DEFAULT_CHECKIN_DAYS)
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    try:
        days = sorted({int(str(part).strip()) for part in parts if str(part).strip()})
    except ValueError as error:
        raise ValueError(f"LMS_CHECKIN_DAYS must be whole numbers of days, got {raw!r}") from error
    if not days or days[0] <= 0:
        raise ValueError(f"LMS_CHECKIN_DAYS must list positive numbers of days, got {raw!r}")
    return tuple(days)


# --- validation helpers ---------------------------------------------------------------------

def _clean(text: str | None, *, limit: int, field: str, label: str, required: bool = False
           ) -> str:
    value = (text or "").replace("\r\n", "\n").strip()
    if required and not value:
        raise DomainError(_("Enter %(what)s.", what=str(label).lower()), field=field)
    if len(value) > limit:
        raise DomainError(_("%(what)s is %(length)s characters long; the limit is %(limit)s. "
                            "Shorten it and save again.", what=label,
                            length=format_number(len(value)), limit=format_number(limit)),
                          field=field)
    return value


def check_new_target_date(target: date | None, *, field: str = "target_date",
                          previous: date | None = None) -> date:
    """A target date must be given and not lie in the past.

    An existing action may keep the (now past) date it already had; only a
    newly chosen date has to be today or later.
    """
    if target is None:
        raise DomainError(_("Choose a target date."), field=field)
    if target < local_today() and target != previous:
        raise DomainError(_("The target date is in the past. Choose today or a later date."),
                          field=field)
    return target


def _check_status(status: str, field: str = "status") -> str:
    if status not in ACTION_STATUSES:
        raise DomainError(_("Choose a status: planned, doing, done or dropped."), field=field)
    return status


# --- loading and access ---------------------------------------------------------------------

def get_plan(user: User) -> ActionPlan | None:
    """The user's plan, or None when they have not started one."""
    return db.session.execute(
        select(ActionPlan).where(ActionPlan.user_id == user.id)).scalar_one_or_none()


def get_or_create_plan(user: User) -> ActionPlan:
    """The user's plan, created on first use.

    Two requests racing to create it are safe: the unique constraint on
    ``user_id`` refuses the second insert and the existing plan is returned.
    """
    plan = get_plan(user)
    if plan is not None:
        return plan
    try:
        with db.session.begin_nested():
            plan = ActionPlan(user_id=user.id)
            db.session.add(plan)
    except IntegrityError:
        plan = get_plan(user)
        if plan is None:
            raise
    return plan


def load_plan(plan_id: int | None = None, *, owner: User | None = None) -> ActionPlan | None:
    """A plan (by id, or ``owner``'s) with its goals, actions, check-ins and comments
    loaded in a fixed few queries, however large the plan."""
    condition = ActionPlan.user_id == owner.id if owner is not None else ActionPlan.id == plan_id
    return db.session.execute(
        select(ActionPlan).where(condition).options(
            selectinload(ActionPlan.user),
            selectinload(ActionPlan.goals).selectinload(Goal.actions),
            selectinload(ActionPlan.goals).selectinload(Goal.check_ins),
            selectinload(ActionPlan.comments).selectinload(PlanComment.author),
        )
    ).scalar_one_or_none()


def owns(user: User, plan: ActionPlan) -> bool:
    return user is not None and plan.user_id == user.id


def can_comment(viewer: User, plan: ActionPlan) -> bool:
    """Mentors of the learner may comment while the plan is shared."""
    return not owns(viewer, plan) and plan.is_shared and is_mentor_of(viewer, plan.user)


# --- goals and actions ----------------------------------------------------------------------

def _goal_fields(title, value, behaviours, circle_of_influence, support_needed) -> dict[str, str]:
    return {
        "title": _clean(title, limit=TITLE_MAX, field="title", label=_l("The goal"), required=True),
        "value": _clean(value, limit=TEXT_MAX, field="value", label=_l("Why it matters to you")),
        "behaviours": _clean(behaviours, limit=TEXT_MAX, field="behaviours",
                             label=_l("Behaviours you will practise")),
        "circle_of_influence": _clean(circle_of_influence, limit=TEXT_MAX,
                                      field="circle_of_influence",
                                      label=_l("Your circle of influence")),
        "support_needed": _clean(support_needed, limit=TEXT_MAX, field="support_needed",
                                 label=_l("Support you need")),
    }


def _default_target_date() -> date:
    """Suggested actions without a date aim for the first check-in."""
    return local_today() + timedelta(days=checkin_offsets()[0])


def _action_drafts(actions: Iterable[str | ActionDraft], *, field: str,
                   default_date: bool) -> list[ActionDraft]:
    drafts = []
    for index, item in enumerate(actions):
        draft = item if isinstance(item, ActionDraft) else ActionDraft(str(item))
        row_field = f"{field}-{index}"
        text = _clean(draft.text, limit=ACTION_MAX, field=f"{row_field}-text",
                      label=_l("The action"))
        if not text:
            continue
        target = draft.target_date
        if target is None and default_date:
            target = _default_target_date()
        check_new_target_date(target, field=f"{row_field}-target_date")
        drafts.append(ActionDraft(text, target))
    if len(drafts) > ACTIONS_PER_GOAL_MAX:
        raise DomainError(_("A goal can hold at most %(most)s actions. Keep the ones you will "
                            "really do.", most=ACTIONS_PER_GOAL_MAX), field=field)
    return drafts


def create_goal(user: User, *, title: str, value: str = "", behaviours: str = "",
                circle_of_influence: str = "", support_needed: str = "",
                actions: Iterable[str | ActionDraft] = (), source: str = "blank",
                source_ref: str | None = None) -> Goal:
    """Add a goal (and its first actions) to the user's plan, creating the plan if needed.

    Raises ``DomainError`` for an empty title, text over the limits, an action
    dated in the past or without a date, or a plan already holding
    ``GOALS_PER_PLAN_MAX`` goals. Nothing is written when it raises. The same
    goal submitted twice within ``RESUBMIT_WINDOW`` returns the first one.
    """
    fields = _goal_fields(title, value, behaviours, circle_of_influence, support_needed)
    drafts = _action_drafts(actions, field="actions", default_date=False)
    if source not in ("blank", "template", "challenge"):
        raise ValueError(f"unknown goal source {source!r}")
    plan = get_plan(user)
    if plan is not None:
        repeat = db.session.execute(
            select(Goal).where(Goal.plan_id == plan.id, Goal.title == fields["title"],
                               Goal.value == fields["value"],
                               Goal.set_at >= clock.now() - RESUBMIT_WINDOW)
            .order_by(Goal.id.desc()).limit(1)).scalar_one_or_none()
        if repeat is not None:
            return repeat
        count = db.session.scalar(select(func.count(Goal.id)).where(Goal.plan_id == plan.id))
        if count >= GOALS_PER_PLAN_MAX:
            raise DomainError(_("Your plan already has %(most)s goals. Finish or delete one "
                                "before adding another.", most=GOALS_PER_PLAN_MAX),
                              field="title")
    else:
        plan = get_or_create_plan(user)
    goal = Goal(plan=plan, source=source, source_ref=(source_ref or "")[:100] or None,
                set_at=clock.now(), **fields)
    goal.actions = [PlanAction(text=d.text, target_date=d.target_date) for d in drafts]
    db.session.add(goal)
    plan.updated_at = clock.now()
    db.session.flush()
    return goal


def update_goal(goal: Goal, *, title: str, value: str = "", behaviours: str = "",
                circle_of_influence: str = "", support_needed: str = "") -> Goal:
    """Change a goal's text. The date it was set (and so its check-ins) stays."""
    fields = _goal_fields(title, value, behaviours, circle_of_influence, support_needed)
    for name, text in fields.items():
        setattr(goal, name, text)
    goal.plan.updated_at = clock.now()
    db.session.flush()
    return goal


def delete_goal(goal: Goal, *, actor: User) -> None:
    """Delete a goal with its actions and check-ins (the learner confirmed it)."""
    plan = goal.plan
    audit.record(actor, "plan.goal_delete", plan, goal_id=goal.id,
                 actions=len(goal.actions), check_ins=len(goal.check_ins))
    plan.goals.remove(goal)
    plan.updated_at = clock.now()
    db.session.flush()


def add_action(goal: Goal, *, text: str, target_date: date | None) -> PlanAction:
    """Add a dated action to a goal. Raises ``DomainError`` for empty or long text,
    a missing or past date, or a goal already holding the most actions allowed.

    The same text with the same date already on the goal is returned as it is:
    a copy would never help, and a double submit must not make one.
    """
    text = _clean(text, limit=ACTION_MAX, field="text", label=_l("The action"), required=True)
    check_new_target_date(target_date)
    same = db.session.execute(
        select(PlanAction).where(PlanAction.goal_id == goal.id, PlanAction.text == text,
                                 PlanAction.target_date == target_date)
        .limit(1)).scalar_one_or_none()
    if same is not None:
        return same
    count = db.session.scalar(select(func.count(PlanAction.id))
                              .where(PlanAction.goal_id == goal.id))
    if count >= ACTIONS_PER_GOAL_MAX:
        raise DomainError(_("This goal already has %(most)s actions.", most=ACTIONS_PER_GOAL_MAX),
                          field="text")
    action = PlanAction(goal=goal, text=text, target_date=target_date)
    db.session.add(action)
    goal.plan.updated_at = clock.now()
    db.session.flush()
    return action


def set_action_status(action: PlanAction, status: str) -> PlanAction:
    """Move an action to planned / doing / done / dropped; remembers when it was done."""
    _check_status(status)
    if status != action.status:
        action.status = status
        action.done_at = clock.now() if status == "done" else None
        action.goal.plan.updated_at = clock.now()
    db.session.flush()
    return action


def update_action(action: PlanAction, *, text: str, target_date: date | None,
                  status: str) -> PlanAction:
    """Change an action's text, date and status. A past date may only be kept, not chosen."""
    text = _clean(text, limit=ACTION_MAX, field="text", label=_l("The action"), required=True)
    check_new_target_date(target_date, previous=action.target_date)
    _check_status(status)
    action.text = text
    action.target_date = target_date
    return set_action_status(action, status)


def delete_action(action: PlanAction) -> None:
    goal = action.goal
    goal.actions.remove(action)
    goal.plan.updated_at = clock.now()
    db.session.flush()


# --- check-ins ------------------------------------------------------------------------------

def due_checkpoint(set_at: datetime, answered_day: int | None, now: datetime,
                   offsets: Sequence[int]) -> int | None:
    """The check-in day now owed for a goal set at ``set_at``, or None.

    It is the latest checkpoint already reached, as long as no check-in has
    answered it or a later one. A learner who misses day 30 and comes back on
    day 65 owes one check-in (day 60), not two.
    """
    reached = [day for day in offsets if set_at + timedelta(days=day) <= now]
    if not reached:
        return None
    latest = reached[-1]
    return latest if latest > (answered_day or 0) else None


def next_checkpoint(goal: Goal, now: datetime | None = None) -> date | None:
    """The local date of the goal's next check-in that is not yet reached, if any."""
    now = now or clock.now()
    for day in checkin_offsets():
        moment = goal.set_at + timedelta(days=day)
        if moment > now:
            return local_date(moment)
    return None


def _answered_day(goal: Goal) -> int | None:
    days = [c.checkpoint_day for c in goal.check_ins if c.checkpoint_day is not None]
    return max(days) if days else None


def checkin_due_for_goal(goal: Goal) -> DueCheckIn | None:
    """The check-in this goal is owed now, if any (uses the goal's loaded check-ins)."""
    day = due_checkpoint(goal.set_at, _answered_day(goal), clock.now(), checkin_offsets())
    if day is None:
        return None
    return DueCheckIn(goal, day, local_date(goal.set_at + timedelta(days=day)))


@dataclass(frozen=True)
class CheckInOverview:
    due: list[DueCheckIn]
    next_due: tuple[date, Goal] | None
    goal_count: int


def checkin_overview(user: User) -> CheckInOverview:
    """Check-ins the user owes now (oldest goal first), the next one to come and the
    number of goals; two queries whatever the size of the plan."""
    goals = db.session.execute(
        select(Goal).join(ActionPlan).where(ActionPlan.user_id == user.id)
        .options(selectinload(Goal.check_ins)).order_by(Goal.set_at, Goal.id)
    ).scalars().all()
    due = [item for goal in goals if (item := checkin_due_for_goal(goal)) is not None]
    upcoming = [(when, goal) for goal in goals if (when := next_checkpoint(goal)) is not None]
    next_due = min(upcoming, key=lambda pair: (pair[0], pair[1].id)) if upcoming else None
    return CheckInOverview(due, next_due, len(goals))


def checkins_due(user: User) -> list[DueCheckIn]:
    """Check-ins the user owes now, oldest goal first."""
    return checkin_overview(user).due


def record_checkin(goal: Goal, *, did: str = "", obstacles: str = "", next_steps: str = "",
                   statuses: dict[int, str] | None = None) -> CheckIn:
    """Keep a check-in on ``goal`` and apply the action statuses chosen with it.

    The check-in answers the checkpoint now due (so the reminder stops), or
    none when written early. ``statuses`` maps action ids of this goal to a
    new status; ids of other goals' actions are refused. Raises
    ``DomainError`` when all three texts are empty or one is too long. The
    same check-in sent twice within ``RESUBMIT_WINDOW`` returns the first.
    """
    texts = {
        "did": _clean(did, limit=TEXT_MAX, field="did", label=_l("What you did")),
        "obstacles": _clean(obstacles, limit=TEXT_MAX, field="obstacles",
                            label=_l("What got in the way")),
        "next_steps": _clean(next_steps, limit=TEXT_MAX, field="next_steps",
                             label=_l("What comes next")),
    }
    if not any(texts.values()):
        raise DomainError(_("Write at least a line about what you did, what got in the way or "
                          "what comes next."), field="did")
    actions = {action.id: action for action in goal.actions}
    statuses = statuses or {}
    for action_id, status in statuses.items():
        if action_id not in actions:
            raise DomainError(_("That action is not part of this goal."), field="did")
        _check_status(status, field=f"status_{action_id}")
    for earlier in goal.check_ins:
        if (earlier.created_at >= clock.now() - RESUBMIT_WINDOW
                and all(getattr(earlier, name) == text for name, text in texts.items())):
            return earlier
    due = checkin_due_for_goal(goal)
    changes = []
    for action_id, status in statuses.items():
        action = actions[action_id]
        if action.status != status:
            changes.append({"action_id": action_id, "from": action.status, "to": status})
            set_action_status(action, status)
    check_in = CheckIn(goal=goal, checkpoint_day=due.day if due else None,
                       status_changes=changes, created_at=clock.now(), **texts)
    db.session.add(check_in)
    goal.plan.updated_at = clock.now()
    db.session.flush()
    return check_in


def _absolute_url(endpoint: str, anchor: str | None = None, **values: Any) -> str:
    """A full link into the app from ``LMS_BASE_URL``; works outside a request (CLI jobs)."""
    base = urlsplit(current_app.config["LMS_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                       url_scheme=base.scheme or "https")
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{anchor}" if anchor else url


def send_checkin_reminders() -> int:
    """Queue one reminder email per goal whose check-in is due; returns how many were queued.

    Safe to run as often as you like: each reminder carries the dedupe key
    ``checkin:<goal id>:<day>``, so a goal is reminded once per checkpoint.
    A goal that skipped a checkpoint is reminded only of the latest one.
    Inactive accounts get nothing. The email names no goal text, because the
    Outbox is readable by admins.
    """
    offsets = checkin_offsets()
    now = clock.now()
    answered = func.max(CheckIn.checkpoint_day)
    rows = db.session.execute(
        select(Goal.id, Goal.set_at, User.email, User.name, User.locale, answered)
        .join(ActionPlan, ActionPlan.id == Goal.plan_id)
        .join(User, User.id == ActionPlan.user_id)
        .outerjoin(CheckIn, CheckIn.goal_id == Goal.id)
        .where(Goal.set_at <= now - timedelta(days=offsets[0]),
               User.is_active_account.is_(True))
        .group_by(Goal.id, Goal.set_at, User.email, User.name, User.locale)
        .having(func.coalesce(answered, 0) < offsets[-1])
        .order_by(Goal.id)
    ).all()
    owed = []
    for goal_id, set_at, email, name, locale, answered_day in rows:
        day = due_checkpoint(set_at, answered_day, now, offsets)
        if day is not None:
            owed.append((f"checkin:{goal_id}:{day}", goal_id, set_at, day,
                         Recipient(email, locale), name))
    if not owed:
        return 0
    from lms.models import OutboxMessage

    already = set(db.session.execute(
        select(OutboxMessage.dedupe_key)
        .where(OutboxMessage.dedupe_key.in_([row[0] for row in owed]))).scalars())
    queued = 0
    for key, goal_id, set_at, day, recipient, name in owed:
        if key in already:
            continue
        if queue_for(recipient, _l("Your %(day)s-day action plan check-in", day=day),
                     template="plans/email/checkin_reminder.txt", kind="plan_checkin",
                     dedupe_key=key, name=name, day=day, set_on=local_date(set_at),
                     link=_absolute_url("plans.checkin", goal_id=goal_id),
                     plan_link=_absolute_url("plans.index")) is not None:
            queued += 1
    return queued


# --- sharing and comments -------------------------------------------------------------------

def set_sharing(plan: ActionPlan, *, shared: bool, actor: User) -> ActionPlan:
    """Share the plan with the owner's mentors, or make it private again.

    Only the owner may; comments already written stay with the plan.
    """
    if not owns(actor, plan):
        raise DomainError(_("Only the owner of a plan can change who sees it."))
    if plan.is_shared != shared:
        plan.is_shared = shared
        plan.shared_at = clock.now() if shared else None
        audit.record(actor, "plan.share" if shared else "plan.unshare", plan)
    db.session.flush()
    return plan


def add_comment(plan: ActionPlan, *, author: User, body: str) -> PlanComment:
    """A mentor comments on a shared plan; the learner is emailed a link (not the text).

    Raises ``DomainError`` when the author may not comment (not a mentor of
    the learner, or the plan is private) or the comment is empty or too long.
    The same comment sent twice within ``RESUBMIT_WINDOW`` is kept (and
    emailed about) once.
    """
    if not can_comment(author, plan):
        raise DomainError(_("You can comment only on plans your mentees share with you."))
    text = _clean(body, limit=COMMENT_MAX, field="body", label=_l("Your comment"), required=True)
    repeat = db.session.execute(
        select(PlanComment).where(PlanComment.plan_id == plan.id,
                                  PlanComment.author_id == author.id, PlanComment.body == text,
                                  PlanComment.created_at >= clock.now() - RESUBMIT_WINDOW)
        .limit(1)).scalar_one_or_none()
    if repeat is not None:
        return repeat  # a double submit: no second comment, no second email
    comment = PlanComment(plan=plan, author=author, body=text, created_at=clock.now())
    db.session.add(comment)
    db.session.flush()
    audit.record(author, "plan.comment", plan, comment_id=comment.id)
    learner = plan.user
    queue_for(learner, _l("A mentor commented on your action plan"),
              template="plans/email/comment.txt", kind="plan_comment", learner=learner,
              author=author, link=_absolute_url("plans.index", anchor="comments"))
    return comment


@dataclass(frozen=True)
class SharedPlanRow:
    plan_id: int
    learner_name: str
    department: str | None
    goals: int
    actions: int
    actions_done: int
    updated_at: datetime


def shared_plans_for(mentor: User) -> list[SharedPlanRow]:
    """Plans shared by the mentor's mentees with counts, in one query."""
    from lms.models import Department

    goal_counts = (select(Goal.plan_id, func.count(Goal.id).label("goals"))
                   .group_by(Goal.plan_id).subquery())
    action_counts = (
        select(Goal.plan_id,
               func.count(PlanAction.id).label("actions"),
               func.sum(case((PlanAction.status == "done", 1), else_=0)).label("done"))
        .join(PlanAction, PlanAction.goal_id == Goal.id)
        .group_by(Goal.plan_id).subquery())
    rows = db.session.execute(
        select(ActionPlan.id, User.name, Department.name,
               func.coalesce(goal_counts.c.goals, 0), func.coalesce(action_counts.c.actions, 0),
               func.coalesce(action_counts.c.done, 0), ActionPlan.updated_at)
        .join(User, User.id == ActionPlan.user_id)
        .outerjoin(Department, Department.id == User.department_id)
        .outerjoin(goal_counts, goal_counts.c.plan_id == ActionPlan.id)
        .outerjoin(action_counts, action_counts.c.plan_id == ActionPlan.id)
        .where(ActionPlan.is_shared.is_(True), ActionPlan.user_id.in_(mentee_ids(mentor)),
               User.is_active_account.is_(True))
        .order_by(User.name, ActionPlan.id)
    ).all()
    return [SharedPlanRow(*row) for row in rows]


def plan_mentors(plan_owner: User) -> list[User]:
    """Who would see the plan if it were shared."""
    return mentors_of(plan_owner)


# --- from challenge answers -----------------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[-*•‣◦–—]|\(?\d{1,2}[.)]|\(?[a-zA-Z][.)])\s+")
_ABBREVIATIONS = {"dr.", "mr.", "mrs.", "ms.", "mx.", "prof.", "st.", "e.g.", "i.e.", "etc.",
                  "vs.", "no.", "approx.", "dept."}
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+")


def _split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph at sentence ends, not after common abbreviations."""
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(paragraph):
        end = match.end()
        following = paragraph[end:end + 1]
        if not following or not (following.isupper() or following.isdigit()
                                  or following in "\"'“‘("):
            continue
        last_word = paragraph[start:match.start() + 1].rsplit(None, 1)[-1].lower()
        if last_word in _ABBREVIATIONS:
            continue
        sentences.append(paragraph[start:end].strip())
        start = end
    sentences.append(paragraph[start:].strip())
    return [s for s in sentences if s]


def _items_from_text(text: str) -> list[str]:
    """Bulleted or numbered lines become one item each (wrapped lines joined);
    otherwise every line or paragraph is split into sentences."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    if any(_BULLET.match(line) for line in lines):
        items: list[str] = []
        current: list[str] | None = None
        for line in lines:
            if not line.strip():
                current = None
                continue
            if _BULLET.match(line):
                current = [_BULLET.sub("", line, count=1).strip()]
                items.append(current)  # type: ignore[arg-type]
            elif current is not None:
                current.append(line.strip())
            else:
                items.extend([[s] for s in _split_sentences(line.strip())])  # type: ignore[misc]
        return [" ".join(parts) for parts in items]  # type: ignore[arg-type]
    result = []
    for line in lines:
        if line.strip():
            result.extend(_split_sentences(line.strip()))
    return result


def _shorten(text: str, limit: int = ACTION_MAX) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def _useful(item: str) -> bool:
    # A lone word or a stray "N/A" is not an action anyone can take.
    words = re.findall(r"\w+", item)
    return len(words) >= 2 and item.strip().lower() not in {"n/a", "none", "not applicable"}


def _row_columns(prompt: dict) -> list[str]:
    marker = prompt.get("produces_actions")
    columns = [c for c in prompt.get("columns") or [] if isinstance(c, dict) and c.get("id")]
    if isinstance(marker, str):
        return [marker]
    if isinstance(marker, list):
        return [str(m) for m in marker]
    flagged = [c["id"] for c in columns if c.get("produces_actions")]
    if flagged:
        return flagged
    return [c["id"] for c in columns if c.get("type", "short_text") in ("short_text", "long_text")]


def actions_from_answers(user: User, prompts: list[dict], answers: dict) -> list[str]:
    """Suggested action texts from a learner's challenge answers.

    Only prompts marked ``produces_actions`` are read. A text answer is
    split into its bulleted or numbered items, or else into sentences; a
    ``rows`` answer gives one suggestion per row from the columns named by
    ``produces_actions`` (a column id or list of ids), the columns flagged
    ``produces_actions: true``, or else all its text columns, joined with
    " — ". Fragments of fewer than two words are dropped, long items are cut
    to the action length limit at a word boundary, duplicates are removed
    (ignoring case) and so are actions already in ``user``'s plan. Answers of
    an unexpected shape are skipped, never an error.
    """
    existing = set()
    if user is not None and getattr(user, "id", None) is not None:
        existing = {text.casefold() for text in db.session.execute(
            select(PlanAction.text).join(Goal).join(ActionPlan)
            .where(ActionPlan.user_id == user.id)).scalars()}
    suggestions: list[str] = []
    seen = set(existing)

    def offer(item: str) -> None:
        item = _shorten(" ".join(item.split()))
        key = item.casefold()
        if _useful(item) and key not in seen:
            seen.add(key)
            suggestions.append(item)

    for prompt in prompts or []:
        if not isinstance(prompt, dict) or not prompt.get("produces_actions"):
            continue
        value = (answers or {}).get(prompt.get("id"))
        if isinstance(value, str):
            for item in _items_from_text(value):
                offer(item)
        elif isinstance(value, list) and prompt.get("type") == "rows":
            columns = _row_columns(prompt)
            for row in value:
                if not isinstance(row, dict):
                    continue
                parts = [str(row.get(c) or "").strip() for c in columns]
                offer(" — ".join(p for p in parts if p))
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    offer(item)
    return suggestions


def create_goal_from_suggestions(user: User, title: str, value: str,
                                 actions: Iterable[str | ActionDraft], *,
                                 source_ref: str | None = None) -> Goal:
    """Turn chosen suggestions into a new goal with those actions, in one step.

    ``actions`` are texts or ``ActionDraft``s; one without a date aims for
    the first check-in. Raises ``DomainError`` (field ``actions``) when no
    action is left, and as ``create_goal`` does otherwise.
    """
    drafts = _action_drafts(actions, field="actions", default_date=True)
    if not drafts:
        raise DomainError(_("Choose at least one action to add to your plan."), field="actions")
    return create_goal(user, title=title, value=value, actions=drafts, source="challenge",
                       source_ref=source_ref)


# --- completion and counts ------------------------------------------------------------------

def users_with_plan_actions(user_ids: Iterable[int]) -> set[int]:
    """Of ``user_ids``, those with a goal holding at least one action; one query."""
    ids = list({int(i) for i in user_ids})
    if not ids:
        return set()
    return set(db.session.execute(
        select(ActionPlan.user_id).distinct().join(Goal).join(PlanAction)
        .where(ActionPlan.user_id.in_(ids))).scalars())


def plan_counts(user_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Counts for the scorecard, never text: plans, people with actions, goals and
    actions by status, optionally over ``user_ids`` only."""
    ids = None if user_ids is None else list({int(i) for i in user_ids})
    if ids == []:
        return {"plans": 0, "people_with_actions": 0, "goals": 0, "actions": 0,
                **{f"actions_{s}": 0 for s in ACTION_STATUSES}}

    def scoped(query):
        return query if ids is None else query.where(ActionPlan.user_id.in_(ids))

    plans = db.session.scalar(scoped(select(func.count(ActionPlan.id))))
    goals = db.session.scalar(scoped(select(func.count(Goal.id)).join(ActionPlan)))
    by_status = dict(db.session.execute(scoped(
        select(PlanAction.status, func.count(PlanAction.id))
        .join(Goal).join(ActionPlan).group_by(PlanAction.status))).all())
    people = db.session.scalar(scoped(
        select(func.count(func.distinct(ActionPlan.user_id))).join(Goal).join(PlanAction)))
    return {"plans": plans, "people_with_actions": people, "goals": goals,
            "actions": sum(by_status.values()),
            **{f"actions_{s}": by_status.get(s, 0) for s in ACTION_STATUSES}}
