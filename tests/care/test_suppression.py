"""Figures about fewer than five people are hidden, and cannot be worked out by subtraction."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from kretsen.care.suppression import THRESHOLD, CountTable, Hidden, protect


def one_d(parts: list[int]) -> tuple[CountTable, Hidden]:
    table = CountTable(row_totals=parts, grand_total=sum(parts))
    return table, protect(table)


def cross(cells: list[list[int]]) -> tuple[CountTable, Hidden]:
    row_totals = [sum(row) for row in cells]
    columns = [sum(row[j] for row in cells) for j in range(len(cells[0]))]
    table = CountTable(row_totals, cells, columns, sum(row_totals))
    return table, protect(table)


def test_a_small_part_and_the_next_smallest_are_hidden_the_total_stays() -> None:
    _table, hidden = one_d([3, 10, 12, 40])
    assert hidden.row_totals == [True, True, False, False]
    assert hidden.grand_total is False


def test_zero_is_shown_and_nothing_is_hidden_without_small_counts() -> None:
    _table, hidden = one_d([0, 10, 12])
    assert hidden.row_totals == [False, False, False]


def test_two_small_parts_that_add_up_to_under_five_take_a_third_with_them() -> None:
    _table, hidden = one_d([2, 2, 20, 30])
    assert hidden.row_totals == [True, True, True, False]


def test_five_parts_of_one_person_each_do_not_stay_readable() -> None:
    # Five hidden parts adding up to five would each have to be 1: the total goes too.
    _table, hidden = one_d([1, 1, 1, 1, 1])
    assert all(hidden.row_totals)
    assert hidden.grand_total


def test_a_small_total_is_hidden_with_all_its_parts() -> None:
    _table, hidden = one_d([1, 2, 0])
    assert hidden.grand_total
    assert hidden.row_totals == [True, True, False]


def test_the_only_part_is_hidden_with_the_total() -> None:
    _table, hidden = one_d([3])
    assert hidden.row_totals == [True]
    assert hidden.grand_total


def test_cross_table_hides_across_rows_and_columns() -> None:
    table, hidden = cross([[3, 20], [30, 40], [25, 25]])
    # The 3 is hidden; in its row the 20 goes with it; in its column the next smallest (25),
    # and then the rows and columns touched are balanced again.
    assert hidden.cells[0][0]
    assert hidden.cells[0][1]
    assert sum(hidden.cells[i][0] for i in range(3)) >= 2
    assert sum(hidden.cells[i][1] for i in range(3)) >= 2
    _assert_lines_safe(table, hidden)


def _lines(table: CountTable, hidden: Hidden) -> list[tuple[list[tuple[int, bool]], int, bool]]:
    lines = [
        (
            list(zip(table.row_totals, hidden.row_totals, strict=True)),
            table.grand_total,
            hidden.grand_total,
        )
    ]
    if table.column_totals:
        lines.append(
            (
                list(zip(table.column_totals, hidden.column_totals, strict=True)),
                table.grand_total,
                hidden.grand_total,
            )
        )
        for i, row in enumerate(table.cells):
            lines.append(
                (
                    list(zip(row, hidden.cells[i], strict=True)),
                    table.row_totals[i],
                    hidden.row_totals[i],
                )
            )
        for j, total in enumerate(table.column_totals):
            column = [(table.cells[i][j], hidden.cells[i][j]) for i in range(len(table.cells))]
            lines.append((column, total, hidden.column_totals[j]))
    return lines


def _assert_lines_safe(table: CountTable, hidden: Hidden) -> None:
    for parts, total, total_hidden in _lines(table, hidden):
        shown_small = [
            value for value, is_hidden in parts if 0 < value < THRESHOLD and not is_hidden
        ]
        assert not shown_small
        assert total_hidden or not 0 < total < THRESHOLD
        hidden_values = [value for value, is_hidden in parts if is_hidden]
        if total_hidden:
            assert hidden_values or all(value == 0 for value, _h in parts)
        elif hidden_values:
            assert len(hidden_values) >= 2
            assert sum(hidden_values) >= max(THRESHOLD, len(hidden_values) + 1)


def _derivable(parts: list[int], hidden: list[bool], total: int, total_hidden: bool) -> bool:
    """Brute force: can a hidden part's value be read off from what is shown?"""
    if total_hidden:
        return False
    hidden_index = [i for i, is_hidden in enumerate(hidden) if is_hidden]
    if not hidden_index:
        return False
    rest = total - sum(
        value for value, is_hidden in zip(parts, hidden, strict=True) if not is_hidden
    )
    if rest ** len(hidden_index) > 200_000:
        # Too many to enumerate: with k >= 2 hidden parts adding up to more than k, a unit
        # can always move between two of them (the line check above asserts that shape).
        return False
    # What a reader knows: each hidden part is at least 1 (0 is always shown).
    solutions = [
        combination
        for combination in itertools.product(range(1, rest + 1), repeat=len(hidden_index))
        if sum(combination) == rest
    ]
    return any(len({solution[k] for solution in solutions}) == 1 for k in range(len(hidden_index)))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=5))
def test_no_hidden_part_of_a_one_way_table_can_be_worked_out(parts: list[int]) -> None:
    table, hidden = one_d(parts)
    _assert_lines_safe(table, hidden)
    assert not _derivable(parts, hidden.row_totals, table.grand_total, hidden.grand_total)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1, max_value=5).flatmap(
        lambda width: st.lists(
            st.lists(st.integers(min_value=0, max_value=30), min_size=width, max_size=width),
            min_size=1,
            max_size=6,
        )
    )
)
def test_every_line_of_a_cross_table_is_safe(cells: list[list[int]]) -> None:
    table, hidden = cross(cells)
    _assert_lines_safe(table, hidden)
    for parts, total, total_hidden in _lines(table, hidden):
        values = [value for value, _h in parts]
        flags = [is_hidden for _v, is_hidden in parts]
        if sum(values) <= 30:
            assert not _derivable(values, flags, total, total_hidden)
