"""Completion evidence: pass marks and tries, engaged time, attestation, per version."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pypdf
import pytest
from sqlalchemy import func, select

from lms import clock
from lms.extensions import db
from lms.models import Certificate, CheckAttempt, ModuleCompletion
from lms.services.learning import evidence
from lms.services.learning import progress as learning
from tests.content_helpers import page, write_module
from tests.learn.evidence_helpers import spend_time

START = datetime(2026, 5, 4, 13, 0, tzinfo=UTC)
STATEMENT = "I completed this training myself."


def _question(qid: str) -> dict:
    return {"id": qid, "prompt": f"Question {qid}?",
            "options": [{"text": f"Right {qid}", "correct": True,
                         "feedback": f"Yes, {qid} explained."},
                        {"text": f"Wrong {qid}", "feedback": f"No, {qid} explained."}]}


def _check(**rules) -> dict:
    return {"slug": "check", "kind": "check", "title": "Check your understanding",
            "questions": [_question(q) for q in rules.pop("pool", ["a", "b", "c", "d", "e"])],
            **rules}


@pytest.fixture
def ruled(module_root, sync_root):
    """A certificate module asking for 80% (3 tries), 30 minutes and a statement."""
    write_module(module_root, "ruled", [
        page("reading"),
        _check(pass_mark=80, attempts=3, feedback="when_done"),
    ], certificate=True, standard="A one-hour requirement", estimated_minutes=60,
        minimum_minutes=30, attestation=STATEMENT)
    sync_root()
    return learning.published_module("ruled")


def _answers(step, right: bool, number: int, user) -> dict:
    return {f"q-{q['id']}": "0" if right else "1"
            for q in evidence.drawn_questions(user, step, number)}


def test_a_checks_messages_follow_the_language(client, auth, ruled, make_user):
    learner = make_user()
    learner.locale = "es"
    db.session.commit()
    auth.login(learner)
    check = ruled.steps[1]
    with clock.frozen_at(START):
        client.post("/learn/ruled/start")
        html = client.post("/learn/ruled/check/check", data={
            **_answers(check, False, 1, learner), "part": "1"},
            follow_redirects=True).get_data(as_text=True)
    assert "Ha obtenido un 0%; esta prueba requiere un 80%." in html


def test_a_failed_check_keeps_the_module_open_and_says_why(client, auth, ruled, make_user):
    learner = make_user()
    auth.login(learner)
    check = ruled.steps[1]
    url = "/learn/ruled/check"
    with clock.frozen_at(START):
        client.post("/learn/ruled/start")
        client.post("/learn/ruled/reading/complete")
        response = client.post(f"{url}/check", data={**_answers(check, False, 1, learner),
                                                     "part": "1"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "You scored 0%; this check needs 80%." in html
    assert "0 of 5 correct" in html and "Not passed yet" in html
    assert "You have 2 tries left." in html
    assert "What to review before your next try" in html and "Question a?" in html
    assert "No, a explained." not in html  # answers wait until passed (feedback: when_done)
    assert not learning.module_progress(learner, ruled).states[1].done
    # The same try sent again is not a second try.
    client.post(f"{url}/check", data={**_answers(check, True, 1, learner), "part": "1"})
    assert db.session.scalar(select(func.count(CheckAttempt.id))) == 1
    with clock.frozen_at(START + timedelta(minutes=5)):
        client.post(f"{url}/check", data={**_answers(check, True, 2, learner), "part": "2"})
        html = client.get(url).get_data(as_text=True)
    assert "Passed" in html and "Yes, a explained." in html
    attempts = db.session.scalars(select(CheckAttempt).order_by(CheckAttempt.number)).all()
    assert [(a.number, a.score_percent, a.is_passed) for a in attempts] == [
        (1, 0, False), (2, 100, True)]
    assert learning.module_progress(learner, ruled).states[1].done
    # Passed, but the time and the statement are still missing: not complete.
    assert not learning.refresh_completion(learner, ruled)
    with clock.frozen_at(START + timedelta(minutes=5)):
        module_page = client.get("/learn/ruled").get_data(as_text=True)
    # Five minutes on the check page between the two tries count.
    assert "About 25 more minutes of this course." in module_page


def test_no_tries_left_means_no_pass(ruled, make_user):
    learner = make_user()
    check = ruled.steps[1]
    learning.start_module(learner, ruled)
    for _ in range(3):
        learning.record_check(learner, check, {})
    status = evidence.check_status(learner, check)
    assert status.remaining == 0 and not status.can_try and status.shows_answers
    with pytest.raises(evidence.DomainError, match="no tries left"):
        learning.record_check(learner, check, {})


def test_questions_are_drawn_from_the_pool_per_try(module_root, sync_root, make_user):
    write_module(module_root, "pool", [_check(pass_mark=60, draw=3,
                                              pool=[f"q{i}" for i in range(12)])])
    sync_root()
    check = learning.published_module("pool").steps[0]
    learner = make_user()
    tries = [evidence.drawn_questions(learner, check, n) for n in range(1, 6)]
    assert all(len(t) == 3 for t in tries)
    assert tries[0] == evidence.drawn_questions(learner, check, 1)  # stable for its try
    assert len({tuple(q["id"] for q in t) for t in tries}) > 1  # another set each try
    attempt = learning.record_check(learner, check, {f"q{i}": 0 for i in range(12)})
    assert attempt.total == 3 and attempt.correct == 3 and len(attempt.question_ids) == 3


def test_engaged_time_is_credited_by_the_server_once_per_person(client, auth, ruled,
                                                                make_user):
    learner = make_user()
    auth.login(learner)
    with clock.frozen_at(START):
        client.post("/learn/ruled/start")
        client.get("/learn/ruled/reading")
    # Two tabs beating every 30 seconds for ten minutes count ten minutes, not twenty.
    for beat in range(1, 21):
        for tab_offset in (0, 15):
            with clock.frozen_at(START + timedelta(seconds=30 * beat + tab_offset)):
                assert client.post("/learn/ruled/reading/engaged").status_code == 204
    assert evidence.engaged_seconds(learner.id, ruled.id) == 10 * 60 + 15
    # An hour idle (no beats) then a beat: at most a minute more.
    with clock.frozen_at(START + timedelta(hours=2)):
        client.post("/learn/ruled/reading/engaged")
    assert evidence.engaged_seconds(learner.id, ruled.id) == 11 * 60 + 15
    # Without scripts, the time between two step loads counts up to ten minutes.
    other = make_user()
    auth.logout()
    auth.login(other)
    with clock.frozen_at(START):
        client.post("/learn/ruled/start")
        client.get("/learn/ruled/reading")
    with clock.frozen_at(START + timedelta(minutes=4)):
        client.get("/learn/ruled/check")
    with clock.frozen_at(START + timedelta(hours=3)):
        client.get("/learn/ruled/reading")
    assert evidence.engaged_seconds(other.id, ruled.id) == 4 * 60 + 10 * 60


def test_completion_needs_every_rule_and_keeps_its_evidence(client, auth, ruled, make_user):
    learner = make_user(name="Amara Okafor")
    learner.licence_number = "MD-123456"
    db.session.commit()
    auth.login(learner)
    check = ruled.steps[1]
    with clock.frozen_at(START):
        client.post("/learn/ruled/start")
        client.post("/learn/ruled/reading/complete")
        client.post("/learn/ruled/check/check", data={**_answers(check, True, 1, learner),
                                                      "part": "1"})
        # The statement cannot be made before the time is spent.
        refused = client.post("/learn/ruled/attest", data={"confirm": "y"},
                              follow_redirects=True).get_data(as_text=True)
        assert "Finish every step and the time this course asks for first." in refused
        spend_time(client, "ruled", "reading", 30)
        page_html = client.get("/learn/ruled").get_data(as_text=True)
        assert "You have spent the time this course asks for." in page_html
        assert f"I, Amara Okafor, state: {STATEMENT}" in page_html
        unticked = client.post("/learn/ruled/attest", data={}, follow_redirects=True)
        assert "Tick the box" in unticked.get_data(as_text=True)
        assert db.session.scalar(select(func.count(ModuleCompletion.id))) == 0
    with clock.frozen_at(START + timedelta(minutes=31)):
        done = client.post("/learn/ruled/attest", data={"confirm": "y"}, follow_redirects=True)
    assert "You completed Ruled. Well done." in done.get_data(as_text=True)
    completion = db.session.scalar(select(ModuleCompletion))
    assert completion.score_percent == 100 and completion.engaged_minutes == 30
    assert completion.attested_at == START + timedelta(minutes=31)
    assert completion.rules == {"pass_marks": {"check": 80}, "minimum_minutes": 30,
                                "attestation": STATEMENT}
    certificate = db.session.scalar(select(Certificate))
    assert (certificate.score_percent, certificate.engaged_minutes,
            certificate.licence_number) == (100, 30, "MD-123456")
    pdf = client.get(f"/certificates/{certificate.id}.pdf").data
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for shown in ("Knowledge check score 100%", "engaged time recorded 30 minutes",
                  "attested by the learner on 4 May 2026", "MD-123456", "Provider:"):
        assert shown in text
    verify = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    for shown in ("100%", "30 minutes", "MD-123456", certificate.version):
        assert shown in verify


def test_rules_apply_to_the_version_that_introduced_them(module_root, sync_root, make_user,
                                                         client, auth):
    write_module(module_root, "evolving", [page("reading"), _check()])
    sync_root()
    module = learning.published_module("evolving")
    early = make_user(name="Early Learner")
    with clock.frozen_at(START):
        learning.start_module(early, module)
        learning.mark_step_done(early, module.steps[0])
        learning.record_check(early, module.steps[1], {"a": 1})  # 0 of 5 was enough then
        assert learning.refresh_completion(early, module)
        db.session.commit()
    write_module(module_root, "evolving", [page("reading"), _check(pass_mark=80)],
                 minimum_minutes=20)
    sync_root()
    module = learning.published_module("evolving")
    late = make_user()
    learning.start_module(late, module)
    learning.mark_step_done(late, module.steps[0])
    learning.record_check(late, module.steps[1], {"a": 1})
    assert not learning.refresh_completion(late, module)  # 0 of 5 no longer passes
    assert learning.enrollment_for(early.id, module.id).is_complete  # earlier one stands
    auth.login(early)
    transcript = client.get("/transcript").get_data(as_text=True)
    assert "Completed before this course set evidence rules" in transcript
