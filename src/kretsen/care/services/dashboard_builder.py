"""The figures of the dashboard, built from plain records: one calendar year, by one dimension.

Only whole calendar years can be chosen and every table is broken down by one dimension at a
time, with its total, so that no two views differ by a few people (no rolling windows, no
filters that could be subtracted from each other). Every count about people goes through
:mod:`kretsen.care.suppression`; figures computed from hidden counts (rates, means, medians)
are hidden with them.

The cohort of the group tables is "people who joined a group in the year": their days from
registration to the first meeting they attended, their attendance, whether they left early,
and their WHO-5 before and after.

No database here: :mod:`kretsen.care.services.dashboard_loader` reads the records (STYLE rule
11), so the figures can be tested on records written by hand.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from scipy import stats

from kretsen.care.services.dashboard_records import Answer, Joined, Profile, YearData
from kretsen.care.suppression import CountTable, protect
from kretsen.core.vocabulary import Condition, Format, Relation

DIMENSIONS: dict[str, Promise] = {
    "condition": _("Condition of the person cared for"),
    "relation": _("Relation"),
    "format": _("Format"),
    "quarter": _("Quarter"),
}
NETWORK_DIMENSIONS: dict[str, Promise] = {**DIMENSIONS, "organisation": _("Organisation")}

QUARTERS = [("q1", _("January–March")), ("q2", _("April–June"))]
QUARTERS += [("q3", _("July–September")), ("q4", _("October–December"))]

# --- the figures (what the page shows) -----------------------------------------------------

# The intake column for a readiness that no form wrote (empty or unknown).
NOT_ASSESSED = "not_assessed"


@dataclass
class Cell:
    """One figure: ``kind`` says how to show it (count, percent, days, points, interval)."""

    value: Any
    kind: str = "count"
    hidden: bool = False

    @property
    def shown(self) -> bool:
        return not self.hidden and self.value is not None


@dataclass
class Row:
    key: str
    label: str
    cells: list[Cell]


@dataclass
class Table:
    key: str
    title: str
    explanation: str
    columns: list[str]
    rows: list[Row]
    total: Row
    chart_column: int = 0
    about_people: bool = True
    # What the rows are (the dimension, or the groups' format): one source for the table's
    # caption and first column and for the chart's title.
    rows_heading: str = ""

    def chart_rows(self) -> list[tuple[str, Cell]]:
        return [(row.label, row.cells[self.chart_column]) for row in self.rows]

    @property
    def chart_figure(self) -> str:
        return self.columns[self.chart_column]

    def caption(self, year: int) -> str:
        return str(_("%(title)s, %(year)s, by %(rows)s")) % {
            "title": self.title,
            "year": year,
            "rows": self.rows_heading.lower(),
        }

    def chart_caption(self, year: int) -> str:
        return str(
            _(
                "Chart: %(title)s, %(year)s, by %(rows)s; the bars show “%(figure)s”. "
                "The same figures are in the table beside it."
            )
        ) % {
            "title": self.title,
            "figure": self.chart_figure,
            "year": year,
            "rows": self.rows_heading.lower(),
        }


@dataclass
class Dashboard:
    year: int
    dimension: str
    years: list[int]
    tables: list[Table] = field(default_factory=list)


@dataclass
class _Person:
    """A person counted in a table, with the attributes the dimensions read."""

    key: Any
    condition: str
    relation: str
    format: str
    quarter: str
    organisation: int


# --- helpers -----------------------------------------------------------------------------


def _quarter(day: date) -> str:
    return f"q{(day.month - 1) // 3 + 1}"


def _person(profile: Profile, day: date, key: Any, group_format: str = "") -> _Person:
    """``group_format``: people in a group are counted by its format, not their wish."""
    return _Person(
        key=key,
        condition=profile.condition,
        relation=profile.relation,
        format=group_format or profile.format,
        quarter=_quarter(day),
        organisation=profile.organisation,
    )


def _parts(dimension: str, organisations: Iterable[tuple[int, str]]) -> list[tuple[str, str]]:
    choices: Iterable[tuple[str, Any]]
    if dimension == "condition":
        choices = Condition.choices
    elif dimension == "relation":
        choices = Relation.choices
    elif dimension == "format":
        choices = Format.choices
    elif dimension == "quarter":
        choices = QUARTERS
    else:
        choices = [(str(pk), name) for pk, name in organisations]
    return [(key, str(label)) for key, label in choices]


def _part_of(dimension: str) -> Callable[[_Person], str]:
    if dimension == "organisation":
        return lambda person: str(person.organisation)
    return lambda person: str(getattr(person, dimension))


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def paired_change(before: list[float], after: list[float]) -> tuple[float, float, float] | None:
    """Mean change after - before with a 95% confidence interval (t distribution)."""
    differences = [b - a for a, b in zip(before, after, strict=True)]
    if len(differences) < 2:
        return None
    mean = statistics.fmean(differences)
    spread = statistics.stdev(differences) / math.sqrt(len(differences))
    margin = float(stats.t.ppf(0.975, len(differences) - 1)) * spread
    return mean, mean - margin, mean + margin


# --- the tables --------------------------------------------------------------------------


class _Builder:
    def __init__(self, data: YearData, dimension: str) -> None:
        self.data = data
        self.dimension = dimension
        self.parts = _parts(dimension, data.organisations)
        self.part_of = _part_of(dimension)
        self.dimension_label = str(NETWORK_DIMENSIONS[dimension])

    # A 1D table of people, with figures per part computed from the people in it.
    def _people_table(
        self,
        key: str,
        title: Promise,
        explanation: Promise,
        people: list[_Person],
        figures: list[tuple[Promise, str, Callable[[list[_Person]], Any]]],
    ) -> Table:
        by_part: dict[str, list[_Person]] = defaultdict(list)
        for person in people:
            by_part[self.part_of(person)].append(person)
        counts = [len(by_part[part]) for part, _label in self.parts]
        hidden = protect(CountTable(row_totals=counts, grand_total=len(people)))

        def row(part: str, label: str, group: list[_Person], is_hidden: bool) -> Row:
            cells = [Cell(len(group), "count", is_hidden)]
            for _title, kind, compute in figures:
                cells.append(Cell(compute(group) if group else None, kind, is_hidden))
            return Row(part, label, cells)

        rows = [
            row(part, label, by_part[part], hidden.row_totals[index])
            for index, (part, label) in enumerate(self.parts)
        ]
        return Table(
            key=key,
            title=str(title),
            explanation=str(explanation),
            columns=[str(_("People"))] + [str(name) for name, _k, _c in figures],
            rows=rows,
            total=row("total", str(_("All")), people, hidden.grand_total),
            chart_column=1 if figures else 0,
            rows_heading=self.dimension_label,
        )

    # A cross table of people: parts x categories that split each part.
    def _cross_table(
        self,
        key: str,
        title: Promise,
        explanation: Promise,
        people: list[tuple[_Person, str]],
        categories: list[tuple[str, str]],
    ) -> Table:
        index = {category: j for j, (category, _label) in enumerate(categories)}
        cells = [[0] * len(categories) for _part in self.parts]
        part_index = {part: i for i, (part, _label) in enumerate(self.parts)}
        for person, category in people:
            cells[part_index[self.part_of(person)]][index[category]] += 1
        row_totals = [sum(line) for line in cells]
        column_totals = [sum(line[j] for line in cells) for j in range(len(categories))]
        table = CountTable(row_totals, cells, column_totals, sum(row_totals))
        hidden = protect(table)
        rows = [
            Row(
                part,
                label,
                [Cell(row_totals[i], "count", hidden.row_totals[i])]
                + [Cell(cells[i][j], "count", hidden.cells[i][j]) for j in range(len(categories))],
            )
            for i, (part, label) in enumerate(self.parts)
        ]
        total = Row(
            "total",
            str(_("All")),
            [Cell(table.grand_total, "count", hidden.grand_total)]
            + [
                Cell(column_totals[j], "count", hidden.column_totals[j])
                for j in range(len(categories))
            ],
        )
        return Table(
            key=key,
            title=str(title),
            explanation=str(explanation),
            columns=[str(_("People"))] + [label for _c, label in categories],
            rows=rows,
            total=total,
            rows_heading=self.dimension_label,
        )

    def reached(self) -> Table:
        people = [_person(r.profile, r.day, r.key) for r in self.data.registered]
        return self._people_table(
            "reached",
            _("Relatives reached"),
            _("People who registered their interest during the year."),
            people,
            [],
        )

    def intake(self) -> Table:
        # A readiness written outside the forms (empty or unknown) counts as not assessed.
        known = {value for value, _label in self.data.readiness}
        people = [
            (
                _person(i.profile, i.day, i.key),
                i.readiness if i.readiness in known else NOT_ASSESSED,
            )
            for i in self.data.intakes
        ]
        categories = [(value, str(label)) for value, label in self.data.readiness]
        if any(readiness == NOT_ASSESSED for _person_, readiness in people):
            categories.append((NOT_ASSESSED, str(_("Not assessed"))))
        return self._cross_table(
            "intake",
            _("Intake conversations and their outcome"),
            _("Intake conversations held during the year, by the coordinator's assessment."),
            people,
            categories,
        )

    def cohort(self) -> list[tuple[_Person, Joined]]:
        return [
            (_person(member.profile, member.day, member.key, member.group_format), member)
            for member in self.data.joined
        ]

    def started(self, cohort: list[tuple[_Person, Joined]]) -> Table:
        waited: dict[Any, int] = {}
        people = []
        for person, member in cohort:
            if member.first_present is None:
                continue
            waited[person.key] = max(0, (member.first_present - member.registered_at).days)
            people.append(person)
        return self._people_table(
            "started",
            _("From registration to the first meeting"),
            _(
                "People who joined a group during the year and came to at least one meeting: "
                "the median number of days from their registration to the first meeting."
            ),
            people,
            [
                (
                    _("Median days"),
                    "days",
                    lambda group: round(statistics.median(waited[p.key] for p in group)),
                )
            ],
        )

    def groups(self) -> Table:
        held = self.data.meetings
        by_format = self.dimension not in ("quarter", "organisation")
        parts = (
            [(value, str(label)) for value, label in self.data.group_formats]
            if by_format
            else self.parts
        )
        groups: dict[str, set[int]] = defaultdict(set)
        count: dict[str, int] = defaultdict(int)
        for meeting in held:
            if by_format:
                part = meeting.group_format
            elif self.dimension == "quarter":
                part = _quarter(meeting.day)
            else:
                part = str(meeting.organisation)
            groups[part].add(meeting.group)
            count[part] += 1
        rows = [
            Row(part, label, [Cell(len(groups[part])), Cell(count[part])]) for part, label in parts
        ]
        return Table(
            key="groups",
            title=str(_("Groups and meetings")),
            explanation=str(
                _(
                    "Groups that met during the year and the meetings held (cancelled ones "
                    "not counted). Groups mix people, so they are shown by format."
                )
                if by_format
                else _("Groups that met during the year and the meetings held.")
            ),
            columns=[str(_("Groups")), str(_("Meetings held"))],
            rows=rows,
            total=Row(
                "total",
                str(_("All")),
                [Cell(len({meeting.group for meeting in held})), Cell(len(held))],
            ),
            about_people=False,
            rows_heading=str(_("Format")) if by_format else self.dimension_label,
        )

    def participation(self, cohort: list[tuple[_Person, Joined]]) -> tuple[Table, Table]:
        by_key = {person.key: member for person, member in cohort}

        def rate(group: list[_Person]) -> float | None:
            records = [came for p in group for came in by_key[p.key].came]
            if not records:
                return None
            return 100 * records.count(True) / len(records)

        people = [person for person, _m in cohort]
        attended = self._people_table(
            "attendance",
            _("Attendance"),
            _(
                "People who joined a group during the year: the share of their meetings "
                "they came to (absences with and without notice count as not coming)."
            ),
            people,
            [(_("Attendance"), "percent", rate)],
        )
        left = [(person, "left" if member.left else "stayed") for person, member in cohort]
        dropout = self._cross_table(
            "dropout",
            _("Leaving a group early"),
            _("People who joined a group during the year and whether they have left it."),
            left,
            [("stayed", str(_("Stayed"))), ("left", str(_("Left the group")))],
        )
        # The share who left, shown only where the count of leavers is shown.
        dropout.columns.append(str(_("Share who left")))
        for row in [*dropout.rows, dropout.total]:
            people_cell, _stayed, left_cell = row.cells
            share = 100 * left_cell.value / people_cell.value if people_cell.value else None
            row.cells.append(Cell(share, "percent", left_cell.hidden or people_cell.hidden))
        dropout.chart_column = 3
        return attended, dropout

    def wellbeing(self, cohort: list[tuple[_Person, Joined]]) -> Table:
        pairs: dict[Any, tuple[int, int]] = {}
        people = []
        for person, member in cohort:
            if member.who5 is not None:
                pairs[person.key] = member.who5
                people.append(person)

        def before(group: list[_Person]) -> float | None:
            return _mean([pairs[p.key][0] for p in group])

        def after(group: list[_Person]) -> float | None:
            return _mean([pairs[p.key][1] for p in group])

        def change(group: list[_Person]) -> tuple[float, float, float] | None:
            return paired_change([pairs[p.key][0] for p in group], [pairs[p.key][1] for p in group])

        table = self._people_table(
            "who5",
            _("Wellbeing (WHO-5) before and after"),
            _(
                "People who joined a group during the year and answered WHO-5 both when "
                "joining and at the end of the led period (0–100, higher is better): the "
                "mean before, after, and the mean change with its confidence interval (95%)."
            ),
            people,
            [
                (_("Before"), "points", before),
                (_("After"), "points", after),
                (_("Change (95% interval)"), "interval", change),
            ],
        )
        table.chart_column = 3
        return table

    def feedback(self) -> Table:
        # One person in each part they answered in; their answers counted under it.
        people: dict[tuple[Any, str], _Person] = {}
        given: dict[Any, list[Answer]] = defaultdict(list)
        for answer in self.data.answers:
            person = _person(answer.profile, answer.day, None, answer.group_format)
            person.key = (answer.member, self.part_of(person))
            people[person.key] = person
            given[person.key].append(answer)

        def share(yes: Callable[[Answer], bool]) -> Callable[[list[_Person]], float | None]:
            def compute(group: list[_Person]) -> float | None:
                records = [yes(a) for p in group for a in given[p.key]]
                if not records:
                    return None
                return 100 * records.count(True) / len(records)

            return compute

        table = self._people_table(
            "feedback",
            _("Feedback after meetings"),
            _(
                "Short feedback given after meetings during the year: the share of answers "
                "that were a clear yes."
            ),
            list(people.values()),
            [
                (_("Felt safe in the group"), "percent", share(lambda a: a.felt_safe)),
                (_("Got enough space"), "percent", share(lambda a: a.enough_space)),
            ],
        )
        # A person answering in two quarters is one person in each; the total counts them once.
        total_people = len({key[0] for key in people})
        table.total.cells[0].value = total_people
        table.total.cells[0].hidden = table.total.cells[0].hidden or 0 < total_people < 5
        return table


def build(data: YearData, dimension: str) -> Dashboard:
    """The dashboard of one year's records, broken down by ``dimension``."""
    builder = _Builder(data, dimension)
    cohort = builder.cohort()
    attendance, dropout = builder.participation(cohort)
    tables = [
        builder.reached(),
        builder.intake(),
        builder.started(cohort),
        builder.groups(),
        attendance,
        dropout,
        builder.wellbeing(cohort),
        builder.feedback(),
    ]
    return Dashboard(year=data.year, dimension=dimension, years=list(data.years), tables=tables)
