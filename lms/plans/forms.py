"""Forms for goals, actions, check-ins, sharing, comments and suggested actions."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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
    shown = f"{limit:,}"
    return Length(max=limit, message=_l("Keep this to %(limit)s characters or fewer.",
                                        limit=shown))


def _not_past(_form, field) -> None:
    if field.data is not None and field.data < local_today():
        raise ValidationError(_("The target date is in the past. Choose today or a later date."))


class GoalForm(AppForm):
    title = StringField(_l("Goal"), validators=[DataRequired(message=_l("Enter your goal.")),
                                            _too_long(TITLE_MAX)],
                        description=_l("What you want to achieve, in one sentence."))
    value = TextAreaField(_l("Why it matters to me"), validators=[Optional(), _too_long(TEXT_MAX)],
                          description=_l("The value behind this goal."))
    behaviours = TextAreaField(_l("Behaviours I will practise"),
                               validators=[Optional(), _too_long(TEXT_MAX)],
                               description=_l("How you will act differently, day to day."))
    circle_of_influence = TextAreaField(
        _l("My circle of influence"), validators=[Optional(), _too_long(TEXT_MAX)],
        description=_l("Where you can act: teams, meetings, classes, committees, people."))
    support_needed = TextAreaField(_l("Support I need"),
                                   validators=[Optional(), _too_long(TEXT_MAX)],
                                   description=_l("Who or what would help you follow through."))
    submit = SubmitField(_l("Save goal"))


class ActionRowForm(AppSubForm):
    """One optional action row on the new-goal form (no CSRF token of its own)."""

    text = StringField(_l("Action"), validators=[Optional(), _too_long(ACTION_MAX)])
    target_date = DateField(_l("Target date"), validators=[Optional(), _not_past])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        text = (self.text.data or "").strip()
        if text and self.target_date.data is None and not self.target_date.errors:
            self.target_date.errors.append(_("Choose a target date for this action."))
            ok = False
        if not text and self.target_date.data is not None:
            self.text.errors.append(_("Describe the action, or clear its date."))
            ok = False
        return ok


class NewGoalForm(GoalForm):
    actions = FieldList(FormField(ActionRowForm), label=_l("First actions"), min_entries=3,
                        max_entries=ACTIONS_PER_GOAL_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        number_rows(self.actions)


def number_rows(rows: FieldList) -> None:
    """Give every row's fields a distinct label ("Action 2", "Target date for action 2")."""
    for index, entry in enumerate(rows, start=1):
        entry.form.text.label.text = _("Action %(number)d", number=index)
        entry.form.target_date.label.text = _("Target date for action %(number)d",
                                                number=index)
        if "include" in entry.form._fields:
            entry.form.include.label.text = _("Add action %(number)d to my plan",
                                              number=index)


class ActionForm(AppForm):
    text = StringField(_l("New action"),
                       validators=[DataRequired(message=_l("Describe the action.")),
                                                 _too_long(ACTION_MAX)],
                       description=_l("Something concrete you will do."))
    target_date = DateField(_l("Target date"),
                            validators=[InputRequired(message=_l("Choose a target date.")),
                                        _not_past])
    submit = SubmitField(_l("Add action"))


class ActionEditForm(AppForm):
    text = StringField(_l("Action"), validators=[DataRequired(message=_l("Describe the action.")),
                                             _too_long(ACTION_MAX)])
    target_date = DateField(_l("Target date"),
                            validators=[InputRequired(message=_l("Choose a target date."))])
    status = SelectField(_l("Status"), choices=choices(STATUS_CHOICES))
    submit = SubmitField(_l("Save action"))

    def __init__(self, *args, previous_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous_date = previous_date

    def validate_target_date(self, field) -> None:
        # An overdue action may keep its date; a newly chosen date must not be past.
        if field.data is not None and field.data != self.previous_date:
            _not_past(self, field)


class ActionStatusForm(AppForm):
    status = SelectField(_l("Status"), choices=choices(STATUS_CHOICES))
    submit = SubmitField(_l("Update"))


class CheckInForm(AppForm):
    did = TextAreaField(_l("What I did"), validators=[Optional(), _too_long(TEXT_MAX)],
                        description=_l("Actions you took, conversations you had, "
                                       "what you noticed."))
    obstacles = TextAreaField(_l("What got in the way"),
                              validators=[Optional(), _too_long(TEXT_MAX)])
    next_steps = TextAreaField(_l("What next"), validators=[Optional(), _too_long(TEXT_MAX)],
                               description=_l("What you will do before your next check-in."))
    submit = SubmitField(_l("Save check-in"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not any((f.data or "").strip() for f in (self.did, self.obstacles,
                                                           self.next_steps)):
            self.did.errors.append(_("Write at least a line about what you did, what got in the "
                                   "way or what comes next."))
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
                SelectField(_("Status of “%(text)s”", text=action.text),
                            choices=choices(STATUS_CHOICES),
                            default=action.status))
    return GoalCheckInForm(**kwargs)


class SharingForm(AppForm):
    shared = BooleanField(_l("Share my plan with my mentors"))
    submit = SubmitField(_l("Save sharing choice"))


class CommentForm(AppForm):
    body = TextAreaField(_l("Your comment"),
                         validators=[DataRequired(message=_l("Write your comment.")),
                                                     _too_long(COMMENT_MAX)],
                         description=_l("The learner is emailed that you commented; the email "
                                     "does not contain your words."))
    submit = SubmitField(_l("Post comment"))


class SuggestionRowForm(AppSubForm):
    include = BooleanField(_l("Add this action to my plan"), default=True)
    text = StringField(_l("Action"), validators=[Optional(), _too_long(ACTION_MAX)])
    target_date = DateField(_l("Target date"), validators=[Optional(), _not_past])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.include.data:
            if not (self.text.data or "").strip():
                self.text.errors.append(_("Describe the action, or untick it."))
                ok = False
            if self.target_date.data is None and not self.target_date.errors:
                self.target_date.errors.append(_("Choose a target date for this action."))
                ok = False
        return ok


class SuggestionsForm(AppForm):
    title = StringField(_l("Goal"), validators=[DataRequired(message=_l("Enter your goal.")),
                                            _too_long(TITLE_MAX)],
                        description=_l("A goal that gathers these actions."))
    value = TextAreaField(_l("Why it matters to me"), validators=[Optional(), _too_long(TEXT_MAX)])
    actions = FieldList(FormField(SuggestionRowForm), label=_l("Suggested actions"),
                        max_entries=ACTIONS_PER_GOAL_MAX * 2)
    submit = SubmitField(_l("Add goal and actions to my plan"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not any(entry.form.include.data for entry in self.actions):
            self.form_errors.append(_("Tick at least one action to add to your plan."))
            ok = False
        return ok
