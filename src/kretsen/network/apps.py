from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "kretsen.network"
    label = "network"
    verbose_name = _("Learning network")

    def ready(self) -> None:
        from kretsen.core import pages
        from kretsen.network.views.local import org_home_section, staff_home_section

        pages.add_section("org-home", org_home_section)
        pages.add_section("staff-home", staff_home_section)
