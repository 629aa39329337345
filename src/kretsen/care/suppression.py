"""Hiding figures about fewer than five people, including figures that could be worked out.

A table of people counts has parts (rows, and for a cross table also columns) and totals.
Every count from 1 to 4 is hidden (primary suppression; 0 is shown, it is about nobody).
Then, line by line (a row with its row total, a column with its column total, the row totals
with the grand total, the column totals with the grand total), more cells are hidden until no
hidden count can be worked out by subtraction (complementary suppression):

- a shown total with hidden parts: at least two parts are hidden and together they are about
  at least five people (and more people than hidden cells, or each would have to be 1), so
  neither a single cell nor a sum below five can be read off;
- a hidden total: at least one part is hidden, so the total is not the sum of shown parts.

The cell hidden next is the smallest shown non-zero part of the line; when none is left, the
total is hidden. Hiding only ever adds cells, so the loop ends. No Django imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

THRESHOLD = 5


@dataclass
class CountTable:
    """People counts: ``cells[i][j]`` for part i and column j (no columns: a 1D table)."""

    row_totals: list[int]
    cells: list[list[int]] = field(default_factory=list)
    column_totals: list[int] = field(default_factory=list)
    grand_total: int = 0

    def __post_init__(self) -> None:
        if self.cells and len(self.cells) != len(self.row_totals):
            raise ValueError("one row of cells per part")


@dataclass
class Hidden:
    """What to hide in a :class:`CountTable`, in the same shape."""

    row_totals: list[bool]
    cells: list[list[bool]]
    column_totals: list[bool]
    grand_total: bool


def _is_small(count: int) -> bool:
    return 0 < count < THRESHOLD


Line = tuple[list[tuple[int, int]], tuple[int, int]]  # (part cell addresses, total address)


def _lines(table: CountTable) -> list[Line]:
    """Addresses: (-1, i) a row total, (i, j) a cell, (-2, j) a column total, (-3, 0) the
    grand total."""
    parts = len(table.row_totals)
    columns = len(table.column_totals)
    lines: list[Line] = [([(-1, i) for i in range(parts)], (-3, 0))]
    if columns:
        lines.append(([(-2, j) for j in range(columns)], (-3, 0)))
        lines.extend(([(i, j) for j in range(columns)], (-1, i)) for i in range(parts))
        lines.extend(([(i, j) for i in range(parts)], (-2, j)) for j in range(columns))
    return lines


def protect(table: CountTable) -> Hidden:
    parts = len(table.row_totals)
    columns = len(table.column_totals)

    def value(address: tuple[int, int]) -> int:
        kind, index = address
        if kind == -1:
            return table.row_totals[index]
        if kind == -2:
            return table.column_totals[index]
        if kind == -3:
            return table.grand_total
        return table.cells[kind][index]

    hidden: set[tuple[int, int]] = set()
    addresses = [(-1, i) for i in range(parts)] + [(-3, 0)]
    addresses += [(-2, j) for j in range(columns)]
    addresses += [(i, j) for i in range(parts) for j in range(columns)]
    hidden.update(address for address in addresses if _is_small(value(address)))

    lines = _lines(table)
    changed = True
    while changed:
        changed = False
        for line_parts, total in lines:
            hidden_parts = [address for address in line_parts if address in hidden]
            if total in hidden:
                safe = bool(hidden_parts) or all(value(a) == 0 for a in line_parts)
            else:
                hidden_sum = sum(value(address) for address in hidden_parts)
                enough = max(THRESHOLD, len(hidden_parts) + 1)
                safe = not hidden_parts or (len(hidden_parts) >= 2 and hidden_sum >= enough)
            if safe:
                continue
            candidates = [a for a in line_parts if a not in hidden and value(a) > 0]
            if candidates:
                hidden.add(min(candidates, key=lambda a: (value(a), a)))
            else:
                hidden.add(total)
            changed = True

    return Hidden(
        row_totals=[(-1, i) in hidden for i in range(parts)],
        cells=[[(i, j) in hidden for j in range(columns)] for i in range(parts)],
        column_totals=[(-2, j) in hidden for j in range(columns)],
        grand_total=(-3, 0) in hidden,
    )
