"""Issue 15 on the coordinator's side: the offer's target group as a rule, including a person
by hand, the progress of a running search, and the fairness figures beside the objective."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scope

from kretsen.core.models import AuditEvent, Organisation, User
from kretsen.core.roles import Role
from kretsen.core.vocabulary import Condition, Relation, slot_index, to_mask
from kretsen.demo import loader as demo
from kretsen.directory.models import Offer
from kretsen.intake.models import Intake, Registration
from kretsen.matching import engine
from kretsen.matching.models import Proposal
from kretsen.matching.services import proposals
from kretsen.matching.services.pool import build_problem, to_problem
from tests.conftest import make_offer, make_staff, sign_in_staff
from tests.groups.factories import make_list_where_fairness_binds, make_ready

TUESDAY_EVENING = 1 << slot_index(1, 2)
PARTNERS = ["Anna", "Bo", "Cilla", "Dan", "Eva", "Fia"]
CHILDREN = ["Gun", "Hans"]


@pytest.fixture(autouse=True)
def _pages_in_english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def pool(org_a: Organisation, offer_a: Offer, leader_a: User) -> dict[str, Registration]:
    """Six partners and two adult children of someone with dementia, all free on Tuesday
    evening in one area; ``offer_a`` is for partners of someone with dementia."""
    make_staff("second-leader@a.example", org_a, {Role.LEADER})
    with scope(organisation=org_a):
        people = {name: make_ready(org_a, name, offer=offer_a) for name in PARTNERS}
        for name in CHILDREN:
            people[name] = make_ready(org_a, name, offer=offer_a, relation=Relation.ADULT_CHILD)
        Intake.objects.filter(registration__in=people.values()).update(
            availability=TUESDAY_EVENING, area="Centrum"
        )
    return people


def _start(client: Client, org: Organisation, offer: Offer, capture: Callable[..., Any]) -> str:
    with capture(execute=True):
        response = client.post(
            f"/staff/{org.slug}/forming/", {"pool": str(offer.public_id), "seconds": "5"}
        )
    assert response.status_code == 302
    return str(response["Location"])


@pytest.fixture
def url(
    client: Client,
    org_a: Organisation,
    offer_a: Offer,
    coordinator_a: User,
    pool: dict[str, Registration],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> str:
    """A coordinator signed in, and the address of a proposal formed from ``pool``."""
    sign_in_staff(client, coordinator_a)
    return _start(client, org_a, offer_a, django_capture_on_commit_callbacks)


def _proposal(org: Organisation, url: str) -> Proposal:
    with scope(organisation=org):
        return Proposal.objects.get(public_id=url.rstrip("/").split("/")[-1])


def test_it_leaves_adult_children_out_of_an_offer_for_partners(
    client: Client,
    org_a: Organisation,
    pool: dict[str, Registration],
    url: str,
) -> None:
    proposal = _proposal(org_a, url)
    assert proposal.state == Proposal.State.DONE
    (group,) = proposal.groups
    children = {str(pool[name].public_id) for name in CHILDREN}
    assert sorted(group["members"]) == sorted(str(pool[name].public_id) for name in PARTNERS)
    left_out = {lo["person"]: lo["code"] for lo in proposal.result["left_out"]}
    assert left_out == {child: "target_group" for child in children}
    page = client.get(url).content.decode()
    assert page.count("the offer is for partner of someone with dementia") == 2
    assert "Include Gun anyway" in page
    assert "Include Anna anyway" not in page  # inside the target group: nothing to include
    assert "Keeps every rule</p>" in page


def test_a_person_included_by_hand_is_named_on_the_group_card(
    client: Client,
    org_a: Organisation,
    pool: dict[str, Registration],
    url: str,
) -> None:
    gun = str(pool["Gun"].public_id)
    # Moved in without being included, Gun breaks the offer's rule.
    client.post(url + "move/", {"person": gun, "target": "1"})
    page = client.get(url).content.decode()
    assert "Breaks a rule: the offer is for partner of someone with dementia" in page
    client.post(url + "move/", {"person": gun, "target": "list"})

    response = client.post(url + "include/", {"person": gun, "on": "1"}, follow=True)
    assert "Included by hand." in response.content.decode()
    client.post(url + "move/", {"person": gun, "target": "1"})
    proposal = _proposal(org_a, url)
    assert proposal.problem["included"] == [gun]
    with scope(organisation=org_a):
        _objective, violations = proposals.evaluate(proposal)
    assert violations == [[]]
    page = client.get(url).content.decode()
    assert "Keeps every rule. Included by hand outside the offer's target group: Gun" in page
    assert "Keeps every rule</p>" not in page
    events = AuditEvent.writer.filter(action="matching.proposal.included")
    assert [event.data for event in events] == [{"person": gun}]

    # Someone in a group cannot be left out again before going back to the list.
    response = client.post(url + "include/", {"person": gun}, follow=True)
    assert "Move them back to the waiting list first" in response.content.decode()
    assert _proposal(org_a, url).problem["included"] == [gun]


def test_a_new_run_keeps_who_was_included_by_hand(
    client: Client,
    org_a: Organisation,
    pool: dict[str, Registration],
    django_capture_on_commit_callbacks: Callable[..., Any],
    url: str,
) -> None:
    hans = str(pool["Hans"].public_id)
    client.post(url + "include/", {"person": hans, "on": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url + "again/")["Location"]
    proposal = _proposal(org_a, again)
    assert proposal.problem["included"] == [hans]
    left_out = {lo["person"]: lo["code"] for lo in proposal.result["left_out"]}
    # Hans may now be placed; Gun is still outside the target group.
    assert left_out.get(hans) != "target_group"
    assert left_out[str(pool["Gun"].public_id)] == "target_group"
    assert hans in proposal.groups[0]["members"]
    # Stop including Hans: not possible while he is in a group.
    client.post(again + "move/", {"person": hans, "target": "list"})
    client.post(again + "include/", {"person": hans})
    assert _proposal(org_a, again).problem["included"] == []
    assert AuditEvent.writer.filter(action="matching.proposal.excluded").count() == 1


def test_including_needs_a_person_of_the_proposal(
    client: Client,
    org_a: Organisation,
    url: str,
) -> None:
    for data in ({"person": "someone-else", "on": "1"}, {}):
        response = client.post(url + "include/", data, follow=True)
        assert response.status_code == 200
        assert "message-error" in response.content.decode()
    assert _proposal(org_a, url).problem["included"] == []


# Progress


def _queued(org: Organisation, offer: Offer) -> Proposal:
    with scope(organisation=org):
        return Proposal.objects.create(
            organisation=org,
            offer=offer,
            seconds=30,
            problem=build_problem(org, offer, 30, 1),
        )


def test_the_progress_endpoint_tells_the_best_value_and_the_bound(
    client: Client,
    org_a: Organisation,
    offer_a: Offer,
    coordinator_a: User,
    pool: dict[str, Registration],
) -> None:
    proposal = _queued(org_a, offer_a)
    sign_in_staff(client, coordinator_a)
    base = f"/staff/{org_a.slug}/forming/{proposal.public_id}/"
    state = client.get(base + "progress/").json()
    assert state["working"] is True
    assert state["best"] is None
    assert state["text"] == "Looking for the first groups …"
    page = client.get(base).content.decode()
    assert "http-equiv" not in page  # no meta refresh
    assert f'href="{base}"' in page
    assert ">Update</a>" in page
    assert "matching/progress" in page
    assert base + "progress/" in page

    # The engine's reports, as the task passes them on.
    proposal.state = Proposal.State.RUNNING
    proposal.save()
    writer = proposals.ProgressWriter(proposal)
    with scope(organisation=org_a):  # the task runs in the proposal's organisation
        writer(engine.Progress(objective=8.0, upper_bound=10.0, elapsed=1.5))
        writer(engine.Progress(objective=9.0, upper_bound=9.9, elapsed=1.7))  # too soon
    state = client.get(base + "progress/").json()
    assert (state["best"], state["bound"], state["elapsed"]) == (8.0, 10.0, 1.5)
    assert state["text"] == (
        "Best proposal so far: value 8.0. The best possible is at most 10.0, "
        "so it is within 20.0% of it."
    )
    assert state["closeness"] == 800
    with scope(organisation=org_a):
        writer(engine.Progress(objective=9.5, upper_bound=9.6, elapsed=3.0))
    state = client.get(base + "progress/").json()
    assert (state["best"], state["bound"]) == (9.5, 9.6)
    page = client.get(base).content.decode()
    assert "within 1.0% of it" in page
    assert "Searched for 3 of at most 30 seconds." in page


def test_after_a_run_the_page_says_how_good_the_result_is(
    client: Client,
    org_a: Organisation,
    url: str,
) -> None:
    proposal = _proposal(org_a, url)
    # The engine reported progress while it ran (the writer stored the seconds searched),
    # and the final figures are stored beside the result.
    assert proposal.elapsed > 0
    assert proposal.best_value == proposal.result["objective"]
    assert proposal.best_bound == proposal.result["upper_bound"]
    state = client.get(url + "progress/").json()
    assert state["working"] is False
    assert state["text"] == "This is the best possible proposal."  # one group of six: proven
    assert "This is the best possible proposal." in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("objective", "bound", "proven", "text"),
    [
        (10.0, 10.0, True, "This is the best possible proposal."),
        (9.0, 10.0, False, "At most 10% from the best possible proposal."),
        (9.7, 10.0, False, "At most 3.0% from the best possible proposal."),
        (9.99, 10.0, False, "Practically the best possible proposal: at most 0.1% from it."),
        (0.0, 0.0, False, "No group could be formed, so there is nothing to compare with."),
    ],
)
def test_the_quality_is_told_in_plain_words(
    objective: float, bound: float, proven: bool, text: str
) -> None:
    assert proposals.quality(objective, bound, proven) == text


def test_a_fair_optimum_is_told_as_such() -> None:
    """Proven the best that keeps the fairness rule, below a bound only an unfair proposal
    could reach: the page says what the rule costs, not a distance to "the best possible"
    (decision 0137)."""
    text = proposals.quality(9.0, 10.0, False, True)
    assert text.startswith("This is the best proposal that keeps the fairness rule:")
    assert text.endswith(
        "Only a proposal that breaks the rule could be worth more, at most 11% more."
    )
    assert proposals.quality(9.7, 10.0, False, True).endswith("at most 3.1% more.")
    assert proposals.quality(10.0, 10.0, True, True) == "This is the best possible proposal."


def test_the_page_says_when_the_fairness_rule_is_what_costs(
    client: Client,
    org_a: Organisation,
    leader_a: User,
    coordinator_a: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    """Groups of exactly four, one of them at a time: the four partners of someone with
    dementia, all 80 or older, are most alike, but the adult child of someone with an
    addiction has waited longest, so the fair proposal must take them in."""
    make_staff("second-leader@a.example", org_a, {Role.LEADER})
    with scope(organisation=org_a):
        offer = make_offer(
            org_a,
            relations=to_mask([Relation.PARTNER, Relation.ADULT_CHILD], Relation),
            conditions=to_mask([Condition.DEMENTIA, Condition.ADDICTION], Condition),
            min_size=4,
            max_size=4,
        )
        _, gun = make_list_where_fairness_binds(
            org_a, offer, PARTNERS[:4], "Gun", TUESDAY_EVENING, "Centrum"
        )
    sign_in_staff(client, coordinator_a)
    url = _start(client, org_a, offer, django_capture_on_commit_callbacks)
    proposal = _proposal(org_a, url)
    assert proposal.result["status"] == str(engine.Status.FEASIBLE)
    assert proposal.result["fair_optimal"] is True
    page = client.get(url).content.decode()
    assert "This is the best proposal that keeps the fairness rule" in page
    assert "from the best possible proposal" not in page
    # One figure, not two: the facts give the bound as what only breaking the rule could
    # reach, with the sentence's percentage (found in stop 31's walk, decision 0138).
    result = proposal.result
    more = proposals.more_than(result["objective"], result["upper_bound"])
    assert f"at most {more} more." in page
    assert f"only a proposal that breaks the fairness rule could reach ({more} more" in page
    assert "this proposal is within" not in page
    assert client.get(url + "progress/").json()["text"].startswith("This is the best proposal")
    # Changed by hand, the proposal is no longer what the engine proved.
    response = client.post(url + "move/", {"person": str(gun.public_id), "target": proposals.LIST})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "This is the best proposal that keeps the fairness rule" not in page
    assert "breaks the fairness rule could reach" not in page


def test_only_the_organisations_coordinators_see_the_progress(
    client: Client,
    org_a: Organisation,
    offer_a: Offer,
    leader_a: User,
    org_b: Organisation,
    coordinator_b: User,
    pool: dict[str, Registration],
) -> None:
    proposal = _queued(org_a, offer_a)
    url = f"/staff/{org_a.slug}/forming/{proposal.public_id}/progress/"
    assert client.get(url).status_code == 302  # not signed in: to the sign-in page
    sign_in_staff(client, leader_a)
    assert client.get(url).status_code == 403
    client.logout()
    sign_in_staff(client, coordinator_b)
    assert client.get(url).status_code == 403  # not a member of A
    other = f"/staff/{org_b.slug}/forming/{proposal.public_id}/progress/"
    assert client.get(other).status_code == 404  # A's proposal through B's pages


# Fairness


def test_the_fairness_figures_stand_beside_first_come_first_served(
    client: Client,
    org_a: Organisation,
    offer_a: Offer,
    coordinator_a: User,
    pool: dict[str, Registration],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with scope(organisation=org_a):
        # Ines waited longest but can meet at no time that suits anyone else.
        ines = make_ready(org_a, "Ines", offer=offer_a)
        Intake.objects.filter(registration=ines).update(availability=1, area="Centrum")
        Registration.objects.filter(pk=ines.pk).update(
            waiting_since=timezone.localdate() - timedelta(days=400)
        )
    sign_in_staff(client, coordinator_a)
    url = _start(client, org_a, offer_a, django_capture_on_commit_callbacks)
    proposal = _proposal(org_a, url)
    # Seven people inside the target group; the longest-waiting quarter is two of them.
    first = proposal.result["first_come"]
    assert (first["placed"], first["people"]) == (6, 7)
    assert (first["longest_waiting_placed"], first["longest_waiting"]) == (1, 2)
    page = client.get(url).content.decode()
    table = page[page.index('id="fairness"') : page.index("</table>", page.index('id="fairness"'))]
    assert "Placed in a group</th><td>6 of 7 (86%)</td><td>6 of 7 (86%)</td>" in table
    assert (
        "Placed, of the quarter who waited longest</th><td>1 of 2 (50%)</td><td>1 of 2 (50%)"
        in table
    )
    # A move changes this proposal's figures, not first come, first served's.
    client.post(url + "move/", {"person": str(pool["Anna"].public_id), "target": "list"})
    page = client.get(url).content.decode()
    assert "Placed in a group</th><td>5 of 7 (71%)</td><td>6 of 7 (86%)</td>" in page


def test_the_progress_json_is_plain_data(
    client: Client,
    org_a: Organisation,
    offer_a: Offer,
    coordinator_a: User,
    pool: dict[str, Registration],
) -> None:
    proposal = _queued(org_a, offer_a)
    sign_in_staff(client, coordinator_a)
    response = client.get(f"/staff/{org_a.slug}/forming/{proposal.public_id}/progress/")
    assert response["Content-Type"] == "application/json"
    assert set(json.loads(response.content)) == {
        "state",
        "working",
        "text",
        "time",
        "best",
        "bound",
        "elapsed",
        "seconds",
        "closeness",
    }


def test_the_demo_offer_for_partners_leaves_the_others_out_with_the_reason(
    db: None, settings: Any
) -> None:
    settings.DEMO_TOOLS = True
    demo.load()
    organisation = Organisation.objects.get(name="Demo kommun")
    with scope(organisation=organisation):
        offer = Offer.objects.filter(organisation=organisation).order_by("pk").first()
        snapshot = build_problem(organisation, offer, seconds=2, seed=1)
        names = dict(Registration.objects.values_list("public_id", "display_name"))
    result = engine.form_groups(to_problem(snapshot))
    outside = sorted(
        names[uuid.UUID(lo.person)]
        for lo in result.left_out
        if lo.code == engine.Reason.TARGET_GROUP
    )
    # Adult children, parents, a sibling and a partner of someone who is frail, not demented.
    assert outside == ["Carola", "Elvira", "Folke", "Gunnel", "Hamid", "Irja", "Jonna", "Kerttu"]
    leaders = {leader["id"]: leader["areas"] for leader in snapshot["leaders"]}
    assert sorted(leaders.values()) == [[], ["Centrum", "Norr"]]
