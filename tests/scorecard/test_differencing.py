"""Evaluation figures cannot be differenced to recover one person's anonymous answer.

The scenario a review used: as any learner, read ``/scorecard.csv?layout=rollup``
(36 responses at 86%, Internal Medicine with sub-departments 16 at 88%); one
learner in Internal Medicine answers "no"; once the cached figures expire,
read the CSV again (37 at 84%, 17 at 82%): the difference is that one
person's answer. Published figures must only ever move by whole batches of at
least ``LMS_MIN_CELL`` answers.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from lms.clock import frozen_at
from lms.extensions import db
from lms.services.learning import surveys
from tests.scorecard.conftest import csv_tables
from tests.scorecard.conftest import survey_answers as _answers
from tests.scorecard.conftest import survey_step as _survey_step

NOW = datetime(2026, 11, 15, 12, tzinfo=UTC)
RESPONSES = "Evaluation responses"
SHARE = "Learned a strategy"


def _published(client) -> dict[tuple[str, str, str], str]:
    """Every evaluation figure of both published layouts: (layout, row, column) -> text."""
    found = {}
    for layout in ("departments", "rollup"):
        with frozen_at(NOW):
            response = client.get(f"/scorecard.csv?layout={layout}")
        assert response.status_code == 200
        caption, headers, *rows = csv_tables(response.get_data(as_text=True))[0]
        for row in rows:
            for header, text in zip(headers, row, strict=True):
                if header in (RESPONSES, SHARE):
                    found[(layout, row[0], header)] = text
    return found


def _answer(people, step, learned):
    for person in people:
        surveys.record_response(person, step, _answers(step, learned))
    db.session.commit()


def test_one_new_answer_cannot_be_read_off_two_snapshots(client, auth, synced, make_department,
                                                         staff, make_user):
    step = _survey_step()
    medicine = make_department("Internal Medicine")
    cardiology = make_department("Cardiology", parent=medicine)
    surgery = make_department("Surgery")
    medicine_staff, cardiology_staff = staff(medicine, 20), staff(cardiology, 10)
    surgery_staff = staff(surgery, 25)
    # 36 answers, 31 "yes": Internal Medicine 16 (14 yes) with Cardiology, Surgery 20 (17 yes).
    _answer(medicine_staff[:9], step, "yes")
    _answer(medicine_staff[9:10], step, "no")
    _answer(cardiology_staff[:5], step, "yes")
    _answer(cardiology_staff[5:6], step, "no")
    _answer(surgery_staff[:17], step, "yes")
    _answer(surgery_staff[17:20], step, "no")
    auth.login(make_user())
    before = _published(client)

    _answer(medicine_staff[10:11], step, "no")
    after = _published(client)

    changed = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
    assert changed == {}, f"one answer changed published figures: {changed}"


def test_published_counts_only_move_by_whole_batches(client, auth, synced, make_department,
                                                     staff, make_user, app):
    """Answers arrive one at a time from departments large and small; between any two
    consecutive readings every published response count stays put or moves by at
    least the minimum cell size."""
    k = app.config["LMS_MIN_CELL"]
    step = _survey_step()
    medicine = make_department("Internal Medicine")
    cardiology = make_department("Cardiology", parent=medicine)
    tiny = make_department("Medical Physics", parent=medicine)
    surgery = make_department("Surgery")
    people = [*staff(medicine, 12), *staff(cardiology, 8), *staff(tiny, 3), *staff(surgery, 14)]
    random.Random(14).shuffle(people)
    auth.login(make_user())
    previous = _published(client)
    for i, person in enumerate(people):
        _answer([person], step, "yes" if i % 3 else "no")
        current = _published(client)
        for key, text in current.items():
            if key[2] != RESPONSES or key not in previous:
                continue
            old, new = previous[key], text
            if old.replace(",", "").isdigit() and new.replace(",", "").isdigit():
                moved = abs(int(new.replace(",", "")) - int(old.replace(",", "")))
                assert moved == 0 or moved >= k, (key, old, new)
        previous = current
