"""Who is done, who is late: compliance counts and people lists, set-based.

Every figure comes from one grouped query over open obligations (joined to
people when departments matter); the status of each obligation is a SQL
``CASE`` over the status columns stored on it (``status.current_status``):

- completed: the latest completion exists and, with recertification, is
  still valid today;
- overdue: not completed and the (next) due date has passed;
- in progress: the person has started the module;
- not started: everything else.

The categories do not overlap and add up to the number assigned. Nothing
here reads reflection text. Department leads see their departments and the
departments below them; admins see everything.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Date,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal,
    not_,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.selectable import Join

from lms.extensions import db
from lms.models import (
    Assignment,
    Department,
    Module,
    ModuleCompletion,
    Obligation,
    ObligationCount,
    User,
)
from lms.services import duedates
from lms.services.assignments import counts
from lms.services.assignments import status as stored_status
from lms.services.departments import department_descendants
from lms.services.spreadsheet import csv_text

STATUSES = ("completed", "in_progress", "not_started", "overdue")
# Words of the page and the CSV, in the reader's language.
STATUS_LABELS = {"completed": _l("Completed"), "in_progress": _l("In progress"),
                 "not_started": _l("Not started"), "overdue": _l("Overdue")}
PEOPLE_COLUMNS = (_l("Name"), _l("Email"), _l("Department"), _l("Module"), _l("Due date"),
                  _l("Status"), _l("Completed on"))
PEOPLE_CSV_COLUMNS = (*PEOPLE_COLUMNS, _l("Score (%)"), _l("Engaged minutes"),
                      _l("Attested at (UTC)"), _l("Content version"))
COUNT_COLUMNS = (_l("Assigned"), _l("Completed"), _l("In progress"), _l("Not started"),
                 _l("Overdue"), _l("Completion rate"))
NO_DEPARTMENT = _l("No department")


@dataclass
class Filters:
    assignment_id: int | None = None
    department_id: int | None = None
    status: str | None = None
    q: str = ""

    def as_args(self) -> dict:
        """Query-string arguments that reproduce these filters (for links and exports)."""
        args = {"assignment": self.assignment_id, "department": self.department_id,
                "status": self.status, "q": self.q}
        return {k: v for k, v in args.items() if v not in (None, "")}


@dataclass
class Counts:
    completed: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0

    def copy(self) -> Counts:
        return Counts(self.completed, self.in_progress, self.not_started, self.overdue)

    @property
    def assigned(self) -> int:
        return self.completed + self.in_progress + self.not_started + self.overdue

    @property
    def rate(self) -> int | None:
        return round(100 * self.completed / self.assigned) if self.assigned else None

    def cells(self) -> list[str]:
        rate = self.rate
        return [str(self.assigned), str(self.completed), str(self.in_progress),
                str(self.not_started), str(self.overdue), "–" if rate is None else f"{rate}%"]


@dataclass
class SummaryRow:
    label: str
    counts: Counts
    key: int | None = None  # assignment or department id, for links

    def cells(self) -> list[str]:
        return [self.label, *self.counts.cells()]


@dataclass
class PersonRow:
    name: str
    email: str
    department: str
    module: str
    due: date
    status: str
    completed_on: date | None
    user_id: int = 0
    # The evidence of the completion that satisfied the obligation (CSV only).
    score_percent: int | None = None
    engaged_minutes: int | None = None
    attested_at: datetime | None = None
    version: str | None = None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    def cells(self, status_label: str | None = None) -> list[str]:
        """The row's words; ``status_label``: the status in words when the caller has it
        already (a page translates each status once, not once a row)."""
        return [self.name, self.email, self.department, self.module, self.due.isoformat(),
                self.status_label if status_label is None else status_label,
                self.completed_on.isoformat() if self.completed_on else ""]

    def csv_cells(self) -> list[str]:
        """``cells`` and the completion's evidence (score, engaged minutes, attested at,
        content version); empty where the completion's version set no such rule."""
        return [*self.cells(),
                "" if self.score_percent is None else str(self.score_percent),
                "" if self.engaged_minutes is None else str(self.engaged_minutes),
                self.attested_at.isoformat(timespec="minutes") if self.attested_at else "",
                self.version or ""]


# --- who may see what ---------------------------------------------------------------------

