"""Saving a draft: the conditional UPDATE refuses a save that another one overtook since
the draft was loaded, the save reads back what it stored, and each learner's draft goes
into their own submission."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import Step, Submission, User
from lms.services.learning import challenges, coauthoring
from lms.services.learning import progress as learning
from tests.db import on_postgres

FIRST_TAB = {"catalyst_for_change": "Written in the first tab."}


@pytest.fixture
def app_config() -> dict:
    """A pool for two saves at once, and a generous SQLite busy timeout."""
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 4, "pool_timeout": 60,
                                          "connect_args": {"timeout": 60}}
            if not on_postgres() else {"pool_size": 4, "pool_timeout": 60}}


def _challenge(slug: str = "identity-mapping"):
    module = learning.published_module(slug)
    return module, next(s for s in module.steps if s.kind == "challenge")


def _stored(submission_id: int) -> tuple[dict, int]:
    row = db.session.execute(select(Submission.answers, Submission.draft_version).where(
        Submission.id == submission_id)).one()
    return row.answers, row.draft_version


def test_a_save_overtaken_since_the_draft_was_loaded_is_refused(synced, make_user):
    learner = make_user()
    _module, step = _challenge()
    challenges.save_draft(learner, step, FIRST_TAB, 0)
    db.session.commit()
    loaded = challenges.submission_for(learner, step)
    assert loaded.draft_version == 1
    # Another tab saves after this request loaded the draft (past its loaded copy).
    db.session.execute(Submission.__table__.update().where(Submission.id == loaded.id)
                       .values(answers={"catalyst_for_change": "The other tab."},
                               draft_version=2))

    with pytest.raises(challenges.StaleDraft):
        challenges.save_draft(learner, step, {"intersections": "This tab."}, None)

    assert _stored(loaded.id) == ({"catalyst_for_change": "The other tab."}, 2)


def test_a_save_returns_what_it_stored(synced, make_user):
    learner = make_user()
    _module, step = _challenge()
    challenges.save_draft(learner, step, FIRST_TAB, 0)
    db.session.commit()

    saved = challenges.save_draft(learner, step, {"intersections": "More."}, 1)

    assert (saved.answers, saved.draft_version) == _stored(saved.id)
    assert saved.answers == {**FIRST_TAB, "intersections": "More."}
    assert saved.saved_at is not None


def test_autosave_keeps_drafts_apart_between_learners(synced, client, auth, make_user):
    first, second = make_user(), make_user()
    url = "/learn/identity-mapping/challenge/draft"
    for learner, text in ((first, "First learner's words."), (second, "Second's words.")):
        auth.login(learner)
        response = client.post(url, headers={"HX-Request": "true"},
                               data={"part": 3, "p-catalyst_for_change": text})
        assert "Draft saved" in response.get_data(as_text=True)
        auth.logout()
    _module, step = _challenge()
    assert challenges.submission_for(first, step).answers == {
        "catalyst_for_change": "First learner's words."}
    assert challenges.submission_for(second, step).answers == {
        "catalyst_for_change": "Second's words."}


def test_a_group_draft_lists_its_co_authors_and_invitations_on_the_review_part(
        synced, client, auth, make_user):
    learner = make_user()
    coauthor = make_user(email="coauthor@example.edu")
    _module, step = _challenge("us-vs-them")
    draft = challenges.save_draft(learner, step, {}, 0)
    draft.coauthors.append(coauthor)
    coauthoring.invite(draft, learner, ["invited@example.edu"])
    db.session.commit()
    auth.login(learner)

    page = client.get(f"/learn/us-vs-them/{step.slug}?part={len(step.config['prompts']) + 1}")

    field = page.get_data(as_text=True).split('name="coauthors"')[1].split("</textarea>")[0]
    assert field.split(">", 1)[1].split() == ["coauthor@example.edu", "invited@example.edu"]


@pytest.mark.commits  # threads with their own connections must see the rows
def test_two_saves_of_one_draft_at_once_one_wins_and_the_other_is_refused(app, synced,
                                                                          make_user):
    learner = make_user()
    _module, step = _challenge()
    first = challenges.save_draft(learner, step, FIRST_TAB, 0)
    db.session.commit()
    ids, submission_id = (learner.id, step.id), first.id
    both_loaded = threading.Barrier(2)
    results: dict[str, object] = {}

    def save(text: str) -> None:
        with app.app_context():
            try:
                user, at = db.session.get(User, ids[0]), db.session.get(Step, ids[1])
                loaded = challenges.submission_for(user, at)  # both read version 1 first
                both_loaded.wait(timeout=30)
                challenges.save_draft(user, at, {"catalyst_for_change": text},
                                      loaded.draft_version)  # what each page sends
                db.session.commit()
                results[text] = "saved"
            except Exception as error:  # the refused save, checked below
                db.session.rollback()
                results[text] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(text,)) for text in ("Tab A.", "Tab B.")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    saved = [text for text, result in results.items() if result == "saved"]
    refused = [result for result in results.values() if result != "saved"]
    assert len(saved) == 1 and len(refused) == 1, results
    assert isinstance(refused[0], challenges.StaleDraft)
    db.session.expire_all()
    assert _stored(submission_id) == ({"catalyst_for_change": saved[0]}, 2)


def test_a_saved_draft_makes_only_its_authors_kept_pages_stale(synced, make_user):
    from lms.services import personal_cache

    learner, other = make_user(), make_user()
    _module, step = _challenge()
    challenges.save_draft(learner, step, FIRST_TAB, 0)
    db.session.commit()
    before = personal_cache.generation(learner.id), personal_cache.generation(other.id)

    challenges.save_draft(learner, step, {"intersections": "More."}, 1)
    db.session.commit()

    after = personal_cache.generation(learner.id), personal_cache.generation(other.id)
    assert after[0] != before[0]  # the author's pages
    assert after[1] == before[1]  # nobody else's: not everyone's generation
