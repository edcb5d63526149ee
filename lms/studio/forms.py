"""Forms of the studio. A step's kind-specific fields are read by ``read_step`` from the
posted form; what they may hold is checked by the module validator, not here."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from lms.content.kinds import KINDS
from lms.content.kinds.prompts import PROMPT_TYPES
from lms.formtools import choices


class CsrfForm(FlaskForm):
    """Only the CSRF token: the fields are read from the posted form."""

    class Meta:  # a plain form: no fields beyond the token
        pass


class NewModuleForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    slug = StringField(_l("Short name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("Lowercase words joined by hyphens, e.g. bias-basics. "
                                      "It is the module's address and folder name."))
    submit = SubmitField(_l("Create module"))


class MetadataForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    summary = TextAreaField(_l("Summary"), validators=[Length(max=2000)])
    topics = StringField(_l("Topics"), description=_l("Separated by commas."))
    estimated_minutes = StringField(_l("Estimated minutes"))
    audience = StringField(_l("Audience"), validators=[Length(max=300)])
    prerequisites = StringField(_l("Prerequisites"),
                                description=_l("Short names of modules to finish first, "
                                               "separated by commas."))
    pacing = SelectField(_l("Pacing"), choices=choices([
        ("self-paced", _l("Self-paced")), ("spaced", _l("Spaced (steps unlock after days)"))]))
    certificate = BooleanField(_l("Completing it earns a certificate"))
    standard = StringField(_l("Standard it meets"), validators=[Length(max=300)])
    submit = SubmitField(_l("Save details"))

    def values(self) -> dict[str, Any]:
        """The module.yaml fields, as the validator expects them."""
        minutes = (self.estimated_minutes.data or "").strip()
        return {
            "title": self.title.data.strip(),
            "summary": (self.summary.data or "").strip(),
            "topics": _commas(self.topics.data),
            "estimated_minutes": int(minutes) if minutes.isdigit() else (minutes or None),
            "audience": (self.audience.data or "").strip(),
            "prerequisites": _commas(self.prerequisites.data),
            "pacing": self.pacing.data if self.pacing.data != "self-paced" else None,
            "certificate": bool(self.certificate.data),
            "standard": (self.standard.data or "").strip(),
        }

    def fill(self, data: dict[str, Any]) -> None:
        self.title.data = data.get("title", "")
        self.summary.data = data.get("summary", "")
        self.topics.data = ", ".join(map(str, data.get("topics") or []))
        self.estimated_minutes.data = str(data.get("estimated_minutes") or "")
        self.audience.data = data.get("audience", "")
        self.prerequisites.data = ", ".join(map(str, data.get("prerequisites") or []))
        self.pacing.data = data.get("pacing", "self-paced")
        self.certificate.data = bool(data.get("certificate"))
        self.standard.data = data.get("standard", "")


class AddStepForm(FlaskForm):
    kind = SelectField(_l("Kind of step"),
                       choices=choices((k.name, k.label) for k in KINDS.values()))
    submit = SubmitField(_l("Add step"))


class PublishForm(FlaskForm):
    confirm = BooleanField(_l("Publish even though earlier answers lose their prompt in the "
                              "new version (they stay readable with their original prompts)"))
    submit = SubmitField(_l("Publish a new version"))


class ImportForm(FlaskForm):
    archive = FileField(_l("Module zip"), description=_l("A zip exported from the studio, or a "
                                                     "module folder of module.yaml and "
                                                     "Markdown."))
    submit = SubmitField(_l("Import"))


class ImageForm(FlaskForm):
    image = FileField(_l("Image"), description=_l("PNG, JPEG, GIF or WebP, at most 2 MB."))
    submit = SubmitField(_l("Upload image"))


# --- reading a step's fields -------------------------------------------------------------

def _commas(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def _lines(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").replace("\r\n", "\n").split("\n") if t.strip()]


def _number(text: str | None) -> Any:
    """A whole number when it is one; the text otherwise, so the validator names it."""
    text = (text or "").strip()
    if not text:
        return None
    return int(text) if re.fullmatch(r"\d{1,9}", text) else text


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value not in (None, "", [], False):
        target[key] = value


def _markdown(form: MultiDict, field: str, name: str, markdown: dict[str, str],
              step: dict[str, Any]) -> None:
    text = form.get(field, "")
    if text.strip():
        markdown[name] = text.replace("\r\n", "\n").rstrip("\n") + "\n"
        step[field] = name


def _indexed(form: MultiDict, prefix: str) -> list[int]:
    count = form.get(f"{prefix}_count", "0")
    return list(range(int(count))) if count.isdigit() and int(count) <= 100 else []


def _rearrange(items: list, form: MultiDict, name: str, blank: dict[str, Any]) -> None:
    """The add, remove and move buttons of a repeatable part (they are submit buttons)."""
    if form.get(f"add_{name}"):
        items.append(dict(blank))
    remove = form.get(f"remove_{name}", "")
    if remove.isdigit() and int(remove) < len(items):
        items.pop(int(remove))
    index, _, direction = form.get(f"move_{name}", "").partition(":")
    if index.isdigit() and int(index) < len(items):
        i = int(index)
        j = i - 1 if direction == "up" else i + 1
        if 0 <= j < len(items):
            items[i], items[j] = items[j], items[i]


def _prompt(form: MultiDict, i: int) -> dict[str, Any]:
    def get(key: str) -> str:
        return form.get(f"prompt-{i}-{key}", "").strip()

    kind = get("type") or "long_text"
    prompt: dict[str, Any] = {"id": get("id"), "type": kind, "label": get("label")}
    _put(prompt, "help", get("help"))
    if not form.get(f"prompt-{i}-required"):
        prompt["required"] = False
    keys = PROMPT_TYPES[kind].keys if kind in PROMPT_TYPES else frozenset()
    for key in ("min_words", "max_words", "max_chars", "min_rows", "max_rows"):
        if key in keys:
            _put(prompt, key, _number(get(key)))
    if "produces_actions" in keys and form.get(f"prompt-{i}-produces_actions"):
        prompt["produces_actions"] = True
    for key in ("options", "scale"):
        if key in keys:
            _put(prompt, key, _lines(form.get(f"prompt-{i}-{key}")))
    if "statement" in keys:
        _put(prompt, "statement", get("statement"))
    if "columns" in keys:
        columns = []
        for line in _lines(form.get(f"prompt-{i}-columns")):
            parts = [p.strip() for p in line.split("|")]
            column: dict[str, Any] = {"id": parts[0], "label": parts[1] if len(parts) > 1 else ""}
            if len(parts) > 2 and parts[2]:
                column["type"] = parts[2]
            if len(parts) > 3:
                column["options"] = _commas(parts[3])
            columns.append(column)
        prompt["columns"] = columns
    return prompt


def _question(form: MultiDict, i: int) -> dict[str, Any]:
    options = []
    for line in _lines(form.get(f"question-{i}-options")):
        correct = line.startswith("*")
        text, _, feedback = line.lstrip("*").partition("|")
        option: dict[str, Any] = {"text": text.strip()}
        if correct:
            option["correct"] = True
        _put(option, "feedback", feedback.strip())
        options.append(option)
    return {"id": form.get(f"question-{i}-id", "").strip(),
            "prompt": form.get(f"question-{i}-prompt", "").strip(), "options": options}


def _item(form: MultiDict, i: int) -> dict[str, Any]:
    item: dict[str, Any] = {"id": form.get(f"item-{i}-id", "").strip(),
                            "type": form.get(f"item-{i}-type", "likert"),
                            "text": form.get(f"item-{i}-text", "").strip()}
    if item["type"] == "likert":
        _put(item, "scale", _lines(form.get(f"item-{i}-scale")))
    return item


def read_step(kind: str, form: MultiDict) -> tuple[dict[str, Any], dict[str, str]]:
    """The step as module.yaml holds it, and its Markdown files, from the posted form."""
    slug = form.get("slug", "").strip()
    step: dict[str, Any] = {"slug": slug, "kind": kind, "title": form.get("title", "").strip()}
    if form.get("optional"):
        step["optional"] = True
    _put(step, "unlock_after_days", _number(form.get("unlock_after_days")))
    markdown: dict[str, str] = {}
    if kind in ("page", "plan", "live"):
        if kind == "live":
            step["training"] = form.get("training", "").strip()
        _markdown(form, "body", f"{slug}.md", markdown, step)
    elif kind == "video":
        step["url"] = form.get("url", "").strip()
        _put(step, "minutes", _number(form.get("minutes")))
        _markdown(form, "transcript", f"{slug}-transcript.md", markdown, step)
    else:
        _markdown(form, "intro", f"{slug}-intro.md", markdown, step)
    if kind == "challenge":
        _put(step, "mode", form.get("mode") if form.get("mode") != "individual" else None)
        _put(step, "review", form.get("review") if form.get("review") != "required" else None)
        if form.get("allow_private"):
            step["allow_private"] = True
        _put(step, "guiding_questions", _lines(form.get("guiding_questions")))
        rubric = []
        for line in _lines(form.get("rubric")):
            criterion, _, rest = line.partition("|")
            levels, _, description = rest.partition("|")
            row: dict[str, Any] = {"criterion": criterion.strip(), "levels": _commas(levels)}
            _put(row, "description", description.strip())
            rubric.append(row)
        _put(step, "rubric", rubric)
        prompts = [_prompt(form, i) for i in _indexed(form, "prompt")]
        _rearrange(prompts, form, "prompt", {"id": f"prompt_{len(prompts) + 1}",
                                             "type": "long_text", "label": "A new prompt"})
        step["prompts"] = prompts
    elif kind == "check":
        questions = [_question(form, i) for i in _indexed(form, "question")]
        _rearrange(questions, form, "question", {
            "id": f"q{len(questions) + 1}", "prompt": "A new question",
            "options": [{"text": "Right", "correct": True}, {"text": "Wrong"}]})
        step["questions"] = questions
    elif kind == "survey":
        items = [_item(form, i) for i in _indexed(form, "item")]
        _rearrange(items, form, "item", {"id": f"item{len(items) + 1}", "type": "likert",
                                         "text": "A new statement"})
        step["items"] = items
    return step, markdown


def rearranging(form: MultiDict) -> bool:
    """True when the post was an add, remove or move button, not "Save step"."""
    return any(form.get(f"{action}_{name}") for action in ("add", "remove", "move")
               for name in ("prompt", "question", "item"))
