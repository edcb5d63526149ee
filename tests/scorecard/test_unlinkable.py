"""After release, nothing stored links an evaluation answer to a participation or a person.

Written from the side of whoever holds a copy of the database: every column,
key, date and the physical row order of ``survey_responses`` are checked
against what ``survey_participations`` and ``users`` hold.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from lms.extensions import db
from lms.models import PendingSurveyAnswer, SurveyParticipation, SurveyResponse, User
from lms.services.learning import surveys
from tests.scorecard.conftest import survey_step as _survey_step

PEOPLE = 20


def _physical_order(table: sa.Table, column: sa.Column) -> list:
    """``column`` in the order the rows lie in storage (SQLite rowid, PostgreSQL ctid)."""
    position = "ctid" if db.engine.dialect.name == "postgresql" else "rowid"
    return list(db.session.scalars(sa.select(column).select_from(table)
                                   .order_by(sa.text(position))))


def _answer_everyone(make_department, staff):
    step = _survey_step()
    people = staff(make_department("Surgery"), PEOPLE)
    for i, person in enumerate(people):
        # A marker per person, so the test can tell the answers apart (a real
        # answer has no such thing; that is the point).
        surveys.record_response(person, step, {"learned_strategy": "yes", "marker": str(i)})
    db.session.commit()
    return people


def test_released_answers_have_no_key_date_or_order_that_leads_to_a_person(
        app, synced, make_department, staff):
    k = app.config["LMS_MIN_CELL"]
    people = _answer_everyone(make_department, staff)
    responses = SurveyResponse.__table__

    # Keys: only the survey step and the reporting group; random ids.
    assert {fk.column.table.name for fk in responses.foreign_keys} == {"steps", "departments"}
    ids = [r.id for r in db.session.scalars(sa.select(SurveyResponse))]
    assert len(ids) == PEOPLE and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    participation_ids = {str(i) for i in db.session.scalars(sa.select(SurveyParticipation.id))}
    assert not participation_ids & set(ids)

    # Dates: days only, on both sides.
    for when in [*db.session.scalars(sa.select(SurveyResponse.created_at)),
                 *db.session.scalars(sa.select(SurveyParticipation.created_at))]:
        assert (when.hour, when.minute, when.second, when.microsecond) == (0, 0, 0, 0)

    # Row order: within each batch the stored order is shuffled, so it does not follow
    # the order in which people answered (the chance that four shuffled batches of five
    # all come out in answering order is 1 in 120^4).
    stored = [a["marker"] for a in _physical_order(responses, responses.c.answers)]
    assert sorted(stored, key=int) == [str(i) for i in range(PEOPLE)]
    assert stored != [str(i) for i in range(PEOPLE)]

    # The pool is empty once released: nothing waits beside the participation records.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PendingSurveyAnswer)) == 0

    # The best join a reader has -- same survey, same reporting group, answered no later
    # than the release day -- leaves every answer with at least k candidates.
    for response in db.session.scalars(sa.select(SurveyResponse)):
        candidates = db.session.scalar(
            sa.select(sa.func.count(sa.distinct(User.id)))
            .join(SurveyParticipation, SurveyParticipation.user_id == User.id)
            .where(SurveyParticipation.step_id == response.step_id,
                   User.department_id == response.department_id,
                   SurveyParticipation.created_at <= response.created_at))
        assert candidates >= k
    assert {p.department_id for p in people} == {r.department_id for r in
                                                 db.session.scalars(sa.select(SurveyResponse))}


def _referent(column: sa.Column):
    """What an integer column identifies: the table its key points at (or its own table
    for a primary key); None for a plain number."""
    if column.foreign_keys:
        return next(iter(column.foreign_keys)).column.table.name
    if column.primary_key:
        return column.table.name
    return None


def _comparable(a: sa.Column, b: sa.Column) -> bool:
    """Could a reader sensibly join these two columns? Text with text, times with times,
    and integer keys only with keys to the same table (department 7 and person 7 are
    different things)."""
    kind_a, kind_b = _kind(a), _kind(b)
    if kind_a is None or kind_a is not kind_b:
        return False
    if kind_a is int:
        return _referent(a) is not None and _referent(a) == _referent(b)
    return True


def _kind(column: sa.Column):
    """The Python type a column holds; None for JSON (compared as text elsewhere) or an
    unknown type."""
    if isinstance(column.type, sa.JSON):
        return None
    try:
        return column.type.python_type
    except NotImplementedError:
        return None


def test_no_column_of_a_released_answer_joins_to_fewer_than_k_people(
        app, synced, make_department, staff):
    """Every equality join from a column of ``survey_responses`` to a comparable column
    of a table that holds people (``users`` itself, or a table with a ``user_id``)
    matches nobody or at least k people -- never one, two, three or four."""
    k = app.config["LMS_MIN_CELL"]
    _answer_everyone(make_department, staff)
    responses = SurveyResponse.__table__
    person_tables = [t for t in SurveyResponse.metadata.sorted_tables
                     if t.name == "users" or "user_id" in t.c]
    joins = 0
    for table in person_tables:
        person = table.c.id if table.name == "users" else table.c.user_id
        for column in table.c:
            for answer_column in responses.c:
                if not _comparable(answer_column, column):
                    continue
                counts = db.session.scalars(
                    sa.select(sa.func.count(sa.distinct(person)))
                    .select_from(responses.join(table, answer_column == column))
                    .group_by(responses.c.id)).all()
                assert all(n >= k for n in counts), (table.name, column.name, answer_column.name)
                joins += 1
    assert joins > 20
