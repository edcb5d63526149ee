"""The programme scorecard: figures per department, totals, privacy, trends and CSV.

``build_scorecard`` asks every active metric provider for its counts (a
fixed number of set-based queries, however many departments and people
there are), arranges departments as a tree, adds roll-ups and the
institution total, applies small-cell suppression to every count, and
formats the result. The page and the CSV are both rendered from
:meth:`Scorecard.tables`, so they cannot disagree.

Privacy rules (see ``lms.services.scorecard.suppression``): counts of 1 to k-1 people
read "fewer than k"; figures about a group of fewer than k people are not
shown at all; a count whose complement (its denominator minus the count) is
1 to k-1 reads "hidden"; further cells are hidden so that no total reveals a hidden
one. Department rows and their roll-ups are suppressed together, so
switching between the two layouts reveals nothing either. Rates are shown
only when both their numerator and denominator are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from babel.dates import format_date as babel_format_date
from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, select

from lms.extensions import db
from lms.i18n import LazyText, current_locale
from lms.i18n import lazy_text as _l
from lms.models import Department, Enrollment, Module, ModuleCompletion, User, utcnow
from lms.services.learning import survey_release
from lms.services.scorecard import charts
from lms.services.scorecard.metrics import (
    Column,
    Context,
    CoreModule,
    Coverage,
    People,
    Rate,
    Series,
    active_providers,
)
from lms.services.scorecard.suppression import (
    HIDDEN_LABEL,
    PRIMARY,
    Relation,
    Suppression,
    fewer_than,
    is_primary,
    suppress,
)
from lms.services.spreadsheet import csv_text

NONE_KEY = ("none",)
TOTAL_KEY = ("total",)
# Words are lazy: a snapshot is kept and shown to readers of every language.
NO_DEPARTMENT = _l("No department")
TOTAL_LABEL = _l("Institution total")
NOT_APPLICABLE = "—"
MEETS, BELOW, NO_STAFF = _l("Meets target"), _l("Below target"), _l("No staff")

# Cell states, used for styling; the text alone always carries the meaning.
SHOWN, SMALL, HIDDEN, NONE = "shown", "small", "hidden", "none"


@dataclass
class Cell:
    text: str
    state: str = SHOWN
    numeric: bool = True
    flag: str | None = None  # "below" or "meets" for coverage cells


@dataclass
class Row:
    label: str
    cells: list[Cell]
    department_id: int | None = None
    note: str | None = None
    depth: int = 0
    kind: str = "department"  # department | none | total
    below_target: bool = False

    @property
    def heading(self) -> str:
        """The row's name as both page and CSV spell it."""
        return f"{self.label} ({self.note})" if self.note else self.label


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class TrendPoint:
    month: str
    label: str
    text: str
    value: int | None  # None when suppressed


@dataclass
class Trend:
    key: str
    title: str
    description: str
    unit: str
    value_header: str
    points: list[TrendPoint]
    out_of: int | None = None

    def chart(self) -> Markup:
        return charts.bar_chart(
            f"chart-{self.key}", self.title, self.description,
            [(p.label, p.value, p.text) for p in self.points],
            maximum=self.out_of, unit=self.value_header.lower())

    def table(self) -> Table:
        return Table(self.title, [_("Month"), self.value_header],
                     [[p.label, p.text] for p in self.points])


