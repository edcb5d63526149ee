"""Forms of the review area. Rubric levels are read per challenge in the view (their
criteria come from the module's YAML), the rest is fixed."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Email, Length, Optional

from lms.formtools import AppForm, choices, optional_int
from lms.services.reviews.review import MAX_COMMENT_CHARS


class ReviewForm(AppForm):
    """A mentor's response to one revision. ``decision`` comes from the button pressed."""

    revision_id = IntegerField(validators=[DataRequired()])
    decision = HiddenField(validators=[AnyOf(("approve", "revise", "comment"),
                                             message=_l("Choose a decision."))])
    comment = TextAreaField(
        _l("Comment"), validators=[Optional(), Length(max=MAX_COMMENT_CHARS)],
        description=_l("What stood out to you: strengths, questions, something to try. "
                    "The learner sees this with your name."))
    improve = TextAreaField(
        _l("What to improve in a revision"), validators=[Optional(), Length(max=MAX_COMMENT_CHARS)],
        description=_l("Needed when you ask for a revision. Be specific and kind: which "
                    "answer, and what would make it stronger."))


class LinkForm(AppForm):
    """Link a mentor to one learner, a department or a cohort."""

    mentor_id = SelectField(_l("Mentor"), coerce=optional_int, validators=[Optional()],
                            description=_l("People with the mentor role."))
    target = RadioField(_l("Link to"), choices=choices([
        ("learner", _l("One learner")),
        ("department", _l("A department (and the departments within it)")),
        ("cohort", _l("A cohort"))]),
        default="learner", validators=[DataRequired(message=_l("Choose what to link to."))])
    learner_email = EmailField(
        _l("Learner's email"), validators=[Optional(), Email(check_deliverability=False),
                                       Length(max=254)],
        description=_l("Only when linking to one learner."))
    department_id = SelectField(_l("Department"), coerce=optional_int, validators=[Optional()],
                                description=_l("Only when linking to a department."))
    cohort_id = SelectField(_l("Cohort"), coerce=optional_int, validators=[Optional()],
                            description=_l("Only when linking to a cohort."))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not self.mentor_id.data:
            self.mentor_id.errors = [*self.mentor_id.errors, _("Choose a mentor.")]
            ok = False
        needed = {"learner": self.learner_email, "department": self.department_id,
                  "cohort": self.cohort_id}.get(self.target.data)
        if needed is not None and not needed.data:
            needed.errors = [*needed.errors, _("Fill this in for the link you chose.")]
            ok = False
        return ok


class PreferenceForm(AppForm):
    submission_emails = RadioField(
        _l("Email me about new reflections to review"), choices=choices([
            ("immediate", _l("As each one arrives")),
            ("digest", _l("Once a day, in a digest"))]),
        validators=[DataRequired()])
