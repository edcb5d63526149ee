"""Forms for live sessions. Date/time fields are local wall-clock times in LMS_TIMEZONE."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from lms.formtools import AppForm, MultiCheckboxField, choices
from lms.models.events import (
    ATTENDED,
    AUDIENCE_LABELS,
    AUDIENCES,
    MODE_LABELS,
    MODES,
    NO_SHOW,
)

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def optional_int(value):
    if value in (None, "", "None"):
        return None
    return int(value)


class NextForm(AppForm):
    """Register / cancel buttons: only a CSRF token and where to go back to."""

    next = HiddenField()


class CheckInForm(AppForm):
    code = StringField("Check-in code", validators=[DataRequired("Enter the code shown in the "
                                                                 "room or on the call."),
                                                    Length(max=20)],
                       description="Six letters and digits, shown by the facilitator during "
                                   "the session.")
    submit = SubmitField("Check in")


class TrainingForm(AppForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    slug = StringField("Slug", validators=[Optional(), Length(max=100)],
                       description="Module live steps name the training by this, e.g. "
                                   "psychological-safety. Left blank, it is made from the title.")
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)])
    series = StringField("Series", validators=[Optional(), Length(max=200)],
                         description="For workshops in parts, e.g. Systemic Racism.")
    part = IntegerField("Part", validators=[Optional(), NumberRange(min=1, max=50)])
    related_modules = MultiCheckboxField("Related modules", validators=[Optional()],
                                         description="Modules that go with this workshop.")
    facilitator_ids = SelectMultipleField("Facilitators", coerce=int, validators=[Optional()],
                                          description="They see the roster and mark attendance."
                                                      " Hold Ctrl or Cmd to choose several.")
    submit = SubmitField("Save training")


class OfferingForm(AppForm):
    starts_at = DateTimeLocalField("Starts", format=LOCAL_FORMAT,
                                   validators=[DataRequired("Give the start date and time.")])
    ends_at = DateTimeLocalField("Ends", format=LOCAL_FORMAT,
                                 validators=[DataRequired("Give the end date and time.")])
    mode = SelectField("Where", choices=choices((m, MODE_LABELS[m]) for m in MODES))
    location = StringField("Room", validators=[Optional(), Length(max=300)],
                           description="Building and room, for sessions on campus.")
    video_url = URLField("Video call link", validators=[Optional(), Length(max=500)],
                         description="Starts with https://. Shown only to people with a seat.")
    capacity = IntegerField("Seats", validators=[
        InputRequired("Give the number of seats."),
        NumberRange(min=1, max=10000, message="Seats must be between 1 and 10,000.")])
    registration_opens_at = DateTimeLocalField(
        "Registration opens", format=LOCAL_FORMAT, validators=[Optional()],
        description="Leave blank to open registration now.")
    registration_closes_at = DateTimeLocalField(
        "Registration closes", format=LOCAL_FORMAT, validators=[Optional()],
        description="Leave blank to close it when the session starts.")
    audience = SelectField("Who may register",
                           choices=choices((a, AUDIENCE_LABELS[a]) for a in AUDIENCES))
    department_id = SelectField("Department", coerce=optional_int, validators=[Optional()],
                                description="Only for sessions reserved for one department.")
    fee_note = StringField("Fee note", validators=[Optional(), Length(max=300)],
                           description="For sessions open to external professionals, e.g. "
                                       "“$50 for participants from outside the institution”.")
    drop_in = BooleanField("Drop-in: RSVP not required",
                           description="Anyone with the check-in code is recorded as present.")
    engagement_week_id = SelectField("Event week", coerce=optional_int, validators=[Optional()],
                                     description="Attending earns a raffle entry for this week.")
    notes = TextAreaField("Notes for participants", validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Save session")

    def validate_ends_at(self, field):
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError("The session must end after it starts.")


class ScheduleRequestForm(OfferingForm):
    training_id = SelectField("Training", coerce=optional_int,
                              validators=[DataRequired("Choose the training to schedule.")])
    note = TextAreaField("Note to the department", validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Create the session and mark scheduled")


class CancelOfferingForm(AppForm):
    reason = TextAreaField("Reason (sent to participants)",
                           validators=[Optional(), Length(max=1000)])
    submit = SubmitField("Cancel this session")


class AttendanceForm(AppForm):
    registration_ids = SelectMultipleField(
        "People", coerce=int, validate_choice=True,
        validators=[DataRequired("Select at least one person.")])
    attendance = SelectField("Mark selected people as", choices=choices([
        (ATTENDED, "Attended"), (NO_SHOW, "No-show"), ("clear", "Not marked")]))
    submit = SubmitField("Apply to selected")


class WeekForm(AppForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)],
                       description="e.g. We're All In Week.")
    starts_on = DateField("First day", validators=[DataRequired("Give the first day.")])
    ends_on = DateField("Last day", validators=[DataRequired("Give the last day.")])
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)])
    prizes = TextAreaField("Prizes", validators=[Optional(), Length(max=2000)],
                           description="One per line, first prize first.")
    submit = SubmitField("Save event week")

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError("The last day cannot be before the first day.")


class DrawForm(AppForm):
    winners = IntegerField("Number of winners", default=3,
                           validators=[InputRequired("Give the number of winners."),
                                       NumberRange(min=1, max=100,
                                                   message="Draw between 1 and 100 winners.")])
    seed = StringField("Seed", validators=[Optional(), Length(max=100)],
                       description="Leave blank for a random one. The same seed and entries "
                                   "always give the same winners.")
    submit = SubmitField("Draw winners")


class TeamRequestForm(AppForm):
    department_id = SelectField("Department", coerce=optional_int, validators=[Optional()])
    training_id = SelectField("Workshop", coerce=optional_int, validators=[Optional()],
                              description="Choose one we already run, or describe the topic "
                                          "below.")
    # No Optional(): it would stop the chain before validate_topic runs.
    topic = StringField("Topic", validators=[Length(max=300)],
                        description="Required when no workshop is chosen.")
    group_size = IntegerField("Group size", validators=[
        InputRequired("Give the number of people."),
        NumberRange(min=1, max=2000, message="Give a group size between 1 and 2,000.")])
    preferred_dates = TextAreaField("Preferred dates", validators=[
        DataRequired("Give one or more dates or periods."), Length(max=2000)],
        description="e.g. “Tuesday or Thursday mornings in March”.")
    contact_name = StringField("Contact name", validators=[DataRequired(), Length(max=200)])
    contact_email = EmailField("Contact email", validators=[
        DataRequired(), Email(check_deliverability=False), Length(max=254)])
    details = TextAreaField("Anything else we should know", validators=[Optional(),
                                                                         Length(max=5000)])
    submit = SubmitField("Send request")

    def validate_topic(self, field):
        if not (field.data or "").strip() and not self.training_id.data:
            raise ValidationError("Choose a workshop or describe the topic.")


class TriageForm(AppForm):
    note = TextAreaField("Note", validators=[Optional(), Length(max=2000)],
                         description="Sent to the contact when you decline.")
    save = SubmitField("Save note")
    decline = SubmitField("Decline request")
