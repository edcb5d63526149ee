"""Training content in more than one language: module.<language>.yaml beside module.yaml."""

from __future__ import annotations

import shutil
from pathlib import Path

from lms.content.schema import read_modules
from lms.content.sync import sync_modules
from lms.extensions import db
from lms.services.learning import progress as learning

SHIPPED = Path(__file__).resolve().parents[2] / "modules" / "identity-mapping"


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "modules"
    shutil.copytree(SHIPPED, root / "identity-mapping")
    return root


def test_a_translation_must_keep_the_steps_and_prompts_of_the_original(tmp_path):
    root = _copy(tmp_path)
    translation = root / "identity-mapping" / "module.es.yaml"
    text = translation.read_text(encoding="utf-8")
    translation.write_text(text.replace("  - id: intersections\n", "  - id: cruces\n")
                           .replace("- slug: how-the-challenges-work\n",
                                    "- slug: como-funcionan\n"), encoding="utf-8")
    result = read_modules(root)
    assert result.modules == []
    errors = [str(error) for error in result.errors]
    assert any(e.startswith("modules/identity-mapping/module.es.yaml:15: ") and
               "step 'como-funcionan' must have the same slug, kind, prompts" in e
               for e in errors), errors
    assert any(e.startswith("modules/identity-mapping/module.es.yaml:19: ") and
               "step 'challenge' must have the same" in e for e in errors), errors


def test_a_translation_is_checked_like_the_original(tmp_path):
    root = _copy(tmp_path)
    (root / "identity-mapping" / "identity-mapping.es.md").unlink()
    errors = [str(error) for error in read_modules(root).errors]
    assert any(e.startswith("modules/identity-mapping/module.es.yaml:") and
               "file not found: identity-mapping.es.md" in e for e in errors), errors


def test_the_player_shows_the_learners_language_and_falls_back_to_the_original(
        app, client, auth, make_user, tmp_path):
    root = _copy(tmp_path)
    assert not sync_modules(root).errors
    db.session.commit()
    module = learning.published_module("identity-mapping")
    assert module.translations["es"]["title"] == "Reto del mapa de identidades"
    learner = make_user()
    learner.locale = "es"
    db.session.commit()
    auth.login(learner)
    client.post("/learn/identity-mapping/start")
    page = client.get("/learn/identity-mapping/challenge").get_data(as_text=True)
    assert "<h1>Reto del mapa de identidades</h1>" in page
    assert "La interseccionalidad, en pocas palabras" in page
    assert "Su mapa de identidades" in page
    # Answers keep the original's words; the option is labelled in the learner's language.
    assert '<option value="Mostly privilege">Sobre todo privilegio</option>' in page
    assert "Intersectionality in brief" not in page

    learner.locale = "en"
    db.session.commit()
    page = client.get("/learn/identity-mapping/challenge").get_data(as_text=True)
    assert "<h1>Identity Mapping Challenge</h1>" in page and "Intersectionality in brief" in page

    # A language the module has no translation for shows the original.
    (root / "identity-mapping" / "module.es.yaml").unlink()
    assert not sync_modules(root).errors
    db.session.commit()
    learner.locale = "es"
    db.session.commit()
    page = client.get("/learn/identity-mapping/challenge").get_data(as_text=True)
    assert "<h1>Identity Mapping Challenge</h1>" in page and "Guardar borrador" in page
