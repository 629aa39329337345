"""The dashboard: figures of a known year, hidden where they are about fewer than five people."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django_scopes import scope
from scipy import stats

from kretsen.care.services import dashboard
from kretsen.care.services.dashboard_builder import Table
from kretsen.core.models import Organisation, User
from kretsen.core.vocabulary import Condition
from kretsen.intake.models import Intake, Readiness
from kretsen.network.models import LocalNetwork, Network
from tests.care.year_of_work import AFTER, BEFORE, YEAR, register
from tests.conftest import sign_in_staff


def _tables(org: Organisation, dimension: str = "condition") -> dict[str, Table]:
    board = dashboard.build([org], YEAR, dimension)
    return {table.key: table for table in board.tables}


def _row(table: Table, key: str) -> list[tuple[object, bool]]:
    row = table.total if key == "total" else next(r for r in table.rows if r.key == key)
    return [(cell.value, cell.hidden) for cell in row.cells]


def test_reached_hides_the_small_part_and_the_next_smallest(year_of_work: Organisation) -> None:
    reached = _tables(year_of_work)["reached"]
    assert _row(reached, "dementia") == [(10, False)]
    assert _row(reached, "addiction") == [(3, True)]
    # 6 is not small, but shown it would give away the 3 (19 - 10 - 6).
    assert _row(reached, "mental_illness") == [(6, True)]
    assert _row(reached, "total") == [(19, False)]


def test_a_part_that_alone_would_give_away_a_small_count_is_hidden_in_a_cross_table(
    year_of_work: Organisation,
) -> None:
    intake = _tables(year_of_work)["intake"]
    columns = intake.columns
    dementia = dict(zip(columns, _row(intake, "dementia"), strict=True))
    assert dementia["People"] == (10, False)
    assert dementia["Individual talks first"] == (2, True)
    assert dementia["Ready for a group"] == (8, True)
    addiction = dict(zip(columns, _row(intake, "addiction"), strict=True))
    assert addiction["People"] == (3, True)
    assert addiction["Ready for a group"] == (3, True)
    total = dict(zip(columns, _row(intake, "total"), strict=True))
    assert total["People"] == (19, False)
    # 17 ready and 2 for individual talks in all: the 2 is hidden, so the 17 must be too.
    assert total["Individual talks first"] == (2, True)
    assert total["Ready for a group"] == (17, True)


def test_group_figures_of_the_cohort(year_of_work: Organisation) -> None:
    tables = _tables(year_of_work)
    started = tables["started"]
    assert _row(started, "dementia") == [(8, False), (40, False)]  # 1 March to 10 April
    assert _row(started, "addiction")[0] == (3, True)
    assert _row(started, "mental_illness")[0][1] is True
    assert _row(started, "mental_illness")[1][1] is True  # the median goes with its count
    attendance = tables["attendance"]
    assert _row(attendance, "dementia") == [(8, False), (100 * 14 / 16, False)]
    dropout = tables["dropout"]
    people, stayed, left, share = _row(dropout, "dementia")
    assert people == (8, False)
    assert left == (1, True)
    assert stayed[1] is True  # 8 - 7 would give the one who left away
    assert share == (12.5, True)


def test_wellbeing_change_is_paired_with_a_95_percent_interval(
    year_of_work: Organisation,
) -> None:
    who5 = _tables(year_of_work)["who5"]
    count, before, after, change = _row(who5, "dementia")
    assert count == (6, False)
    assert before[0] == pytest.approx(sum(BEFORE) / 6)
    assert after[0] == pytest.approx(sum(AFTER) / 6)
    expected = stats.ttest_rel(AFTER, BEFORE).confidence_interval(0.95)
    interval: tuple[float, float, float] = change[0]  # type: ignore[assignment]
    mean, low, high = interval
    assert mean == pytest.approx((sum(AFTER) - sum(BEFORE)) / 6)
    assert (low, high) == (pytest.approx(expected.low), pytest.approx(expected.high))
    assert _row(who5, "addiction")[0] == (0, False)


def test_feedback_shares(year_of_work: Organisation) -> None:
    feedback = _tables(year_of_work)["feedback"]
    assert _row(feedback, "dementia") == [(8, False), (75.0, False), (100.0, False)]


def test_groups_are_shown_by_format_and_not_suppressed(year_of_work: Organisation) -> None:
    groups = _tables(year_of_work)["groups"]
    assert _row(groups, "in_person") == [(1, False), (2, False)]
    assert _row(groups, "digital") == [(2, False), (4, False)]


def test_quarters_split_the_year(year_of_work: Organisation) -> None:
    reached = _tables(year_of_work, "quarter")["reached"]
    # Dementia registered in March (8) and September (2), the others in May (9).
    assert _row(reached, "q3") == [(2, True)]
    assert _row(reached, "q1") == [(8, True)]  # the smallest other part goes with the 2
    assert _row(reached, "q2") == [(9, False)]
    assert _row(reached, "q4") == [(0, False)]
    assert _row(reached, "total") == [(19, False)]


def test_the_page_and_the_csv_show_the_same_hidden_figures(
    client: Client, year_of_work: Organisation, coordinator_a: User
) -> None:
    sign_in_staff(client, coordinator_a)
    url = f"/staff/{year_of_work.slug}/dashboard/?year={YEAR}&by=condition"
    page = client.get(url).content.decode()
    assert "<svg" in page
    assert "Relatives reached" in page
    assert "hidden" in page
    assert "dementia-0" not in page  # no person's name anywhere
    response = client.get(f"/staff/{year_of_work.slug}/dashboard.csv?year={YEAR}&by=condition")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    found = {(r[0], r[1], r[2]): (r[3], r[4]) for r in rows[1:]}
    assert found[("Relatives reached", "Addiction", "People")] == ("", "yes")
    assert found[("Relatives reached", "All", "People")] == ("19", "")
    assert found[("Relatives reached", "Dementia", "People")] == ("10", "")


def test_unknown_choices_fall_back_to_defaults(
    client: Client, year_of_work: Organisation, coordinator_a: User
) -> None:
    sign_in_staff(client, coordinator_a)
    response = client.get(f"/staff/{year_of_work.slug}/dashboard/?year=abc&by=<script>")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_the_network_sees_totals_across_its_organisations_and_no_person(
    client: Client,
    year_of_work: Organisation,
    org_b: Organisation,
    network: Network,
    network_coordinator: User,
) -> None:
    with scope(organisation=org_b):
        for number in range(5):
            register(org_b, Condition.DEMENTIA, f"b-{number}", 2)
    with scope(network=network):
        LocalNetwork.objects.create(network=network, organisation=year_of_work, name="A")
        LocalNetwork.objects.create(network=network, organisation=org_b, name="B")
    tables = {
        table.key: table
        for table in dashboard.build([year_of_work, org_b], YEAR, "organisation").tables
    }
    reached = tables["reached"]
    assert _row(reached, str(year_of_work.pk)) == [(19, False)]
    assert _row(reached, str(org_b.pk)) == [(5, False)]
    assert _row(reached, "total") == [(24, False)]
    sign_in_staff(client, network_coordinator)
    page = client.get(f"/network/{network.public_id}/dashboard/?year={YEAR}&by=organisation")
    text = page.content.decode()
    assert page.status_code == 200
    assert "24" in text
    assert "b-0" not in text
    assert "dementia-0" not in text
    csv_response = client.get(f"/network/{network.public_id}/dashboard.csv?year={YEAR}")
    assert csv_response.status_code == 200
    assert "Relatives reached" in csv_response.content.decode("utf-8-sig")


def test_an_intake_without_a_readiness_is_counted_as_not_assessed(
    client: Client, year_of_work: Organisation, coordinator_a: User
) -> None:
    # Data written outside the forms (an import, a console) can leave the readiness empty.
    with scope(organisation=year_of_work):
        intake = Intake.objects.filter(readiness=Readiness.READY).first()
        assert intake is not None
        Intake.objects.filter(pk=intake.pk).update(readiness="")
        other = Intake.objects.filter(readiness=Readiness.READY).first()
        assert other is not None
        Intake.objects.filter(pk=other.pk).update(readiness="no-such-value")
    intake_table = _tables(year_of_work)["intake"]
    total = dict(zip(intake_table.columns, _row(intake_table, "total"), strict=True))
    assert total["People"] == (19, False)
    assert total["Not assessed"][0] == 2
    sign_in_staff(client, coordinator_a)
    page = client.get(f"/staff/{year_of_work.slug}/dashboard/?year={YEAR}&by=condition")
    assert page.status_code == 200
    assert "Not assessed" in page.content.decode()
    export = client.get(f"/staff/{year_of_work.slug}/dashboard.csv?year={YEAR}&by=condition")
    assert export.status_code == 200
    assert "Not assessed" in export.content.decode("utf-8-sig")
