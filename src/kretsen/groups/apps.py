from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "kretsen.groups"
    label = "groups"
    verbose_name = _("Groups")

    def ready(self) -> None:
        from kretsen.core import health, pages
        from kretsen.groups.receivers import leave_on_withdrawal
        from kretsen.groups.services.notices import health_facts
        from kretsen.groups.views.relative import my_data_section, my_meetings_section
        from kretsen.intake.signals import registration_withdrawn

        registration_withdrawn.connect(
            leave_on_withdrawal, dispatch_uid="groups-leave-on-withdrawal"
        )
        pages.add_section("me", my_meetings_section)
        pages.add_section("my-data", my_data_section)
        health.add_check("notices", health_facts, critical=False)
