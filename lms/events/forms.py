"""Forms for live sessions. Date/time fields are local wall-clock times in LMS_TIMEZONE."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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

from lms.formtools import AppForm, MultiCheckboxField, choices
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
    code = StringField(_l("Check-in code"), validators=[
        DataRequired(_l("Enter the code shown in the room or on the call.")), Length(max=20)],
                       description=_l("Six letters and digits, shown by the facilitator during "
                                   "the session."))
    submit = SubmitField(_l("Check in"))


class TrainingForm(AppForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(_l("Slug"), validators=[Optional(), Length(max=100)],
                       description=_l("Module live steps name the training by this, e.g. "
                                   "psychological-safety. Left blank, it is made from the title."))
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    series = StringField(_l("Series"), validators=[Optional(), Length(max=200)],
                         description=_l("For workshops in parts, e.g. Systemic Racism."))
    part = IntegerField(_l("Part"), validators=[Optional(), NumberRange(min=1, max=50)])
    related_modules = MultiCheckboxField(_l("Related modules"), validators=[Optional()],
                                         description=_l("Modules that go with this workshop."))
    facilitator_ids = SelectMultipleField(_l("Facilitators"), coerce=int, validators=[Optional()],
                                          description=_l("They see the roster and mark attendance."
                                                      " Hold Ctrl or Cmd to choose several."))
    submit = SubmitField(_l("Save training"))


class OfferingForm(AppForm):
    starts_at = DateTimeLocalField(_l("Starts"), format=LOCAL_FORMAT,
                                   validators=[DataRequired(_l("Give the start date and time."))])
    ends_at = DateTimeLocalField(_l("Ends"), format=LOCAL_FORMAT,
                                 validators=[DataRequired(_l("Give the end date and time."))])
    mode = SelectField(_l("Where"), choices=choices((m, MODE_LABELS[m]) for m in MODES))
    location = StringField(_l("Room"), validators=[Optional(), Length(max=300)],
                           description=_l("Building and room, for sessions on campus."))
    video_url = URLField(_l("Video call link"), validators=[Optional(), Length(max=500)],
                         description=_l("Starts with https://. Shown only to people with a seat."))
    capacity = IntegerField(_l("Seats"), validators=[
        InputRequired(_l("Give the number of seats.")),
        NumberRange(min=1, max=10000, message=_l("Seats must be between 1 and 10,000."))])
    registration_opens_at = DateTimeLocalField(
        _l("Registration opens"), format=LOCAL_FORMAT, validators=[Optional()],
        description=_l("Leave blank to open registration now."))
    registration_closes_at = DateTimeLocalField(
        _l("Registration closes"), format=LOCAL_FORMAT, validators=[Optional()],
        description=_l("Leave blank to close it when the session starts."))
    audience = SelectField(_l("Who may register"),
                           choices=choices((a, AUDIENCE_LABELS[a]) for a in AUDIENCES))
    department_id = SelectField(_l("Department"), coerce=optional_int, validators=[Optional()],
                                description=_l("Only for sessions reserved for one department."))
    fee_note = StringField(_l("Fee note"), validators=[Optional(), Length(max=300)],
                           description=_l("For sessions open to external professionals, e.g. "
                                       "“$50 for participants from outside the institution”."))
    fee = DecimalField(_l("Fee for external participants"), places=2,
                       validators=[Optional()],
                       description=_l("The amount each external participant pays, e.g. 50.00. "
                                      "Leave blank when the session is free. Staff never pay."))
    drop_in = BooleanField(_l("Drop-in: RSVP not required"),
                           description=_l("Anyone with the check-in code is recorded as present."))
    engagement_week_id = SelectField(_l("Event week"), coerce=optional_int, validators=[Optional()],
                                     description=_l("Attending earns a raffle entry for "
                                                    "this week."))
    notes = TextAreaField(_l("Notes for participants"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save session"))

    def validate_ends_at(self, field):
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_("The session must end after it starts."))

    def validate_fee(self, field):
        # "NaN" parses as a decimal but cannot be compared, so test finiteness first.
        if field.data is not None and not (field.data.is_finite()
                                           and 0 <= field.data <= 100000):
            raise ValidationError(_("Give an amount from 0 to 100,000."))


class ScheduleRequestForm(OfferingForm):
    training_id = SelectField(_l("Training"), coerce=optional_int,
                              validators=[DataRequired(_l("Choose the training to schedule."))])
    note = TextAreaField(_l("Note to the department"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Create the session and mark scheduled"))


class CancelOfferingForm(AppForm):
    reason = TextAreaField(_l("Reason (sent to participants)"),
                           validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Cancel this session"))


class AttendanceForm(AppForm):
    registration_ids = SelectMultipleField(
        _l("People"), coerce=int, validate_choice=True,
        validators=[DataRequired(_l("Select at least one person."))])
    attendance = SelectField(_l("Mark selected people as"), choices=choices([
        (ATTENDED, _l("Attended")), (NO_SHOW, _l("No-show")), ("clear", _l("Not marked"))]))
    submit = SubmitField(_l("Apply to selected"))


class WeekForm(AppForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)],
                       description=_l("e.g. We're All In Week."))
    starts_on = DateField(_l("First day"), validators=[DataRequired(_l("Give the first day."))])
    ends_on = DateField(_l("Last day"), validators=[DataRequired(_l("Give the last day."))])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    prizes = TextAreaField(_l("Prizes"), validators=[Optional(), Length(max=2000)],
                           description=_l("One per line, first prize first."))
    submit = SubmitField(_l("Save event week"))

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_("The last day cannot be before the first day."))


class DrawForm(AppForm):
    reason = TextAreaField(_l("Reason for drawing before the week has ended"),
                           validators=[Optional(), Length(max=1000)],
                           description=_l("Needed only while the week is still running: people "
                                          "can still earn entries. It is kept in the audit log."))
    winners = IntegerField(_l("Number of winners"), default=3,
                           validators=[InputRequired(_l("Give the number of winners.")),
                                       NumberRange(min=1, max=100,
                                                   message=_l("Draw between 1 and 100 winners."))])
    seed = StringField(_l("Seed"), validators=[Optional(), Length(max=100)],
                       description=_l("Leave blank for a random one. The same seed and entries "
                                   "always give the same winners."))
    submit = SubmitField(_l("Draw winners"))


class TeamRequestForm(AppForm):
    department_id = SelectField(_l("Department"), coerce=optional_int, validators=[Optional()])
    training_id = SelectField(_l("Workshop"), coerce=optional_int, validators=[Optional()],
                              description=_l("Choose one we already run, or describe the topic "
                                          "below."))
    # No Optional(): it would stop the chain before validate_topic runs.
    topic = StringField(_l("Topic"), validators=[Length(max=300)],
                        description=_l("Required when no workshop is chosen."))
    group_size = IntegerField(_l("Group size"), validators=[
        InputRequired(_l("Give the number of people."))])
    preferred_dates = TextAreaField(_l("Preferred dates"), validators=[
        DataRequired(_l("Give one or more dates or periods.")), Length(max=2000)],
        description=_l("e.g. “Tuesday or Thursday mornings in March”."))
    contact_name = StringField(_l("Contact name"), validators=[DataRequired(), Length(max=200)])
    contact_email = EmailField(_l("Contact email"), validators=[
        DataRequired(), Email(check_deliverability=False), Length(max=254)])
    details = TextAreaField(_l("Anything else we should know"), validators=[Optional(),
                                                                         Length(max=5000)])
    submit = SubmitField(_l("Send request"))

    def validate_topic(self, field):
        if not (field.data or "").strip() and not self.training_id.data:
            raise ValidationError(_("Choose a workshop or describe the topic."))

    def validate_group_size(self, field):
        smallest = current_app.config["LMS_TEAM_REQUEST_MIN_SIZE"]
        if field.data is not None and not smallest <= field.data <= MAX_GROUP:
            raise ValidationError(group_size_message(smallest))


class ExternalSignUpForm(AppForm):
    name = StringField(_l("Full name"), validators=[DataRequired(_l("Give your name.")),
                                                Length(max=200)])
    email = EmailField(_l("Email"), validators=[
        DataRequired(_l("Give your email address.")),
        Email(_l("Give an email address like name@example.org."), check_deliverability=False),
        Length(max=254)],
        description=_l("We send a link to confirm it. Your place counts once you follow it."))
    organisation = StringField(_l("Organisation"), validators=[
        DataRequired(_l("Give the organisation you work for.")), Length(max=200)])
    profession = StringField(_l("Profession"), validators=[
        DataRequired(_l("Give your profession.")), Length(max=200)],
        description=_l("e.g. Registered nurse, Physician, Social worker."))
    licence_number = StringField(_l("Licence number"), validators=[Optional(), Length(max=100)],
                                 description=_l("Optional. Printed on your certificate of "
                                             "attendance for continuing-education records."))
    submit = SubmitField(_l("Sign up"))


class ConfirmForm(AppForm):
    """A single button (confirm, cancel, erase): only the CSRF token."""

    submit = SubmitField(_l("Confirm"))


class FeeForm(AppForm):
    status = SelectField(_l("Fee status"), choices=choices(
        (s, FEE_STATUS_LABELS[s]) for s in FEE_STATUSES))
    reference = StringField(_l("Invoice or receipt number"), validators=[Optional(),
                                                                     Length(max=100)],
                            description=_l("From the finance system. Needed for paid and "
                                        "refunded; printed on the receipt."))
    submit = SubmitField(_l("Save fee status"))


class RaffleConsentForm(AppForm):
    show_name = RadioField(_l("If you win, may we show your name on this page?"), choices=choices([
        ("yes", _l("Yes, show my name")), ("no", _l("No, keep my name off the page"))]),
        validators=[InputRequired(_l("Choose yes or no."))],
        description=_l("The programme office tells winners either way."))
    submit = SubmitField(_l("Save my answer"))


class TriageForm(AppForm):
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)],
                         description=_l("Sent to the contact when you decline."))
    save = SubmitField(_l("Save note"))
    decline = SubmitField(_l("Decline request"))
