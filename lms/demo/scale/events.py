"""Live sessions: trainings with past and future offerings, registrations, waitlists,
attendance and calendar feeds.

Trainings named by the modules' ``live`` steps get enough past offerings
for everyone whose progress says they attended one; a few more workshops
fill the calendar. Some future offerings are full with a waitlist; the
benchmark's offerings are open for registration with room for everyone.
"""

from __future__ import annotations

import bisect
import json
import math
from datetime import datetime, timedelta

import sqlalchemy as sa

from lms.demo.scale import words
from lms.demo.scale.build import Build, token
from lms.models import Training
from lms.models.events import CHECKIN_ALPHABET

PEOPLE_PER_PAST_SESSION = 60
BENCH_OFFERINGS = 5
FUTURE_PER_TRAINING = 2
EXTRA_ATTENDANCE_SHARE = 0.2
FEED_SHARE = 0.05
LOCAL_NOON_UTC = 17  # offerings start at noon in the institution's (American) time zone

OFFERING_COLUMNS = ["id", "training_id", "starts_at", "ends_at", "mode", "location",
                    "video_url", "capacity", "seats_taken", "waitlist_counter",
                    "registration_opens_at", "registration_closes_at", "audience",
                    "rsvp_required", "status", "sequence", "checkin_code", "notes",
                    "cancelled_at", "created_at", "updated_at"]
REGISTRATION_COLUMNS = ["offering_id", "user_id", "status", "waitlist_position", "attendance",
                        "attendance_marked_at", "attendance_marked_by_id", "checked_in_at",
                        "registered_at", "cancelled_at", "created_at", "updated_at"]


def make_events(b: Build) -> None:
    """Insert trainings, offerings, registrations and calendar feeds."""
    _Events(b).run()


class _Offering:
    """An offering being planned: its row is written once its registrations are known."""

    def __init__(self, offering_id: int, training: tuple[int, str], starts: datetime, *,
                 capacity: int, mode: str, open_now: bool = True, cancelled: bool = False):
        self.id = offering_id
        self.training_id, self.slug = training
        self.starts = starts
        self.ends = starts + timedelta(minutes=90 if mode == "in_person" else 120)
        self.capacity = capacity
        self.mode = mode
        self.open_now = open_now
        self.cancelled = cancelled
        self.people: set[int] = set()
        self.registered = 0
        self.waitlisted = 0
        self.last_position = 0


