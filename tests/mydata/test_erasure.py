"""Erasure of a leaver: afterwards no text column of any table holds their name, email or
reflection text; completion counts and released aggregates are what they were."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import (
    AuditEvent,
    Base,
    Certificate,
    ModuleCompletion,
    OutboxMessage,
    SurveyResponse,
    TeamRequest,
    User,
)
from lms.services import certificates, mail, notifications
from lms.services.learning import progress as learning
from lms.services.learning import surveys
from lms.services.plans import action_plans as plans
from lms.services.privacy.erasure import ERASED_DOMAIN
from lms.services.reviews import review as reviews

NAME = "Wilhelmina Quartermaine"
EMAIL = "w.quartermaine@example.edu"
REFLECTION = "When the rota changed I noticed who was never asked first."
GOAL = "Ask the night staff before changing the rota"


def _survey_step():
    module = learning.published_module("implicit-bias-foundations")
    return next(s for s in module.steps if s.kind == "survey")


def _leaver_with_a_history(people, make_user, submit, link):
    leaver = make_user(name=NAME, email=EMAIL, department=people.department)
    link(people.mentor, learner=leaver)
    submission = submit(leaver, answers={"decision": REFLECTION,
                                         "decision_context": f"{REFLECTION} Signed, {NAME}."})
    revision = submission.revisions[-1]
    reviews.record_access(people.mentor, submission, revision, "review")
    reviews.decide(people.mentor, submission, revision, decision="revise",
                   comment=f"Thank you, {NAME}. {REFLECTION[:30]}", improve="Who decides?")
    plans.create_goal(leaver, title=GOAL, actions=[
        plans.ActionDraft(f"Talk to {NAME}'s team lead", plans.local_today())])
    module = learning.published_module("implicit-bias-foundations")
    completion = ModuleCompletion(user_id=leaver.id, module_id=module.id,
                                  content_hash=module.content_hash)
    db.session.add(completion)
    db.session.flush()
    certificates.issue(leaver, module, completion)
    notifications.notify(people.mentor, "info", f"{NAME} sent a reflection", "/review/")
    mail.queue_email(EMAIL, f"Hello {NAME}", f"Dear {NAME}, {REFLECTION}")
    db.session.add(TeamRequest(requester_id=leaver.id, topic="Allyship for the night team",
                               group_size=60, preferred_dates="Any Tuesday",
                               contact_name=NAME, contact_email=EMAIL,
                               details=f"{NAME} will host it."))
    # Five colleagues and the leaver answer an evaluation: one batch is released.
    for person in [leaver, *[make_user(department=people.department) for _ in range(4)]]:
        surveys.record_response(person, _survey_step(), {"learned_strategy": "yes"})
    db.session.commit()
    return leaver


def _where_found(*needles: str) -> list[tuple[str, str, str]]:
    """(table, column, needle) for every text or JSON column holding one of ``needles``."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.c:
            if not isinstance(column.type, sa.String | sa.Text | sa.JSON):
                continue
            as_text = func.lower(sa.cast(column, sa.Text))
            for needle in needles:
                if db.session.scalar(select(func.count()).select_from(table)
                                     .where(as_text.contains(needle.lower()))):
                    found.append((table.name, column.name, needle))
    return found


def test_erasing_a_leaver_leaves_no_trace_of_them_and_keeps_the_counts(
        client, auth, people, make_user, submit, link):
    leaver = _leaver_with_a_history(people, make_user, submit, link)
    assert {t for t, _c, _n in _where_found(NAME, EMAIL, REFLECTION)} >= {
        "users", "submissions", "submission_revisions", "certificates", "notifications",
        "outbox_messages", "team_requests"}
    completions = db.session.scalar(select(func.count()).select_from(ModuleCompletion))
    released = db.session.scalar(select(func.count()).select_from(SurveyResponse))
    assert released == 5

    auth.login(people.admin)
    url = f"/admin/erasure/people/{leaver.id}"
    assert NAME in client.get(url).get_data(as_text=True)
    wrong = client.post(url, data={"confirm_email": "someone@example.edu"})
    assert wrong.status_code == 422
    assert "nothing was erased" in wrong.get_data(as_text=True)
    assert client.post(url, data={"confirm_email": EMAIL.upper()}).status_code == 302

    db.session.expire_all()
    assert _where_found(NAME, EMAIL, REFLECTION, GOAL) == []
    erased = db.session.get(User, leaver.id)
    assert erased.name.startswith("Former member")
    assert erased.email.endswith("@" + ERASED_DOMAIN)
    assert not erased.is_active_account and erased.password_hash is None
    assert db.session.scalar(select(func.count()).select_from(ModuleCompletion)) == completions
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == released
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == leaver.id))
    assert certificate.learner_name == erased.name
    entry = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.erased"))
    assert entry.target_id == leaver.id and entry.actor_id == people.admin.id
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.to_address.contains("quartermaine"))) == 0
    # The erased person cannot sign in any more.
    auth.logout()
    assert client.post("/auth/login", data={"email": EMAIL, "password": "x"}).status_code != 302


def test_erasure_is_for_admins_and_needs_the_right_confirmation(client, auth, people):
    url = f"/admin/erasure/people/{people.learner.id}"
    auth.login(people.mentor)
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login(people.admin)
    assert client.post(url, data={}).status_code == 422
    assert client.get(f"/admin/erasure/people/{people.admin.id}").status_code == 403
    db.session.expire_all()
    assert db.session.get(User, people.learner.id).name == "Priya Shah"
