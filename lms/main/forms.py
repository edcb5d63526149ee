from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional


class ProfileForm(FlaskForm):
    name = StringField("Display name", validators=[DataRequired(), Length(max=200)])
    pronouns = StringField("Pronouns", validators=[Optional(), Length(max=40)],
                           description="Optional, e.g. she/her, he/him, they/them.")
    submit = SubmitField("Save profile")
