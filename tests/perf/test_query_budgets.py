"""Query budgets: each page runs a fixed number of SQL statements, whatever the data.

Every test fills the tables a page reads with 10 and then with 1,000 rows of
what grows there (a learner's enrollments and progress, submissions, people
assigned, registrations...) and asserts the exact number of statements one
request runs. The budget is one constant for both sizes: a page whose count
follows the data runs a query per row (an N+1), and the failing size says so.

When a change legitimately changes a page's query count (a new panel, a
query saved), update that page's constant in the same commit and say why in
the commit message. Never raise a budget to make room for a query per row:
load the rows together instead (``selectinload``/``joinedload`` or one
set-based query). The counts are the same on SQLite and PostgreSQL.

The first request is counted: each runs in its own app context and database
session, as on a server, and nothing it reads has been kept from an earlier request.
"person+roles" in the comments is one query: the signed-in person with their role
names (``with_role_names``).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.extensions import db
from lms.models import (
    CalendarFeed,
    Department,
    Enrollment,
    Module,
    Notification,
    Offering,
    Registration,
    Step,
    StepProgress,
    Submission,
    Training,
    User,
)
from lms.models.events import training_facilitators
from lms.services.assignments import compliance
from tests.assignments.helpers import assign
from tests.events.helpers import text
from tests.perf.conftest import (
    add_assignments,
    add_completions,
    add_mentors,
    add_people,
    add_plan,
    add_progress,
    add_reflections,
    add_sessions,
    clone_modules,
    days_ago,
    insert_rows,
    steps_of,
)

sized = pytest.mark.parametrize("size", [10, 1000])
HTMX = {"HX-Request": "true"}


def counted_get(client, count_queries, url: str):
    """The response to ``url`` and the statements it ran."""
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return response, counter


# --- learners -------------------------------------------------------------------------------

@sized
def test_learner_dashboard(client, auth, make_user, synced, count_queries, listing, size):
    learner = make_user()
    modules = max(2, size // 20)
    module_ids = [module.id for module in clone_modules(modules, size // modules)]
    mentors = add_mentors(learner.id, max(1, size // 100))
    add_progress(learner.id, module_ids, mentors)
    add_assignments(learner.id, module_ids)
    add_plan(learner.id, size)
    add_sessions([learner.id], size)
    insert_rows(Notification, [{"user_id": learner.id, "kind": "review", "text": f"Note {n}",
                                "ref": f"note:{n}"} for n in range(size)])
    db.session.commit()
    auth.login(learner)

    response, counter = counted_get(client, count_queries, "/")

    page = text(response)
    assert page.count('class="assigned-item') == modules
    assert page.count("· Mentoring ") == len(mentors)  # each mentor with their department
    assert "-day check-in for" in page and "raffle entries" in page
    # person+roles; feedback (+ its mentors' roles), mentors with departments; department lead?,
    # assignments; next session, event week, raffle entries; modules and progress (4); check-ins due
    # (2); application calls open now; unread notifications.
    assert counter.count == 17, listing(counter)


@sized
def test_module_page(client, auth, make_user, synced, count_queries, listing, size):
    learner = make_user()
    [module] = clone_modules(1, size)
    steps = steps_of([module.id])
    add_progress(learner.id, [module.id], add_mentors(learner.id, 1))
    last = steps[-1][0]  # left to do, so viewing the page does not complete the module
    db.session.execute(sa.delete(StepProgress).where(StepProgress.step_id == last))
    db.session.execute(sa.delete(Submission).where(Submission.step_id == last))
    live_trainings = {s.config["training"] for s in module.steps if s.kind == "live"}
    add_sessions([learner.id], 2, training_slugs=sorted(live_trainings))  # attended them
    add_plan(learner.id, 1)  # which completes plan steps
    others = add_people(size)
    insert_rows(Enrollment, [{"user_id": u, "module_id": module.id} for u in others])
    insert_rows(StepProgress, [{"user_id": u, "step_id": steps[0][0]} for u in others])
    db.session.commit()
    auth.login(learner)

    response, counter = counted_get(client, count_queries, f"/learn/{module.slug}")

    assert text(response).count('class="outline-item is-done') == size - 1
    # person+roles; module with its steps and the enrollment, steps done, own and
    # co-authored submissions (one query), live trainings attended, plan has an action;
    # unread notifications.
    assert counter.count == 7, listing(counter)


@sized
def test_challenge_step(client, revised_challenge, count_queries, listing, size):
    response, counter = counted_get(client, count_queries,
                                    f"/learn/equity-impact/{revised_challenge.slug}")

    page = text(response)
    assert "Your mentor asked for a revision" in page
    assert f"Revision history and all feedback ({size} revisions)" in page
    # person+roles; module with its steps and the enrollment, progress (2: no live or plan
    # step here; the submission progress loads is the one the page shows, and an individual
    # challenge has no co-authors); the visit recorded (one update, committed after
    # rendering: nothing is loaded again); unread notifications; feedback: reviews (+
    # mentors' roles), revision count, latest revision, the reviewed revision.
    assert counter.count == 11, listing(counter)


@sized
def test_challenge_autosave(client, revised_challenge, count_queries, listing, size):
    url = f"/learn/equity-impact/{revised_challenge.slug}/draft"

    with count_queries() as counter:
        response = client.post(url, headers=HTMX, data={"draft_version": size, "part": 1,
                                                        "p-decision": "An edit."})

    assert response.status_code == 200
    assert "Draft saved" in response.get_data(as_text=True)
    # person+roles; module with its steps and the enrollment (the step's lock needs no more),
    # the submission; the conditional update, returning what it stored; the visit recorded
    # (update). The status is rendered before the commit, so nothing is loaded again.
    assert counter.count == 5, listing(counter)


# --- mentors --------------------------------------------------------------------------------

@sized
def test_mentor_queue(client, auth, make_user, make_department, link, synced, count_queries,
                      listing, size):
    department = make_department("Internal Medicine")
    mentor = make_user(roles=("mentor",))
    link(mentor, department=department)
    challenges = list(db.session.scalars(sa.select(Step.id).where(Step.kind == "challenge")))
    learners = add_people(-(-size // len(challenges)), department_id=department.id)
    add_reflections([(u, s) for u in learners for s in challenges][:size], [mentor.id])
    add_reflections([(u, challenges[0]) for u in add_people(size)], [mentor.id])  # not theirs
    db.session.commit()
    auth.login(mentor)

    response, counter = counted_get(client, count_queries, "/review/?status=all")

    assert f"All ({size})" in text(response)
    # person+roles; counts per state, the page of rows, has learners; challenge
    # filter choices; unread notifications.
    assert counter.count == 6, listing(counter)
    # Again: the counts, whether anyone is linked, the choices and which reflections the
    # page lists are kept per mentor, and so is the unread count: person+roles; the page's
    # rows by id.
    _, again = counted_get(client, count_queries, "/review/?status=all")
    assert again.count == 2, listing(again)
    assert not any("mentor_links" in statement for statement in again.statements)
    # The rows read only what the page shows (no learner's email).
    assert not any("email" in statement for statement in again.statements[1:])


# --- programme office -----------------------------------------------------------------------

@sized
def test_compliance_view(client, auth, admin, synced, count_queries, listing, size):
    departments = insert_rows(Department, [{"name": f"Department {n:03d}"}
                                           for n in range(max(3, size // 50))])
    people = [person for d in departments
              for person in add_people(size // len(departments), department_id=d)]
    module = db.session.scalars(sa.select(Module).where(
        Module.slug == "implicit-bias-foundations")).one()
    add_completions(people[::4], module)
    assign(admin, module)  # everyone: the people above and the admin
    auth.login(admin)
    # On SQLite, how many people there are (which chooses how a large due-date group is
    # read) is read once per worker every ten minutes: not part of every page's budget.
    compliance._people_counts.clear()
    compliance._people_count()

    response, counter = counted_get(client, count_queries, "/assignments/compliance")

    assert f"{len(people) + 1} people, most urgent first" in text(response)
    # person+roles; filter choices (2): the assignments with their counts' versions and the
    # departments, which also name the counts' rows; the counts (from the stored
    # statuses); the page of people; unread notifications.
    assert counter.count == 6, listing(counter)

    again, counter = counted_get(client, count_queries, "/assignments/compliance")

    # Nothing changed: the counts added up under the same versions are not read again,
    # nor is the unread count.
    assert text(again) == text(response)
    assert counter.count == 4, listing(counter)


@sized
@pytest.mark.parametrize(("path", "budget"), [
    # One more than the figures themselves: answers waiting and the latest release.
    pytest.param("/scorecard", 17, id="scorecard"),
    pytest.param("/scorecard/admin", 17, id="scorecard-admin"),
    # The CSVs render no navigation, so they skip the unread notifications count.
    pytest.param("/scorecard.csv", 16, id="scorecard-csv"),
    pytest.param("/scorecard/admin.csv", 16, id="scorecard-admin-csv")])
def test_scorecard(client, auth, admin, synced, count_queries, listing, path, budget, size):
    departments = insert_rows(Department, [{"name": f"Department {n:04d}"}
                                           for n in range(max(2, size // 10))])
    db.session.execute(sa.update(Department).where(Department.id.in_(departments[1::3]))
                       .values(parent_id=departments[0]))  # sub-departments
    people = insert_rows(User, [
        {"email": f"staff{n}@example.edu", "name": f"Staff {n:04d}",
         "department_id": departments[n % len(departments)]} for n in range(size)])
    for module in db.session.scalars(sa.select(Module).where(Module.slug.in_(
            ("implicit-bias-foundations", "inclusive-allyship")))):
        add_completions(people[::3], module)  # trained allies
    db.session.commit()
    auth.login(admin)

    response, counter = counted_get(client, count_queries, path)

    assert f"Department {len(departments) - 1:04d}" in text(response)
    # person+roles; core modules, departments, staff, allies, completions by month;
    # evaluation (2), assignments (1, from the stored statuses), attendance (2), plans (2),
    # champions (2); unread notifications.
    assert counter.count == budget, listing(counter)


# --- live sessions --------------------------------------------------------------------------

@sized
def test_live_session_list(client, auth, make_user, make_department, count_queries, listing,
                           size):
    department = make_department("Pediatrics")
    learner = make_user(department=department)
    offerings = add_sessions(add_people(3), size)
    upcoming = offerings[size // 2:]
    db.session.execute(sa.update(Offering).where(Offering.id.in_(upcoming[1::5])).values(
        audience="department", department_id=department.id))
    waitlisted = upcoming[1::4]
    insert_rows(Registration, [
        {"offering_id": o, "user_id": learner.id, "registered_at": days_ago(1),
         "status": "waitlisted" if o in waitlisted else "registered",
         "waitlist_position": 1 if o in waitlisted else None}
        for o in upcoming[::2] + waitlisted])
    trainings = db.session.scalars(sa.select(Training.id)).all()
    insert_rows(training_facilitators, [{"training_id": t, "user_id": learner.id}
                                        for t in trainings[::5]])
    db.session.commit()
    auth.login(learner)

    response, counter = counted_get(client, count_queries, "/events/")

    page = text(response)
    assert page.count('class="offering-card"') == len(upcoming)
    assert page.count("Waitlist #1") == len(waitlisted)
    facilitated = db.session.scalar(sa.select(sa.func.count(Offering.id)).where(
        Offering.training_id.in_(trainings[::5]), Offering.ends_at > days_ago(30)))
    assert facilitated and page.count(">Roster<span") == facilitated
    # person+roles; upcoming offerings with those I facilitate, my places from now on
    # (+ waitlist places), event week; unread notifications.
    assert counter.count == 6, listing(counter)


def _full_with_a_waitlist(seated: list[int], size: int) -> tuple[int, list[int]]:
    """An offering a week ahead whose seats ``seated`` fill, and half as many waiting."""
    [offering] = add_sessions(seated, 1, starts_in_days=7)
    waiting = add_people(size // 2)
    insert_rows(Registration, [
        {"offering_id": offering, "user_id": u, "status": "waitlisted", "waitlist_position": n + 1,
         "registered_at": days_ago(1)} for n, u in enumerate(waiting)])
    db.session.execute(sa.update(Offering).values(capacity=size, seats_taken=size,
                                                  waitlist_counter=len(waiting)))
    db.session.commit()
    return offering, waiting


@sized
def test_registration(client, auth, make_user, count_queries, listing, size):
    learner = make_user()
    offering, waiting = _full_with_a_waitlist(add_people(size), size)
    auth.login(learner)

    with count_queries() as counter:
        response = client.post(f"/events/offerings/{offering}/register", headers=HTMX,
                               data={"next": "/events/"})

    assert response.status_code == 200
    assert f"you're on the waitlist (number {len(waiting) + 1} in line)" in text(response)
    # person+roles; offering with its training and my registration (none); take a seat
    # (refused), bump the waitlist counter (returning it and the seats); insert with the
    # position; audit; email; after the commit (which keeps what was loaded): place in line.
    assert counter.count == 8, listing(counter)


@sized
def test_cancellation(client, auth, make_user, count_queries, listing, size):
    learner = make_user()
    offering, _waiting = _full_with_a_waitlist(add_people(size - 1) + [learner.id], size)
    auth.login(learner)

    with count_queries() as counter:
        response = client.post(f"/events/offerings/{offering}/cancel", headers=HTMX,
                               data={"next": "/events/"})

    assert response.status_code == 200
    assert "Your place is cancelled" in text(response)
    # person+roles; offering with its training and my registration; cancel it, free the
    # seat; first in line, take the seat for them, promote them, their email (person,
    # roles, outbox insert); next in line, no seat for them (refused); audit; after the
    # commit, which keeps what was loaded: the seat count the refusal left unread.
    assert counter.count == 14, listing(counter)


@sized
def test_calendar_feed(client, make_user, count_queries, listing, size):
    person = make_user()
    add_sessions([person.id], size)
    insert_rows(CalendarFeed, [{"user_id": person.id, "token": "a-private-feed-token"}])
    db.session.commit()

    response, counter = counted_get(client, count_queries, "/events/feed/a-private-feed-token.ics")

    assert response.get_data(as_text=True).count("BEGIN:VEVENT") == size
    # the person's id and language by token; their places with offerings and trainings.
    assert counter.count == 2, listing(counter)
