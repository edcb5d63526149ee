"""Completion certificates: issued when a certificate module completes, drawn as PDF.

A certificate copies what it states at issue (name, module title, standard,
hours, content version, completion date) and carries a random verification
code — 12 characters of Crockford base32, 60 bits, so codes cannot be
guessed or enumerated. The public verification page looks a code up and
shows nothing beyond what the certificate itself states.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from lms import dates
from lms.extensions import db
from lms.i18n import current_locale, written_for
from lms.models import Certificate, Enrollment, Module, ModuleCompletion, User
from lms.services import duedates

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
# Letters people mistype for digits when reading a code aloud.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.execute(select(Certificate.id).where(Certificate.code == code)).first() \
                is None:
            return code


def normalise_code(text: str) -> str | None:
    """The stored form of a typed code ('abcd-efgh 1jkm' -> 'ABCDEFGH1JKM'), or None."""
    code = re.sub(r"[\s\-]", "", (text or "").upper()).translate(_LOOKALIKES)
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def issue_for_completion(_sender, *, user: User, module: Module,
                         enrollment: Enrollment) -> None:
    """Receiver of ``signals.module_completed``: issue a certificate for the completion just
    recorded.

    Only for modules marked ``certificate: true``; at most one certificate
    per completion, so a repeated signal changes nothing.
    """
    if not module.has_certificate:
        return
    completion = db.session.execute(
        select(ModuleCompletion)
        .where(ModuleCompletion.user_id == user.id, ModuleCompletion.module_id == module.id)
        .order_by(ModuleCompletion.completed_at.desc(), ModuleCompletion.id.desc()).limit(1)
    ).scalar_one_or_none()
    if completion is None:
        return
    issue(user, module, completion)


def issue(user: User, module: Module, completion: ModuleCompletion) -> Certificate:
    """The certificate for ``completion``, created if it does not exist yet."""
    existing = db.session.execute(select(Certificate).where(
        Certificate.completion_id == completion.id)).scalar_one_or_none()
    if existing is not None:
        return existing
    certificate = Certificate(
        code=new_code(), user_id=user.id, module_id=module.id, completion_id=completion.id,
        learner_name=user.name, module_title=module.title, standard=module.standard,
        minutes=module.estimated_minutes, content_hash=completion.content_hash,
        completed_at=completion.completed_at, score_percent=completion.score_percent,
        engaged_minutes=completion.engaged_minutes if completion.rules else None,
        attested_at=completion.attested_at,
        provider=current_app.config["LMS_INSTITUTION_NAME"],
        licence_number=user.licence_number)
    db.session.add(certificate)
    db.session.flush()
    return certificate


def for_user(user: User) -> list[Certificate]:
    """The person's certificates, newest first."""
    return list(db.session.execute(
        select(Certificate).where(Certificate.user_id == user.id)
        .order_by(Certificate.completed_at.desc(), Certificate.id.desc())).scalars())


def find(text: str) -> Certificate | None:
    """The certificate with this verification code (typed loosely), or None."""
    code = normalise_code(text)
    if code is None:
        return None
    return db.session.execute(select(Certificate).where(
        Certificate.code == code)).scalar_one_or_none()


def can_download(user: User, certificate: Certificate) -> bool:
    """The learner it was issued to, and the programme office."""
    return certificate.user_id == user.id or user.has_role("admin")


def verify_url(certificate: Certificate) -> str:
    return current_app.config["LMS_BASE_URL"].rstrip("/") + url_for(
        "certificates.verify", code=certificate.display_code)


def filename(certificate: Certificate) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", certificate.module_title.lower()).strip("-")[:60]
    return f"certificate-{slug or 'module'}-{certificate.code}.pdf"


