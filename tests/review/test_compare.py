"""What changed between two revisions, prompt by prompt, shown without relying on colour."""

from __future__ import annotations

from lms.extensions import db
from lms.services.learning import challenges
from lms.services.reviews import review as reviews
from lms.services.reviews.review import Segment, compare_answers, diff_text
from tests.review.conftest import challenge_step

ROWS_PROMPT = {"id": "map", "type": "rows", "label": "Map", "columns": [
    {"id": "identity", "label": "Identity", "type": "short_text"},
    {"id": "note", "label": "Note", "type": "long_text"}]}


def test_word_level_text_diff():
    assert diff_text("I will ask whose voice is missing.",
                     "I will ask, every week, whose voice is missing.") == [
        Segment("equal", "I will "), Segment("delete", "ask"),
        Segment("insert", "ask, every week,"), Segment("equal", " whose voice is missing.")]
    assert diff_text("same", "same") == [Segment("equal", "same")]
    assert diff_text("", "new") == [Segment("insert", "new")]


def test_rows_added_removed_and_changed():
    old = [{"identity": "Woman", "note": "Talked over."},
           {"identity": "White", "note": "Rarely questioned."}]
    new = [{"identity": "Woman", "note": "Talked over in meetings."},
           {"identity": "First in family", "note": "Learned rules late."}]
    [change] = compare_answers([ROWS_PROMPT], {"map": old}, {"map": new})
    assert change.change == "changed"
    assert [r.change for r in change.rows] == ["changed", "removed", "added"]
    assert change.rows[0].cells[1] == [Segment("equal", "Talked "),
                                       Segment("delete", "over."),
                                       Segment("insert", "over in meetings.")]
    unchanged = compare_answers([ROWS_PROMPT], {"map": old}, {"map": old})[0]
    assert unchanged.change == "unchanged"


def test_choices_and_missing_answers():
    prompts = [
        {"id": "pick", "type": "single_choice", "label": "Pick", "options": ["A", "B"]},
        {"id": "many", "type": "multi_choice", "label": "Many", "options": ["x", "y", "z"]},
        {"id": "later", "type": "long_text", "label": "Later"},
        {"id": "gone", "type": "long_text", "label": "Gone"},
    ]
    changes = compare_answers(prompts, {"pick": "A", "many": ["x", "y"], "gone": "Old"},
                              {"pick": "B", "many": ["y", "z"], "later": "New"})
    assert [c.change for c in changes] == ["changed", "changed", "added", "removed"]
    assert (changes[0].before, changes[0].after) == ("A", "B")
    assert (changes[1].added, changes[1].removed, changes[1].kept) == (["z"], ["x"], ["y"])


def test_compare_page_shows_rows_with_their_change(app, synced, people, submit, client_for):
    goals = [{"goal_or_value": "Safe patient care"}]
    submission = submit(people.learner, "us-vs-them", answers={"shared_goals": goals})
    reviews.decide(people.mentor, submission, submission.revisions[0], decision="revise",
                   improve="Name one more shared goal.")
    db.session.commit()
    challenges.submit(people.learner, challenge_step("us-vs-them"), {
        "shared_goals": [*goals, {"goal_or_value": "Respect for every role"}]},
        expected_version=None)
    db.session.commit()
    mentor = client_for(people.mentor)
    html = mentor.get(f"/review/submissions/{submission.id}/compare?from=1&to=2"
                      ).get_data(as_text=True)
    assert '<th scope="row">Added</th>' in html and '<th scope="row">Unchanged</th>' in html
    assert "Respect for every role" in html
    prompts = len(challenge_step("us-vs-them").config["prompts"])
    assert f"1 of {prompts} answers changed" in html
    bad = mentor.get(f"/review/submissions/{submission.id}/compare?from=2&to=2")
    assert bad.status_code == 422
    assert "Choose two different revisions." in bad.get_data(as_text=True)
    assert mentor.get(f"/review/submissions/{submission.id}/compare?from=9").status_code == 422


def test_one_revision_has_nothing_to_compare(app, client, auth, synced, people, submit):
    submission = submit(people.learner)
    auth.login(people.learner)
    page = client.get(f"/review/submissions/{submission.id}/compare")
    assert page.status_code == 200
    assert "nothing to compare yet" in page.get_data(as_text=True)
    assert reviews.revision_pair  # the service is the one the page uses
