from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "kretsen.care"
    label = "care"
    verbose_name = _("Care and evaluation")

    def ready(self) -> None:
        from kretsen.care.receivers import on_group_finished, on_member_activated
        from kretsen.care.services.retention import queue_daily_run
        from kretsen.care.views.dashboard import network_csv, network_page
        from kretsen.care.views.relative import me_section, my_data_section
        from kretsen.care.views.retention import (
            my_data_retention_section,
            org_home_retention_section,
        )
        from kretsen.care.views.staff import group_section, org_home_section
        from kretsen.core import figures, pages, periodic
        from kretsen.groups.signals import group_finished, member_activated

        member_activated.connect(on_member_activated)
        group_finished.connect(on_group_finished)
        pages.add_section("me", me_section)
        pages.add_section("my-data", my_data_section)
        pages.add_section("my-data", my_data_retention_section)
        pages.add_section("org-home", org_home_section)
        pages.add_section("org-home", org_home_retention_section)
        pages.add_section("group", group_section)
        periodic.add_daily("retention", queue_daily_run)
        figures.register(figures.FigurePages(page=network_page, csv=network_csv))
