from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "kretsen.intake"
    label = "intake"
    verbose_name = _("Interest and intake")
