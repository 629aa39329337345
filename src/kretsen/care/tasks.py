"""Background work of the care app. Tasks take ids and re-read what they need."""

from __future__ import annotations

from kretsen.care.services import retention
from kretsen.core.tasks import cross_tenant_task


@cross_tenant_task(reason="one retention run applies every organisation's own rules")
def apply_retention(run_id: int) -> None:
    retention.run_daily(run_id)
