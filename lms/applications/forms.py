"""Forms for application calls. Date/time fields are wall-clock times in LMS_TIMEZONE."""

from __future__ import annotations

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

QUESTIONS_EXAMPLE = """- id: motivation
  type: long_text
  label: Why do you want to join?
  min_words: 50
- id: year
  type: single_choice
  label: Your year of study
  options: [First, Second, Third, Fourth]"""


class CallForm(AppForm):
    title = StringField("Title", validators=[DataRequired("Give the call a title."),
                                             Length(max=200)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)],
                                description="What the call is for and what accepted people "
                                            "will do.")
    opens_at = DateTimeLocalField("Opens", format=LOCAL_FORMAT,
                                  validators=[DataRequired("Give the opening date and time.")])
    closes_at = DateTimeLocalField(
        "Closes", format=LOCAL_FORMAT,
        validators=[DataRequired("Give the closing date and time.")],
        description="Applications submitted after this minute are refused; drafts are kept.")
    eligible_roles = MultiCheckboxField(
        "Roles", choices=choices((r, r.capitalize()) for r in ROLE_NAMES),
        validators=[Optional()])
    eligible_departments = MultiCheckboxField("Departments", coerce=int,
                                              validators=[Optional()])
    eligible_cohorts = MultiCheckboxField("Cohorts", coerce=int, validators=[Optional()])
    questions = TextAreaField(
        "Questions", validators=[DataRequired("Write at least one question."),
                                 Length(max=20000)],
        description="In the format of a challenge's prompts (long_text, short_text, "
                    "single_choice, multi_choice, likert, rows, acknowledge).")
    rubric = TextAreaField("Rubric", validators=[DataRequired("Write at least one criterion."),
                                                 Length(max=3000)],
                           description="One criterion per line; reviewers score each.")
    rubric_max = IntegerField("Highest score", default=5, validators=[
        InputRequired("Give the highest score."),
        NumberRange(min=2, max=10, message="Between 2 and 10.")])
    reviewers = TextAreaField("Reviewers", validators=[DataRequired("Name at least one "
                                                                    "reviewer."),
                                                       Length(max=5000)],
                              description="Their emails, one per line. Only they read the "
                                          "answers.")
    cohort_id = SelectField("Accepted people join the cohort", coerce=optional_int,
                            validators=[Optional()])
    makes_champions = BooleanField("Accepted people become ally champions of their "
                                   "department")
    submit = SubmitField("Save call")

    def validate_questions(self, field):
        try:
            parse_questions(field.data or "")
        except DomainError as error:
            raise ValidationError(error.message) from None

    def validate_closes_at(self, field):
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError("The call must close after it opens.")


class DraftForm(AppForm):
    """The hidden fields of the application form; the answers are read by prompt."""

    draft_version = IntegerField(validators=[Optional()])
    go = HiddenField()


class WithdrawForm(AppForm):
    """Only the CSRF token."""


class ReviewForm(AppForm):
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=5000)],
                          description="Seen by the call's reviewers only.")
    submit = SubmitField("Save scores and notes")


class DecisionForm(AppForm):
    decision = RadioField("Decision",
                          choices=choices((d, DECISION_LABELS[d]) for d in DECISIONS),
                          validators=[InputRequired("Choose a decision.")])
    mentor_id = SelectField("Faculty mentor (when accepting)", coerce=optional_int,
                            validators=[Optional()],
                            description="Linked to the applicant, who is told.")
    submit = SubmitField("Record decision")


def review_form_class(rubric: list[str], highest: int) -> type[ReviewForm]:
    """A ``ReviewForm`` with one 1..``highest`` score field per rubric criterion
    (``score_0``, ``score_1`` …)."""
    fields = {
        f"score_{index}": RadioField(
            criterion, coerce=optional_int,
            choices=choices((n, str(n)) for n in range(1, highest + 1)),
            validators=[InputRequired(f"Score “{criterion}”.")])
        for index, criterion in enumerate(rubric)}
    return type("RubricReviewForm", (ReviewForm,), fields)
