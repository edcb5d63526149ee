"""`flask modules validate` names every problem with file and line, and changes nothing."""

from __future__ import annotations

from pathlib import Path

from flask_babel import force_locale
from sqlalchemy import func, select

from lms.content.schema import read_modules
from lms.extensions import db
from lms.models import Module
from tests.content_helpers import page, write_module

BROKEN_YAML = """\
slug: broken
title: Broken module
steps:
  - slug: intro
    kind: page
    title: Intro
    body: intro.md
  - slug: odd
    kind: podcast
    title: A kind we do not have
  - slug: intro
    kind: video
    title: Missing url and transcript
"""


def _errors(root: Path) -> list[str]:
    return [str(e) for e in read_modules(root).errors]


def test_the_shipped_modules_are_valid(app):
    result = read_modules(Path(app.config["LMS_MODULES_DIR"]))
    assert result.errors == []
    slugs = {m.slug for m in result.modules}
    assert {"implicit-bias-foundations", "inclusive-allyship", "identity-mapping",
            "equity-impact", "power-dynamics", "us-vs-them", "empathy-circle",
            "psychological-safety", "disability-and-allyship"} <= slugs


def test_errors_carry_file_and_line(tmp_path):
    folder = tmp_path / "modules" / "broken"
    folder.mkdir(parents=True)
    (folder / "module.yaml").write_text(BROKEN_YAML)
    errors = _errors(tmp_path / "modules")
    assert "modules/broken/module.yaml:7: step 1 ('intro'): file not found: intro.md" in errors
    assert any(e.startswith("modules/broken/module.yaml:9: ") and "unknown step kind 'podcast'"
               in e for e in errors)
    assert any(e.startswith("modules/broken/module.yaml:11: ") and
               "duplicate step slug 'intro'" in e for e in errors)
    assert any(e.startswith("modules/broken/module.yaml:11: ") and
               "missing required field 'url'" in e for e in errors)


def test_bad_yaml_reports_its_line(tmp_path):
    folder = tmp_path / "modules" / "bad"
    folder.mkdir(parents=True)
    (folder / "module.yaml").write_text("slug: bad\ntitle: [unclosed\nsteps: []\n")
    errors = _errors(tmp_path / "modules")
    assert len(errors) == 1
    assert errors[0].startswith("modules/bad/module.yaml:3: bad YAML")


def test_missing_fields_and_broken_prerequisites(tmp_path):
    root = tmp_path / "modules"
    write_module(root, "first", [page("intro")], prerequisites=["does-not-exist"])
    (root / "second").mkdir()
    (root / "second" / "module.yaml").write_text("slug: second\nsteps:\n  - kind: page\n")
    errors = _errors(root)
    assert any("first/module.yaml" in e and "prerequisite 'does-not-exist' is not a module" in e
               for e in errors)
    assert "modules/second/module.yaml:1: missing required field 'title'" in errors
    assert any(e.startswith("modules/second/module.yaml:3: ") and
               "missing required field 'title'" in e for e in errors)


def test_slug_must_match_folder_and_be_unique(tmp_path):
    root = tmp_path / "modules"
    write_module(root, "alpha", [page("intro")])
    write_module(root, "beta", [page("intro")], slug="alpha")
    errors = _errors(root)
    assert any("beta/module.yaml:1" in e and "must match the folder name" in e for e in errors)


def test_prerequisite_cycles_are_refused(tmp_path):
    root = tmp_path / "modules"
    write_module(root, "one", [page("intro")], prerequisites=["two"])
    write_module(root, "two", [page("intro")], prerequisites=["one"])
    result = read_modules(root)
    assert result.modules == []
    assert sum("cycle" in str(e) for e in result.errors) == 2


def test_validate_command_changes_nothing_and_exits_non_zero(app, runner, tmp_path):
    folder = tmp_path / "modules" / "broken"
    folder.mkdir(parents=True)
    (folder / "module.yaml").write_text(BROKEN_YAML)
    result = runner.invoke(args=["modules", "validate", "--path", str(tmp_path / "modules")])
    assert result.exit_code == 1
    assert "module.yaml:9:" in result.output
    assert db.session.scalar(select(func.count(Module.id))) == 0


