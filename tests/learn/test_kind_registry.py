"""A new step kind is one definition, its player template and, if it wants one, a studio
template: a throwaway "pledge" kind, registered here and nowhere else, validates, plays,
takes an answer, completes, and is added, edited and previewed in the studio."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from jinja2 import ChoiceLoader, FileSystemLoader
from sqlalchemy import select

from lms.content.kinds import KINDS, StepKind, Visit
from lms.content.kinds.editor import Editor, Field
from lms.content.schema import read_modules
from lms.extensions import db
from lms.models import Enrollment, ModuleDraft, StepProgress
from lms.services.studio import drafts
from tests.studio.test_studio import csrf

PLEDGE_TEMPLATE = """\
<p class="pledge">{{ promise }}</p>
{% if state.done %}<p>You made this pledge.</p>
{% else %}
<form method="post" action="{{ url_for('learn.answer', slug=module.slug, step_slug=step.slug) }}">
  {% if missing is defined and missing %}<p class="error">Sign with your name.</p>{% endif %}
  <label for="pledge-name">Your name</label>
  <input id="pledge-name" name="pledge-name">
  <button type="submit">I pledge</button>
</form>
{% endif %}
"""


def check(c, s, where: str) -> dict[str, Any]:
    return {"statement": c.text(s, "statement", required=True, where=where)}


def read(visit: Visit, form) -> tuple[dict[str, Any], list[str]]:
    name = form.get("pledge-name", "").strip()
    return ({"name": name}, []) if name else ({}, ["name"])


def context(visit: Visit) -> dict[str, Any]:
    return {"promise": visit.step.config["statement"]}


PLEDGE_STUDIO_TEMPLATE = """\
<p class="pledge-hint">Learners sign the pledge with their name.</p>
"""

PLEDGE = StepKind("pledge", frozenset({"statement"}), check, label="Pledge", read=read,
                  context=context, editor=Editor(
                      fields=(Field("statement", "What learners promise",
                                    hint="One sentence.", start="I will listen first."),),
                      template="studio/_kind_pledge.html"))


@pytest.fixture
def pledge_kind(app, monkeypatch, tmp_path):
    """The pledge kind in the registry and its player partial in a template folder of
    its own, both for this test only."""
    folder = tmp_path / "templates" / "learn"
    folder.mkdir(parents=True)
    (folder / "_step_pledge.html").write_text(PLEDGE_TEMPLATE)
    (tmp_path / "templates" / "studio").mkdir()
    (tmp_path / "templates" / "studio" / "_kind_pledge.html").write_text(PLEDGE_STUDIO_TEMPLATE)
    monkeypatch.setitem(KINDS, "pledge", PLEDGE)
    monkeypatch.setattr(app.jinja_env, "loader", ChoiceLoader([
        FileSystemLoader(str(tmp_path / "templates")), app.jinja_env.loader]))
    return PLEDGE


def pledge_module(root, statement: str | None = "I will listen before I speak.") -> None:
    folder = root / "pledge-module"
    folder.mkdir(parents=True, exist_ok=True)
    step = {"slug": "promise", "kind": "pledge", "title": "Our pledge"}
    if statement is not None:
        step["statement"] = statement
    (folder / "module.yaml").write_text(yaml.safe_dump({
        "slug": "pledge-module", "title": "Pledge module", "summary": "One pledge.",
        "estimated_minutes": 5, "steps": [step]}, sort_keys=False))


def errors_of(root) -> list[str]:
    return [str(e) for e in read_modules(root).errors]


def test_the_validator_knows_a_kind_only_from_the_registry(module_root, monkeypatch,
                                                           tmp_path, app):
    pledge_module(module_root)
    assert any("unknown step kind 'pledge'" in e for e in errors_of(module_root))
    monkeypatch.setitem(KINDS, "pledge", PLEDGE)
    assert errors_of(module_root) == []
    pledge_module(module_root, statement=None)
    assert any("statement" in e for e in errors_of(module_root))
    pledge_module(module_root)
    (module_root / "pledge-module" / "module.yaml").write_text(
        (module_root / "pledge-module" / "module.yaml").read_text().replace(
            "statement:", "pledge_text:"))
    assert any("pledge_text" in e for e in errors_of(module_root))


def test_a_new_kind_plays_takes_an_answer_and_completes(pledge_kind, module_root, sync_root,
                                                        client, make_user, auth):
    pledge_module(module_root)
    sync_root()
    learner = make_user(roles=("learner",))
    auth.login(learner)
    client.post("/learn/pledge-module/start")
    page = client.get("/learn/pledge-module/promise").get_data(as_text=True)
    assert '<p class="pledge">I will listen before I speak.</p>' in page
    assert 'action="/learn/pledge-module/promise/answer"' in page

    refused = client.post("/learn/pledge-module/promise/answer", data={"pledge-name": " "})
    assert refused.status_code == 422
    assert "Sign with your name." in refused.get_data(as_text=True)
    assert db.session.scalar(select(StepProgress)) is None

    taken = client.post("/learn/pledge-module/promise/answer", data={"pledge-name": "Ada"})
    assert taken.status_code == 302 and taken.headers["Location"].endswith(
        "/learn/pledge-module")
    record = db.session.scalar(select(StepProgress).where(StepProgress.user_id == learner.id))
    assert record.data == {"name": "Ada"}
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == learner.id))
    assert enrollment.is_complete
    assert "You completed Pledge module." in client.get(
        "/learn/pledge-module").get_data(as_text=True)
    assert "You made this pledge." in client.get(
        "/learn/pledge-module/promise").get_data(as_text=True)


def test_a_kind_without_answers_refuses_one(pledge_kind, module_root, sync_root, client,
                                            make_user, auth, monkeypatch):
    monkeypatch.setitem(KINDS, "pledge", StepKind("pledge", PLEDGE.keys, check,
                                                  label="Pledge", context=context))
    pledge_module(module_root)
    sync_root()
    auth.login(make_user(roles=("learner",)))
    client.post("/learn/pledge-module/start")
    assert client.post("/learn/pledge-module/promise/answer",
                       data={"pledge-name": "Ada"}).status_code == 400


def test_the_studio_previews_a_new_kind(pledge_kind, client, make_user, auth):
    author = make_user(roles=("author",))
    draft = drafts.create_draft(author, slug="pledge-module", title="Pledge module")
    drafts.replace_files(draft, author, {"module.yaml": yaml.safe_dump({
        "slug": "pledge-module", "title": "Pledge module", "summary": "One pledge.",
        "estimated_minutes": 5, "steps": [{"slug": "promise", "kind": "pledge",
                                           "title": "Our pledge",
                                           "statement": "I will listen first."}]},
        sort_keys=False)})
    db.session.commit()
    auth.login(author)
    page = client.get(f"/studio/{draft.id}/preview/promise").get_data(as_text=True)
    assert '<p class="pledge">I will listen first.</p>' in page
    assert f'action="/studio/{draft.id}/preview/promise"' in page


def test_the_studio_adds_and_edits_a_new_kind(pledge_kind, client, make_user, auth):
    auth.login(make_user(roles=("author",)))
    client.post("/studio/new", data={"csrf_token": csrf(client, "/studio/"),
                                     "title": "Pledge module", "slug": "pledge-module"})
    draft = db.session.scalar(select(ModuleDraft))
    editor = client.get(f"/studio/{draft.id}").get_data(as_text=True)
    assert '<option value="pledge">Pledge</option>' in editor
    added = client.post(f"/studio/{draft.id}/steps", data={
        "csrf_token": csrf(client, f"/studio/{draft.id}"), "kind": "pledge"})
    assert added.status_code == 302
    assert drafts.step_at(draft, 0) == {"slug": "pledge-1", "kind": "pledge",
                                        "title": "New pledge",
                                        "statement": "I will listen first."}

    url = f"/studio/{draft.id}/steps/0"
    page = client.get(url).get_data(as_text=True)
    assert '<label for="statement">What learners promise</label>' in page
    assert 'value="I will listen first."' in page
    assert '<p class="pledge-hint">Learners sign the pledge with their name.</p>' in page

    # The kind's own check validates what the studio stored.
    client.post(url, data={"csrf_token": csrf(client, url), "title": "Our pledge",
                           "slug": "promise", "statement": "  "})
    assert drafts.step_at(draft, 0)["statement"] == ""
    assert "<li>&#39;statement&#39; must be non-empty text</li>" in client.get(
        url).get_data(as_text=True)

    saved = client.post(url, data={"csrf_token": csrf(client, url), "title": "Our pledge",
                                   "slug": "promise", "statement": " I will speak up. "})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(
        f"/studio/{draft.id}#step-0")
    assert drafts.step_at(draft, 0) == {"slug": "promise", "kind": "pledge",
                                        "title": "Our pledge", "statement": "I will speak up."}
    assert drafts.validate(draft).errors == []
    assert '<p class="pledge">I will speak up.</p>' in client.get(
        f"/studio/{draft.id}/preview/promise").get_data(as_text=True)
