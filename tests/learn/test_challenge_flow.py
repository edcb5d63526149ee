"""Reflection challenges: drafts are never lost, submission happens once."""

from __future__ import annotations

from sqlalchemy import func, select

from lms.extensions import db
from lms.models import Enrollment, ModuleCompletion, Submission, SubmissionRevision

STEP = "/learn/identity-mapping/challenge"
REFLECTION = ("I can use the standing my role gives me to question who gets invited to "
              "planning meetings, and to make sure quieter colleagues are heard before "
              "decisions are made. I will ask whose voice is missing, share credit openly, "
              "and check the effect of our rota choices on colleagues with caring duties. "
              "I will also keep learning about experiences unlike my own.")

ROWS = {
    "p-identity_map-shown": "1",
    "p-identity_map-0-identity": "Woman",
    "p-identity_map-0-privilege_or_hardship": "Mostly hardship",
    "p-identity_map-0-how_it_shows_up": "Talked over in meetings.",
    "p-identity_map-1-identity": "White",
    "p-identity_map-1-privilege_or_hardship": "Mostly privilege",
    "p-identity_map-1-how_it_shows_up": "Rarely questioned by security.",
    "p-identity_map-2-identity": "First in family at university",
    "p-identity_map-2-privilege_or_hardship": "Both, depending on context",
    "p-identity_map-2-how_it_shows_up": "Unwritten rules took years to learn.",
}


def _draft(client, version, part=1, **fields):
    return client.post(f"{STEP}/draft", data={"draft_version": version, "part": part, **fields})


def _prompt_ids(app):
    from lms.services.learning.progress import published_module

    step = published_module("identity-mapping").steps[1]
    return [p["id"] for p in step.config["prompts"]]


def _submission(user):
    return db.session.scalar(select(Submission).where(Submission.user_id == user.id))


def test_learner_completes_identity_mapping(client, synced, make_user, auth, app):
    learner = make_user()
    auth.login(learner)
    assert client.post("/learn/identity-mapping/start").status_code == 302
    client.post("/learn/identity-mapping/how-the-challenges-work/complete")

    # Part 1: three identity rows, saved as a draft.
    assert _draft(client, 0, go="next", **ROWS).status_code == 302
    # The learner leaves mid-way and comes back: everything is still there.
    page = client.get(STEP).get_data(as_text=True)
    assert "First in family at university" in page
    assert "Rarely questioned by security." in page

    prompts = _prompt_ids(app)
    answers = {"p-intersections": "Gender and class together shape who is believed.",
               "p-catalyst_for_change": REFLECTION}
    version = 1
    for index, prompt_id in enumerate(prompts[1:], start=2):
        response = _draft(client, version, part=index, go="next",
                          **{f"p-{prompt_id}": answers.get(f"p-{prompt_id}", REFLECTION)})
        assert response.status_code == 302
        version += 1
    review = client.get(f"{STEP}?part={len(prompts) + 1}").get_data(as_text=True)
    assert "Review your answers" in review and "Unwritten rules took years to learn." in review

    done = client.post(f"{STEP}/submit", data={"draft_version": version})
    assert done.status_code == 302
    module_page = client.get("/learn/identity-mapping").get_data(as_text=True)
    assert "Completed" in module_page
    enrollment = db.session.scalar(select(Enrollment))
    completion = db.session.scalar(select(ModuleCompletion))
    assert enrollment.status == "completed"
    assert completion.content_hash == enrollment.module.content_hash
    rows = _submission(learner).revisions[0].answers["identity_map"]
    assert [r["identity"] for r in rows] == ["Woman", "White", "First in family at university"]


def test_double_submit_makes_one_revision(client, synced, make_user, auth):
    learner = make_user()
    auth.login(learner)
    client.post("/learn/identity-mapping/start")
    _draft(client, 0, **ROWS)
    _draft(client, 1, part=3, **{"p-catalyst_for_change": REFLECTION})
    first = client.post(f"{STEP}/submit", data={"draft_version": 2})
    again = client.post(f"{STEP}/submit", data={"draft_version": 2})
    assert first.status_code == 302 and again.status_code == 302
    assert db.session.scalar(select(func.count(SubmissionRevision.id))) == 1


