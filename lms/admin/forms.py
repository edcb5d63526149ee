from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from lms.formtools import AppForm, MultiCheckboxField, choices, optional_int, role_choices
from lms.models import ROLE_NAMES


class UserForm(AppForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(check_deliverability=False),
                                            Length(max=254)])
    department_id = SelectField(_l("Department"), coerce=optional_int, validators=[Optional()])
    roles = MultiCheckboxField(_l("Roles"), choices=choices(role_choices(ROLE_NAMES)),
                               validators=[DataRequired(message=_l("Choose at least one role."))])
    cohort_ids = MultiCheckboxField(_l("Cohorts"), coerce=int, validators=[Optional()])
    is_active = BooleanField(_l("Account is active"), default=True)
    send_invite = BooleanField(_l("Email a link to set a password"), default=True)
    submit = SubmitField(_l("Save"))


class ImportUsersForm(AppForm):
    file = FileField(_l("CSV file"), validators=[
        FileRequired(_l("Choose a CSV file.")),
        FileAllowed(["csv", "txt"], _l("Upload a .csv file."))],
        description=_l("Columns: email, name, department; optional roles, pronouns, cohorts "
                    "(several values separated by ';'). UTF-8. Nothing is imported if any row "
                    "has a problem."))
    send_invites = BooleanField(_l("Email each new person a link to set their password"))
    submit = SubmitField(_l("Import"))


class DepartmentForm(AppForm):
    name = StringField(_l("Department name"), validators=[DataRequired(), Length(max=200)])
    parent_id = SelectField(_l("Part of"), coerce=optional_int, validators=[Optional()])
    lead_id = SelectField(_l("Department lead"), coerce=optional_int, validators=[Optional()])
    submit = SubmitField(_l("Add department"))


class CohortForm(AppForm):
    name = StringField(_l("Cohort name"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Add cohort"))
