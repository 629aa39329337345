from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "kretsen.matching"
    label = "matching"
    verbose_name = _("Forming groups")