def department_choices(scope: set[int] | None) -> list[tuple[int, str]]:
    query = select(Department.id, Department.name).order_by(Department.name)
    if scope is not None:
        query = query.where(Department.id.in_(scope))
    return [tuple(row) for row in db.session.execute(query)]


@dataclass(frozen=True)
class AssignmentIndex:
    """Every assignment, from one statement: the live ones' titles in title order (a
    filter's choices, and the names of the counts' rows, since open obligations belong to
    live assignments) and every one's counts version (as ``counts.versions`` reads them)."""

    choices: list[tuple[int, str]]
    versions: tuple[tuple[int, str], ...]

    @property
    def titles(self) -> dict[int, str]:
        return dict(self.choices)

    def versions_of(self, assignment_id: int | None) -> tuple[tuple[int, str], ...]:
        """``counts.versions(assignment_id)``, as read with the index."""
        if assignment_id is None:
            return self.versions
        return tuple(pair for pair in self.versions if pair[0] == assignment_id)


def assignment_index() -> AssignmentIndex:
    rows = db.session.execute(
        select(Assignment.id, Module.title, Assignment.deleted_at, Assignment.counts_version)
        .join(Module, Module.id == Assignment.module_id)
        .order_by(Module.title, Assignment.id)).all()
    return AssignmentIndex(
        choices=[(row[0], row[1]) for row in rows if row[2] is None],
        versions=tuple(sorted((row[0], row[3]) for row in rows)))


# --- the status of every obligation, in SQL -----------------------------------------------

def status_expression(on: date | None = None):
    """A SQL CASE giving each open obligation's status on ``on`` (default today), from the
    status columns stored on the obligation (``lms.services.assignments.status``)."""
    return stored_status.current_status(on)


def obligation_rows(filters: Filters, scope: set[int] | None, *columns,
                    on: date | None = None, join_users: bool = True) -> Select:
    """Open, not exempt obligations with their status, filtered and scoped; a subquery-ready
    select.

    Reads the obligations table (and people when needed) only: the status
    comes from the stored columns, departments from the department stored on
    each obligation (the person's, kept current by ``people_changed``).
    ``join_users=False`` leaves people out unless a name filter needs them.
    """
    return _open_obligations(
        columns, literal(on or duedates.today(), Date()),
        assignment=filters.assignment_id or None,
        departments=(department_descendants([filters.department_id])
                     if filters.department_id else None),
        scope=None if scope is None else (scope or [-1]),
        like=f"%{filters.q.lower()}%" if filters.q else None, join_users=join_users)


def _open_obligations(columns, day, *, assignment=None, departments=None, scope=None,
                      like=None, join_users: bool = True, walk_names: bool = False) -> Select:
    """``obligation_rows`` with its values given one by one: ``day`` as SQL, the others as
    values or bound parameters, None where no such filter applies. ``walk_names``: read
    people first, in name order (``_NameWalk``)."""
    status = stored_status.status_on(day).label("status")
    join_users = join_users or like is not None or walk_names
    if walk_names:
        query = select(*columns, status).select_from(_NameWalk(
            User.__table__, Obligation.__table__, User.id == Obligation.user_id))
    elif join_users:
        query = (select(*columns, status).select_from(Obligation)
                 .join(User, User.id == Obligation.user_id))
    else:
        query = select(*columns, status).select_from(Obligation)
    # Deleting an assignment closes its obligations, so open rows belong to live ones.
    query = query.where(Obligation.closed_at.is_(None), Obligation.exempt_at.is_(None))
    if assignment is not None:
        query = query.where(Obligation.assignment_id == assignment)
    for ids in (departments, scope):
        if ids is not None:
            query = query.where(Obligation.department_id.in_(ids))
    if like is not None:
        query = query.where(or_(func.lower(User.name).like(like), User.email.like(like)))
    return query


class _NameWalk(Join):
    """People joined to their obligations, which SQLite must run in that order: walk people
    by name (``ix_users_name_id``), look up each one's obligations, stop after the page.

    SQLite estimates a due-date group from averages, so it reads a group of
    thousands (everyone assigned with one due date) whole and sorts it by
    name; ``CROSS JOIN`` is how SQLite is told the order of a join. Other
    databases get a plain join and their planner's choice.
    """

    inherit_cache = True


