"""A module's live step completes from attendance; its plan step from the action plan."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms import clock
from lms.extensions import db
from lms.models import utcnow
from lms.services.events import registration as event_registration
from lms.services.learning import progress as learning
from lms.services.plans import action_plans as plan_service
from tests.content_helpers import page, write_module


@pytest.fixture
def blended(module_root, sync_root):
    write_module(module_root, "blended", [
        page("intro"),
        {"slug": "workshop", "kind": "live", "title": "Attend the workshop",
         "training": "blended-workshop"},
        {"slug": "my-plan", "kind": "plan", "title": "Make a plan"},
    ])
    sync_root()
    return learning.published_module("blended")


def test_live_and_plan_steps_complete_the_module(blended, make_user, make_training,
                                                 make_offering, admin):
    learner = make_user()
    training = make_training(slug="blended-workshop")
    offering = make_offering(training, starts_in=timedelta(days=2))
    learning.start_module(learner, blended)
    learning.mark_step_done(learner, blended.steps[0])
    registration = event_registration.register(learner, offering)
    db.session.commit()

    states = {s.step.slug: s.done for s in learning.module_progress(learner, blended).states}
    assert states == {"intro": True, "workshop": False, "my-plan": False}

    with clock.frozen_at(offering.starts_at + timedelta(minutes=30)):
        event_registration.mark_attendance(offering, [registration.id], "attended",
                                           actor=admin)
    plan_service.create_goal(learner, title="Share power in decisions", actions=[
        plan_service.ActionDraft("Rotate who chairs our team meeting",
                                 plan_service.local_today() + timedelta(days=14))])
    db.session.commit()

    progress = learning.module_progress(learner, blended)
    assert all(s.done for s in progress.states)
    assert learning.refresh_completion(learner, blended, progress)
    assert learning.enrollment_for(learner.id, blended.id).completed_at <= utcnow()


def test_module_page_completes_a_module_finished_elsewhere(client, auth, blended, make_user,
                                                           make_training, make_offering,
                                                           admin):
    learner = make_user()
    auth.login(learner)
    client.post("/learn/blended/start")
    client.post("/learn/blended/intro/complete")
    offering = make_offering(make_training(slug="blended-workshop"))
    registration = event_registration.register(learner, offering)
    plan_service.create_goal(learner, title="Listen first", actions=[
        plan_service.ActionDraft("Ask two quiet colleagues for their view",
                                 plan_service.local_today() + timedelta(days=7))])
    with clock.frozen_at(offering.starts_at + timedelta(minutes=5)):
        event_registration.mark_attendance(offering, [registration.id], "attended",
                                           actor=admin)
    db.session.commit()
    assert "Completed" in client.get("/learn/blended").get_data(as_text=True)


def test_a_plan_step_counts_only_plans_made_on_or_after_the_day_it_opens(
        module_root, sync_root, make_user):
    write_module(module_root, "four-parts", [
        page("part-one", unlock_after_days=0),
        {"slug": "my-action-plan", "kind": "plan", "title": "My action plan",
         "unlock_after_days": 21},
    ], pacing="spaced")
    sync_root()
    module = learning.published_module("four-parts")
    learner = make_user()
    day_one = utcnow()
    with clock.frozen_at(day_one):
        learning.start_module(learner, module)
        plan_service.create_goal(learner, title="Speak up in rounds", actions=[
            plan_service.ActionDraft("Ask one question per round",
                                     plan_service.local_today() + timedelta(days=7))])
        db.session.commit()
        state = learning.module_progress(learner, module).states[1]
        assert not state.done and state.locked  # not "Done" on day 1
    with clock.frozen_at(day_one + timedelta(days=21, hours=1)):
        state = learning.module_progress(learner, module).states[1]
        assert not state.locked and not state.done  # the old goal does not do this part
        goal = plan_service.create_goal(learner, title="Share the chair", actions=[
            plan_service.ActionDraft("Rotate who chairs the huddle",
                                     plan_service.local_today() + timedelta(days=7))])
        assert goal is not None
        db.session.commit()
        assert learning.module_progress(learner, module).states[1].done
