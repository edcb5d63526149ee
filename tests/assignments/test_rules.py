"""Assignment rules and the obligations derived from them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lms import clock
from lms.extensions import db
from lms.models import Assignment, AuditEvent, Obligation
from lms.services.accounts import people as accounts
from lms.services.accounts.user_import import import_users
from lms.services.assignments.rules import (
    Rule,
    create_assignment,
    delete_assignment,
    refresh_obligations,
    update_assignment,
)
from lms.services.errors import DomainError
from tests.assignments.helpers import assign, at, complete_module

TODAY = date(2026, 3, 2)


@pytest.fixture
def frozen():
    with clock.frozen_at(at(TODAY)):
        yield


def _open(assignment) -> dict[int, Obligation]:
    return {o.user_id: o for o in db.session.execute(select(Obligation).where(
        Obligation.assignment_id == assignment.id, Obligation.closed_at.is_(None))).scalars()}


def _all(assignment) -> list[Obligation]:
    return list(db.session.execute(select(Obligation).where(
        Obligation.assignment_id == assignment.id).order_by(Obligation.id)).scalars())


def _rule(module, **fields) -> Rule:
    fields.setdefault("target_kind", "everyone")
    fields.setdefault("due_on", TODAY + timedelta(days=30))
    return Rule(module=module, **fields)


def test_departments_with_and_without_sub_departments(frozen, short_module, admin, make_user,
                                                      make_department):
    medicine = make_department("Internal Medicine")
    cardiology = make_department("Cardiology", parent=medicine)
    pediatrics = make_department("Pediatrics")
    library = make_department("Library Services")
    people = {name: make_user(department=dept) for name, dept in [
        ("medic", medicine), ("cardio", cardiology), ("child", pediatrics), ("books", library)]}
    make_user(department=medicine, active=False)

    wide, result = assign(admin, short_module, target_kind="departments",
                          department_ids=[medicine.id, pediatrics.id],
                          due_on=TODAY + timedelta(days=21))
    assert result.opened == 3
    assert set(_open(wide)) == {people["medic"].id, people["cardio"].id, people["child"].id}
    assert {o.due_on for o in _open(wide).values()} == {TODAY + timedelta(days=21)}

    narrow, _ = assign(admin, short_module, target_kind="departments",
                       department_ids=[medicine.id], include_subdepartments=False)
    assert set(_open(narrow)) == {people["medic"].id}


def test_cohort_role_and_named_people(frozen, short_module, admin, make_user):
    cohort = accounts.create_cohort(name="Ally Champions")
    champion = make_user(cohorts=[cohort])
    mentor = make_user(roles=("mentor", "learner"))
    named = make_user(email="named.person@example.edu")
    make_user()

    by_cohort, _ = assign(admin, short_module, target_kind="cohorts", cohort_ids=[cohort.id])
    by_role, _ = assign(admin, short_module, target_kind="role", role="mentor")
    by_name, _ = assign(admin, short_module, target_kind="people",
                        people_emails=["Named.Person@example.edu"])
    everyone, _ = assign(admin, short_module)

    assert set(_open(by_cohort)) == {champion.id}
    assert set(_open(by_role)) == {mentor.id}
    assert set(_open(by_name)) == {named.id}
    assert len(_open(everyone)) == 5  # the four people and the admin


def test_joiners_are_assigned_and_leavers_closed_with_history(frozen, short_module, admin,
                                                             make_user, make_department):
    medicine = make_department("Internal Medicine")
    library = make_department("Library Services")
    make_user(department=medicine)
    assignment, _ = assign(admin, short_module, target_kind="departments",
                           department_ids=[medicine.id])

    joiner = make_user(department=medicine)  # created after the rule: assigned at once
    assert joiner.id in _open(assignment)

    def move(user, department, active=True):
        accounts.update_user(user, actor=admin, name=user.name, email=user.email,
                             roles=user.role_names, department=department, is_active=active)
        db.session.commit()

    move(joiner, library)
    assert joiner.id not in _open(assignment)
    closed = [o for o in _all(assignment) if o.user_id == joiner.id]
    assert [o.close_reason for o in closed] == ["no longer in the assigned group"]

    move(joiner, medicine)  # comes back: a new obligation, the old one stays closed
    rows = [o for o in _all(assignment) if o.user_id == joiner.id]
    assert len(rows) == 2 and rows[0].closed_at and rows[1].closed_at is None

    move(joiner, medicine, active=False)
    rows = [o for o in _all(assignment) if o.user_id == joiner.id]
    assert rows[-1].close_reason == "account deactivated"


def test_imported_people_are_assigned(frozen, short_module, admin, make_department):
    make_department("Pediatrics")
    make_department("Library Services")
    assignment, _ = create_assignment(actor=admin, rule=_rule(
        short_module, target_kind="role", role="admin"))
    db.session.commit()
    everyone, _ = assign(admin, short_module)
    report = import_users(b"email,name,department\n"
                          b"a@example.edu,A Person,Pediatrics\n"
                          b"b@example.edu,B Person,Library Services\n")
    assert report.ok
    db.session.commit()
    assert {u.id for u in report.created} <= set(_open(everyone))
    assert not {u.id for u in report.created} & set(_open(assignment))


def test_relative_due_dates(frozen, short_module, admin, make_user):
    veteran = make_user()
    veteran.joined_at = at(date(2025, 12, 1), hour=20)  # evening UTC, same day in Detroit
    db.session.commit()
    after_join, _ = assign(admin, short_module, due_kind="after_joined", due_days=90,
                           due_on=None)
    after_assign, _ = assign(admin, short_module, due_kind="after_assigned", due_days=14,
                             due_on=None)
    assert _open(after_join)[veteran.id].due_on == date(2025, 12, 1) + timedelta(days=90)
    assert _open(after_assign)[veteran.id].due_on == TODAY + timedelta(days=14)


def test_someone_who_already_completed_is_done_at_once(frozen, short_module, admin, make_user):
    learner = make_user()
    complete_module(learner, short_module)
    assignment, _ = assign(admin, short_module)
    assert _open(assignment)[learner.id].satisfied_at is not None


def test_completing_later_satisfies_every_open_obligation(frozen, short_module, admin,
                                                          make_user):
    learner = make_user()
    first, _ = assign(admin, short_module)
    second, _ = assign(admin, short_module, target_kind="people",
                       people_emails=[learner.email])
    complete_module(learner, short_module)
    assert _open(first)[learner.id].completion_id is not None
    assert _open(second)[learner.id].completion_id == _open(first)[learner.id].completion_id


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"due_on": TODAY - timedelta(days=1)}, "due_on", "is in the past"),
    ({"due_on": None}, "due_on", "Enter the due date"),
    ({"due_kind": "after_joined", "due_days": None}, "due_days", "number of days"),
    ({"target_kind": "departments", "department_ids": []}, "department_ids",
     "at least one department"),
    ({"target_kind": "cohorts", "cohort_ids": []}, "cohort_ids", "at least one cohort"),
    ({"target_kind": "role", "role": "wizard"}, "role", "Choose a role"),
    ({"target_kind": "people", "people_emails": []}, "people", "at least one person"),
    ({"target_kind": "people", "people_emails": ["nobody@example.edu"]}, "people",
     "No account for: nobody@example.edu"),
    ({"recertify_months": 0}, "recertify_months", "months"),
    ({"remind_days_before": [400]}, "remind_days_before", "between 0 and 365"),
])
def test_bad_rules_are_refused_and_nothing_is_saved(frozen, short_module, admin, make_user,
                                                    fields, field, message):
    make_user()
    with pytest.raises(DomainError) as raised:
        create_assignment(actor=admin, rule=_rule(short_module, **fields))
    db.session.rollback()
    assert raised.value.field == field
    assert message in raised.value.message
    assert db.session.scalar(select(func.count(Assignment.id))) == 0
    assert db.session.scalar(select(func.count(Obligation.id))) == 0
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action.like("assignment%"))) == 0


def test_a_rule_matching_nobody_is_refused(frozen, short_module, admin, make_department,
                                           make_user):
    empty = make_department("Empty Department")
    make_user(department=empty, active=False)
    with pytest.raises(DomainError) as raised:
        create_assignment(actor=admin, rule=_rule(short_module, target_kind="departments",
                                                  department_ids=[empty.id]))
    assert "matches nobody" in raised.value.message
    assert raised.value.field == "department_ids"


def test_an_unpublished_module_cannot_be_assigned(frozen, short_module, admin):
    short_module.is_published = False
    with pytest.raises(DomainError) as raised:
        create_assignment(actor=admin, rule=_rule(short_module))
    assert raised.value.field == "module_id" and "not published" in raised.value.message


def test_changing_a_rule_updates_people_and_due_dates(frozen, short_module, admin, make_user,
                                                      make_department):
    medicine = make_department("Internal Medicine")
    pediatrics = make_department("Pediatrics")
    medic = make_user(department=medicine)
    child = make_user(department=pediatrics)
    assignment, _ = assign(admin, short_module, target_kind="departments",
                           department_ids=[medicine.id])
    result = update_assignment(assignment, actor=admin, rule=_rule(
        short_module, target_kind="departments", department_ids=[pediatrics.id],
        due_on=TODAY + timedelta(days=60)))
    db.session.commit()
    assert (result.opened, result.closed) == (1, 1)
    assert set(_open(assignment)) == {child.id}
    assert _open(assignment)[child.id].due_on == TODAY + timedelta(days=60)
    assert [o.close_reason for o in _all(assignment) if o.user_id == medic.id] == [
        "no longer in the assigned group"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assignment.update"))
    assert event.actor_id == admin.id
    assert event.details["changes"]["departments"] == {"before": ["Internal Medicine"],
                                                       "after": ["Pediatrics"]}


def test_changing_only_the_due_rule_moves_open_due_dates(frozen, short_module, admin,
                                                         make_user):
    learner = make_user()
    assignment, _ = assign(admin, short_module)
    update_assignment(assignment, actor=admin, rule=_rule(
        short_module, due_kind="after_assigned", due_on=None, due_days=10))
    db.session.commit()
    assert _open(assignment)[learner.id].due_on == TODAY + timedelta(days=10)


def test_deleting_closes_obligations_and_keeps_history(frozen, short_module, admin, make_user):
    learner = make_user()
    assignment, _ = assign(admin, short_module)
    complete_module(learner, short_module)
    closed = delete_assignment(assignment, actor=admin)
    db.session.commit()
    assert closed == 2
    rows = _all(assignment)
    assert len(rows) == 2 and all(o.close_reason == "assignment deleted" for o in rows)
    assert any(o.satisfied_at for o in rows)  # the completion is still on record
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "assignment.delete", AuditEvent.target_id == assignment.id)) == 1
    # A deleted rule no longer assigns anyone who joins.
    newcomer = make_user()
    assert newcomer.id not in _open(assignment)


def test_refresh_is_idempotent(frozen, short_module, admin, make_user):
    for _ in range(3):
        make_user()
    assign(admin, short_module)
    again = refresh_obligations()
    assert (again.opened, again.closed) == (0, 0)


def test_assigning_is_set_based(frozen, short_module, admin, make_user, count_queries,
                                make_department):
    """The number of statements does not grow with the number of people."""
    department = make_department("Big Department")

    def statements(extra_people: int) -> int:
        for _ in range(extra_people):
            make_user(department=department)
        with count_queries() as counter:
            create_assignment(actor=admin, rule=_rule(
                short_module, target_kind="departments", department_ids=[department.id]))
        db.session.commit()
        return counter.count

    assert statements(2) == statements(30)
