from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from lms.formtools import AppForm


class ProfileForm(AppForm):
    name = StringField("Display name", validators=[DataRequired(), Length(max=200)])
    pronouns = StringField("Pronouns", validators=[Optional(), Length(max=40)],
                           description="Optional, e.g. she/her, he/him, they/them.")
    licence_number = StringField(
        "Professional licence number", validators=[Optional(), Length(max=64)],
        description="Optional. Shown on certificates issued from now on, for boards that "
                    "ask for it (for example a state medical or nursing licence).")
    submit = SubmitField("Save profile")