def test_submitted_answers_are_read_only(client, synced, make_user, auth):
    learner = make_user()
    auth.login(learner)
    _draft(client, 0, **ROWS)
    _draft(client, 1, part=3, **{"p-catalyst_for_change": REFLECTION})
    client.post(f"{STEP}/submit", data={"draft_version": 2})
    response = _draft(client, 2, part=3, **{"p-catalyst_for_change": "changed afterwards"})
    assert response.status_code == 302  # refused with a message, not saved
    assert _submission(learner).answers["catalyst_for_change"] == REFLECTION
    page = client.get(STEP).get_data(as_text=True)
    assert "Your submitted answers" in page and "changed afterwards" not in page


def test_stale_draft_from_another_tab_is_refused_and_text_kept(client, synced, make_user, auth):
    learner = make_user()
    auth.login(learner)
    _draft(client, 0, part=3, **{"p-catalyst_for_change": "Written in the first tab."})
    older_tab = {"p-catalyst_for_change": "Typed in a second, older tab."}
    response = _draft(client, 0, part=3, **older_tab)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "changed in another tab" in page
    assert "Typed in a second, older tab." in page  # nothing typed is lost
    assert _submission(learner).answers["catalyst_for_change"] == "Written in the first tab."


def test_autosave_with_htmx_returns_the_saved_status(client, synced, make_user, auth):
    learner = make_user()
    auth.login(learner)
    response = client.post(f"{STEP}/draft", headers={"HX-Request": "true"}, data={
        "draft_version": 0, "part": 3, "p-catalyst_for_change": "A start."})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Draft saved" in body and 'value="1" data-hx-swap-oob="true"' in body


def test_too_long_and_too_short_answers_get_field_messages(client, synced, make_user, auth,
                                                           app):
    learner = make_user()
    auth.login(learner)
    limit = app.config["LMS_MAX_ANSWER_CHARS"]
    huge = "word " * (limit // 5 + 10)
    response = _draft(client, 0, part=3, **{"p-catalyst_for_change": huge})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "the limit is" in page and huge.strip()[:200] in page
    assert _submission(learner) is None  # nothing half-saved

    _draft(client, 0, **ROWS)
    _draft(client, 1, part=3, **{"p-catalyst_for_change": "Too short."})
    response = client.post(f"{STEP}/submit", data={"draft_version": 2})
    assert response.status_code == 422
    assert "Please write at least 50 words" in response.get_data(as_text=True)


def test_invalid_choice_is_refused_at_the_field(client, synced, make_user, auth):
    learner = make_user()
    auth.login(learner)
    response = _draft(client, 0, **{**ROWS, "p-identity_map-0-privilege_or_hardship": "Other"})
    assert response.status_code == 422
    assert "choose one of the options" in response.get_data(as_text=True)


def test_rows_can_be_added_and_removed_without_javascript(client, synced, make_user, auth):
    learner = make_user()
    auth.login(learner)
    _draft(client, 0, **{**ROWS, "add_row": "identity_map"})
    assert len(_submission(learner).answers["identity_map"]) == 4
    _draft(client, 1, **{**ROWS, "remove_row": "identity_map:0"})
    identities = [r["identity"] for r in _submission(learner).answers["identity_map"]]
    assert identities == ["White", "First in family at university"]


def test_reflection_pages_are_not_cached_and_text_not_in_urls(client, synced, make_user, auth):
    learner = make_user()
    auth.login(learner)
    response = _draft(client, 0, part=3, **{"p-catalyst_for_change": "Private words"})
    assert "Private" not in response.headers["Location"]
    page = client.get(STEP + "?part=3")
    assert page.headers["Cache-Control"] == "no-store"


def test_private_choice_is_kept_where_allowed(client, synced, make_user, auth):
    learner = make_user()
    auth.login(learner)
    _draft(client, 0, **ROWS)
    _draft(client, 1, part=3, **{"p-catalyst_for_change": REFLECTION})
    client.post(f"{STEP}/submit", data={"draft_version": 2, "keep_private": "y"})
    assert _submission(learner).is_private is True


def test_the_introduction_is_in_full_on_the_first_part_and_folded_on_the_others(
        client, synced, make_user, auth):
    auth.login(make_user())
    client.post("/learn/identity-mapping/start")
    intro = "challenge-intro"
    first = client.get(STEP).get_data(as_text=True)
    second = client.get(f"{STEP}?part=2").get_data(as_text=True)
    opening = first.split('<div class="prose">', 1)[1].split("</div>", 1)[0].strip()[:60]
    assert opening and intro not in first
    # the same text, inside a closed <details> that comes before the part's field
    folded = second.split(f'<details class="card {intro}">', 1)[1].split("</details>", 1)[0]
    assert "<summary>Introduction</summary>" in folded and opening in folded
    assert second.index(intro) < second.index('class="challenge-form')
