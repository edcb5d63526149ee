"""Forms of the studio. A step's fields are read by ``read_step`` from the posted form,
those of its kind by the kind's editor; what they may hold is checked by the module
validator (the kind's own check), not here."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from lms.content.kinds import KINDS
from lms.content.kinds.editor import commas, number, put
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
            "topics": commas(self.topics.data),
            "estimated_minutes": int(minutes) if minutes.isdigit() else (minutes or None),
            "audience": (self.audience.data or "").strip(),
            "prerequisites": commas(self.prerequisites.data),
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
    kind = SelectField(_l("Kind of step"))
    submit = SubmitField(_l("Add step"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read when the form is made: every kind in the registry, as it is now.
        self.kind.choices = choices((k.name, k.label) for k in KINDS.values())


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

def read_step(kind: str, form: MultiDict) -> tuple[dict[str, Any], dict[str, str]]:
    """The step as module.yaml holds it, and its Markdown files, from the posted form: the
    fields every step has, then those of its kind's editor (``StepKind.editor``)."""
    slug = form.get("slug", "").strip()
    step: dict[str, Any] = {"slug": slug, "kind": kind, "title": form.get("title", "").strip()}
    if form.get("optional"):
        step["optional"] = True
    put(step, "unlock_after_days", number(form.get("unlock_after_days")))
    fields, markdown = KINDS[kind].editor.read_form(form, slug)
    step.update(fields)
    return step, markdown
