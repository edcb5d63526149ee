"""PDFs for external participants: the receipt for a paid fee and the certificate of
attendance (their continuing-education record), drawn with the certificate fonts.

Both are written in the language of the person they are for (``lms.i18n.written_for``:
a staff member's profile choice, an external participant's sign-up page), whoever
downloads them, with dates and amounts as that language writes them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from babel.numbers import format_decimal
from flask import current_app
from flask_babel import gettext as _
from flask_babel import pgettext

from lms import dates
from lms.dates import format_datetime as format_local
from lms.i18n import current_locale, written_for
from lms.models import Registration
from lms.services import duedates
from lms.services.certificates import FONT_FILES

if TYPE_CHECKING:
    from fpdf import FPDF


def money(cents: int | None) -> str:
    """``5000`` -> ``"50.00 USD"`` (``"50,00 USD"`` in Spanish) in the configured currency."""
    amount = format_decimal((cents or 0) / 100, format="#,##0.00", locale=current_locale())
    return f"{amount} {current_app.config['LMS_CURRENCY']}"


def _pdf(title: str, subject: str, orientation: str = "portrait") -> FPDF:
    fonts = Path(current_app.static_folder) / "fonts"
    from fpdf import FPDF  # imported on first use: it is large

    pdf = FPDF(orientation=orientation, format="A4")
    pdf.set_title(title)
    pdf.set_author(current_app.config["LMS_INSTITUTION_NAME"])
    pdf.set_subject(subject)
    for style, name in FONT_FILES.items():
        pdf.add_font("DejaVu", style, str(fonts / name))
    pdf.add_page()
    return pdf


def receipt_filename(registration: Registration) -> str:
    return f"receipt-{registration.offering.training.slug}-{registration.id}.pdf"


def render_receipt(registration: Registration) -> bytes:
    """The receipt for a paid fee: who paid, for which session, how much, and the receipt
    number staff entered. Call only when ``payments.has_receipt`` is true."""
    with written_for(registration.person):
        return _receipt(registration)


def _receipt(registration: Registration) -> bytes:
    offering, person = registration.offering, registration.person
    institution = current_app.config["LMS_INSTITUTION_NAME"]
    pdf = _pdf(_("Receipt %(number)s", number=registration.fee_reference),
               _("Receipt for %(title)s", title=offering.training.title))
    pdf.set_font("DejaVu", "B", 20)
    pdf.cell(0, 12, _("Receipt"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(0, 7, institution, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    rows = [(_("Receipt number"), registration.fee_reference or ""),
            (_("Date"), format_local(registration.fee_updated_at)
             if registration.fee_updated_at else ""),
            (_("Received from"), person.name)]
    if registration.is_external:
        rows += [(_("Organisation"), person.organisation or ""),
                 (_("Profession"), person.profession or "")]
    rows += [(pgettext("receipt", "For"), offering.training.title),
             (_("Session"), format_local(offering.starts_at)),
             (_("Amount"), money(offering.fee_cents)),
             (_("Status"), _("Paid"))]
    for label, value in rows:
        pdf.set_font("DejaVu", "B", 11)
        pdf.cell(50, 8, label)
        pdf.set_font("DejaVu", "", 11)
        pdf.multi_cell(0, 8, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(0, 5, _("Keep this receipt for your records. Questions about payment go "
                           "to the programme office."))
    return bytes(pdf.output())


def certificate_filename(registration: Registration) -> str:
    return f"attendance-{registration.offering.training.slug}-{registration.id}.pdf"


def render_attendance_certificate(registration: Registration) -> bytes:
    """A certificate of attendance for a registration marked attended."""
    with written_for(registration.person):
        return _attendance_certificate(registration)


def _attendance_certificate(registration: Registration) -> bytes:
    offering, person = registration.offering, registration.person
    institution = current_app.config["LMS_INSTITUTION_NAME"]
    pdf = _pdf(_("Certificate of attendance: %(title)s", title=offering.training.title),
               _("Certificate of attendance for %(name)s", name=person.name),
               orientation="landscape")
    width = pdf.w

    def centred(text: str, size: float, style: str = "", gap: float = 3):
        pdf.set_font("DejaVu", style, size)
        pdf.set_x(30)
        pdf.multi_cell(width - 60, size * 0.5, text, align="C")
        pdf.ln(gap)

    pdf.set_y(30)
    centred(institution, 13, gap=6)
    centred(_("Certificate of Attendance"), 28, "B", gap=8)
    centred(_("This certifies that"), 13)
    centred(person.name, 24, "B", gap=4)
    if registration.is_external and (person.profession or person.licence_number):
        details = ", ".join(x for x in (person.profession, person.organisation) if x)
        if person.licence_number:
            details += " · " + _("Licence %(number)s", number=person.licence_number)
        centred(details, 12)
    centred(_("attended the live session"), 13)
    centred(offering.training.title, 18, "B", gap=5)
    minutes = int((offering.ends_at - offering.starts_at).total_seconds() // 60)
    held = duedates.local_date(offering.starts_at)
    centred(_("on %(day)s · %(hours)s", day=dates.format_date(held, "long"),
              hours=duedates.hours_label(minutes)), 13)
    return bytes(pdf.output())
