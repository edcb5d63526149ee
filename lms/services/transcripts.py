"""A person's training transcript: every completion with the evidence it stands on.

Completions, their score, engaged time, attestation, content version and
certificate code — never anything the person wrote in a reflection, so the
programme office may download anyone's transcript.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from lms.dates import format_date
from lms.extensions import db
from lms.i18n import written_for
from lms.models import Certificate, Module, ModuleCompletion, User, utcnow
from lms.services import duedates

FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


@dataclass(frozen=True)
class TranscriptRow:
    module_title: str
    completed_at: datetime
    version: str
    rules: dict | None
    score_percent: int | None
    engaged_minutes: int | None
    attested_at: datetime | None
    certificate_code: str | None
    hours: int | None

    @property
    def evidence_note(self) -> str:
        """How the completion was granted, for a reader who asks."""
        if self.rules is None:
            return _("Completed before this course set evidence rules")
        return _("Met every rule of this version")


def rows_for(user: User) -> list[TranscriptRow]:
    """The person's completions, newest first, in one query."""
    rows = db.session.execute(
        select(ModuleCompletion, Module.title, Certificate)
        .join(Module, Module.id == ModuleCompletion.module_id)
        .outerjoin(Certificate, Certificate.completion_id == ModuleCompletion.id)
        .where(ModuleCompletion.user_id == user.id)
        .order_by(ModuleCompletion.completed_at.desc(), ModuleCompletion.id.desc())).all()
    return [TranscriptRow(
        module_title=certificate.module_title if certificate else title,
        completed_at=completion.completed_at, version=completion.content_hash[:12],
        rules=completion.rules, score_percent=completion.score_percent,
        engaged_minutes=completion.engaged_minutes if completion.rules else None,
        attested_at=completion.attested_at,
        certificate_code=certificate.display_code if certificate else None,
        hours=certificate.minutes if certificate else None)
        for completion, title, certificate in rows]


def filename(user: User) -> str:
    return f"transcript-{user.id}-{duedates.today():%Y-%m-%d}.pdf"


def _day(moment: datetime) -> str:
    """The day as the transcript page writes it (``lms.dates``), so page and PDF agree."""
    return format_date(moment)


def render_pdf(user: User, rows: list[TranscriptRow]) -> bytes:
    """The transcript as an A4 PDF with an embedded Unicode font, in ``user``'s language."""
    with written_for(user):
        return _render_pdf(user, rows)


def _render_pdf(user: User, rows: list[TranscriptRow]) -> bytes:
    fonts = Path(current_app.static_folder) / "fonts"
    institution = current_app.config["LMS_INSTITUTION_NAME"]
    from fpdf import FPDF  # imported on first use: it is large

    pdf = FPDF(format="A4")
    pdf.set_title(_("Training transcript: %(name)s", name=user.name))
    pdf.set_author(institution)
    pdf.set_creation_date(utcnow())
    for style, name in FONT_FILES.items():
        pdf.add_font("DejaVu", style, str(fonts / name))
    pdf.add_page()
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(0, 6, institution, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 18)
    pdf.cell(0, 10, _("Training transcript"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(0, 6, user.name, new_x="LMARGIN", new_y="NEXT")
    if user.licence_number:
        pdf.cell(0, 6, _("Licence number: %(number)s", number=user.licence_number), new_x="LMARGIN",
                 new_y="NEXT")
    pdf.cell(0, 6, _("Issued %(day)s", day=_day(utcnow())), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    if not rows:
        pdf.multi_cell(0, 6, _("No completed modules yet."))
    for row in rows:
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(0, 6, row.module_title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9.5)
        facts = [_("Completed %(day)s", day=_day(row.completed_at)),
                 _("version %(version)s", version=row.version)]
        if row.hours:
            facts.append(_("credited %(hours)s", hours=duedates.hours_label(row.hours)))
        if row.score_percent is not None:
            facts.append(_("score %(percent)s%%", percent=row.score_percent))
        if row.engaged_minutes is not None:
            facts.append(_("engaged time %(minutes)s minutes", minutes=row.engaged_minutes))
        if row.attested_at is not None:
            facts.append(_("attested %(day)s", day=_day(row.attested_at)))
        if row.certificate_code:
            facts.append(_("certificate %(code)s", code=row.certificate_code))
        pdf.multi_cell(0, 5, " · ".join(facts), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(74, 84, 102)
        pdf.multi_cell(0, 5, row.evidence_note, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.ln(3)
    return bytes(pdf.output())
