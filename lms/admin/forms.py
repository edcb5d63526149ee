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

from lms.formtools import AppForm, MultiCheckboxField, choices, optional_int
from lms.models import ROLE_NAMES


class UserForm(AppForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("Email", validators=[DataRequired(), Email(check_deliverability=False),
                                            Length(max=254)])
    department_id = SelectField("Department", coerce=optional_int, validators=[Optional()])
    roles = MultiCheckboxField("Roles", choices=choices((r, r.capitalize()) for r in ROLE_NAMES),
                               validators=[DataRequired(message="Choose at least one role.")])
    cohort_ids = MultiCheckboxField("Cohorts", coerce=int, validators=[Optional()])
    is_active = BooleanField("Account is active", default=True)
    send_invite = BooleanField("Email a link to set a password", default=True)
    submit = SubmitField("Save")


class ImportUsersForm(AppForm):
    file = FileField("CSV file", validators=[
        FileRequired("Choose a CSV file."),
        FileAllowed(["csv", "txt"], "Upload a .csv file.")],
        description="Columns: email, name, department; optional roles, pronouns, cohorts "
                    "(several values separated by ';'). UTF-8. Nothing is imported if any row "
                    "has a problem.")
    send_invites = BooleanField("Email each new person a link to set their password")
    submit = SubmitField("Import")


class DepartmentForm(AppForm):
    name = StringField("Department name", validators=[DataRequired(), Length(max=200)])
    parent_id = SelectField("Part of", coerce=optional_int, validators=[Optional()])
    lead_id = SelectField("Department lead", coerce=optional_int, validators=[Optional()])
    submit = SubmitField("Add department")


class CohortForm(AppForm):
    name = StringField("Cohort name", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=1000)])
    submit = SubmitField("Add cohort")
