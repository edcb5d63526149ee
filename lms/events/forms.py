"""Forms for live sessions. Date/time fields are local wall-clock times in LMS_TIMEZONE."""

from __future__ import annotations

from flask import current_app
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
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

from lms.formtools import AppForm, choices
from lms.models.events import (
    ATTENDED,
    AUDIENCE_LABELS,
    AUDIENCES,
    FEE_STATUS_LABELS,
    FEE_STATUSES,
    MODE_LABELS,
    MODES,
    NO_SHOW,
)
from lms.services.events.requests import MAX_GROUP, group_size_message

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
    related_modules = StringField("Related modules", validators=[Optional(), Length(max=1000)],
                                  description="Module slugs, separated by commas.")
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
    fee = DecimalField("Fee for external participants", places=2,
                       validators=[Optional()],
                       description="The amount each external participant pays, e.g. 50.00. "
                                   "Leave blank when the session is free. Staff never pay.")
    drop_in = BooleanField("Drop-in: RSVP not required",
                           description="Anyone with the check-in code is recorded as present.")
    engagement_week_id = SelectField("Event week", coerce=optional_int, validators=[Optional()],
                                     description="Attending earns a raffle entry for this week.")
    notes = TextAreaField("Notes for participants", validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Save session")

    def validate_ends_at(self, field):
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError("The session must end after it starts.")

    def validate_fee(self, field):
        # "NaN" parses as a decimal but cannot be compared, so test finiteness first.
        if field.data is not None and not (field.data.is_finite()
                                           and 0 <= field.data <= 100000):
            raise ValidationError("Give an amount from 0 to 100,000.")


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
    reason = TextAreaField("Reason for drawing before the week has ended",
                           validators=[Optional(), Length(max=1000)],
                           description="Needed only while the week is still running: people "
                                       "can still earn entries. It is kept in the audit log.")
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
        InputRequired("Give the number of people.")])
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

    def validate_group_size(self, field):
        smallest = current_app.config["LMS_TEAM_REQUEST_MIN_SIZE"]
        if field.data is not None and not smallest <= field.data <= MAX_GROUP:
            raise ValidationError(group_size_message(smallest))


class ExternalSignUpForm(AppForm):
    name = StringField("Full name", validators=[DataRequired("Give your name."),
                                                Length(max=200)])
    email = EmailField("Email", validators=[
        DataRequired("Give your email address."),
        Email("Give an email address like name@example.org.", check_deliverability=False),
        Length(max=254)],
        description="We send a link to confirm it. Your place counts once you follow it.")
    organisation = StringField("Organisation", validators=[
        DataRequired("Give the organisation you work for."), Length(max=200)])
    profession = StringField("Profession", validators=[
        DataRequired("Give your profession."), Length(max=200)],
        description="e.g. Registered nurse, Physician, Social worker.")
    licence_number = StringField("Licence number", validators=[Optional(), Length(max=100)],
                                 description="Optional. Printed on your certificate of "
                                             "attendance for continuing-education records.")
    submit = SubmitField("Sign up")


class ConfirmForm(AppForm):
    """A single button (confirm, cancel, erase): only the CSRF token."""

    submit = SubmitField("Confirm")


class FeeForm(AppForm):
    status = SelectField("Fee status", choices=choices(
        (s, FEE_STATUS_LABELS[s]) for s in FEE_STATUSES))
    reference = StringField("Invoice or receipt number", validators=[Optional(),
                                                                     Length(max=100)],
                            description="From the finance system. Needed for paid and "
                                        "refunded; printed on the receipt.")
    submit = SubmitField("Save fee status")


class RaffleConsentForm(AppForm):
    show_name = RadioField("If you win, may we show your name on this page?", choices=choices([
        ("yes", "Yes, show my name"), ("no", "No, keep my name off the page")]),
        validators=[InputRequired("Choose yes or no.")],
        description="The programme office tells winners either way.")
    submit = SubmitField("Save my answer")


class TriageForm(AppForm):
    note = TextAreaField("Note", validators=[Optional(), Length(max=2000)],
                         description="Sent to the contact when you decline.")
    save = SubmitField("Save note")
    decline = SubmitField("Decline request")
