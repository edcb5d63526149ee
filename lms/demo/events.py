"""Demo live sessions: three workshops from the programme's calendar and an event week.

Dates are placed relative to the day the demo is loaded, so there is always
something to register for. Idempotent: trainings and the week are matched by
slug and name, and a training only gets new dates when it has fewer than two
upcoming ones.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from lms.extensions import db
from lms.models import EngagementWeek, Offering, User, utcnow
from lms.models.events import SCHEDULED
from lms.services.events import offerings as events
from lms.services.events import raffle as event_raffle
from lms.services.events import registration as event_registration

WEEK_NAME = "We're All In Week"
WEEK_STARTS_IN_DAYS = 14

UPJOHN = "W.E. Upjohn M.D. Campus, Room 1120"
OAKLAND = "Oakland Drive Campus, Conference Room B"

# slug, title, series, part, description, related module slugs, offerings:
# (days from today, local start, minutes, mode, room, capacity, in event week, drop-in).
# Workshops fall on weekdays: a date on a weekend moves to the Monday after, and the
# event week runs Monday to Friday, its sessions counted from its Monday.
TRAININGS = [
    ("psychological-safety", "Psychological Safety", None, None,
     "Cultivating psychological safety and building a culture of inclusivity: how teams make "
     "it safe to speak up, disagree and admit mistakes, and what allies do to protect it.",
     ["inclusive-allyship"],
     [(10, time(12, 0), 120, "virtual", None, 40, False, False),
      (24, time(12, 0), 120, "in_person", UPJOHN, 30, False, False)]),
    ("disability-and-allyship", "Disability and Allyship", None, None,
     "Presented with the Disability Network of Southwest Michigan: ableism in health care and "
     "education, accessible practice, and showing up as an ally to disabled colleagues and "
     "patients.",
     ["inclusive-allyship"],
     [(6, time(12, 0), 90, "in_person", OAKLAND, 3, False, False),
      (20, time(12, 0), 90, "virtual", None, 50, False, False)]),
    ("systemic-racism-pt-2", "Systemic Racism Pt. 2", "Systemic Racism", 2,
     "Presented with ERACCE: how racism is built into institutions and systems, and what it "
     "takes to dismantle it where we work and learn.",
     ["implicit-bias-foundations"],
     [(8, time(12, 0), 120, "virtual", None, 60, False, False),
      (1, time(15, 0), 120, "hybrid", UPJOHN, 35, True, False)]),
    ("lunch-n-unlearn", "Lunch n' Unlearn", None, None,
     "An in-person gathering for faculty, students, staff and trainees to engage in an "
     "experiential activity over lunch. RSVP helps us order food but is not required.",
     [],
     [(2, time(12, 0), 90, "in_person", "Annenberg 5-205", 40, True, True),
      (4, time(12, 0), 90, "in_person", "Annenberg 5-205", 40, True, True)]),
]

# People already holding seats at the small offering, so the next one lands on the waitlist.
NEARLY_FULL = ("disability-and-allyship", ["learner2@example.edu", "learner3@example.edu"])


def _user(email: str) -> User | None:
    return db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()


def _weekday(day: date) -> date:
    """``day``, or the Monday after it when it falls on a Saturday or Sunday."""
    return day + timedelta(days=7 - day.weekday() if day.weekday() >= 5 else 0)


def _ensure_week() -> EngagementWeek:
    week = db.session.execute(
        select(EngagementWeek).where(EngagementWeek.name == WEEK_NAME)).scalar_one_or_none()
    if week is None:
        # the first Monday at least WEEK_STARTS_IN_DAYS away
        starts = events.local_today() + timedelta(days=WEEK_STARTS_IN_DAYS)
        starts += timedelta(days=-starts.weekday() % 7)
        week = event_raffle.create_week(event_raffle.WeekData(
            name=WEEK_NAME, starts_on=starts, ends_on=starts + timedelta(days=4),
            description="A week of programmes for new and returning members of our community "
                        "to learn about anti-racism and anti-bias work. The more sessions you "
                        "attend, the greater your chances in the raffle!",
            prizes="Noise-cancelling headphones\nSunrise alarm clock\nE-reader"), actor=None)
    return week


def load_events_demo() -> None:
    """Create the demo trainings, dates, facilitator, event week and a nearly full session."""
    facilitator = _user("mentor.one@example.edu")
    week = _ensure_week()
    today = events.local_today()
    for slug, title, series, part, description, related, dates in TRAININGS:
        training = events.training_by_slug(slug)
        if training is None:
            training = events.create_training(events.TrainingData(
                title=title, slug=slug, description=description, series=series, part=part,
                related_module_slugs=related,
                facilitator_ids=[facilitator.id] if facilitator else []), actor=None)
        upcoming = db.session.execute(
            select(func.count(Offering.id)).where(
                Offering.training_id == training.id, Offering.status == SCHEDULED,
                Offering.starts_at > utcnow())).scalar_one()
        if upcoming >= 2:
            continue
        for days, start, minutes, mode, room, capacity, in_week, drop_in in dates:
            day = (week.starts_on + timedelta(days=days) if in_week
                   else _weekday(today + timedelta(days=days)))
            starts_local = datetime.combine(day, start)
            starts_at = events.local_to_utc(starts_local)
            offering = events.create_offering(training, events.OfferingData(
                starts_at=starts_at, ends_at=starts_at + timedelta(minutes=minutes),
                capacity=capacity, mode=mode, location=room,
                video_url=f"https://video.example.edu/j/{slug}-{days}"
                if mode in ("virtual", "hybrid") else None,
                audience="internal", rsvp_required=not drop_in,
                engagement_week_id=week.id if in_week else None,
                notes="Cameras optional. Captions are on for every video call."
                if mode != "in_person" else ""), actor=None)
            if slug == NEARLY_FULL[0] and capacity <= len(NEARLY_FULL[1]) + 1:
                for email in NEARLY_FULL[1]:
                    person = _user(email)
                    if person is not None:
                        event_registration.register(person, offering, notify=False)
    _ensure_open_session()
    db.session.flush()


def _ensure_open_session() -> None:
    """A one-hour, fee-based video session open to health care professionals from outside
    the institution (the public sessions of a health system's programme)."""
    training = events.training_by_slug("psychological-safety")
    if training is None or db.session.execute(select(Offering.id).where(
            Offering.training_id == training.id, Offering.audience == "open",
            Offering.status == SCHEDULED, Offering.starts_at > utcnow())).first():
        return
    starts_at = events.local_to_utc(datetime.combine(
        _weekday(events.local_today() + timedelta(days=24)), time(12, 0)))
    events.create_offering(training, events.OfferingData(
        starts_at=starts_at, ends_at=starts_at + timedelta(hours=1), capacity=30,
        mode="virtual", video_url="https://video.example.edu/j/psychological-safety-public",
        audience="open", fee_cents=5000,
        fee_note="$50 for health care professionals from outside the institution; "
                 "free for staff", notes="Cameras optional. Captions are on."), actor=None)
