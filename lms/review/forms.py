"""Forms of the review area. Rubric levels are read per challenge in the view (their
criteria come from the module's YAML), the rest is fixed."""

from wtforms import EmailField, HiddenField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Email, Length, Optional

from lms.formtools import AppForm, choices, optional_int
from lms.services.reviews.review import MAX_COMMENT_CHARS


class ReviewForm(AppForm):
    """A mentor's response to one revision. ``decision`` comes from the button pressed."""

    revision_id = IntegerField(validators=[DataRequired()])
    decision = HiddenField(validators=[AnyOf(("approve", "revise", "comment"),
                                             message="Choose a decision.")])
    comment = TextAreaField(
        "Comment", validators=[Optional(), Length(max=MAX_COMMENT_CHARS)],
        description="What stood out to you: strengths, questions, something to try. "
                    "The learner sees this with your name.")
    improve = TextAreaField(
        "What to improve in a revision", validators=[Optional(), Length(max=MAX_COMMENT_CHARS)],
        description="Needed when you ask for a revision. Be specific and kind: which "
                    "answer, and what would make it stronger.")


class LinkForm(AppForm):
    """Link a mentor to one learner, a department or a cohort."""

    mentor_id = SelectField("Mentor", coerce=optional_int, validators=[Optional()],
                            description="People with the mentor role.")
    target = RadioField("Link to", choices=choices([
        ("learner", "One learner"), ("department", "A department (and the departments "
                                                   "within it)"), ("cohort", "A cohort")]),
        default="learner", validators=[DataRequired(message="Choose what to link to.")])
    learner_email = EmailField(
        "Learner's email", validators=[Optional(), Email(check_deliverability=False),
                                       Length(max=254)],
        description="Only when linking to one learner.")
    department_id = SelectField("Department", coerce=optional_int, validators=[Optional()],
                                description="Only when linking to a department.")
    cohort_id = SelectField("Cohort", coerce=optional_int, validators=[Optional()],
                            description="Only when linking to a cohort.")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not self.mentor_id.data:
            self.mentor_id.errors = [*self.mentor_id.errors, "Choose a mentor."]
            ok = False
        needed = {"learner": self.learner_email, "department": self.department_id,
                  "cohort": self.cohort_id}.get(self.target.data)
        if needed is not None and not needed.data:
            needed.errors = [*needed.errors, "Fill this in for the link you chose."]
            ok = False
        return ok


class PreferenceForm(AppForm):
    submission_emails = RadioField(
        "Email me about new reflections to review", choices=choices([
            ("immediate", "As each one arrives"), ("digest", "Once a day, in a digest")]),
        validators=[DataRequired()])
