"""Forms for goals, actions, check-ins, sharing, comments and suggested actions."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from lms.formtools import AppForm, AppSubForm, choices
from lms.models import ACTION_STATUSES
from lms.services.plans.action_plans import (
    ACTION_MAX,
    ACTIONS_PER_GOAL_MAX,
    COMMENT_MAX,
    STATUS_LABELS,
    TEXT_MAX,
    TITLE_MAX,
    local_today,
)

STATUS_CHOICES = [(status, STATUS_LABELS[status]) for status in ACTION_STATUSES]


def _too_long(limit: int) -> Length:
    return Length(max=limit, message=f"Keep this to {limit:,} characters or fewer.")


def _not_past(_form, field) -> None:
    if field.data is not None and field.data < local_today():
        raise ValidationError("The target date is in the past. Choose today or a later date.")


class GoalForm(AppForm):
    title = StringField("Goal", validators=[DataRequired(message="Enter your goal."),
                                            _too_long(TITLE_MAX)],
                        description="What you want to achieve, in one sentence.")
    value = TextAreaField("Why it matters to me", validators=[Optional(), _too_long(TEXT_MAX)],
                          description="The value behind this goal.")
    behaviours = TextAreaField("Behaviours I will practise",
                               validators=[Optional(), _too_long(TEXT_MAX)],
                               description="How you will act differently, day to day.")
    circle_of_influence = TextAreaField(
        "My circle of influence", validators=[Optional(), _too_long(TEXT_MAX)],
        description="Where you can act: teams, meetings, classes, committees, people.")
    support_needed = TextAreaField("Support I need", validators=[Optional(), _too_long(TEXT_MAX)],
                                   description="Who or what would help you follow through.")
    submit = SubmitField("Save goal")


class ActionRowForm(AppSubForm):
    """One optional action row on the new-goal form (no CSRF token of its own)."""

    text = StringField("Action", validators=[Optional(), _too_long(ACTION_MAX)])
    target_date = DateField("Target date", validators=[Optional(), _not_past])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        text = (self.text.data or "").strip()
        if text and self.target_date.data is None and not self.target_date.errors:
            self.target_date.errors.append("Choose a target date for this action.")
            ok = False
        if not text and self.target_date.data is not None:
            self.text.errors.append("Describe the action, or clear its date.")
            ok = False
        return ok


class NewGoalForm(GoalForm):
    actions = FieldList(FormField(ActionRowForm), label="First actions", min_entries=3,
                        max_entries=ACTIONS_PER_GOAL_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        number_rows(self.actions)


def number_rows(rows: FieldList) -> None:
    """Give every row's fields a distinct label ("Action 2", "Target date for action 2")."""
    for index, entry in enumerate(rows, start=1):
        entry.form.text.label.text = f"Action {index}"
        entry.form.target_date.label.text = f"Target date for action {index}"
        if "include" in entry.form._fields:
            entry.form.include.label.text = f"Add action {index} to my plan"


class ActionForm(AppForm):
    text = StringField("New action", validators=[DataRequired(message="Describe the action."),
                                                 _too_long(ACTION_MAX)],
                       description="Something concrete you will do.")
    target_date = DateField("Target date",
                            validators=[InputRequired(message="Choose a target date."),
                                        _not_past])
    submit = SubmitField("Add action")


class ActionEditForm(AppForm):
    text = StringField("Action", validators=[DataRequired(message="Describe the action."),
                                             _too_long(ACTION_MAX)])
    target_date = DateField("Target date",
                            validators=[InputRequired(message="Choose a target date.")])
    status = SelectField("Status", choices=choices(STATUS_CHOICES))
    submit = SubmitField("Save action")

    def __init__(self, *args, previous_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous_date = previous_date

    def validate_target_date(self, field) -> None:
        # An overdue action may keep its date; a newly chosen date must not be past.
        if field.data is not None and field.data != self.previous_date:
            _not_past(self, field)


class ActionStatusForm(AppForm):
    status = SelectField("Status", choices=choices(STATUS_CHOICES))
    submit = SubmitField("Update")


class CheckInForm(AppForm):
    did = TextAreaField("What I did", validators=[Optional(), _too_long(TEXT_MAX)],
                        description="Actions you took, conversations you had, what you noticed.")
    obstacles = TextAreaField("What got in the way", validators=[Optional(), _too_long(TEXT_MAX)])
    next_steps = TextAreaField("What next", validators=[Optional(), _too_long(TEXT_MAX)],
                               description="What you will do before your next check-in.")
    submit = SubmitField("Save check-in")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not any((f.data or "").strip() for f in (self.did, self.obstacles,
                                                           self.next_steps)):
            self.did.errors.append("Write at least a line about what you did, what got in the "
                                   "way or what comes next.")
            ok = False
        return ok

    def status_fields(self):
        return [field for name, field in self._fields.items() if name.startswith("status_")]


def checkin_form_for(goal, **kwargs) -> CheckInForm:
    """A check-in form with one status choice per action of ``goal``."""

    class GoalCheckInForm(CheckInForm):
        """Fields are added below, one per action of this goal."""

    for action in goal.actions:
        setattr(GoalCheckInForm, f"status_{action.id}",
                SelectField(f"Status of “{action.text}”", choices=choices(STATUS_CHOICES),
                            default=action.status))
    return GoalCheckInForm(**kwargs)


class SharingForm(AppForm):
    shared = BooleanField("Share my plan with my mentors")
    submit = SubmitField("Save sharing choice")


class CommentForm(AppForm):
    body = TextAreaField("Your comment", validators=[DataRequired(message="Write your comment."),
                                                     _too_long(COMMENT_MAX)],
                         description="The learner is emailed that you commented; the email "
                                     "does not contain your words.")
    submit = SubmitField("Post comment")


class SuggestionRowForm(AppSubForm):
    include = BooleanField("Add this action to my plan", default=True)
    text = StringField("Action", validators=[Optional(), _too_long(ACTION_MAX)])
    target_date = DateField("Target date", validators=[Optional(), _not_past])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.include.data:
            if not (self.text.data or "").strip():
                self.text.errors.append("Describe the action, or untick it.")
                ok = False
            if self.target_date.data is None and not self.target_date.errors:
                self.target_date.errors.append("Choose a target date for this action.")
                ok = False
        return ok


class SuggestionsForm(AppForm):
    title = StringField("Goal", validators=[DataRequired(message="Enter your goal."),
                                            _too_long(TITLE_MAX)],
                        description="A goal that gathers these actions.")
    value = TextAreaField("Why it matters to me", validators=[Optional(), _too_long(TEXT_MAX)])
    actions = FieldList(FormField(SuggestionRowForm), label="Suggested actions",
                        max_entries=ACTIONS_PER_GOAL_MAX * 2)
    submit = SubmitField("Add goal and actions to my plan")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not any(entry.form.include.data for entry in self.actions):
            self.form_errors.append("Tick at least one action to add to your plan.")
            ok = False
        return ok
