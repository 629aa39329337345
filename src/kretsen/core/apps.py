from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kretsen.core"
    label = "core"
    verbose_name = _("Kretsen core")

    def ready(self) -> None:
        from kretsen.core import checks  # noqa: F401 (registers the start-up checks)
