from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from lms.formtools import AppForm, choices
from lms.i18n import LANGUAGES


class ProfileForm(AppForm):
    name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=200)])
    pronouns = StringField(_l("Pronouns"), validators=[Optional(), Length(max=40)],
                           description=_l("Optional, e.g. she/her, he/him, they/them."))
    licence_number = StringField(
        _l("Professional licence number"), validators=[Optional(), Length(max=64)],
        description=_l("Optional. Shown on certificates issued from now on, for boards that "
                       "ask for it (for example a state medical or nursing licence)."))
    locale = SelectField(
        _l("Language"),
        choices=choices([("", _l("As my browser asks")), *LANGUAGES.items()]),
        filters=[lambda value: value or ""],
        description=_l("The language of pages and emails. Training content is shown in it "
                       "where a translation exists."))
    submit = SubmitField(_l("Save profile"))
