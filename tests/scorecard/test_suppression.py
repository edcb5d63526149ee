"""Small-cell suppression: primary and secondary, checked against a brute-force reader."""

from __future__ import annotations

import random

import pytest

from lms.services.scorecard.suppression import (
    HIDDEN_LABEL,
    PRIMARY,
    SECONDARY,
    SHOWN,
    Relation,
    fewer_than,
    is_primary,
    suppress,
)

K = 5


def reader_can_deduce(values, relations, result, small=(), known=None, cap=None):
    """Every value a reader could still believe for each hidden cell.

    Searches all assignments of the hidden cells that agree with the
    published numbers, the relations and what the labels say ("fewer than 5"
    is 1-4, or 0-4 in a small group; "hidden" is 5 or more). Independent of
    the implementation's interval reasoning.
    """
    known = known or {}
    cap = cap if cap is not None else sum(values.values()) + K
    hidden = sorted(result.hidden_keys(), key=repr)
    ranges = {}
    for key in hidden:
        if result.status[key] == PRIMARY:
            lo, hi = (0 if key in small else 1), K - 1
        else:
            lo, hi = K, cap
        k_lo, k_hi = known.get(key, (0, cap))
        ranges[key] = range(max(lo, k_lo), min(hi, k_hi) + 1)
    possible = {key: set() for key in hidden}

    def search(world):
        world = dict(world)
        changed = True
        while changed:  # a relation with one unknown cell decides it
            changed = False
            for r in relations:
                cells = (r.total, *r.members)
                missing = [c for c in cells if c not in world]
                if not missing:
                    if world[r.total] != sum(world[m] for m in r.members):
                        return
                elif len(missing) == 1:
                    cell = missing[0]
                    if cell == r.total:
                        value = sum(world[m] for m in r.members)
                    else:
                        value = world[r.total] - sum(world[m] for m in r.members if m != cell)
                    if value not in ranges[cell]:
                        return
                    world[cell] = value
                    changed = True
        open_cells = [key for key in hidden if key not in world]
        if not open_cells:
            for key in hidden:
                possible[key].add(world[key])
            return
        for value in ranges[open_cells[0]]:
            search({**world, open_cells[0]: value})

    search({k: v for k, v in values.items() if k not in ranges})
    return possible


def labels_alone_leave_full_range(key, relations, result, small):
    """True when the labels by themselves cannot narrow ``key``: not a small
    group, no hidden small total above it, no hidden cells inside it."""
    if key in small:
        return False
    for r in relations:
        if key in r.members and result.status[r.total] == PRIMARY:
            return False
        if key == r.total and any(not result.shown(m) for m in r.members):
            return False
    return True


def assert_protected(values, relations, result, small=(), known=None):
    possible = reader_can_deduce(values, relations, result, small, known)
    for key in result.hidden_keys(PRIMARY):
        k_lo, k_hi = (known or {}).get(key, (0, K - 1))
        expected = set(range(max(1, k_lo), min(K - 1, k_hi) + 1))
        # A small group may be known to be non-zero (see the module's docstring).
        if key in small:
            assert possible[key] >= expected, f"{key} narrowed to {sorted(possible[key])}"
        else:
            assert possible[key] == expected, f"{key} narrowed to {sorted(possible[key])}"


# Primary suppression --------------------------------------------------------

@pytest.mark.parametrize(("value", "hidden"), [(0, False), (1, True), (4, True), (5, False),
                                               (6, False), (500, False)])
def test_primary_rule_hides_one_to_four_people_and_shows_zero(value, hidden):
    assert is_primary(value, K) is hidden


@pytest.mark.parametrize(("value", "hidden"), [(0, True), (1, True), (4, True), (5, False)])
def test_in_a_group_smaller_than_five_even_zero_is_hidden(value, hidden):
    assert is_primary(value, K, small_group=True) is hidden


def test_negative_counts_are_a_programming_error():
    with pytest.raises(ValueError):
        is_primary(-1, K)


def test_labels():
    result = suppress({"a": 0, "b": 1, "c": 4, "d": 5}, min_cell=K)
    assert [result.label(k) for k in "abcd"] == [None, "fewer than 5", "fewer than 5", None]
    assert result.status == {"a": SHOWN, "b": PRIMARY, "c": PRIMARY, "d": SHOWN}
    assert fewer_than(10) == "fewer than 10"


def test_the_threshold_is_configurable():
    result = suppress({"a": 5, "b": 9, "c": 10}, min_cell=10)
    assert result.status == {"a": PRIMARY, "b": PRIMARY, "c": SHOWN}
    assert result.label("a") == "fewer than 10"


# Secondary suppression -------------------------------------------------------

def test_one_hidden_cell_in_a_sum_takes_another_with_it():
    values = {"total": 40, "a": 3, "b": 7, "c": 12, "d": 18}
    relations = [Relation("total", ("a", "b", "c", "d"))]
    result = suppress(values, relations, min_cell=K)
    assert result.status["a"] == PRIMARY
    # b (7) is the smallest cell that leaves "a" anywhere in 1-4:
    # total - c - d = 10 = a + b, b >= 5 -> a in 1..5, capped at 4.
    assert result.status["b"] == SECONDARY
    assert result.label("b") == HIDDEN_LABEL
    assert result.shown("c") and result.shown("d") and result.shown("total")
    assert_protected(values, relations, result)