@dataclass
class Scorecard:
    columns: list[Column]
    rows: list[Row]
    total: Row
    trends: list[Trend]
    admin: bool
    rollup: bool
    target: int
    min_cell: int
    core_modules: tuple[CoreModule, ...]
    missing_core: list[str]
    generated_at: datetime
    coverage_met: int = 0
    coverage_reported: int = 0
    below_target: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Evaluation answers waiting for release, and the day of the latest release.
    release: survey_release.ReleaseStatus = field(
        default_factory=lambda: survey_release.ReleaseStatus(0, None))
    # Pages the web layer rendered from this view, by whatever decides their text (language,
    # viewer): a kept snapshot is shown many times, and its pages are as old as it is.
    rendered: dict[tuple, str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def caption(self) -> str:
        if self.rollup:
            return _("Figures by department, sub-departments included in their parent")
        return _("Figures by department, each on its own")

    @property
    def headers(self) -> list[str]:
        return [_("Department"), *[c.label for c in self.columns]]

    def total_text(self, column_key: str) -> str | None:
        """The institution total of a shown column, as the table shows it."""
        for column, cell in zip(self.columns, self.total.cells, strict=True):
            if column.key == column_key:
                return cell.text
        return None

    def department_table(self) -> Table:
        return Table(self.caption, self.headers,
                     [[r.heading, *[c.text for c in r.cells]] for r in [*self.rows, self.total]])

    def tables(self) -> list[Table]:
        """Every table the page shows, in page order (the CSV writes exactly these)."""
        return [self.department_table(), *[t.table() for t in self.trends]]


# Building ------------------------------------------------------------------

def _months(now: datetime, count: int) -> tuple[tuple[str, ...], datetime]:
    year, month = now.year, now.month
    keys = []
    for _month in range(max(1, count)):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    keys.reverse()
    first_year, first_month = (int(part) for part in keys[0].split("-"))
    return tuple(keys), datetime(first_year, first_month, 1, tzinfo=UTC)


def month_label(key: str) -> str:
    """"Jan 2026" / "ene 2026": a month as the reader's language abbreviates it (lazy, for
    kept snapshots)."""
    return LazyText(_month_label, key)


def _month_label(key: str) -> str:
    year, month = key.split("-")
    return babel_format_date(date(int(year), int(month), 1), "LLL y",
                             locale=current_locale()).replace(".", "")


def core_modules(setting: str) -> tuple[tuple[CoreModule, ...], list[str]]:
    """The configured core modules that exist, in setting order, and the missing slugs."""
    slugs = [s.strip() for s in setting.split(",") if s.strip()]
    found = {m.slug: CoreModule(m.id, m.slug, m.title) for m in db.session.execute(
        select(Module.id, Module.slug, Module.title).where(Module.slug.in_(slugs)))} \
        if slugs else {}
    return tuple(found[s] for s in slugs if s in found), [s for s in slugs if s not in found]


def make_context(series_departments: tuple[int, ...] | None = None) -> tuple[Context, list[str]]:
    config = current_app.config
    now = utcnow()
    months, since = _months(now, config["LMS_SCORECARD_MONTHS"])
    core, missing = core_modules(config["LMS_CORE_MODULES"])
    ctx = Context(now=now, months=months, since=since, core_modules=core,
                  target=config["LMS_ALLY_TARGET"], min_cell=config["LMS_MIN_CELL"],
                  series_departments=series_departments)
    return ctx, missing


class DepartmentTree:
    """Departments as a forest; a parent loop is broken by treating its members as top-level."""

    def __init__(self, departments):
        self.names = {d.id: d.name for d in departments}
        parent = {d.id: d.parent_id for d in departments}
        self.children: dict[int, list[int]] = defaultdict(list)
        self.roots: list[int] = []
        for d in sorted(self.names, key=lambda i: (self.names[i].lower(), i)):
            p = parent[d]
            if p is None or p not in self.names or self._in_loop(d, parent):
                self.roots.append(d)
            else:
                self.children[p].append(d)
        self.parent = {c: p for p, cs in self.children.items() for c in cs}
        self.order: list[tuple[int, int]] = []  # (id, depth), parents before children
        for root in self.roots:
            self._walk(root, 0)

    @staticmethod
    def _in_loop(d, parent) -> bool:
        seen, current = set(), d
        while current is not None:
            if current in seen:
                return True
            seen.add(current)
            current = parent.get(current)
        return False

    def _walk(self, d, depth):
        self.order.append((d, depth))
        for child in self.children.get(d, ()):
            self._walk(child, depth + 1)

    def own(self, d) -> tuple:
        return ("own", d)

    def node(self, d) -> tuple:
        """The key for a department including its sub-departments."""
        return ("all", d) if self.children.get(d) else ("own", d)

    def descendants(self, d) -> list[int]:
        found = []
        for child in self.children.get(d, ()):
            found += [child, *self.descendants(child)]
        return found

    def relations(self) -> list[Relation]:
        relations = [Relation(("all", d), (("own", d), *[self.node(c) for c in kids]))
                     for d, kids in self.children.items() if kids]
        relations.append(Relation(TOTAL_KEY, (*[self.node(r) for r in self.roots], NONE_KEY)))
        return relations

    def values(self, by_department: dict[int | None, int]) -> dict[tuple, int]:
        """Cell values for one column: each department, roll-ups, no department, total."""
        values = {("own", d): by_department.get(d, 0) for d in self.names}
        values[NONE_KEY] = sum(n for d, n in by_department.items() if d not in self.names)
        for d, _depth in reversed(self.order):  # children before parents
            if self.children.get(d):
                values[("all", d)] = values[("own", d)] + sum(
                    values[self.node(c)] for c in self.children[d])
        values[TOTAL_KEY] = sum(values[self.node(r)] for r in self.roots) + values[NONE_KEY]
        return values


def _number(value: int) -> str:
    return f"{value:,}"


def _percent(numerator: int, denominator: int) -> str:
    return f"{(200 * numerator + denominator) // (2 * denominator)}%"  # half up


def _hidden_cell(result: Suppression, key) -> Cell:
    state = SMALL if result.status.get(key) == PRIMARY else HIDDEN
    return Cell(result.label(key) or HIDDEN_LABEL, state)


@dataclass
class Snapshot:
    """Every view of the scorecard (published or admin, either layout) from one computation.

    Views computed at different moments could be subtracted from each other
    (one layout before a change, the other after); views of one snapshot
    share every number, so the cache keeps and serves them together.
    """

    views: dict[tuple[bool, bool], Scorecard]

    def view(self, *, admin: bool = False, rollup: bool = False) -> Scorecard:
        return self.views[(admin, rollup)]


def build_scorecard(*, admin: bool = False, rollup: bool = False,
                    series_departments: tuple[int, ...] | None = None) -> Scorecard:
    """One view of a freshly computed :func:`build_snapshot`."""
    return build_snapshot(series_departments=series_departments).view(admin=admin, rollup=rollup)


def build_snapshot(*, series_departments: tuple[int, ...] | None = None) -> Snapshot:
    """Compute the scorecard once and arrange every view of it.

    ``rollup`` views list top-level departments with their sub-departments
    included; the others give every department its own row, sub-departments
    under their parent. ``series_departments`` limits the monthly series to
    those departments' people (the admin drill-down). Runs a fixed number of
    queries whatever the number of departments or people. The published view
    is the admin view without the admin-only columns: each column is
    suppressed on its own, so both read the same figures.
    """
    ctx, missing = make_context(series_departments)
    k, target = ctx.min_cell, ctx.target
    tree = DepartmentTree(db.session.execute(
        select(Department.id, Department.name, Department.parent_id)).all())
    release = survey_release.status()

    columns: list[Column] = []
    counts: dict[str, dict[int | None, int]] = {}
    series: list[Series] = []
    notes: list[str] = []
    for provider in active_providers():
        figures = provider.compute(ctx)
        columns += figures.columns
        counts.update(figures.counts)
        series += figures.series
        notes += figures.notes
    people = {c.key: c for c in columns if isinstance(c, People)}
    admin_columns = [c for c in columns if not (isinstance(c, People) and not c.shown)]

    relations = tree.relations()
    values = {key: tree.values(counts.get(key, {})) for key in people}
    staff = values["staff"]
    staff_result = suppress(staff, relations, min_cell=k)
    small = {key for key, n in staff.items() if 0 < n < k}
    coverage_keys = {tree.own(d) for d in tree.names} | {tree.node(r) for r in tree.roots}

    needed = set()  # counts behind what a view shows (others need no suppression)
    for column in admin_columns:
        if isinstance(column, People):
            needed.add(column.key)
        elif isinstance(column, Rate):
            needed |= {column.numerator, column.denominator}
        else:
            needed |= {column.allies, column.staff}
    results: dict[str, Suppression] = {"staff": staff_result}
    # What each count is published as a part of: its rate's denominator, else the staff.
    denominators = {c.numerator: c.denominator for c in columns if isinstance(c, Rate)}
    denominators.update({key: "staff" for key, c in people.items()
                         if c.within_staff and key not in denominators})
    for key, column in people.items():
        if key == "staff" or key not in needed:
            continue
        known = {}
        if column.within_staff:
            known = {cell: (0, staff[cell]) for cell in staff if staff_result.shown(cell)}
        if any(isinstance(c, Coverage) and c.allies == key for c in columns):
            for cell in coverage_keys - small:
                if staff[cell] == 0:
                    continue
                lo, hi = known.get(cell, (0, float("inf")))
                bound = (target, hi) if values[key][cell] >= target else (lo, target - 1)
                known[cell] = (max(lo, bound[0]), min(hi, bound[1]))
        results[key] = suppress(values[key], relations, min_cell=k, small=small, known=known,
                                denominators=values[denominators[key]]
                                if key in denominators else None)

    def cell(column: Column, key) -> Cell:
        if isinstance(column, People):
            result = results[column.key]
            if not result.shown(key):
                return _hidden_cell(result, key)
            return Cell(_number(values[column.key][key]))
        if isinstance(column, Rate):
            num, den = results[column.numerator], results[column.denominator]
            if not den.shown(key):
                return _hidden_cell(den, key)
            if values[column.denominator][key] == 0:
                return Cell(NOT_APPLICABLE, NONE)
            if not num.shown(key):
                return _hidden_cell(num, key)
            return Cell(_percent(values[column.numerator][key], values[column.denominator][key]))
        # Coverage
        if key == NONE_KEY:
            return Cell(NOT_APPLICABLE, NONE, numeric=False)
        head_count = values[column.staff][key]
        if head_count == 0:
            return Cell(NO_STAFF, NONE, numeric=False)
        if head_count < k:
            return Cell(fewer_than(k), SMALL, numeric=False)
        if values[column.allies][key] >= target:
            return Cell(MEETS, numeric=False, flag="meets")
        return Cell(BELOW, numeric=False, flag="below")

    trends = [_trend(s, ctx) for s in series]

    def view(admin: bool, rollup: bool) -> Scorecard:
        shown_columns = [c for c in admin_columns if admin or not c.admin_only]

        def row(key, label, **kwargs) -> Row:
            cells = [cell(c, key) for c in shown_columns]
            return Row(label, cells, below_target=any(c.flag == "below" for c in cells),
                       **kwargs)

        rows: list[Row] = []
        if rollup:
            for d in tree.roots:
                rows.append(row(tree.node(d), tree.names[d], department_id=d,
                                note=_l("with sub-departments") if tree.children.get(d)
                                else None))
        else:
            for d, depth in tree.order:
                parent = tree.parent.get(d)
                rows.append(row(tree.own(d), tree.names[d], department_id=d, depth=depth,
                                note=_l("part of %(name)s", name=tree.names[parent])
                                if parent else None))
        if any(values[key][NONE_KEY] for key in people):
            rows.append(row(NONE_KEY, NO_DEPARTMENT, kind="none"))
        total = row(TOTAL_KEY, TOTAL_LABEL, kind="total")

        met = reported = 0
        for i, column in enumerate(shown_columns):
            if isinstance(column, Coverage):
                flags = [r.cells[i].flag for r in rows if r.kind == "department"]
                met, reported = flags.count("meets"), flags.count("meets") + flags.count("below")
                total.cells[i] = Cell(_l("%(met)s of %(reported)s departments", met=met,
                                         reported=reported), numeric=False)

        return Scorecard(
            columns=shown_columns, rows=rows, total=total, trends=trends, admin=admin,
            rollup=rollup, target=target, min_cell=k, core_modules=ctx.core_modules,
            missing_core=missing, generated_at=ctx.now, coverage_met=met,
            coverage_reported=reported,
            below_target=[LazyText(lambda r=r: r.heading) for r in rows if r.below_target],
            notes=notes, release=release)

    return Snapshot({(admin, rollup): view(admin, rollup)
                     for admin in (False, True) for rollup in (False, True)})


def rows_for_department(card: Scorecard, department_id: int) -> list[Row]:
    """The department's row and its sub-departments' rows (one-row-per-department layout)."""
    rows, depth = [], None
    for row in card.rows:
        if depth is None:
            if row.department_id == department_id:
                rows.append(row)
                depth = row.depth
        elif row.kind == "department" and row.depth > depth:
            rows.append(row)
        else:
            break
    return rows


def _trend(series: Series, ctx: Context) -> Trend:
    points = []
    for month in ctx.months:
        value = series.values.get(month, 0)
        if series.unit == "people" and is_primary(value, ctx.min_cell):
            points.append(TrendPoint(month, month_label(month), fewer_than(ctx.min_cell), None))
        elif series.out_of is not None:
            points.append(TrendPoint(month, month_label(month),
                                     _l("%(value)s of %(out_of)s", value=_number(value),
                                        out_of=_number(series.out_of)), value))
        else:
            points.append(TrendPoint(month, month_label(month), _number(value), value))
    header = _l("Departments") if series.unit == "departments" else _l("People")
    return Trend(series.key, series.label, series.description, series.unit, header, points,
                 out_of=series.out_of)


# CSV -------------------------------------------------------------------------

def to_csv(tables: list[Table]) -> str:
    """The tables one after another: caption, header row, rows, a blank line."""
    rows: list[list[str]] = []
    for i, table in enumerate(tables):
        if i:
            rows.append([])
        rows += [[table.caption], list(table.headers), *table.rows]
    return csv_text(rows)


# Admin drill-down: the people of one department ---------------------------

@dataclass
class PersonStatus:
    user: User
    # per core module: ("completed", first completion), ("in progress" or "not started", None)
    core: list[tuple[str, datetime | None]]
    is_ally: bool
    modules_completed: int
    last_activity: datetime | None


def department_people(department: Department, core: tuple[CoreModule, ...], *, page: int,
                      per_page: int = 50):
    """One page of the department's active people with their training status.

    Statuses only -- never reflection text, and not whether someone answered
    an evaluation (answers are anonymous; pairing participation with a
    department's share could reveal them). Four queries per page.
    """
    pagination = db.paginate(
        select(User).where(User.department_id == department.id, User.is_active_account)
        .order_by(User.name, User.id), page=page, per_page=per_page, error_out=False)
    ids = [u.id for u in pagination.items]
    core_ids = [m.id for m in core]
    first_done: dict[tuple[int, int], datetime] = {}
    started: set[tuple[int, int]] = set()
    completed: dict[int, int] = {}
    activity: dict[int, datetime] = {}
    if ids:
        if core_ids:
            first_done = {(u, m): at for u, m, at in db.session.execute(
                select(ModuleCompletion.user_id, ModuleCompletion.module_id,
                       func.min(ModuleCompletion.completed_at))
                .where(ModuleCompletion.user_id.in_(ids), ModuleCompletion.module_id.in_(core_ids))
                .group_by(ModuleCompletion.user_id, ModuleCompletion.module_id))}
        completed = dict(db.session.execute(
            select(ModuleCompletion.user_id, func.count(ModuleCompletion.module_id.distinct()))
            .where(ModuleCompletion.user_id.in_(ids)).group_by(ModuleCompletion.user_id)).all())
        for user_id, module_id, last in db.session.execute(
                select(Enrollment.user_id, Enrollment.module_id, Enrollment.last_activity_at)
                .where(Enrollment.user_id.in_(ids))):
            started.add((user_id, module_id))
            if user_id not in activity or last > activity[user_id]:
                activity[user_id] = last
    people = []
    for user in pagination.items:
        statuses = []
        for module in core:
            done = first_done.get((user.id, module.id))
            if done is not None:
                statuses.append(("completed", done))
            elif (user.id, module.id) in started:
                statuses.append(("in progress", None))
            else:
                statuses.append(("not started", None))
        people.append(PersonStatus(
            user=user, core=statuses,
            is_ally=bool(core) and all((user.id, m.id) in first_done for m in core),
            modules_completed=completed.get(user.id, 0), last_activity=activity.get(user.id)))
    return pagination, people
