from __future__ import annotations

from typing import Any

from django_scopes import scopes_disabled

from kretsen.demo import loader as demo
from kretsen.network.demo import load_demo
from kretsen.network.models import LocalNetwork, Quote, Round, Submission


def test_it_loads_the_network_demo_twice_without_duplicates(db: None, settings: Any) -> None:
    settings.DEMO_TOOLS = True
    load_demo()  # nothing to build on yet: does nothing
    demo.load()
    load_demo()
    load_demo()
    with scopes_disabled():
        assert LocalNetwork.objects.count() == 3
        assert Round.objects.get().questions.count() == 3
        assert Submission.objects.filter(state=Submission.State.SUBMITTED).count() == 1
        assert Submission.objects.count() == 2
        assert Quote.objects.count() == 9
        assert LocalNetwork.objects.filter(leader__isnull=False).count() == 2