def test_a_complement_too_close_to_five_is_not_enough():
    # Hiding 5 next to 1 would leave 6 = a + b with b >= 5: a must be 1.
    values = {"total": 30, "a": 1, "b": 5, "c": 8, "d": 16}
    relations = [Relation("total", ("a", "b", "c", "d"))]
    result = suppress(values, relations, min_cell=K)
    assert result.status["b"] == SHOWN
    assert result.status["c"] == SECONDARY
    assert_protected(values, relations, result)


def test_two_small_cells_summing_to_two_still_leak_and_get_a_partner():
    values = {"total": 22, "a": 1, "b": 1, "c": 20}
    relations = [Relation("total", ("a", "b", "c"))]
    result = suppress(values, relations, min_cell=K)
    assert result.status["c"] == SECONDARY or result.status["total"] == SECONDARY
    assert_protected(values, relations, result)


def test_two_small_cells_that_keep_the_full_range_need_no_partner():
    # a + b = 5 with both in 1-4: either could be anything from 1 to 4.
    values = {"total": 25, "a": 2, "b": 3, "c": 20}
    relations = [Relation("total", ("a", "b", "c"))]
    result = suppress(values, relations, min_cell=K)
    assert result.hidden_keys() == {"a", "b"}
    assert_protected(values, relations, result)


def test_zeros_are_never_used_as_partners():
    values = {"total": 9, "a": 3, "z": 0, "b": 6}
    relations = [Relation("total", ("a", "z", "b"))]
    result = suppress(values, relations, min_cell=K)
    assert result.shown("z")
    assert result.status["b"] == SECONDARY
    assert_protected(values, relations, result)


def test_the_institution_total_is_hidden_when_no_department_can_protect():
    # b is known to be at most 6 (say, its staff count), so hiding b still
    # leaves a >= 2; only hiding the total helps.
    values = {"total": 8, "a": 2, "b": 6}
    relations = [Relation("total", ("a", "b"))]
    known = {"b": (0, 6)}
    result = suppress(values, relations, min_cell=K, known=known)
    assert result.status["total"] == SECONDARY
    assert result.shown("b")
    assert_protected(values, relations, result, known=known)


def test_a_small_institution_hides_everything_without_looping():
    values = {"total": 3, "a": 1, "b": 2}
    result = suppress(values, [Relation("total", ("a", "b"))], min_cell=K)
    assert result.hidden_keys(PRIMARY) == {"total", "a", "b"}


def test_zero_total_with_a_small_group_inside_is_left_alone():
    values = {"total": 0, "a": 0, "b": 0}
    result = suppress(values, [Relation("total", ("a", "b"))], min_cell=K, small={"a"})
    assert result.status == {"total": SHOWN, "a": PRIMARY, "b": SHOWN}


def test_small_group_cells_are_protected_including_their_zero():
    # A department of 3 people with 0 trained: hidden, and its neighbour too.
    values = {"total": 17, "small": 0, "x": 6, "y": 11}
    relations = [Relation("total", ("small", "x", "y"))]
    result = suppress(values, relations, min_cell=K, small={"small"})
    assert result.status["small"] == PRIMARY
    assert len(result.hidden_keys(SECONDARY)) >= 1
    assert_protected(values, relations, result, small={"small"})


def test_nested_totals_protect_a_sub_department():
    # Parent roll-up = parent's own + two sub-departments; institution = roll-ups.
    values = {"inst": 60, "p_all": 25, "p_own": 12, "c1": 2, "c2": 11, "q": 35}
    relations = [Relation("p_all", ("p_own", "c1", "c2")), Relation("inst", ("p_all", "q"))]
    result = suppress(values, relations, min_cell=K)
    assert result.status["c1"] == PRIMARY
    assert result.hidden_keys(SECONDARY)
    assert_protected(values, relations, result)


def test_known_bounds_from_a_coverage_label_are_respected():
    # "Meets a target of 3" tells readers a >= 3: that must not become exact.
    values = {"total": 30, "a": 3, "b": 9, "c": 18}
    relations = [Relation("total", ("a", "b", "c"))]
    known = {"a": (3, 10**6)}
    result = suppress(values, relations, min_cell=K, known=known)
    assert_protected(values, relations, result, known=known)


def test_relations_that_do_not_add_up_are_rejected():
    with pytest.raises(ValueError):
        suppress({"t": 5, "a": 1}, [Relation("t", ("a",))], min_cell=K)
    with pytest.raises(ValueError):
        suppress({"t": 5}, [Relation("t", ("missing",))], min_cell=K)
    with pytest.raises(ValueError):
        suppress({"a": 5}, min_cell=K, known={"a": (0, 3)})