@compiles(_NameWalk, "sqlite")
def _name_walk_on_sqlite(join: _NameWalk, compiler, **kw) -> str:
    # The left side is the people table, so the first " JOIN " is this join's own.
    return compiler.visit_join(join, **kw).replace(" JOIN ", " CROSS JOIN ", 1)


def _department_conditions(column, filters: Filters, scope: set[int] | None,
                           departments: Iterable[int] | None = None) -> list:
    """Conditions on ``column`` for the department filter (``departments``: the filter's
    department and those below it, when the caller has them already) and the scope."""
    conditions = []
    if filters.department_id:
        if departments is None:
            departments = department_descendants([filters.department_id])
        conditions.append(column.in_(departments))
    if scope is not None:
        conditions.append(column.in_(scope or [-1]))
    return conditions


@dataclass
class Summary:
    """Counts per assignment and per department, from one grouped query; ``groups`` counts
    the people list's rows per (status, due date), which lets ``people`` fetch a page
    without sorting everyone (None when a name filter is set)."""

    by_assignment: list[SummaryRow]
    by_department: list[SummaryRow]
    groups: dict[tuple[str, date | None], int] | None = None
    # What the kept tally was found under (``_kept_tally``); None when nothing was kept.
    kept_key: tuple | None = None

    @property
    def total(self) -> Counts:
        return totals(self.by_assignment)

    @property
    def department_total(self) -> Counts:
        return totals(self.by_department)


def _counted(filters: Filters, scope: set[int] | None, on: date | None, *,
             departments: Iterable[int] | None = None) -> Select:
    """(assignment, department, status, due date, people) from ``ObligationCount``: the
    compliance counts kept current (``counts``), a few rows per assignment and department."""
    c = ObligationCount
    inner = select(c.assignment_id.label("assignment_id"), c.department_id.label("department_id"),
                   c.next_due_on.label("due_on"), c.people.label("people"),
                   counts.status_case(on).label("status"))
    if filters.assignment_id:
        inner = inner.where(c.assignment_id == filters.assignment_id)
    for condition in _department_conditions(c.department_id, filters, scope, departments):
        inner = inner.where(condition)
    inner = inner.subquery()
    query = (select(inner.c.assignment_id, inner.c.department_id, inner.c.status,
                    inner.c.due_on, func.sum(inner.c.people).label("people"))
             .group_by(inner.c.assignment_id, inner.c.department_id, inner.c.status,
                       inner.c.due_on))
    if filters.status:
        query = query.where(inner.c.status == filters.status)
    return query


@dataclass(frozen=True)
class _Tally:
    """What ``summarise`` adds up from one grouped query: people per assignment, per
    department and per (status, due date), each as ``Counts``."""

    per_assignment: dict[int, Counts]
    per_department: dict[int | None, Counts]
    groups: dict[tuple[str, date | None], int]


def _tally(query: Select) -> _Tally:
    per_assignment: dict[int, Counts] = defaultdict(Counts)
    per_department: dict[int | None, Counts] = defaultdict(Counts)
    groups: dict[tuple[str, date | None], int] = defaultdict(int)
    for assignment_id, department_id, status, due_on, number in db.session.execute(query):
        number = int(number)
        for counted in (per_assignment[assignment_id], per_department[department_id]):
            setattr(counted, status, getattr(counted, status) + number)
        groups[status, due_on] += number
    return _Tally(dict(per_assignment), dict(per_department), _by_urgency(groups))


