from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest

from lms.extensions import db
from lms.models import Enrollment, Module, ModuleCompletion, User


@pytest.fixture
def staff(app):
    """Factory: ``staff(department, n)`` adds n people there (accounts without a password)."""
    counter = iter(range(1, 10**6))

    def make(department, n: int, active: bool = True) -> list[User]:
        people = []
        for _ in range(n):
            i = next(counter)
            people.append(User(email=f"staff{i}@example.edu", name=f"Staff {i:04d}",
                               department_id=department.id if department else None,
                               is_active_account=active))
        db.session.add_all(people)
        db.session.commit()
        return people

    return make


@pytest.fixture
def complete(app):
    """``complete(users, "implicit-bias-foundations", when=...)``: completion records as
    the learner area writes them (an enrollment marked completed and a ModuleCompletion)."""

    def run(users, slug: str, when: datetime | None = None) -> None:
        module = db.session.query(Module).filter_by(slug=slug).one()
        when = when or datetime(2026, 3, 10, 12, tzinfo=UTC)
        ids = [u.id for u in users]
        existing = {e.user_id: e for e in db.session.query(Enrollment).filter(
            Enrollment.module_id == module.id, Enrollment.user_id.in_(ids))}
        for user_id in ids:
            enrollment = existing.get(user_id)
            if enrollment is None:
                enrollment = Enrollment(user_id=user_id, module_id=module.id,
                                        started_at=when - timedelta(days=1))
                db.session.add(enrollment)
            enrollment.status = "completed"
            enrollment.completed_at = enrollment.last_activity_at = when
            enrollment.completed_version = module.content_hash
            db.session.add(ModuleCompletion(user_id=user_id, module_id=module.id,
                                            content_hash=module.content_hash, completed_at=when))
        db.session.commit()

    return run


@pytest.fixture
def train(complete):
    """``train(users)``: complete both default core modules."""

    def run(users, when: datetime | None = None) -> None:
        complete(users, "implicit-bias-foundations", when)
        complete(users, "inclusive-allyship", when)

    return run


class TableParser(HTMLParser):
    """Every <table> on a page: caption, header row and body rows, as whitespace-normalised text."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1]["rows"].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


def page_tables(html: str) -> list[list[list[str]]]:
    """Each table as [[caption], header, *rows], the shape the CSV writes."""
    parser = TableParser()
    parser.feed(html)
    return [[[t["caption"]], *t["rows"]] for t in parser.tables]


def survey_step():
    """The evaluation survey of the shipped implicit-bias module."""
    from lms.services.learning import progress as learning

    module = learning.published_module("implicit-bias-foundations")
    return next(s for s in module.steps if s.kind == "survey")


def survey_answers(step, learned: str) -> dict[str, str]:
    """A complete answer to ``step`` saying ``learned`` to 'I learned a strategy'."""
    return {item["id"]: (learned if item["id"] == "learned_strategy" else
                         "yes" if item["type"] == "yes_no" else item["scale"][-1])
            for item in step.config["items"]}


def csv_tables(text: str) -> list[list[list[str]]]:
    tables, current = [], []
    for row in csv.reader(io.StringIO(text)):
        if not row:
            tables.append(current)
            current = []
        else:
            current.append(row)
    if current:
        tables.append(current)
    return tables

from tests.events.conftest import make_offering, make_training  # noqa: E402,F401  (shared factories)
