"""Capacity under concurrency: many people registering at the same instant.

Each thread has its own application context, hence its own session and
database connection, and all of them wait at a barrier so the registrations
really overlap. Runs on SQLite (a file database; writers queue on the busy
timeout) and on PostgreSQL (row locks) when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import ExternalParticipant, Offering, Registration, User
from lms.services.errors import DomainError
from lms.services.events import externals
from lms.services.events import registration as event_registration
from tests.db import on_postgres

pytestmark = pytest.mark.commits  # threads with their own connections must see the rows

PEOPLE = 50
SEATS = 10


@pytest.fixture
def app_config() -> dict:
    """A pool large enough for every thread, and a generous SQLite busy timeout."""
    options = {"pool_size": PEOPLE + 5, "max_overflow": 10, "pool_timeout": 60}
    if not on_postgres():
        options["connect_args"] = {"timeout": 60}
    return {"SQLALCHEMY_ENGINE_OPTIONS": options}


def _run_together(app, jobs):
    """Run each job in its own thread and app context, all released at once.

    A job is ``(action, user_id, offering_id)`` with action ``"register"`` or
    ``"cancel"``, or ``("verify", participant_id, offering_id)`` for an external
    participant following their confirmation link. Returns (statuses, domain error
    messages, unexpected errors).
    """
    barrier = threading.Barrier(len(jobs))
    statuses, refused, crashed = [], [], []
    lock = threading.Lock()

    def work(action: str, user_id: int, offering_id: int) -> None:
        with app.app_context():
            try:
                if action == "verify":
                    participant = db.session.get(ExternalParticipant, user_id)
                    barrier.wait(timeout=60)
                    status = externals.verify(participant).status
                    db.session.commit()
                    with lock:
                        statuses.append(status)
                    return
                user = db.session.get(User, user_id)
                offering = db.session.get(Offering, offering_id)
                mine = db.session.execute(select(Registration).where(
                    Registration.user_id == user_id,
                    Registration.offering_id == offering_id)).scalar_one_or_none()
                barrier.wait(timeout=60)
                if action == "register":
                    status = event_registration.register(user, offering).status
                else:
                    event_registration.cancel(mine, actor=user)
                    status = "cancelled"
                db.session.commit()
                with lock:
                    statuses.append(status)
            except DomainError as error:
                db.session.rollback()
                with lock:
                    refused.append(error.message)
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                db.session.rollback()
                with lock:
                    crashed.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a registration hung"
    return statuses, refused, crashed


def test_fifty_simultaneous_registrations_for_ten_seats(app, make_user, make_offering):
    offering = make_offering(capacity=SEATS)
    user_ids = [make_user().id for _ in range(PEOPLE)]
    offering_id = offering.id
    db.session.remove()

    statuses, refused, crashed = _run_together(
        app, [("register", u, offering_id) for u in user_ids])

    assert crashed == []
    assert refused == []
    assert Counter(statuses) == {"registered": SEATS, "waitlisted": PEOPLE - SEATS}
    # What the database holds, not what the threads believe:
    rows = db.session.execute(select(Registration).where(
        Registration.offering_id == offering_id)).scalars().all()
    assert len(rows) == PEOPLE
    assert len({r.user_id for r in rows}) == PEOPLE
    assert Counter(r.status for r in rows) == {"registered": SEATS,
                                               "waitlisted": PEOPLE - SEATS}
    positions = sorted(r.waitlist_position for r in rows if r.status == "waitlisted")
    assert positions == list(range(1, PEOPLE - SEATS + 1))  # a strict FIFO queue, no ties
    assert db.session.get(Offering, offering_id).seats_taken == SEATS


def test_one_person_clicking_many_times_at_once_gets_one_place(app, make_user, make_offering):
    offering = make_offering(capacity=SEATS)
    user_id = make_user().id
    offering_id = offering.id
    db.session.remove()

    statuses, refused, crashed = _run_together(app, [("register", user_id, offering_id)] * 8)

    assert crashed == []
    assert statuses == ["registered"]
    assert len(refused) == 7 and all("already" in message for message in refused)
    assert db.session.scalar(select(func.count(Registration.id))) == 1
    assert db.session.get(Offering, offering_id).seats_taken == 1


def test_cancellations_and_registrations_racing_keep_the_queue_fair(app, make_user,
                                                                      make_offering):
    offering = make_offering(capacity=SEATS)
    seated = [make_user() for _ in range(SEATS)]
    waiting = [make_user() for _ in range(SEATS)]
    newcomers = [make_user() for _ in range(5)]
    for person in seated + waiting:
        event_registration.register(person, offering, notify=False)
    db.session.commit()
    offering_id = offering.id
    first_in_line = {p.id for p in waiting[:5]}
    jobs = ([("cancel", p.id, offering_id) for p in seated[:5]]
            + [("register", p.id, offering_id) for p in newcomers])
    db.session.remove()

    statuses, refused, crashed = _run_together(app, jobs)

    assert crashed == [] and refused == []
    assert Counter(statuses) == {"cancelled": 5, "waitlisted": 5}
    rows = db.session.execute(select(Registration).where(
        Registration.offering_id == offering_id)).scalars().all()
    registered = {r.user_id for r in rows if r.status == "registered"}
    assert len(registered) == SEATS == db.session.get(Offering, offering_id).seats_taken
    assert first_in_line <= registered  # freed seats went to the front of the queue
    assert not {p.id for p in newcomers} & registered


def test_staff_and_external_participants_share_the_seats_under_the_same_guarantee(
        app, make_user, make_offering):
    offering = make_offering(capacity=SEATS, audience="open")
    user_ids = [make_user().id for _ in range(PEOPLE // 2)]
    participant_ids = [externals.sign_up(offering, externals.SignUpData(
        name=f"Guest {n}", email=f"guest{n}@clinic.example.org", organisation="Clinic",
        profession="Nurse")).id for n in range(PEOPLE // 2)]
    db.session.commit()
    offering_id = offering.id
    db.session.remove()

    statuses, refused, crashed = _run_together(
        app, [("register", u, offering_id) for u in user_ids]
        + [("verify", p, offering_id) for p in participant_ids])

    assert crashed == [] and refused == []
    assert Counter(statuses) == {"registered": SEATS, "waitlisted": PEOPLE - SEATS}
    rows = db.session.execute(select(Registration).where(
        Registration.offering_id == offering_id)).scalars().all()
    assert len(rows) == PEOPLE
    assert sum(r.is_external for r in rows) == PEOPLE // 2
    positions = sorted(r.waitlist_position for r in rows if r.status == "waitlisted")
    assert positions == list(range(1, PEOPLE - SEATS + 1))  # one queue for both kinds
    assert db.session.get(Offering, offering_id).seats_taken == SEATS


def test_an_external_following_the_link_many_times_at_once_gets_one_place(app,
                                                                             make_offering):
    offering = make_offering(capacity=SEATS, audience="open")
    participant_id = externals.sign_up(offering, externals.SignUpData(
        name="Guest", email="guest@clinic.example.org", organisation="Clinic",
        profession="Nurse")).id
    db.session.commit()
    offering_id = offering.id
    db.session.remove()

    statuses, refused, crashed = _run_together(app, [("verify", participant_id, offering_id)] * 6)

    assert crashed == []
    # A later click either sees the place already made or loses the race with a message.
    assert statuses.count("registered") + len(refused) == 6
    assert all("already" in message for message in refused)
    assert db.session.scalar(select(func.count(Registration.id))) == 1
    assert db.session.get(Offering, offering_id).seats_taken == 1


def test_the_database_refuses_an_oversold_offering(make_offering):
    """Even a bug that bypassed the service could not oversell: the CHECK constraint holds."""
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError

    offering = make_offering(capacity=2)
    with pytest.raises(IntegrityError):
        db.session.execute(update(Offering).where(Offering.id == offering.id)
                           .values(seats_taken=3))
        db.session.flush()
    db.session.rollback()
