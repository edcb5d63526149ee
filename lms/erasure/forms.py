"""The confirmation an admin gives before erasing a person."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, ValidationError


class EraseForm(FlaskForm):
    confirm_email = StringField(
        _l("Type the person's email address to confirm"),
        validators=[InputRequired(_l("Type the email address shown above."))])
    submit = SubmitField(_l("Erase this person"))

    def __init__(self, *args, expected_email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected_email = expected_email

    def validate_confirm_email(self, field):
        if (field.data or "").strip().lower() != self.expected_email.lower():
            raise ValidationError(_("That is not this person's email address; nothing was erased."))
