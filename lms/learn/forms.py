"""Forms of the learner area. Challenge prompts are read by challenge_form.py."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from lms.formtools import AppForm


class ChallengeMetaForm(AppForm):
    """The fixed fields around a challenge's prompts (CSRF, version, where to go next)."""

    draft_version = IntegerField(validators=[Optional()])
    part = IntegerField(validators=[Optional()])
    go = HiddenField()


class SubmitChallengeForm(ChallengeMetaForm):
    keep_private = BooleanField(_l("Keep private: count my completion only"),
                                description=_l("No mentor will read these answers; your "
                                            "completion still counts."))
    coauthors = TextAreaField(_l("Co-authors (group challenge)"), validators=[Length(max=2000)],
                              description=_l("Email addresses of the other people in your group, "
                                          "one per line. Each is invited, and becomes a co-author "
                                          "(with access and credit) only on accepting."))


class AttestForm(AppForm):
    """The learner's own statement that closes a module which asks for one."""

    confirm = BooleanField(_l("I make this statement in my own name"))


class SearchForm(AppForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
