from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from lms.formtools import AppForm, MultiCheckboxField, choices, optional_int, role_choices
from lms.models import ROLE_NAMES, Module
from lms.services.assignments.rules import DUE_LABELS, TARGET_LABELS, Rule


def parse_days(text: str | None) -> list[int]:
    """'14, 3, 0' -> [14, 3, 0]; raises ValueError on anything else."""
    parts = [p.strip() for p in (text or "").replace(";", ",").split(",") if p.strip()]
    return [int(p) for p in parts]


class AssignmentForm(AppForm):
    # Not limited to the listed choices: the service explains an unpublished module.
    module_id = SelectField(_l("Module"), coerce=optional_int, validators=[Optional()],
                            validate_choice=False,
                            description=_l("Only published modules can be assigned."))
    target_kind = RadioField(_l("Assign to"), choices=choices(TARGET_LABELS.items()),
                             default="departments",
                             validators=[InputRequired(
                                 _l("Choose who the module is assigned to."))])
    department_ids = MultiCheckboxField(_l("Departments"), coerce=int, validators=[Optional()])
    include_subdepartments = BooleanField(_l("Include their sub-departments"), default=True)
    cohort_ids = MultiCheckboxField(_l("Cohorts"), coerce=int, validators=[Optional()])
    role = SelectField(_l("Role"), validators=[Optional()], choices=choices(
        [("", _l("Choose a role")), *role_choices(ROLE_NAMES)]))
    people = TextAreaField(_l("People"), validators=[Optional(), Length(max=50000)],
                           description=_l("Email addresses, one per line "
                                          "(or separated by commas)."))
    due_kind = RadioField(_l("Due date is"), choices=choices(DUE_LABELS.items()), default="date",
                          validators=[InputRequired(_l("Choose how the due date is set."))])
    due_on = DateField(_l("Due date"), validators=[Optional()],
                       description=_l("Used with 'On a date'. Complete by the end of this day."))
    due_days = IntegerField(_l("Number of days"), validators=[Optional()],
                            description=_l("Used with 'Days after being assigned' or "
                                        "'Days after joining'."))
    recertify_months = IntegerField(
        _l("Renew every (months)"), validators=[Optional()],
        description=_l("A completion stays valid this many months, then the module is due "
                    "again. Leave empty if it never expires."))
    remind_days_before = StringField(
        _l("Remind this many days before the due date"), default="14, 3, 0",
        validators=[Length(max=100)],
        description=_l("Numbers separated by commas; 0 means on the due date. "
                    "Leave empty for no reminders before the due date."))
    overdue_every_days = IntegerField(
        _l("While overdue, remind every (days)"), default=7,
        validators=[InputRequired(_l("Enter a number of days (0 for no repeats).")),
                    NumberRange(0, 90, _l("Enter 0 (no repeats) to 90 days."))])
    escalate_after_days = IntegerField(
        _l("Tell the department lead after (days overdue)"), default=14,
        validators=[Optional(), NumberRange(1, 365, _l("Enter 1 to 365 days, or leave it empty."))],
        description=_l("Leave empty to never tell the lead."))
    submit = SubmitField(_l("Save assignment"))

    def validate_remind_days_before(self, field):
        try:
            days = parse_days(field.data)
        except ValueError as error:
            raise ValidationError(_("Use whole numbers separated by commas, like 14, 3, 0.")) \
                from error
        if any(d < 0 or d > 365 for d in days):
            raise ValidationError(_("Reminder days must be between 0 and 365."))

    def to_rule(self, module: Module | None) -> Rule:
        emails = (self.people.data or "").replace(",", "\n").replace(";", "\n").split()
        return Rule(
            module=module, target_kind=self.target_kind.data,
            department_ids=list(self.department_ids.data or []),
            include_subdepartments=bool(self.include_subdepartments.data),
            cohort_ids=list(self.cohort_ids.data or []), role=self.role.data or None,
            people_emails=emails, due_kind=self.due_kind.data, due_on=self.due_on.data,
            due_days=self.due_days.data, recertify_months=self.recertify_months.data,
            remind_days_before=parse_days(self.remind_days_before.data),
            overdue_every_days=self.overdue_every_days.data,
            escalate_after_days=self.escalate_after_days.data)

    def fill_from(self, assignment) -> None:
        self.target_kind.data = assignment.target_kind
        self.department_ids.data = [d.id for d in assignment.departments]
        self.include_subdepartments.data = assignment.include_subdepartments
        self.cohort_ids.data = [c.id for c in assignment.cohorts]
        self.role.data = assignment.target_role or ""
        self.people.data = "\n".join(u.email for u in assignment.people)
        self.due_kind.data = assignment.due_kind
        self.due_on.data = assignment.due_on
        self.due_days.data = assignment.due_days
        self.recertify_months.data = assignment.recertify_months
        self.remind_days_before.data = ", ".join(str(d) for d in assignment.remind_days_before)
        self.overdue_every_days.data = assignment.overdue_every_days
        self.escalate_after_days.data = assignment.escalate_after_days


class ActionForm(AppForm):
    """A button that only needs the CSRF token (send now, renew)."""


class DeleteForm(AppForm):
    submit = SubmitField(_l("Delete assignment"))


class ExemptionForm(AppForm):
    """Grant an exemption: whose, from which assignment, why and until when."""

    assignment_id = SelectField(_l("Assignment"), coerce=optional_int,
                                validators=[InputRequired(_l("Choose an assignment."))])
    email = StringField(_l("Email address of the person"),
                        validators=[InputRequired(_l("Enter the person's email address.")),
                                    Length(max=254)])
    reason = StringField(_l("Reason"), validators=[
        InputRequired(_l("Say why the person is exempt.")), Length(max=200)],
        description=_l("For example: trained at another hospital in 2026. Kept in the "
                       "audit log."))
    until = DateField(_l("Last day of the exemption"), validators=[Optional()],
                      description=_l("Leave empty for an exemption that lasts until it is "
                                     "revoked. The obligation counts again the day after."))
    submit = SubmitField(_l("Grant exemption"))
