"""The dashboard's figures built from records written by hand: no database in these tests.

pytest-django refuses any query from a test without the ``db`` fixture, so these tests also
prove that the builder reads nothing from the database (STYLE rule 11).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.utils import translation

from kretsen.care.services.dashboard_builder import Table, build
from kretsen.care.services.dashboard_records import (
    Answer,
    HeldMeeting,
    IntakeHeld,
    Joined,
    Profile,
    Registered,
    YearData,
)

YEAR = 2025
DEMENTIA = Profile(condition="dementia", relation="partner", format="in_person", organisation=1)
ADDICTION = Profile(condition="addiction", relation="parent", format="digital", organisation=2)
READINESS = (("ready", "Ready for a group"), ("individual_first", "Individual talks first"))
GROUP_FORMATS = (("in_person", "In person"), ("digital", "Digital"))


def _data(**records: object) -> YearData:
    return YearData(
        year=YEAR,
        years=(YEAR, YEAR - 1),
        organisations=((1, "Demo kommun"), (2, "Fjordby kommune")),
        readiness=READINESS,
        group_formats=GROUP_FORMATS,
        **records,  # type: ignore[arg-type]
    )


def _joined(key: int, profile: Profile = DEMENTIA, **fields: object) -> Joined:
    values: dict[str, object] = {
        "group_format": "in_person",
        "day": date(YEAR, 2, 1),
        "registered_at": datetime(YEAR, 1, 1, 9, tzinfo=UTC),
        "first_present": None,
        "came": (),
        "left": False,
        "who5": None,
    }
    values.update(fields)
    return Joined(key=key, profile=profile, **values)  # type: ignore[arg-type]


def _tables(data: YearData, dimension: str = "condition") -> dict[str, Table]:
    with translation.override("en"):
        return {table.key: table for table in build(data, dimension).tables}


def _row(table: Table, key: str) -> list[tuple[object, bool]]:
    row = table.total if key == "total" else next(r for r in table.rows if r.key == key)
    return [(cell.value, cell.hidden) for cell in row.cells]


def test_it_counts_people_reached_and_hides_a_part_below_five() -> None:
    registered = [Registered(k, DEMENTIA, date(YEAR, 3, 1)) for k in range(7)]
    registered += [Registered(10 + k, ADDICTION, date(YEAR, 5, 1)) for k in range(2)]
    reached = _tables(_data(registered=tuple(registered)))["reached"]
    assert _row(reached, "addiction") == [(2, True)]
    # 7 alone would give the 2 away (9 - 7): hidden with it.
    assert _row(reached, "dementia") == [(7, True)]
    assert _row(reached, "total") == [(9, False)]
    by_quarter = _tables(_data(registered=tuple(registered)), "quarter")["reached"]
    assert _row(by_quarter, "q1") == [(7, True)]
    assert _row(by_quarter, "q2") == [(2, True)]


def test_it_splits_intakes_by_the_assessment() -> None:
    intakes = [IntakeHeld(k, DEMENTIA, date(YEAR, 4, 1), "ready") for k in range(6)]
    intakes += [
        IntakeHeld(10 + k, DEMENTIA, date(YEAR, 4, 1), "individual_first") for k in range(5)
    ]
    table = _tables(_data(intakes=tuple(intakes)))["intake"]
    assert table.columns == ["People", "Ready for a group", "Individual talks first"]
    assert _row(table, "dementia") == [(11, False), (6, False), (5, False)]


def test_it_builds_the_cohort_figures_from_the_members_records() -> None:
    registered_at = datetime(YEAR, 1, 1, 9, tzinfo=UTC)
    joined = tuple(
        _joined(
            key,
            registered_at=registered_at,
            first_present=registered_at + timedelta(days=10 * key, hours=9),
            came=(True, True, False, True),
            left=key == 0,
            who5=(40, 40 + 4 * key),
        )
        for key in range(6)
    )
    tables = _tables(_data(joined=joined))
    # Days waited 0, 10, 20, 30, 40, 50 from the same registration: median 25.
    assert _row(tables["started"], "dementia") == [(6, False), (25, False)]
    assert _row(tables["attendance"], "dementia") == [(6, False), (75.0, False)]
    people, stayed, left, share = _row(tables["dropout"], "dementia")
    assert people == (6, False)
    assert left == (1, True)
    assert stayed == (5, True)
    assert share == (100 / 6, True)
    before, after, change = _row(tables["who5"], "dementia")[1:]
    assert before == (40, False)
    assert after == (50, False)
    interval = change[0]
    assert isinstance(interval, tuple)
    mean, low, high = interval
    assert mean == 10
    assert low < 10 < high


def test_members_are_counted_by_their_groups_format_not_their_wish() -> None:
    joined = tuple(_joined(key, group_format="digital") for key in range(5))
    started = _tables(_data(joined=joined), "format")["attendance"]
    assert _row(started, "digital")[0] == (5, False)
    assert _row(started, "in_person")[0] == (0, False)


def test_it_counts_groups_and_meetings_by_format_or_by_quarter() -> None:
    meetings = (
        HeldMeeting(group=1, group_format="in_person", organisation=1, day=date(YEAR, 1, 10)),
        HeldMeeting(group=1, group_format="in_person", organisation=1, day=date(YEAR, 4, 10)),
        HeldMeeting(group=2, group_format="digital", organisation=2, day=date(YEAR, 4, 12)),
    )
    by_format = _tables(_data(meetings=meetings))["groups"]
    assert by_format.rows_heading == "Format"
    assert _row(by_format, "in_person") == [(1, False), (2, False)]
    assert _row(by_format, "digital") == [(1, False), (1, False)]
    assert _row(by_format, "total") == [(2, False), (3, False)]
    by_quarter = _tables(_data(meetings=meetings), "quarter")["groups"]
    assert _row(by_quarter, "q2") == [(2, False), (2, False)]
    by_organisation = _tables(_data(meetings=meetings), "organisation")["groups"]
    assert [row.label for row in by_organisation.rows] == ["Demo kommun", "Fjordby kommune"]


def test_feedback_counts_a_person_once_in_the_total_and_once_in_each_quarter() -> None:
    answers = tuple(
        Answer(member, DEMENTIA, "in_person", date(YEAR, month, 1), felt_safe, True)
        for member in range(5)
        for month, felt_safe in ((2, True), (8, member != 0))
    )
    table = _tables(_data(answers=answers), "quarter")["feedback"]
    assert _row(table, "q1") == [(5, False), (100.0, False), (100.0, False)]
    assert _row(table, "q3") == [(5, False), (80.0, False), (100.0, False)]
    assert _row(table, "total") == [(5, False), (90.0, False), (100.0, False)]


def test_an_empty_year_has_every_table_and_no_figure() -> None:
    tables = _tables(_data())
    assert list(tables) == [
        "reached",
        "intake",
        "started",
        "groups",
        "attendance",
        "dropout",
        "who5",
        "feedback",
    ]
    assert _row(tables["attendance"], "total") == [(0, False), (None, False)]
