"""Forms of the 'my data' pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

from lms.formtools import choices


class RequestExportForm(FlaskForm):
    submit = SubmitField(_l("Prepare a download of my data"))


class DeleteReflectionForm(FlaskForm):
    completion = RadioField(
        _l("Should this challenge still count as done?"),
        choices=choices([("keep", _l("Yes, keep it counted as done")),
                         ("remove", _l("No, mark it as not done (I may write it again)"))]),
        validators=[InputRequired(_l("Choose whether the challenge still counts as done."))])
    submit = SubmitField(_l("Delete the text of this reflection"))


class KeepReflectionForm(FlaskForm):
    submit = SubmitField(_l("Keep mine"))
