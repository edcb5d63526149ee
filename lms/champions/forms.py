"""Forms for ally champions."""

from __future__ import annotations

from wtforms import DateField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from lms.formtools import AppForm, optional_int


class AssignForm(AppForm):
    email = EmailField("Email of the person", validators=[
        DataRequired("Give their email."), Email("Give a valid email address."),
        Length(max=254)])
    department_id = SelectField("Department", coerce=optional_int,
                                validators=[DataRequired("Choose a department.")])
    submit = SubmitField("Name champion")


class RemoveForm(AppForm):
    """Only the CSRF token."""


class ActivityForm(AppForm):
    happened_on = DateField("Date", validators=[DataRequired("Enter the date of the "
                                                             "activity.")])
    note = StringField("What you did", validators=[DataRequired("Say in a few words what "
                                                                "you did."),
                                                   Length(max=300)],
                       description="A short note, e.g. “Led the department meeting "
                                   "discussion on inclusive rota planning”.")
    submit = SubmitField("Add to my record")
