"""Forms for ally champions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from lms.formtools import AppForm, optional_int


class AssignForm(AppForm):
    email = EmailField(_l("Email of the person"), validators=[
        DataRequired(_l("Give their email.")), Email(_l("Give a valid email address.")),
        Length(max=254)])
    department_id = SelectField(_l("Department"), coerce=optional_int,
                                validators=[DataRequired(_l("Choose a department."))])
    submit = SubmitField(_l("Name champion"))


class RemoveForm(AppForm):
    """Only the CSRF token."""


class ActivityForm(AppForm):
    happened_on = DateField(_l("Date"), validators=[DataRequired(_l("Enter the date of the "
                                                             "activity."))])
    note = StringField(_l("What you did"), validators=[DataRequired(_l("Say in a few words what "
                                                                "you did.")),
                                                   Length(max=300)],
                       description=_l("A short note, e.g. “Led the department meeting "
                                   "discussion on inclusive rota planning”."))
    submit = SubmitField(_l("Add to my record"))