class _Events:
    def __init__(self, b: Build):
        self.b = b
        self.rng = b.rng("events")
        self.admin = b.user_id(b.admins[0])
        self.registrations: list[tuple] = []
        self.offerings: list[_Offering] = []
        self.next_offering = b.loader.next_id("offerings")
        self.learners = [i for i in range(b.people) if b.active[i]]

    def run(self) -> None:
        live, extra = self.trainings()
        needed: dict[str, int] = {}
        for _, slug, _ in self.b.attendance_needed:
            needed[slug] = needed.get(slug, 0) + 1
        past: dict[str, list[_Offering]] = {}
        for training in live:
            count = max(3, math.ceil(needed.get(training[1], 0) / PEOPLE_PER_PAST_SESSION))
            past[training[1]] = self.past_offerings(training, count)
        for training in extra:
            past[training[1]] = self.past_offerings(training, max(2, self.b.people // 2000))
        future = [o for training in live + extra for o in self.future_offerings(training)]
        bench = [self.offering(extra[k % len(extra)], self.b.anchor + timedelta(
            days=7 + 7 * k, hours=LOCAL_NOON_UTC), capacity=max(100_000, 10 * self.b.people),
            mode="virtual") for k in range(BENCH_OFFERINGS)]
        self.b.offering_ids = [o.id for o in bench]

        self.attend_for_modules(past)
        self.attend_at_random([o for slug, offerings in past.items() for o in offerings
                               if slug in {t[1] for t in extra}])
        self.register_ahead(future, bench)
        feeds = self.feed_people(past, future)
        self.write_offerings()
        self.b.loader.load("registrations", REGISTRATION_COLUMNS, self.registrations)
        self.write_feeds(feeds)

    # --- trainings and offerings ------------------------------------------------------------

    def trainings(self) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        """(id, slug) of the trainings modules name, and of the extra workshops."""
        b = self.b
        existing = dict(b.loader.connection.execute(sa.select(Training.slug, Training.id)).all())
        base = b.loader.next_id("trainings")
        rows: list[tuple] = []
        stamp = b.ago(500 * 1440)

        def add(slug: str, title: str, description: str, related: list[str]) -> tuple[int, str]:
            if slug in existing:
                return existing[slug], slug
            existing[slug] = base + len(rows)
            rows.append((existing[slug], slug, title, description, json.dumps(related), stamp,
                         stamp))
            return existing[slug], slug

        live = []
        for module in b.modules:
            for step in module.steps:
                slug = step.config.get("training") if step.kind == "live" else None
                if slug and slug not in {t[1] for t in live}:
                    live.append(add(slug, module.title, module.title + ": the live workshop "
                                    "that completes the module.", [module.slug]))
        extra = [add(slug, title, description, []) for slug, title, description
                 in words.TRAININGS if slug not in {t[1] for t in live}]
        b.loader.load("trainings", ["id", "slug", "title", "description",
                                    "related_module_slugs", "created_at", "updated_at"], rows)
        new_ids = [row[0] for row in rows]
        b.loader.load("training_facilitators", ["training_id", "user_id"], [
            (training, b.user_id(b.mentors[k % len(b.mentors)]))
            for k, training in enumerate(new_ids)])
        return live, extra

    def offering(self, training: tuple[int, str], starts: datetime, **options) -> _Offering:
        offering = _Offering(self.next_offering, training, starts, **options)
        self.next_offering += 1
        self.offerings.append(offering)
        return offering

    def past_offerings(self, training: tuple[int, str], count: int) -> list[_Offering]:
        """``count`` offerings spread over the last 18 months, the latest days ago."""
        result = []
        for k in range(count):
            days = 2 + k * 540 // count + self.rng.randint(0, 2)
            starts = self.b.anchor - timedelta(days=days) + timedelta(hours=LOCAL_NOON_UTC)
            result.append(self.offering(training, starts, capacity=self.rng.randint(25, 80),
                                        mode=self.rng.choice(("in_person", "virtual",
                                                              "hybrid"))))
        return sorted(result, key=lambda o: o.ends)

    def future_offerings(self, training: tuple[int, str]) -> list[_Offering]:
        rng, anchor = self.rng, self.b.anchor
        result = []
        for k in range(FUTURE_PER_TRAINING):
            starts = anchor + timedelta(days=rng.randint(3, 80), hours=LOCAL_NOON_UTC)
            # The first of each training is small and fills up; some open later.
            capacity = rng.randint(12, 20) if k == 0 else rng.randint(30, 60)
            result.append(self.offering(training, starts, capacity=capacity,
                                        mode=rng.choice(("in_person", "virtual", "hybrid")),
                                        open_now=k == 0 or rng.random() < 0.8))
        result.append(self.offering(training, anchor + timedelta(days=rng.randint(10, 60),
                                                                  hours=LOCAL_NOON_UTC),
                                    capacity=40, mode="in_person", cancelled=True))
        return result

    # --- registrations ----------------------------------------------------------------------

    def register(self, offering: _Offering, index: int, status: str = "registered", *,
                 attendance: str | None = None, waitlist_position: int | None = None) -> bool:
        if index in offering.people:
            return False
        offering.people.add(index)
        rng = self.rng
        registered_at = min(offering.starts - timedelta(minutes=rng.randint(60, 20 * 1440)),
                            self.b.anchor - timedelta(minutes=rng.randint(10, 600)))
        marked = offering.ends + timedelta(hours=1) if attendance else None
        checked_in = (offering.starts + timedelta(minutes=rng.randint(-10, 10))
                      if attendance == "attended" and rng.random() < 0.5 else None)
        cancelled = None
        if status == "registered":
            offering.registered += 1
        elif status == "waitlisted":
            offering.waitlisted += 1
            offering.last_position = waitlist_position or 0
        else:
            cancelled = registered_at + (min(offering.starts, self.b.anchor) - registered_at) / 2
        self.registrations.append((
            offering.id, self.b.user_id(index), status, waitlist_position, attendance, marked,
            self.admin if attendance else None, checked_in, registered_at, cancelled,
            registered_at, marked or cancelled or registered_at))
        return True

    def attend_for_modules(self, past: dict[str, list[_Offering]]) -> None:
        """Everyone whose ``live`` step is done attended an offering of its training, the
        latest one that ended before they went on with the module."""
        for index, slug, before in self.b.attendance_needed:
            offerings = past.get(slug)
            if not offerings:
                continue
            ends = [o.ends for o in offerings]
            position = bisect.bisect_right(ends, before) - 1
            self.register(offerings[max(position, 0)], index, attendance="attended")

    def attend_at_random(self, offerings: list[_Offering]) -> None:
        """A share of people also went to other workshops; some did not show or cancelled."""
        rng = self.rng
        if not offerings:
            return
        for index in self.learners:
            if rng.random() >= EXTRA_ATTENDANCE_SHARE:
                continue
            offering = rng.choice(offerings)
            roll = rng.random()
            if roll < 0.05:
                self.register(offering, index, "cancelled")
            else:
                self.register(offering, index, attendance=(
                    "attended" if roll < 0.8 else "no_show" if roll < 0.95 else None))

    def register_ahead(self, future: list[_Offering], bench: list[_Offering]) -> None:
        """Seats taken in future offerings; the small ones fill up and keep a waitlist."""
        rng = self.rng
        keep_free = set(self.b.bench)
        candidates = [i for i in self.learners if i not in keep_free]
        for offering in future:
            if offering.cancelled or not offering.open_now or not candidates:
                continue
            full = offering.capacity <= 20
            if full:  # leave people over for its waitlist, however few there are
                offering.capacity = min(offering.capacity, max(1, len(candidates) // 2))
            wanted = offering.capacity if full else rng.randint(offering.capacity // 4,
                                                                offering.capacity * 3 // 4)
            for index in rng.sample(candidates, min(wanted, len(candidates))):
                self.register(offering, index)
            if full:
                for position in range(1, rng.randint(3, 8) + 1):
                    self.register(offering, rng.choice(candidates), "waitlisted",
                                  waitlist_position=position)
        for offering in bench:
            for index in rng.sample(candidates, min(len(candidates), self.b.people // 50)):
                self.register(offering, index)

    def feed_people(self, past: dict[str, list[_Offering]], future: list[_Offering]
                    ) -> list[int]:
        """People with a calendar feed: the benchmark's (each with several sessions in the
        feed: two to come, two in the last weeks) and a share of everyone else."""
        rng = self.rng
        recent = [o for offerings in past.values() for o in offerings
                  if o.ends > self.b.anchor - timedelta(days=80)]
        roomy = [o for o in future if not o.cancelled and o.open_now and o.capacity > 20]
        for index in self.b.feed_people:
            for offering in rng.sample(roomy, min(2, len(roomy))):
                self.register(offering, index)
            for offering in rng.sample(recent, min(2, len(recent))):
                self.register(offering, index, attendance="attended")
        chosen = set(self.b.feed_people)
        return self.b.feed_people + [i for i in self.learners
                                     if i not in chosen and rng.random() < FEED_SHARE]

    # --- rows -------------------------------------------------------------------------------

    def write_offerings(self) -> None:
        b, rng = self.b, self.rng
        rows = []
        for o in sorted(self.offerings, key=lambda o: o.id):
            created = min(o.starts - timedelta(days=45), b.anchor - timedelta(days=1))
            # Full offerings: the seats taken are the capacity.
            capacity = max(o.capacity, o.registered) if o.waitlisted == 0 else o.registered
            opens = created if o.open_now else b.anchor + timedelta(days=rng.randint(2, 5))
            rows.append((
                o.id, o.training_id, o.starts, o.ends, o.mode,
                rng.choice(words.LOCATIONS) if o.mode != "virtual" else None,
                f"https://video.example.edu/j/{o.slug}-{o.id}" if o.mode != "in_person"
                else None,
                max(capacity, 1), o.registered, o.last_position, opens,
                o.starts - timedelta(hours=2), "internal", True,
                "cancelled" if o.cancelled else "scheduled", 1 if o.cancelled else 0,
                "".join(rng.choice(CHECKIN_ALPHABET) for _ in range(6)),
                "Captions are on for every video call." if o.mode != "in_person" else "",
                b.anchor - timedelta(days=1) if o.cancelled else None, created, created))
        b.loader.load("offerings", OFFERING_COLUMNS, rows)

    def write_feeds(self, people: list[int]) -> None:
        b = self.b
        rows = []
        for index in people:
            feed_token = token(self.rng, 32)
            rows.append((b.user_id(index), feed_token, b.ago(self.rng.randint(1, 200) * 1440),
                         None))
            if index in b.feed_people:
                b.feed_tokens.append(feed_token)
        b.loader.load("calendar_feeds", ["user_id", "token", "created_at", "last_used_at"], rows)