class _Kept:
    """Values worked out once per worker and found again by key; the most recently used
    ``size`` are kept."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, compute: Callable[[], object]):
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = compute()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value


# Tallies of the kept counts, by what they were read under: the database, the counts
# versions of the assignments read (``counts.versions``), the day and the filters. A
# rewrite of any of those counts gives its assignment a new version in the same
# transaction, so a tally is only found again while its counts are unchanged. Few: a
# page reads one, and the versions move with every completion.
_tallies = _Kept(32)


def _kept_tally(filters: Filters, scope: set[int] | None, on: date | None,
                index: AssignmentIndex | None) -> tuple[_Tally, tuple]:
    """The tally of the kept counts and the key it is kept under."""
    departments = (frozenset(department_descendants([filters.department_id]))
                   if filters.department_id else None)
    assignment_id = filters.assignment_id or None
    versions = (counts.versions(assignment_id) if index is None
                else index.versions_of(assignment_id))
    key = (current_app.config["SQLALCHEMY_DATABASE_URI"], versions, on or duedates.today(),
           filters.assignment_id or None, departments,
           None if scope is None else frozenset(scope), filters.status)
    return _tallies.get(key, lambda: _tally(
        _counted(filters, scope, on, departments=departments))), key


def summarise(filters: Filters, scope: set[int] | None, on: date | None = None, *,
              assignments: AssignmentIndex | None = None,
              department_names: dict[int, str] | None = None) -> Summary:
    """Counts per assignment and per department (the people's current department).

    One query grouped by assignment, department and status (over the kept
    counts, or over the obligations when a name filter is set); the two
    tables are sums of its rows, so they always agree with each other. What
    the kept counts add up to is kept while they do not change
    (``_kept_tally``). ``assignments`` (``assignment_index``) and
    ``department_names``, when the caller has read them already, save reading
    the assignments' titles and versions and the departments' names again.
    """
    if filters.q:
        # Group in an outer query: PostgreSQL will not match a CASE with bound
        # parameters in SELECT to the same CASE repeated in GROUP BY.
        inner = obligation_rows(filters, scope, Obligation.assignment_id.label("assignment_id"),
                                Obligation.department_id.label("department_id"),
                                literal(None, Date()).label("due_on"), on=on).subquery()
        query = (select(inner.c.assignment_id, inner.c.department_id, inner.c.status,
                        inner.c.due_on, func.count())
                 .group_by(inner.c.assignment_id, inner.c.department_id, inner.c.status,
                           inner.c.due_on))
        if filters.status:
            query = query.where(inner.c.status == filters.status)
        tally, kept_key = _tally(query), None
    else:
        tally, kept_key = _kept_tally(filters, scope, on, assignments)
    return Summary(by_assignment=_assignment_rows(
                       tally.per_assignment, assignments.titles if assignments else None),
                   by_department=_department_rows(tally.per_department, department_names),
                   groups=None if filters.q else tally.groups, kept_key=kept_key)


# Parts of the compliance page made from the kept counts alone, as rendered: by the
# kept tally's key (``Summary.kept_key``: counts versions, day, filters, scope) and
# whatever else the caller names (the rows' titles and names, the language), so a part
# is found again only while everything it shows is unchanged.
_fragments = _Kept(32)


def kept_fragment(summary: Summary, key: tuple, render: Callable[[], str]) -> str:
    """``render()``, kept under ``summary.kept_key`` and ``key`` (everything else the
    fragment shows); rendered every time when the summary was not kept (a name filter)."""
    if summary.kept_key is None:
        return render()
    return _fragments.get((summary.kept_key, *key), render)


def _assignment_rows(counts: dict[int, Counts],
                     titles: dict[int, str] | None = None) -> list[SummaryRow]:
    if not counts:
        return []
    if titles is None or not titles.keys() >= counts.keys():
        titles = dict(db.session.execute(
            select(Assignment.id, Module.title).join(Module, Module.id == Assignment.module_id)
            .where(Assignment.id.in_(list(counts)))).all())
    rows = [SummaryRow(label=f"{titles[aid]} (#{aid})", counts=c.copy(), key=aid)
            for aid, c in counts.items()]
    return sorted(rows, key=lambda r: (r.label.lower(), r.key))


def _department_rows(counts: dict[int | None, Counts],
                     names: dict[int, str] | None = None) -> list[SummaryRow]:
    ids = [k for k in counts if k is not None]
    if names is None or not names.keys() >= set(ids):
        names = dict(db.session.execute(select(Department.id, Department.name).where(
            Department.id.in_(ids))).all()) if ids else {}
    no_department = str(NO_DEPARTMENT)
    rows = [SummaryRow(label=names.get(did, no_department) if did else no_department,
                       counts=c.copy(), key=did) for did, c in counts.items()]
    return sorted(rows, key=lambda r: (r.key is None, r.label.lower()))


def by_assignment(filters: Filters, scope: set[int] | None,
                  on: date | None = None) -> list[SummaryRow]:
    """Counts per assignment (within the department filter and scope); two queries."""
    if filters.q:
        return summarise(filters, scope, on).by_assignment
    grouped = _counted(filters, scope, on).subquery()
    counts: dict[int, Counts] = defaultdict(Counts)
    for assignment_id, status, number in db.session.execute(
            select(grouped.c.assignment_id, grouped.c.status, func.sum(grouped.c.people))
            .group_by(grouped.c.assignment_id, grouped.c.status)):
        setattr(counts[assignment_id], status, int(number))
    return _assignment_rows(counts)


def by_department(filters: Filters, scope: set[int] | None,
                  on: date | None = None) -> list[SummaryRow]:
    """Counts per department people belong to (within the assignment filter and scope)."""
    return summarise(filters, scope, on).by_department


def totals(rows: Iterable[SummaryRow]) -> Counts:
    total = Counts()
    for row in rows:
        for status in STATUSES:
            setattr(total, status, getattr(total, status) + getattr(row.counts, status))
    return total


_STATUS_RANK = {"overdue": 0, "not_started": 1, "in_progress": 2, "completed": 3}


def _person_columns() -> tuple:
    return (Obligation.id.label("obligation_id"), Obligation.next_due_on.label("due_on"),
            Obligation.satisfied_at.label("satisfied_at"),
            Obligation.module_id.label("module_id"), User.id.label("user_id"),
            Obligation.completion_id.label("completion_id"), User.name.label("name"),
            User.email.label("email"), Obligation.department_id.label("department_id"))


def people(filters: Filters, scope: set[int] | None, *, page: int = 1,
           per_page: int | None = 50, on: date | None = None,
           total: int | None = None,
           groups: dict[tuple[str, date | None], int] | None = None,
           ) -> tuple[list[PersonRow], int]:
    """People and their status, most urgent first; ``per_page=None`` returns everyone.

    Returns ``(rows, total)``. One query for the page, and one to count
    unless ``total`` is known already (from ``summarise``). With the row
    counts per (status, due date) from ``summarise`` (``groups``), the page
    is read group by group in name order and stops after the page, instead
    of sorting every row assigned (``_page_by_groups``).
    """
    if groups is not None and per_page is not None:
        total = sum(groups.values()) if total is None else total
        spans = _page_spans(groups, page, per_page)
        if not spans:
            return [], total
        return _person_rows(_page_by_groups(filters, scope, spans, on), evidence=False), total
    inner = obligation_rows(filters, scope, *_person_columns(), on=on).subquery()
    conditions = [inner.c.status == filters.status] if filters.status else []
    if total is None:
        total = db.session.scalar(
            select(func.count()).select_from(inner).where(*conditions)) or 0
    ordered = (select(inner).where(*conditions)
               .order_by(case(_STATUS_RANK, value=inner.c.status), inner.c.due_on,
                         inner.c.name, inner.c.obligation_id))
    if per_page is not None:
        ordered = ordered.limit(per_page).offset((max(page, 1) - 1) * per_page)
    return _person_rows(db.session.execute(_with_names(ordered.subquery("chosen")))), total


def _with_names(chosen, *, evidence: bool = True) -> Select:
    """The chosen rows with their module's title, department's name and (``evidence``, for
    the CSV) their completion's evidence: joined to the page only, not to every row
    sorted."""
    query = (select(chosen, Module.title.label("module_title"),
                    Department.name.label("department_name"))
             .join(Module, Module.id == chosen.c.module_id)
             .outerjoin(Department, Department.id == chosen.c.department_id)
             .order_by(case(_STATUS_RANK, value=chosen.c.status), chosen.c.due_on,
                       chosen.c.name, chosen.c.obligation_id))
    if evidence:
        query = (query.add_columns(ModuleCompletion.score_percent,
                                   ModuleCompletion.engaged_minutes,
                                   ModuleCompletion.attested_at, ModuleCompletion.content_hash,
                                   ModuleCompletion.rules)
                 .outerjoin(ModuleCompletion, ModuleCompletion.id == chosen.c.completion_id))
    return query


def _person_rows(result, *, evidence: bool = True) -> list[PersonRow]:
    """People rows from ``_with_names`` (with ``evidence`` as it was read)."""
    no_department = str(NO_DEPARTMENT)
    rows = []
    for row in result:
        data = row._mapping
        satisfied: datetime | None = data["satisfied_at"]
        person = PersonRow(
            name=data["name"], email=data["email"],
            department=data["department_name"] or no_department, module=data["module_title"],
            due=data["due_on"],
            status=data["status"],
            completed_on=duedates.local_date(satisfied) if satisfied else None,
            user_id=data["user_id"])
        if evidence:
            person.score_percent = data["score_percent"]
            person.engaged_minutes = data["engaged_minutes"] if data["rules"] else None
            person.attested_at = data["attested_at"]
            person.version = data["content_hash"][:12] if data["content_hash"] else None
        rows.append(person)
    return rows


def _status_within_group(status: str, day):
    """SQL: the obligations of one due-date group that have ``status`` on ``day`` (SQL; the
    due date decides between overdue and the rest, so plain column tests remain, which the
    planner can estimate: it then walks people in name order and stops after a page)."""
    completed = and_(Obligation.satisfied_at.is_not(None),
                     or_(Obligation.valid_until.is_(None), Obligation.valid_until > day))
    if status == "completed":
        return completed
    if status == "overdue":
        return not_(completed)
    started = Obligation.is_started == (status == "in_progress")
    return and_(not_(completed), started)


class _ByUrgency(dict):
    """(status, due date) → rows, in the order the people list reads the groups."""


def _by_urgency(groups: dict[tuple[str, date | None], int]) -> _ByUrgency:
    """The groups in urgency order (most urgent status, then earliest due date, undated
    last); sorted once for a kept tally, not once a page."""
    if isinstance(groups, _ByUrgency):
        return groups
    return _ByUrgency(sorted(groups.items(), key=lambda item: (
        _STATUS_RANK[item[0][0]], item[0][1] is None, item[0][1] or date.min)))


@dataclass(frozen=True)
class _Span:
    """One part of a page: ``take`` rows after ``skip`` of the (status, due date) groups from
    ``first`` to ``last`` (one group unless several are read whole, ``kind`` "range");
    ``kind`` "undated" for the group without a due date."""

    status: str
    kind: str
    first: date | None
    last: date | None
    skip: int
    take: int
    size: int  # rows in the groups spanned

    def values(self, index: int) -> dict[str, object]:
        """The values of the parameters of part ``index`` of the page query."""
        values: dict[str, object] = {f"take_{index}": self.take}
        if self.kind != "undated":
            values[f"first_{index}"] = self.first
        if self.kind == "range":
            values[f"last_{index}"] = self.last
        else:
            values[f"skip_{index}"] = self.skip
        return values


def _page_spans(groups: dict[tuple[str, date | None], int], page: int,
                per_page: int) -> list[_Span]:
    """The parts of the groups a page spans, in urgency order; none past the end.

    A group read in part (the page starts or ends inside it) is a part of its
    own. Groups read whole, one after the other with the same status, make
    one part, a range of due dates: with due dates spread over years (one per
    hire date), a page spans dozens of groups of one or two people, and one
    part per group made a statement too long to be planned quickly.
    """
    skip = (max(page, 1) - 1) * per_page
    wanted = per_page
    taken: list[tuple[str, date | None, int, int, bool]] = []  # status, due, skip, take, whole
    for (status, due_on), number in _by_urgency(groups).items():
        if skip >= number:
            skip -= number
            continue
        take = min(number - skip, wanted)
        taken.append((status, due_on, skip, take,
                      skip == 0 and take == number and due_on is not None))
        skip = 0
        wanted -= take
        if not wanted:
            break
    spans = []
    index = 0
    while index < len(taken):
        status, due_on, skip, take, whole = taken[index]
        run = index + 1
        while whole and run < len(taken) and taken[run][4] and taken[run][0] == status:
            run += 1
        if run - index > 1:
            number = sum(part[3] for part in taken[index:run])
            spans.append(_Span(status, "range", due_on, taken[run - 1][1], 0, number, number))
        else:
            spans.append(_Span(status, "undated" if due_on is None else "day", due_on, due_on,
                               skip, take, groups[status, due_on]))
        index = run
    return spans


# Page statements by shape (which filters apply, and the status and kind of each part);
# the values are bound when they run. Building one costs more than running it.
_page_statements = _Kept(64)


def _page_by_groups(filters: Filters, scope: set[int] | None, spans: list[_Span],
                    on: date | None):
    """Run the page's query: each span read in name order (a range of whole groups by due
    date first), through an index that stops after the rows needed."""
    filtered: dict[str, object] = {}
    if filters.assignment_id:
        filtered["assignment"] = filters.assignment_id
    if filters.department_id:
        filtered["departments"] = sorted(department_descendants([filters.department_id]))
    if scope is not None:
        filtered["scope"] = sorted(scope) or [-1]
    if filters.q:
        filtered["like"] = f"%{filters.q.lower()}%"
    values = {"day": on or duedates.today(), **filtered}
    for index, span in enumerate(spans):
        values.update(span.values(index))
    walks = _walks_names(spans)
    shape = (tuple(filtered),
             tuple((span.status, span.kind, walk) for span, walk in zip(spans, walks,
                                                                           strict=True)))
    query = _page_statements.get(shape, lambda: _page_query(*shape))
    return db.session.execute(query, values)


def _walks_names(spans: list[_Span]) -> list[bool]:
    """For each span, whether SQLite should walk people in name order (``_NameWalk``): for a
    group read in part, when the people passed on the way to the page's last row (about
    ``skip + take`` times all people over the group's size) are fewer than the group's
    rows it would sort."""
    partial = [span.kind != "range" and span.take < span.size for span in spans]
    if not any(partial) or db.session.get_bind().dialect.name != "sqlite":
        return [False] * len(spans)
    everyone = _people_count()
    return [part and (span.skip + span.take) * everyone <= span.size ** 2
            for span, part in zip(spans, partial, strict=True)]


# How many people there are, per database: only to choose how SQLite reads a page
# (``_walks_names``), never shown, so it is read again every few minutes rather than kept
# exact.
_people_counts: dict[str, tuple[float, int]] = {}
PEOPLE_COUNT_SECONDS = 600


def _people_count() -> int:
    database = current_app.config["SQLALCHEMY_DATABASE_URI"]
    kept = _people_counts.get(database)
    if kept is None or time.monotonic() - kept[0] > PEOPLE_COUNT_SECONDS:
        kept = (time.monotonic(), db.session.scalar(select(func.count(User.id))) or 0)
        _people_counts[database] = kept
    return kept[1]


def _page_query(filters_named: tuple[str, ...],
                parts: tuple[tuple[str, str, bool], ...]) -> Select:
    """The page statement of one shape (``_page_by_groups``), with bound parameters."""
    day = bindparam("day", type_=Date)

    def rows(*conditions, walk_names: bool = False) -> Select:
        return _open_obligations(
            _person_columns(), day,
            assignment=bindparam("assignment") if "assignment" in filters_named else None,
            departments=(bindparam("departments", expanding=True)
                         if "departments" in filters_named else None),
            scope=bindparam("scope", expanding=True) if "scope" in filters_named else None,
            like=bindparam("like") if "like" in filters_named else None,
            walk_names=walk_names,
        ).where(*conditions)

    selects = []
    for index, (status, kind, walk) in enumerate(parts):
        first = bindparam(f"first_{index}", type_=Date)
        take = bindparam(f"take_{index}", type_=Integer)
        within = _status_within_group(status, day)
        if kind == "range":
            inner = rows(Obligation.next_due_on >= first,
                         Obligation.next_due_on <= bindparam(f"last_{index}", type_=Date),
                         within).subquery()
            part = (select(inner).order_by(inner.c.due_on, inner.c.name, inner.c.obligation_id)
                    .limit(take))
        else:
            inner = rows(Obligation.next_due_on.is_(None) if kind == "undated"
                         else Obligation.next_due_on == first, within,
                         walk_names=walk).subquery()
            part = (select(inner).order_by(inner.c.name, inner.c.obligation_id)
                    .limit(take).offset(bindparam(f"skip_{index}", type_=Integer)))
        selects.append(select(part.subquery()))
    chosen = selects[0] if len(selects) == 1 else union_all(*selects)
    # A page shows no completion evidence (the CSV does, from ``people(per_page=None)``).
    return _with_names(chosen.subquery("chosen"), evidence=False)


# --- CSV ----------------------------------------------------------------------------------

def to_csv(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """CSV text with a header row (``spreadsheet.csv_text``: no cell runs as a formula)."""
    return csv_text([header, *rows])