def test_validate_command_passes_on_shipped_content(runner):
    result = runner.invoke(args=["modules", "validate"])
    assert result.exit_code == 0, result.output
    assert "0 problem(s)" in result.output


RULES_YAML = """\
slug: rules
title: Bad rules
minimum_minutes: -5
attestation: ""
steps:
  - slug: intro
    kind: page
    title: Intro
    body: intro.md
  - slug: check
    kind: check
    title: Check
    pass_mark: 150
    attempts: 0
    feedback: sometimes
    draw: 4
    questions:
      - id: one
        prompt: One?
        options:
          - {text: "Yes", correct: true}
          - {text: "No"}
      - id: two
        prompt: Two?
        options:
          - {text: "Yes", correct: true}
          - {text: "No"}
  - slug: check-two
    kind: check
    title: Attempts alone
    attempts: 2
    questions:
      - id: one
        prompt: One?
        options:
          - {text: "Yes", correct: true}
          - {text: "No"}
"""


def test_bad_completion_rules_are_refused_with_file_and_line(app, runner, tmp_path):
    folder = tmp_path / "modules" / "rules"
    folder.mkdir(parents=True)
    (folder / "module.yaml").write_text(RULES_YAML)
    (folder / "intro.md").write_text("Hello\n")
    errors = _errors(tmp_path / "modules")
    where = "modules/rules/module.yaml"
    assert f"{where}:3: 'minimum_minutes' must be a whole number ≥ 0" in errors
    assert f"{where}:4: 'attestation' must be non-empty text" in errors
    assert f"{where}:13: step 2 ('check'): 'pass_mark' is a percentage from 1 to 100" in errors
    assert f"{where}:14: step 2 ('check'): 'attempts' must be a whole number ≥ 1" in errors
    assert any(e.startswith(f"{where}:15: ") and "'feedback' must be one of each_try, "
               "when_done" in e for e in errors)
    assert (f"{where}:16: step 2 ('check'): 'draw' asks for 4 questions but the pool has 2"
            in errors)
    assert f"{where}:31: step 3 ('check-two'): 'attempts' needs a 'pass_mark'" in errors
    (folder / "module.yaml").write_text(RULES_YAML.replace("minimum_minutes: -5",
                                                          "minimum_minutes: 5000"))
    assert f"{where}:3: 'minimum_minutes' must be at most 1440 (one day)" in _errors(
        tmp_path / "modules")
    result = runner.invoke(args=["modules", "validate", "--path", str(tmp_path / "modules")])
    assert result.exit_code == 1
    assert "module.yaml:13:" in result.output and "pass_mark" in result.output
    assert db.session.scalar(select(func.count(Module.id))) == 0


def test_problems_are_written_in_the_readers_language(app, tmp_path):
    folder = tmp_path / "modules" / "broken"
    folder.mkdir(parents=True)
    (folder / "module.yaml").write_text(BROKEN_YAML)
    with force_locale("es"):
        messages = [e.message for e in read_modules(tmp_path / "modules").errors]
    assert "paso 2 ('odd'): tipo de paso desconocido 'podcast' (use uno de estos: " \
           "page, video, challenge, check, survey, live, plan)" in messages
    assert "paso 3 ('intro'): falta el campo obligatorio 'url'" in messages


def test_the_validate_command_speaks_english_whatever_the_default_language(app, runner,
                                                                          tmp_path):
    app.config["BABEL_DEFAULT_LOCALE"] = "es"
    folder = tmp_path / "modules" / "broken"
    folder.mkdir(parents=True)
    (folder / "module.yaml").write_text(BROKEN_YAML)
    result = runner.invoke(args=["modules", "validate", "--path", str(tmp_path / "modules")])
    assert "step 3 ('intro'): missing required field 'url'" in result.output
    assert "duplicate step slug 'intro'" in result.output
    assert "falta" not in result.output
