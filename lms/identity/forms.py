from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from lms.formtools import AppForm


class TokenForm(AppForm):
    name = StringField("Token name", validators=[DataRequired(), Length(max=100)],
                       description="Who will use it, e.g. “Workday production”.")
    submit = SubmitField("Create token")
