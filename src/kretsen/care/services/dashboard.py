"""The figures of the dashboard: one calendar year, broken down by one dimension.

Only whole calendar years can be chosen and every table is broken down by one dimension at a
time, with its total, so that no two views differ by a few people (no rolling windows, no
filters that could be subtracted from each other). Every count about people goes through
:mod:`kretsen.care.suppression`; figures computed from hidden counts (rates, means, medians)
are hidden with them.

The cohort of the group tables is "people who joined a group in the year": their days from
registration to the first meeting they attended, their attendance, whether they left early,
and their WHO-5 before and after.
"""

from __future__ import annotations

import math
import statistics
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Min
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_scopes import scope
from scipy import stats

from kretsen.care.models import MeetingFeedback, QuestionnaireRequest, Timepoint
from kretsen.care.suppression import CountTable, protect
from kretsen.core.models import Organisation
from kretsen.core.vocabulary import Condition, Format, Relation
from kretsen.groups.models import Attendance, Group, GroupMember, Meeting
from kretsen.intake.models import Intake, Readiness, Registration

DIMENSIONS: dict[str, Promise] = {
    "condition": _("Condition of the person cared for"),
    "relation": _("Relation"),
    "format": _("Format"),
    "quarter": _("Quarter"),
}
NETWORK_DIMENSIONS: dict[str, Promise] = {**DIMENSIONS, "organisation": _("Organisation")}

QUARTERS = [("q1", _("January–March")), ("q2", _("April–June"))]
QUARTERS += [("q3", _("July–September")), ("q4", _("October–December"))]
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
    """A cohort member with the attributes the dimensions read."""

    key: Any
    condition: str
    relation: str
    format: str
    quarter: str
    organisation: int


# --- helpers -----------------------------------------------------------------------------


def _quarter(day: date) -> str:
    return f"q{(day.month - 1) // 3 + 1}"


def _year_bounds(year: int, zone: zoneinfo.ZoneInfo) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)


