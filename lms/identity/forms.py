from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from lms.formtools import AppForm


class TokenForm(AppForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("Who will use it, e.g. “Workday production”."))
    submit = SubmitField(_l("Create token"))
