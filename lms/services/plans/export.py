"""A learner's action plan as Markdown or PDF, for the learner to keep.

The PDF embeds DejaVu Sans (static/fonts/, Bitstream Vera licence) so any
name or text, "Lucía" or "Nguyễn", prints as typed on any machine.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app

from lms import dates
from lms.i18n import in_default_language
from lms.models import ActionPlan, Goal
from lms.services.plans.action_plans import STATUS_LABELS, local_date, local_today

if TYPE_CHECKING:
    from fpdf import FPDF

GOAL_SECTIONS = (
    ("value", "Why it matters to me"),
    ("behaviours", "Behaviours I will practise"),
    ("circle_of_influence", "My circle of influence"),
    ("support_needed", "Support I need"),
)


def _date(value: date) -> str:
    return dates.format_date(value, "long")


def export_filename(plan: ActionPlan, extension: str) -> str:
    return f"action-plan-{local_today().isoformat()}.{extension}"


def _hard_breaks(text: str) -> str:
    """Keep the learner's line breaks when the Markdown is rendered."""
    return "  \n".join(text.splitlines())


def _indent(text: str, prefix: str = "  ") -> str:
    return ("\n" + prefix).join(text.splitlines())


@in_default_language
def plan_markdown(plan: ActionPlan) -> str:
    """The whole plan (goals, actions, check-ins; not mentor comments) as Markdown."""
    lines = [f"# Action plan: {plan.user.name}", "", f"Exported on {_date(local_today())}.", ""]
    if not plan.goals:
        lines += ["No goals yet.", ""]
    for number, goal in enumerate(plan.goals, start=1):
        lines += [f"## Goal {number}: {goal.title}", "",
                  f"Set on {_date(local_date(goal.set_at))}.", ""]
        for attribute, label in GOAL_SECTIONS:
            text = getattr(goal, attribute)
            if text:
                lines += [f"### {label}", "", _hard_breaks(text), ""]
        lines += ["### Actions", ""]
        if goal.actions:
            for action in goal.actions:
                box = "x" if action.status == "done" else " "
                lines.append(f"- [{box}] {_indent(action.text)} "
                             f"(by {_date(action.target_date)}; "
                             f"{STATUS_LABELS[action.status].lower()})")
        else:
            lines.append("No actions yet.")
        lines.append("")
        if goal.check_ins:
            lines += ["### Check-ins", ""]
            for check_in in goal.check_ins:
                heading = _date(local_date(check_in.created_at))
                if check_in.checkpoint_day:
                    heading += f" ({check_in.checkpoint_day}-day check-in)"
                lines += [f"#### {heading}", ""]
                for text, label in _checkin_parts(check_in):
                    lines += [f"**{label}:** {_hard_breaks(text)}", ""]
    return "\n".join(lines).rstrip() + "\n"


def _checkin_parts(check_in) -> list[tuple[str, str]]:
    parts = [(check_in.did, "What I did"), (check_in.obstacles, "What got in the way"),
             (check_in.next_steps, "What next")]
    return [(text, label) for text, label in parts if text]


def _new_pdf() -> FPDF:
    """An A4 document with page numbers in its footer. fpdf2 (and its font tools) is
    imported here, on the first export, not by every worker at start-up."""
    from fpdf import FPDF

    class _PlanPDF(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", size=8)
            self.set_text_color(90, 90, 90)
            self.cell(0, 6, f"Page {self.page_no()}", align="C")

    return _PlanPDF(format="A4")


def _fonts_dir() -> Path:
    return Path(current_app.static_folder) / "fonts"


@in_default_language
def plan_pdf(plan: ActionPlan) -> bytes:
    """The same content as ``plan_markdown`` laid out as an A4 PDF."""
    pdf = _new_pdf()
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("DejaVu", "", str(_fonts_dir() / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(_fonts_dir() / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"Action plan: {plan.user.name}")
    pdf.set_author(plan.user.name)
    pdf.set_creator(current_app.config["LMS_INSTITUTION_NAME"])
    pdf.set_lang("en")
    pdf.add_page()

    def heading(text: str, size: float) -> None:
        pdf.set_font("DejaVu", "B", size)
        pdf.multi_cell(0, size * 0.55, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)

    def paragraph(text: str, size: float = 10.5) -> None:
        pdf.set_font("DejaVu", "", size)
        pdf.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    heading(f"Action plan: {plan.user.name}", 18)
    paragraph(f"{current_app.config['LMS_INSTITUTION_NAME']} · exported on "
              f"{_date(local_today())}", 9.5)
    if not plan.goals:
        paragraph("No goals yet.")
    for number, goal in enumerate(plan.goals, start=1):
        _goal_pdf(pdf, number, goal, heading, paragraph)
    return bytes(pdf.output())


def _goal_pdf(pdf: FPDF, number: int, goal: Goal, heading, paragraph) -> None:
    pdf.ln(3)
    heading(f"Goal {number}: {goal.title}", 14)
    paragraph(f"Set on {_date(local_date(goal.set_at))}", 9.5)
    for attribute, label in GOAL_SECTIONS:
        text = getattr(goal, attribute)
        if text:
            heading(label, 11)
            paragraph(text)
    heading("Actions", 11)
    if not goal.actions:
        paragraph("No actions yet.")
    for action in goal.actions:
        mark = "☑" if action.status == "done" else "☐"
        paragraph(f"{mark} {action.text}\n    by {_date(action.target_date)} · "
                  f"{STATUS_LABELS[action.status]}")
    if goal.check_ins:
        heading("Check-ins", 11)
        for check_in in goal.check_ins:
            title = _date(local_date(check_in.created_at))
            if check_in.checkpoint_day:
                title += f" ({check_in.checkpoint_day}-day check-in)"
            heading(title, 10)
            for text, label in _checkin_parts(check_in):
                paragraph(f"{label}: {text}")