def _parts(dimension: str, organisations: Sequence[Organisation]) -> list[tuple[str, str]]:
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
        choices = [(str(org.pk), org.name) for org in organisations]
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
    def __init__(self, organisations: Sequence[Organisation], year: int, dimension: str) -> None:
        self.organisations = list(organisations)
        self.org_ids = [org.pk for org in self.organisations]
        self.year = year
        self.dimension = dimension
        self.parts = _parts(dimension, self.organisations)
        self.part_of = _part_of(dimension)
        self.dimension_label = str(NETWORK_DIMENSIONS[dimension])
        # A network's organisations are counted in the time zone of the first of them.
        self.zone = zoneinfo.ZoneInfo(self.organisations[0].time_zone)
        self.start, self.end = _year_bounds(year, self.zone)

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

    # --- people ---

    def _registration_person(self, registration: Registration, day: date, key: Any) -> _Person:
        return _Person(
            key=key,
            condition=registration.condition,
            relation=registration.relation,
            format=registration.format_preference,
            quarter=_quarter(day),
            organisation=registration.organisation_id,
        )

    def reached(self) -> Table:
        registrations = Registration.objects.filter(
            organisation__in=self.org_ids, created_at__gte=self.start, created_at__lt=self.end
        )
        people = [
            self._registration_person(r, r.created_at.astimezone(self.zone).date(), r.pk)
            for r in registrations.only(
                "condition", "relation", "format_preference", "organisation", "created_at"
            )
        ]
        return self._people_table(
            "reached",
            _("Relatives reached"),
            _("People who registered their interest during the year."),
            people,
            [],
        )

    def intake(self) -> Table:
        intakes = Intake.objects.filter(
            organisation__in=self.org_ids,
            held_on__gte=self.start.date(),
            held_on__lt=self.end.date(),
        ).select_related("registration")
        # A readiness written outside the forms (empty or unknown) counts as not assessed.
        people = [
            (
                self._registration_person(i.registration, i.held_on, i.pk),
                i.readiness if i.readiness in Readiness.values else NOT_ASSESSED,
            )
            for i in intakes
        ]
        categories = [(value, str(label)) for value, label in Readiness.choices]
        if any(readiness == NOT_ASSESSED for _person, readiness in people):
            categories.append((NOT_ASSESSED, str(_("Not assessed"))))
        return self._cross_table(
            "intake",
            _("Intake conversations and their outcome"),
            _("Intake conversations held during the year, by the coordinator's assessment."),
            people,
            categories,
        )

    def _cohort(self) -> list[tuple[_Person, GroupMember]]:
        members = (
            GroupMember.objects.filter(
                organisation__in=self.org_ids,
                joined_on__gte=self.start.date(),
                joined_on__lt=self.end.date(),
            )
            .exclude(status=GroupMember.Status.DECLINED)
            .select_related("registration", "group")
        )
        cohort = []
        for member in members:
            joined = member.joined_on or self.start.date()
            person = self._registration_person(member.registration, joined, member.pk)
            person.format = member.group.format
            cohort.append((person, member))
        return cohort

    def started(self, cohort: list[tuple[_Person, GroupMember]]) -> Table:
        first_meeting = dict(
            Attendance.objects.filter(
                member__in=[member.pk for _p, member in cohort],
                status=Attendance.Status.PRESENT,
            )
            .values("member")
            .annotate(first=Min("meeting__starts_at"))
            .values_list("member", "first")
        )
        waited: dict[Any, int] = {}
        people = []
        for person, member in cohort:
            first = first_meeting.get(member.pk)
            if first is None:
                continue
            waited[person.key] = max(0, (first - member.registration.created_at).days)
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
        meetings = Meeting.objects.filter(
            organisation__in=self.org_ids,
            starts_at__gte=self.start,
            starts_at__lt=min(self.end, timezone.now()),
        ).exclude(state=Meeting.State.CANCELLED)
        held = list(meetings.values_list("group", "starts_at"))
        group_format = dict(
            Group.objects.filter(pk__in={group for group, _s in held}).values_list("pk", "format")
        )
        by_format = self.dimension not in ("quarter", "organisation")
        parts = (
            [(value, str(label)) for value, label in Group.Format.choices]
            if by_format
            else self.parts
        )
        groups: dict[str, set[int]] = defaultdict(set)
        count: dict[str, int] = defaultdict(int)
        group_org = dict(
            Group.objects.filter(pk__in=group_format).values_list("pk", "organisation")
        )
        for group, starts_at in held:
            if by_format:
                part = group_format[group]
            elif self.dimension == "quarter":
                part = _quarter(starts_at.astimezone(self.zone).date())
            else:
                part = str(group_org[group])
            groups[part].add(group)
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
                [Cell(len({group for group, _s in held})), Cell(len(held))],
            ),
            about_people=False,
            rows_heading=str(_("Format")) if by_format else self.dimension_label,
        )

    def participation(self, cohort: list[tuple[_Person, GroupMember]]) -> tuple[Table, Table]:
        attendance: dict[int, list[str]] = defaultdict(list)
        for member, status in Attendance.objects.filter(
            member__in=[member.pk for _p, member in cohort]
        ).values_list("member", "status"):
            attendance[member].append(status)
        by_key = {person.key: member for person, member in cohort}

        def rate(group: list[_Person]) -> float | None:
            records = [s for p in group for s in attendance[by_key[p.key].pk]]
            if not records:
                return None
            return 100 * records.count(Attendance.Status.PRESENT) / len(records)

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
        left = [
            (
                person,
                "left" if member.status == GroupMember.Status.LEFT else "stayed",
            )
            for person, member in cohort
        ]
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

    def wellbeing(self, cohort: list[tuple[_Person, GroupMember]]) -> Table:
        answers: dict[int, dict[str, int]] = defaultdict(dict)
        for member_id, timepoint, percentage in QuestionnaireRequest.objects.filter(
            member__in=[member.pk for _p, member in cohort],
            instrument="who5",
            state=QuestionnaireRequest.State.ANSWERED,
            timepoint__in=[Timepoint.BASELINE, Timepoint.END],
        ).values_list("member", "timepoint", "percentage"):
            if percentage is not None:
                answers[member_id][timepoint] = percentage
        pairs: dict[Any, tuple[int, int]] = {}
        people = []
        for person, member in cohort:
            both = answers.get(member.pk, {})
            if Timepoint.BASELINE in both and Timepoint.END in both:
                pairs[person.key] = (both[Timepoint.BASELINE], both[Timepoint.END])
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
        answers = list(
            MeetingFeedback.objects.filter(
                organisation__in=self.org_ids,
                meeting__starts_at__gte=self.start,
                meeting__starts_at__lt=self.end,
            )
            .select_related("member__registration", "member__group", "meeting")
            .only(
                "felt_safe",
                "enough_space",
                "member__registration__condition",
                "member__registration__relation",
                "member__registration__organisation",
                "member__group__format",
                "meeting__starts_at",
            )
        )
        # One person in each part they answered in; their answers counted under it.
        people: dict[tuple[Any, str], _Person] = {}
        given: dict[Any, list[MeetingFeedback]] = defaultdict(list)
        for answer in answers:
            person = self._registration_person(
                answer.member.registration,
                answer.meeting.starts_at.astimezone(self.zone).date(),
                (answer.member_id, ""),
            )
            person.format = answer.member.group.format
            person.key = (answer.member_id, self.part_of(person))
            people[person.key] = person
            given[person.key].append(answer)

        def share(field: str) -> Callable[[list[_Person]], float | None]:
            def compute(group: list[_Person]) -> float | None:
                records = [getattr(a, field) for p in group for a in given[p.key]]
                if not records:
                    return None
                return 100 * records.count(MeetingFeedback.Answer.YES) / len(records)

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
                (_("Felt safe in the group"), "percent", share("felt_safe")),
                (_("Got enough space"), "percent", share("enough_space")),
            ],
        )
        # A person answering in two quarters is one person in each; the total counts them once.
        total_people = len({key[0] for key in people})
        table.total.cells[0].value = total_people
        table.total.cells[0].hidden = table.total.cells[0].hidden or 0 < total_people < 5
        return table


def available_years(organisations: Sequence[Organisation]) -> list[int]:
    ids = [org.pk for org in organisations]
    with scope(organisation=ids):
        first = Registration.objects.filter(organisation__in=ids).aggregate(
            first=Min("created_at")
        )["first"]
    this_year = timezone.localdate().year
    start = first.year if first else this_year
    return list(range(this_year, max(start, this_year - 10) - 1, -1))


def build(organisations: Sequence[Organisation], year: int, dimension: str) -> Dashboard:
    """The dashboard of ``organisations`` (one, or a network's) for ``year``."""
    with scope(organisation=[org.pk for org in organisations]):
        years = available_years(organisations)
        builder = _Builder(organisations, year, dimension)
        cohort = builder._cohort()
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
    return Dashboard(year=year, dimension=dimension, years=years, tables=tables)