def evidence_lines(certificate: Certificate) -> list[str]:
    """What stands behind the certificate, as the PDF and the verification page say it."""
    lines = []
    facts = []
    if certificate.score_percent is not None:
        facts.append(_("Knowledge check score %(percent)s%%", percent=certificate.score_percent))
    if certificate.engaged_minutes is not None:
        facts.append(_("engaged time recorded %(minutes)s minutes",
                       minutes=certificate.engaged_minutes))
    if certificate.attested_at is not None:
        attested = duedates.local_date(certificate.attested_at)
        facts.append(_("completion attested by the learner on %(day)s", day=_long_day(attested)))
    if facts:
        lines.append("; ".join(facts)[:1].upper() + "; ".join(facts)[1:] + ".")
    provided = _("Provider: %(provider)s", provider=certificate.provider) \
        if certificate.provider else ""
    if certificate.licence_number:
        provided += ("   ·   " if provided else "") + \
            _("Learner's licence number: %(number)s", number=certificate.licence_number)
    if provided:
        lines.append(provided)
    return lines


def _long_day(day) -> str:
    """"5 March 2026" in English, as certificates have always said it; the locale's long
    date in other languages."""
    if current_locale().language == "en":
        return f"{day.day} {day:%B %Y}"
    return dates.format_date(day, "long")


def render_pdf(certificate: Certificate) -> bytes:
    """The certificate as an A4 landscape PDF, with an embedded Unicode font, in the
    learner's language."""
    with written_for(certificate.user):
        return _render_pdf(certificate)


def _render_pdf(certificate: Certificate) -> bytes:
    fonts = Path(current_app.static_folder) / "fonts"
    institution = current_app.config["LMS_INSTITUTION_NAME"]
    from fpdf import FPDF  # imported on first use: it is large

    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(_("Certificate: %(title)s", title=certificate.module_title))
    pdf.set_author(institution)
    pdf.set_subject(_("Certificate of completion for %(name)s", name=certificate.learner_name))
    pdf.set_creation_date(certificate.issued_at)
    pdf.set_auto_page_break(False)
    for style, name in FONT_FILES.items():
        pdf.add_font("DejaVu", style, str(fonts / name))
    pdf.add_page()
    width, height = pdf.w, pdf.h
    pdf.set_draw_color(47, 79, 143)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, width - 20, height - 20)
    pdf.set_line_width(0.4)
    pdf.rect(14, 14, width - 28, height - 28)

    def centred(text: str, size: float, style: str = "", gap: float = 2, colour=(29, 36, 48)):
        pdf.set_font("DejaVu", style, size)
        pdf.set_text_color(*colour)
        pdf.set_x(30)
        pdf.multi_cell(width - 60, size * 0.5, text, align="C")
        pdf.ln(gap)

    pdf.set_y(28)
    centred(institution, 13, colour=(74, 84, 102), gap=6)
    centred(_("Certificate of Completion"), 30, "B", gap=8, colour=(47, 79, 143))
    centred(_("This certifies that"), 13, gap=3)
    centred(certificate.learner_name, 26, "B", gap=4)
    centred(_("has completed"), 13, gap=3)
    centred(certificate.module_title, 18, "B", gap=5)
    completed = dates.format_date(certificate.completed_at, "long")
    centred(_("on %(day)s · %(hours)s", day=completed,
              hours=duedates.hours_label(certificate.minutes)), 13, gap=5)
    if certificate.standard:
        centred(_("Standard: %(standard)s", standard=certificate.standard), 11, gap=3,
                colour=(74, 84, 102))
    for line in evidence_lines(certificate):
        centred(line, 10, gap=1, colour=(74, 84, 102))
    pdf.set_y(height - 44)
    centred(_("Content version %(version)s", version=certificate.version) + "   ·   "
            + _("Verification code %(code)s", code=certificate.display_code), 10,
            colour=(74, 84, 102), gap=1)
    centred(_("Check this certificate at %(address)s", address=verify_url(certificate)), 10,
            colour=(74, 84, 102), gap=0)
    return bytes(pdf.output())
