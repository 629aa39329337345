"""Where staff choose where to work: the learning networks come from the network app's section
(``core.pages``, "staff-home"), so ``core`` does not import the network."""

from __future__ import annotations

from django.test import Client

from kretsen.core.models import Organisation, User
from kretsen.core.roles import Role
from kretsen.network.models import Network, NetworkMembership
from tests.conftest import sign_in_staff


def test_it_lists_the_networks_beside_the_organisations(
    client: Client, coordinator_a: User, org_a: Organisation, network: Network
) -> None:
    NetworkMembership.objects.create(
        network=network, user=coordinator_a, role=Role.NETWORK_COORDINATOR.value
    )
    page = sign_in_staff(client, coordinator_a).get("/staff/")
    assert page.status_code == 200
    html = page.content.decode()
    assert org_a.name in html
    assert network.name in html
    assert f"/network/{network.public_id}/" in html


def test_it_goes_straight_to_the_only_organisation_without_a_network(
    client: Client, coordinator_a: User, org_a: Organisation
) -> None:
    page = sign_in_staff(client, coordinator_a).get("/staff/")
    assert page.status_code == 302
    assert page["Location"] == f"/staff/{org_a.slug}/"
