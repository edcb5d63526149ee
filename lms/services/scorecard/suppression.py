"""Small-cell suppression for published aggregates (pure: no database, no Flask).

A figure about very few people can single someone out: "1 trained ally in
Library Services" names the one person who works there. The scorecard
therefore hides such figures, and also hides enough other figures that a
hidden one cannot be worked out from a published total.

The rules, with ``k`` the minimum cell size (``LMS_MIN_CELL``, default 5):

Primary suppression
    A figure counting 1 to k-1 people is not shown; it reads "fewer than k".
    A figure about a *group* of fewer than k people (a department with three
    staff) is not shown either, whatever its value, zero included: "0 of 3
    trained" would tell every reader the training status of all three.

Complements
    A count published beside its denominator (allies beside staff, "yes"
    answers behind a share of responses) also reveals its complement: "16
    responses, 88%" says that 2 said no. So a count is hidden as well when
    its complement -- denominator minus count -- is 1 to k-1 (``denominators``
    in :func:`suppress`). Such a count is itself k or more (otherwise it is
    hidden already), so it reads "hidden" and is protected from the totals
    like a primary cell.

Zero is shown
    Outside small groups, 0 is published as 0. This is the practice of most
    statistical offices (they suppress 1-4 and publish zeros): "no trained
    ally among 40 staff" is a statement about a department, which is exactly
    what the scorecard exists to make visible, and it identifies nobody.
    Hiding zeros would also make "fewer than 5" ambiguous (0-4 instead of
    1-4) and hide the departments below target. The same reasoning lets us
    show "40 of 40": a fact about a group of at least k people. Zeros are
    never chosen as secondary cells (below), so "hidden" always means "k or
    more".

Secondary (complementary) suppression
    Published totals are linear relations: the institution's figure is the
    sum of its departments', a parent department's roll-up is its own figure
    plus its sub-departments'. If one cell of a relation is hidden, the total
    minus the visible cells gives it away; even two hidden cells can leak
    ("fewer than 5" twice, summing to 2, means 1 and 1). So after the
    primary pass we work out, from every published number, every relation
    and what the labels themselves say ("fewer than 5" is 1-4, "hidden" is k
    or more), the narrowest range a reader could deduce for each hidden
    figure. Whenever that range is narrower than what "fewer than k" already
    says, one more cell is hidden -- the smallest non-zero visible cell that
    restores the full range, totals only as a last resort (the institution
    total included) -- and the check runs again. The classic rule "never
    leave exactly one suppressed cell in a group" is the special case of a
    single relation.

The range check propagates interval bounds through the relations until
nothing changes. For relations that form a tree -- ours do: departments
nest, and every row sums into one total per column -- that is exact; for
arbitrary overlapping tables it is a strong heuristic, not a full linear-
programming audit. Relations between *different* columns (allies can never
exceed staff) enter through ``known`` bounds.

One residue is accepted on purpose: when a small group sits beside shown
zeros under a total that itself reads "fewer than k", readers learn the
small group's figure is not zero (the total says "1 or more"). Closing that
would mean hiding a zero behind a label that promises k or more.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from lms.i18n import lazy_text as _l

SHOWN = "shown"
PRIMARY = "primary"      # reads "fewer than k"
SECONDARY = "secondary"  # reads "hidden"
COMPLEMENT = "complement"  # reads "hidden": its complement counts 1 to k-1 people

INF = math.inf
Bounds = tuple[float, float]


@dataclass(frozen=True)
class Relation:
    """``total`` is published as the sum of ``members`` (cell keys)."""

    total: Hashable
    members: tuple[Hashable, ...]


@dataclass
class Suppression:
    """Which cells are shown, and how hidden ones read."""

    min_cell: int
    status: dict[Hashable, str] = field(default_factory=dict)

    def shown(self, key: Hashable) -> bool:
        return self.status.get(key, SHOWN) == SHOWN

    def label(self, key: Hashable) -> str | None:
        """The text that replaces a hidden figure, or None when it is shown."""
        state = self.status.get(key, SHOWN)
        if state == PRIMARY:
            return fewer_than(self.min_cell)
        if state in (SECONDARY, COMPLEMENT):
            return HIDDEN_LABEL
        return None

    def hidden_keys(self, state: str | None = None) -> set[Hashable]:
        return {key for key, s in self.status.items()
                if s != SHOWN and (state is None or s == state)}


# Lazy: a snapshot is kept and shown to readers of every language.
HIDDEN_LABEL = _l("hidden")


def fewer_than(min_cell: int) -> str:
    return _l("fewer than %(size)s", size=min_cell)


def is_primary(value: int, min_cell: int, small_group: bool = False) -> bool:
    """True when ``value`` people (in a group that is ``small_group`` or not) must be hidden."""
    if value < 0:
        raise ValueError("a count of people cannot be negative")
    if small_group:
        return value < min_cell
    return 0 < value < min_cell


def is_complement_primary(value: int, denominator: int | None, min_cell: int) -> bool:
    """True when ``denominator - value`` people is a small cell (1 to k-1)."""
    return denominator is not None and is_primary(max(0, denominator - value), min_cell)


def suppress(values: Mapping[Hashable, int], relations: Iterable[Relation] = (), *,
             min_cell: int, small: Iterable[Hashable] = (),
             known: Mapping[Hashable, Bounds] | None = None,
             denominators: Mapping[Hashable, int] | None = None) -> Suppression:
    """Decide which of ``values`` (cell key -> people) may be published.

    ``relations`` are the sums a reader can see (each total and its members
    must be keys of ``values``). ``small`` are cells describing a group of
    fewer than ``min_cell`` people (hidden even when 0). ``known`` gives
    bounds a reader knows from elsewhere, e.g. ``(0, visible staff count)``
    for a department's allies, or what a "meets target" label implies; they
    must contain the true value. ``denominators`` gives, per cell, the
    published figure the count is a part of (staff for a count of people,
    responses for the "yes" answers behind a share); a count whose
    complement is 1 to k-1 is hidden too.

    Returns a :class:`Suppression`. Raises ``ValueError`` when a relation
    does not add up or refers to an unknown cell (a programming error: the
    caller built the table wrongly).
    """
    if min_cell < 1:
        raise ValueError("min_cell must be at least 1")
    relations = list(relations)
    small = set(small)
    known = dict(known or {})
    for relation in relations:
        missing = [k for k in (relation.total, *relation.members) if k not in values]
        if missing:
            raise ValueError(f"relation refers to unknown cells: {missing!r}")
        if values[relation.total] != sum(values[m] for m in relation.members):
            raise ValueError(f"relation for {relation.total!r} does not add up")
    for key, (lo, hi) in known.items():
        if key in values and not lo <= values[key] <= hi:
            raise ValueError(f"known bounds for {key!r} exclude its value")

    auditor = _Auditor(values, relations, min_cell, small, known)
    denominators = denominators or {}
    for key, value in values.items():
        if is_primary(value, min_cell, key in small):
            auditor.status[key] = PRIMARY
        elif is_complement_primary(value, denominators.get(key), min_cell):
            auditor.status[key] = COMPLEMENT
        else:
            auditor.status[key] = SHOWN
    # Each round hides one more cell, so this ends; the bound is a safety net.
    for _ in range(len(values) + 1):
        bounds = auditor.propagate()
        reference = auditor.propagate(labels_only=True)
        if not any(auditor.protect(key, bounds)
                   for key in auditor.exposed(bounds, reference)):
            break
    return Suppression(min_cell=min_cell, status=dict(auditor.status))


class _Auditor:
    """Interval reasoning over the relations: what could a reader deduce?"""

    def __init__(self, values, relations, min_cell, small, known):
        self.values = values
        self.relations = relations
        self.min_cell = min_cell
        self.small = small
        self.known = known
        self.status: dict[Hashable, str] = {}
        self.relations_of: dict[Hashable, list[Relation]] = {}
        for relation in relations:
            for key in (relation.total, *relation.members):
                self.relations_of.setdefault(key, []).append(relation)
        # Deterministic order, so the page and its CSV always agree.
        self.order = {key: i for i, key in enumerate(sorted(values, key=repr))}

    def prior(self, key, status=None) -> Bounds:
        """What the published label alone tells a reader about the cell."""
        status = status or self.status[key]
        if status == SHOWN:
            return (self.values[key], self.values[key])
        if status == PRIMARY:
            lo, hi = (0 if key in self.small else 1), self.min_cell - 1
        else:
            lo, hi = self.min_cell, INF
        if key in self.known:
            k_lo, k_hi = self.known[key]
            lo, hi = max(lo, k_lo), min(hi, k_hi)
        return (lo, hi)

    def propagate(self, status_override: Mapping[Hashable, str] | None = None, *,
                  labels_only: bool = False,
                  around: Hashable | None = None) -> dict[Hashable, Bounds]:
        """Narrowest bounds deducible for every cell (fixed point of the relations).

        With ``labels_only`` the published numbers are ignored: what the
        "fewer than k" and "hidden" labels imply on their own, e.g. that a
        total of two hidden small cells is at least 2. That is the yardstick:
        the numbers must not let a reader get any closer than it. With
        ``around``, only the bounds of the cells connected to that one (the
        same values for it, found sooner).
        """
        override = status_override or {}
        hidden = {key for key, state in self.status.items() if state != SHOWN}
        hidden |= {key for key, state in override.items() if state != SHOWN}
        # A relation among shown cells tells nothing new (with the numbers it
        # already holds; without them every cell is free): only relations
        # touching a hidden cell take part.
        active = {id(r): r for key in hidden for r in self.relations_of.get(key, ())}
        cells = set(hidden)
        if around is not None:
            # Only the bounds of ``around`` are wanted: they depend on the active relations
            # connected to it through shared cells alone, usually one column of the table.
            active = self._connected(around, active)
            cells = {around}
        for relation in active.values():
            cells.add(relation.total)
            cells.update(relation.members)
        lo, hi = {}, {}
        for key in cells:
            status = override.get(key) or self.status[key]
            if labels_only and status == SHOWN:
                lo[key], hi[key] = self.known.get(key, (0, INF))
            else:
                lo[key], hi[key] = self.prior(key, status)
        relations = [r for r in self.relations if id(r) in active]  # stable order
        _fixed_point(relations, lo, hi)
        return {key: (lo[key], hi[key]) for key in cells}

    def _connected(self, start, active: dict[int, Relation]) -> dict[int, Relation]:
        """The relations of ``active`` reachable from the cell ``start`` through shared
        cells."""
        reached: dict[int, Relation] = {}
        seen, queue = {start}, [start]
        while queue:
            cell = queue.pop()
            for relation in self.relations_of.get(cell, ()):
                if id(relation) not in active or id(relation) in reached:
                    continue
                reached[id(relation)] = relation
                for other in (relation.total, *relation.members):
                    if other not in seen:
                        seen.add(other)
                        queue.append(other)
        return reached

    def exposed(self, bounds, reference) -> list[Hashable]:
        """Primary (and complement) cells the numbers pin down more tightly than the
        labels alone do."""
        cells = [key for key, state in self.status.items()
                 if state in (PRIMARY, COMPLEMENT) and bounds[key] != reference[key]]
        return sorted(cells, key=self.order.__getitem__)

    def neighbourhood(self, key) -> list[Relation]:
        """Relations reachable from ``key`` through hidden cells."""
        seen_cells, seen, queue = {key}, [], [key]
        while queue:
            cell = queue.pop()
            for relation in self.relations_of.get(cell, ()):
                if relation in seen:
                    continue
                seen.append(relation)
                for other in (relation.total, *relation.members):
                    if other not in seen_cells and self.status[other] != SHOWN:
                        seen_cells.add(other)
                        queue.append(other)
        return seen

    def protect(self, key, bounds) -> bool:
        """Hide one more cell to widen what can be deduced about ``key``.

        Tries the visible cells of the relations around ``key``: non-zero
        members from the smallest up, then totals. Takes the first after
        which the numbers tell no more than the labels; failing that, the one
        that widens the range most. Returns False when no visible cell helps.
        """
        current = bounds[key]
        candidates = []
        for relation in self.neighbourhood(key):
            for cell in relation.members:
                if self.status[cell] == SHOWN and self.values[cell] > 0:
                    candidates.append((0, self.values[cell], self.order[cell], cell))
            # A zero total cannot read "hidden" (which promises k or more), and
            # what it reveals -- nobody at all -- is a statement about everyone.
            if self.status[relation.total] == SHOWN and self.values[relation.total] > 0:
                candidates.append((1, self.values[relation.total],
                                   self.order[relation.total], relation.total))
        ordered = sorted(set(candidates))
        best, best_width = None, current[1] - current[0]
        for *_, cell in ordered:
            trial = self.propagate({cell: SECONDARY}, around=key)[key]
            if trial == self.propagate({cell: SECONDARY}, labels_only=True, around=key)[key]:
                best = cell
                break
            if trial[1] - trial[0] > best_width:
                best, best_width = cell, trial[1] - trial[0]
        if best is None:
            best = self._total_that_unpins(key, current, ordered)
        if best is None:
            return False
        self.status[best] = SECONDARY
        return True

    def _total_that_unpins(self, key, current, ordered) -> Hashable | None:
        """A total worth hiding although it does not help on its own.

        When a hidden total is pinned by a relation further out (the parent's
        figure and all its siblings are shown), hiding one more total and one
        cell of that outer relation is needed. Returns the first total for
        which such a pair widens the range of ``key``, or None.
        """
        width = current[1] - current[0]
        for is_total, *_, total in ordered:
            if not is_total:
                continue
            self.status[total] = SECONDARY
            try:
                partners = {cell for relation in self.neighbourhood(key)
                            for cell in (relation.total, *relation.members)
                            if self.status[cell] == SHOWN and self.values[cell] > 0}
                for partner in sorted(partners, key=self.order.__getitem__):
                    lo, hi = self.propagate({partner: SECONDARY}, around=key)[key]
                    if hi - lo > width:
                        return total
            finally:
                self.status[total] = SHOWN
        return None


def _fixed_point(relations: list[Relation], lo: dict, hi: dict) -> None:
    """Apply the relations until no bound moves.

    A worklist: at first every relation in order, then only the relations
    touching a cell whose bounds just moved (the others would change nothing),
    in the order they were queued. The work is capped at what applying every
    relation ``4 * len(relations) + 4`` times would cost.
    """
    touching: dict[Hashable, list[int]] = {}
    for index, relation in enumerate(relations):
        for key in (relation.total, *relation.members):
            touching.setdefault(key, []).append(index)
    pending = deque(range(len(relations)))
    queued = set(pending)
    budget = (4 * len(relations) + 4) * len(relations)
    while pending and budget > 0:
        budget -= 1
        index = pending.popleft()
        queued.discard(index)
        for key in _narrow(relations[index], lo, hi):
            for other in touching[key]:
                if other not in queued:
                    queued.add(other)
                    pending.append(other)


def _narrow(relation: Relation, lo: dict, hi: dict) -> list[Hashable]:
    """Apply ``total = sum(members)`` once; returns the cells whose bounds moved."""
    members = relation.members
    sum_lo = 0
    finite_hi = 0
    infinite_hi = 0
    for m in members:
        sum_lo += lo[m]
        if hi[m] == INF:
            infinite_hi += 1
        else:
            finite_hi += hi[m]
    sum_hi = INF if infinite_hi else finite_hi
    moved = [relation.total] if _tighten(relation.total, sum_lo, sum_hi, lo, hi) else []
    t_lo, t_hi = lo[relation.total], hi[relation.total]
    for m in members:
        others_lo = sum_lo - lo[m]
        if hi[m] == INF:
            others_hi = INF if infinite_hi > 1 else finite_hi
        else:
            others_hi = INF if infinite_hi else finite_hi - hi[m]
        if _tighten(m, t_lo - others_hi, t_hi - others_lo, lo, hi):
            moved.append(m)
    return moved


def _tighten(key, new_lo, new_hi, lo, hi) -> bool:
    changed = False
    if new_lo > lo[key]:
        lo[key] = new_lo
        changed = True
    if new_hi < hi[key]:
        hi[key] = new_hi
        changed = True
    return changed