def test_the_same_input_always_gives_the_same_cells():
    values = {"total": 50, "a": 1, "b": 8, "c": 8, "d": 8, "e": 25}
    relations = [Relation("total", ("a", "b", "c", "d", "e"))]
    first = suppress(values, relations, min_cell=K).status
    for _ in range(5):
        assert suppress(dict(reversed(values.items())), relations, min_cell=K).status == first


def test_random_tables_never_let_a_reader_narrow_a_hidden_figure():
    rng = random.Random(20261123)
    for _ in range(120):
        n_children = rng.randint(1, 3)
        n_top = rng.randint(1, 3)
        values = {}
        children = [f"c{i}" for i in range(n_children)]
        for key in children:
            values[key] = rng.choice([0, 1, 2, 3, 4, 5, 6, 7])
        values["p_own"] = rng.choice([0, 1, 3, 5, 6])
        values["p_all"] = values["p_own"] + sum(values[c] for c in children)
        tops = [f"t{i}" for i in range(n_top)]
        for key in tops:
            values[key] = rng.choice([0, 2, 4, 5, 6, 8])
        values["inst"] = values["p_all"] + sum(values[t] for t in tops)
        relations = [Relation("p_all", ("p_own", *children)),
                     Relation("inst", ("p_all", *tops))]
        small = {key for key in values if rng.random() < 0.1 and key not in ("inst", "p_all")}
        result = suppress(values, relations, min_cell=K, small=small)
        possible = reader_can_deduce(values, relations, result, small)
        for key in result.hidden_keys(PRIMARY):
            if labels_alone_leave_full_range(key, relations, result, small):
                assert possible[key] == {1, 2, 3, 4}, (key, values, result.status)


def test_a_small_group_beside_shown_zeros_may_be_known_to_be_non_zero():
    # The parent's roll-up reads "fewer than 5" (1-4) and its sub-department
    # shows 0, so its own small group has at least one: accepted, documented.
    values = {"inst": 12, "p_all": 1, "p_own": 1, "c0": 0, "t0": 11}
    relations = [Relation("p_all", ("p_own", "c0")), Relation("inst", ("p_all", "t0"))]
    result = suppress(values, relations, min_cell=K, small={"p_own"})
    assert result.status["p_own"] == PRIMARY and result.status["p_all"] == PRIMARY
    assert result.shown("c0")
    possible = reader_can_deduce(values, relations, result, small={"p_own"})
    assert possible["p_own"] == {1, 2, 3, 4}


# Complements ------------------------------------------------------------------

@pytest.mark.parametrize(("count", "out_of", "status"), [
    (0, 20, SHOWN),        # count 0: nobody, a statement about the group
    (1, 20, PRIMARY),      # count 1
    (4, 20, PRIMARY),      # count 4
    (5, 20, SHOWN),        # count 5, complement 15
    (20, 20, SHOWN),       # complement 0: everyone
    (19, 20, "complement"),  # complement 1
    (16, 20, "complement"),  # complement 4
    (15, 20, SHOWN),       # complement 5
    (3, 7, PRIMARY),       # count and complement both small: the count's rule wins
])
def test_a_count_is_hidden_when_it_or_its_complement_is_small(count, out_of, status):
    result = suppress({"a": count}, min_cell=K, denominators={"a": out_of})
    assert result.status["a"] == status
    assert result.shown("a") == (status == SHOWN)
    if status == "complement":
        assert result.label("a") == HIDDEN_LABEL  # the count itself is 5 or more


def test_without_a_denominator_only_the_count_matters():
    assert suppress({"a": 19}, min_cell=K).shown("a")


@pytest.mark.parametrize(("total_out_of", "total_shown"), [(30, True), (31, False), (34, False),
                                                           (35, True)])
def test_a_total_is_hidden_when_its_complement_is_small(total_out_of, total_shown):
    """Totals have denominators too: 30 of 30 is shown, 30 of 31..34 is not, 30 of 35 is."""
    values = {"a": 10, "b": 20, "t": 30}
    relation = Relation("t", ("a", "b"))
    result = suppress(values, [relation], min_cell=K,
                      denominators={"a": 40, "b": 40, "t": total_out_of})
    assert result.shown("t") == total_shown
    if not total_shown:
        # The members cannot all stay visible: they would add up to the hidden total.
        assert not (result.shown("a") and result.shown("b"))
        possible = reader_can_deduce(values, [relation], result)
        assert len(possible["t"]) > 1


def test_a_complement_hidden_member_is_protected_from_the_total():
    """18 of 20 is hidden; with the total and the other member shown, 48 - 30 would give
    it away, so one more cell is hidden."""
    values = {"a": 18, "b": 30, "t": 48}
    relation = Relation("t", ("a", "b"))
    result = suppress(values, [relation], min_cell=K,
                      denominators={"a": 20, "b": 50, "t": 70})
    assert result.status["a"] == "complement"
    assert result.hidden_keys() - {"a"}
    possible = reader_can_deduce(values, [relation], result)
    assert len(possible["a"]) > 1
