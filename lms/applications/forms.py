"""Forms for application calls. Date/time fields are wall-clock times in LMS_TIMEZONE."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from lms.formtools import AppForm, MultiCheckboxField, choices, optional_int
from lms.models import DECISION_LABELS, DECISIONS, ROLE_NAMES
from lms.services.applications.calls import parse_questions
from lms.services.errors import DomainError

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
ROLE_CHOICE_LABELS = {"learner": _l("Learner"), "mentor": _l("Mentor"), "admin": _l("Admin"),
                      "author": _l("Author")}


def questions_example() -> str:
    """The questions a new call starts with, in the reader's language, for them to edit."""
    motivation = _("Why do you want to join?")
    year = _("Your year of study")
    options = ", ".join([_("First"), _("Second"), _("Third"), _("Fourth")])
    return ("- id: motivation\n"
            "  type: long_text\n"
            f"  label: {motivation}\n"
            "  min_words: 50\n"
            "- id: year\n"
            "  type: single_choice\n"
            f"  label: {year}\n"
            f"  options: [{options}]")


class CallForm(AppForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the call a title.")),
                                             Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)],
                                description=_l("What the call is for and what accepted people "
                                            "will do."))
    opens_at = DateTimeLocalField(_l("Opens"), format=LOCAL_FORMAT,
                                  validators=[DataRequired(_l("Give the opening date and time."))])
    closes_at = DateTimeLocalField(
        _l("Closes"), format=LOCAL_FORMAT,
        validators=[DataRequired(_l("Give the closing date and time."))],
        description=_l("Applications submitted after this minute are refused; drafts are kept."))
    eligible_roles = MultiCheckboxField(
        _l("Roles"), choices=choices((r, ROLE_CHOICE_LABELS[r]) for r in ROLE_NAMES),
        validators=[Optional()])
    eligible_departments = MultiCheckboxField(_l("Departments"), coerce=int,
                                              validators=[Optional()])
    eligible_cohorts = MultiCheckboxField(_l("Cohorts"), coerce=int, validators=[Optional()])
    questions = TextAreaField(
        _l("Questions"), validators=[DataRequired(_l("Write at least one question.")),
                                 Length(max=20000)],
        description=_l("In the format of a challenge's prompts (long_text, short_text, "
                    "single_choice, multi_choice, likert, rows, acknowledge)."))
    rubric = TextAreaField(_l("Rubric"), validators=[
        DataRequired(_l("Write at least one criterion.")), Length(max=3000)],
                           description=_l("One criterion per line; reviewers score each."))
    rubric_max = IntegerField(_l("Highest score"), default=5, validators=[
        InputRequired(_l("Give the highest score.")),
        NumberRange(min=2, max=10, message=_l("Between 2 and 10."))])
    reviewers = TextAreaField(_l("Reviewers"), validators=[DataRequired(_l("Name at least one "
                                                                    "reviewer.")),
                                                       Length(max=5000)],
                              description=_l("Their emails, one per line. Only they read the "
                                          "answers."))
    cohort_id = SelectField(_l("Accepted people join the cohort"), coerce=optional_int,
                            validators=[Optional()])
    makes_champions = BooleanField(_l("Accepted people become ally champions of their "
                                   "department"))
    submit = SubmitField(_l("Save call"))

    def validate_questions(self, field):
        try:
            parse_questions(field.data or "")
        except DomainError as error:
            raise ValidationError(error.message) from None

    def validate_closes_at(self, field):
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_("The call must close after it opens."))


class DraftForm(AppForm):
    """The hidden fields of the application form; the answers are read by prompt."""

    draft_version = IntegerField(validators=[Optional()])
    go = HiddenField()


class WithdrawForm(AppForm):
    """Only the CSRF token."""


class ReviewForm(AppForm):
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)],
                          description=_l("Seen by the call's reviewers only."))
    submit = SubmitField(_l("Save scores and notes"))


class DecisionForm(AppForm):
    decision = RadioField(_l("Decision"),
                          choices=choices((d, DECISION_LABELS[d]) for d in DECISIONS),
                          validators=[InputRequired(_l("Choose a decision."))])
    mentor_id = SelectField(_l("Faculty mentor (when accepting)"), coerce=optional_int,
                            validators=[Optional()],
                            description=_l("Linked to the applicant, who is told."))
    submit = SubmitField(_l("Record decision"))


def review_form_class(rubric: list[str], highest: int) -> type[ReviewForm]:
    """A ``ReviewForm`` with one 1..``highest`` score field per rubric criterion
    (``score_0``, ``score_1`` …)."""
    fields = {
        f"score_{index}": RadioField(
            criterion, coerce=optional_int,
            choices=choices((n, str(n)) for n in range(1, highest + 1)),
            validators=[InputRequired(_l("Score “%(criterion)s”.", criterion=criterion))])
        for index, criterion in enumerate(rubric)}
    return type("RubricReviewForm", (ReviewForm,), fields)
