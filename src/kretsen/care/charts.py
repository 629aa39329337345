"""Horizontal bar charts drawn as SVG on the server, readable without colour.

Each bar carries its value as text at its end, bars are drawn with a dark outline and a
hatching pattern as well as a fill, and a hidden figure is written out instead of drawn.
The table beside every chart holds the same figures as text. Geometry only; the template
``care/staff/chart_svg.html`` draws it with localisation off, so that a coordinate is
"230.5" in every language (a decimal comma would break the drawing in Swedish and Norwegian).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from kretsen.care.services.dashboard_builder import Cell, Table
from kretsen.core import localise

WIDTH = 700
LABEL_WIDTH = 260
VALUE_WIDTH = 200
# Longer labels are cut with "…" so that they fit LABEL_WIDTH at the chart's font size
# (Swedish and Norwegian labels run longer than English ones); the table has them in full.
LABEL_CHARS = 26
ROW_HEIGHT = 30
BAR_HEIGHT = 18
TOP = 10


@dataclass
class Bar:
    label: str
    text: str
    y: float
    x: float
    width: float
    whisker: tuple[float, float] | None
    drawn: bool

    @property
    def short_label(self) -> str:
        if len(self.label) <= LABEL_CHARS:
            return self.label
        return self.label[: LABEL_CHARS - 1].rstrip() + "…"

    @property
    def text_y(self) -> float:
        return self.y + 14

    @property
    def middle_y(self) -> float:
        return self.y + BAR_HEIGHT / 2

    @property
    def text_x(self) -> float:
        end = self.whisker[1] if self.whisker else self.x + self.width
        return round(end + 6, 1)


@dataclass
class Chart:
    title: str
    table_caption: str
    height: int
    zero_x: float
    bars: list[Bar]
    label_width: int = LABEL_WIDTH
    width: int = WIDTH

    @property
    def label_x(self) -> int:
        return self.label_width - 8

    @property
    def axis_end(self) -> int:
        return self.height - 4


def figure_text(cell: Cell) -> str:
    """A cell as text for people, as in the table and beside the bar (rounded half up)."""
    if cell.hidden:
        return _("hidden")
    if cell.value is None:
        return "–"
    if cell.kind == "count":
        return localise.number(cell.value)
    if cell.kind == "percent":
        return localise.percent(cell.value)
    if cell.kind == "days":
        return localise.number(cell.value)
    if cell.kind == "points":
        return localise.number(cell.value, 1)
    mean, low, high = cell.value
    return _("%(mean)s (%(low)s to %(high)s)") % {
        "mean": _signed(mean),
        "low": _signed(low),
        "high": _signed(high),
    }


def figure_values(cell: Cell) -> tuple[str, str, str]:
    """A cell for machines (the CSV file): value, low and high of an interval, with a dot
    as decimal sign in every language; empty where hidden or missing."""
    if not cell.shown:
        return "", "", ""
    if cell.kind == "interval":
        mean, low, high = cell.value
        return localise.machine(mean), localise.machine(low), localise.machine(high)
    places = 1 if cell.kind in ("percent", "points") else 0
    return localise.machine(cell.value, places), "", ""


def _signed(value: float) -> str:
    text = localise.number(abs(value), 1)
    return ("+" if localise.rounded(value, 1) >= 0 else "−") + text


def _value(cell: Cell) -> float:
    return float(cell.value[0] if cell.kind == "interval" else cell.value)


def bar_chart(table: Table, year: int) -> Chart:
    """The chart of ``table``; its title and the table's caption come from the table."""
    rows = table.chart_rows()
    shown = [cell for _label, cell in rows if cell.shown]
    low = 0.0
    high = 100.0 if rows and rows[0][1].kind == "percent" else 0.0
    for cell in shown:
        if cell.kind == "interval":
            low = min(low, cell.value[1])
            high = max(high, cell.value[2])
        else:
            high = max(high, _value(cell))
    span = (high - low) or 1.0
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH

    def x_of(value: float) -> float:
        return round(LABEL_WIDTH + (value - low) / span * plot, 1)

    zero = x_of(0.0)
    bars = []
    for index, (label, cell) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        if not cell.shown:
            bars.append(Bar(label, figure_text(cell), y, zero, 0, None, drawn=False))
            continue
        end = x_of(_value(cell))
        whisker = (x_of(cell.value[1]), x_of(cell.value[2])) if cell.kind == "interval" else None
        bars.append(
            Bar(label, figure_text(cell), y, min(zero, end), abs(end - zero), whisker, True)
        )
    height = TOP * 2 + ROW_HEIGHT * max(len(rows), 1)
    return Chart(
        title=table.chart_caption(year),
        table_caption=table.caption(year),
        height=height,
        zero_x=zero,
        bars=bars,
    )
