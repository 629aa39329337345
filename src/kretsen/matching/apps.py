from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "kretsen.matching"
    label = "matching"
    verbose_name = _("Forming groups")

    def ready(self) -> None:
        from kretsen.core import periodic
        from kretsen.matching.services.proposals import fail_all_abandoned

        # Proposals whose worker was lost mid-run no longer block a new run (decision 0132).
        periodic.add_each_round("abandoned-proposals", fail_all_abandoned)
