"""The roles a person can hold, per organisation or per learning network."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Organisation admin")
    COORDINATOR = "coordinator", _("Coordinator")
    LEADER = "leader", _("Group leader")
    NETWORK_COORDINATOR = "network_coordinator", _("Network coordinator")


ORGANISATION_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.LEADER)
