"""Background work of the core app, and the one way every task in Kretsen is declared.

A task takes ids or plain values and re-reads what it needs. Every task is declared with one
of the wrappers below instead of ``django_tasks.task`` (``tests/core/test_tasks.py`` fails
otherwise):

- ``organisation_task(Model)``: the task's first argument is the id of a ``Model`` row (or of
  the organisation itself when no model is given). The wrapper reads the row's organisation,
  opens ``django_scopes.scope(organisation=...)`` and activates the organisation's language and
  time zone around the task, as pretix's ``EventTask`` does. A row deleted before the worker
  came to it makes the task do nothing.
- ``tenant_task(...)``: the same for another tenant dimension (the network app's
  ``network_task`` is built on it).
- ``cross_tenant_task(reason=...)``: work that spans tenants on purpose (a relative's sign-in
  link, the nightly retention run). No scope is opened; the code says in its own queries which
  tenants it reads, and ``reason`` says why.
"""

from __future__ import annotations

import functools
import inspect
import logging
import zoneinfo
from collections.abc import Callable
from datetime import tzinfo
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled
from django_tasks import task
from django_tasks.base import Task

from kretsen.core.models import Organisation, StaffMembership
from kretsen.core.services import heartbeat, signin, staff

logger = logging.getLogger(__name__)

T = TypeVar("T")
TaskFunction = Callable[..., T]


def _declare(func: Callable[..., Any], tenancy: str) -> None:
    func.kretsen_tenancy = tenancy  # type: ignore[attr-defined]


def tenant_task(
    *,
    dimension: str,
    tenant_model: type[models.Model],
    model: type[models.Model] | None = None,
    through: str = "",
    language: Callable[[Any], str],
    zone: Callable[[Any], tzinfo | None] = lambda tenant: None,
    **options: Any,
) -> Callable[[TaskFunction[T]], Task[..., T | None]]:
    """A task run inside the scope of the tenant its first argument leads to.

    The first argument is the id of a ``model`` row whose ``through`` field is the tenant (or
    the tenant's own id when ``model`` is None)."""

    def decorator(func: TaskFunction[T]) -> Task[..., T | None]:
        signature = inspect.signature(func)
        first = next(iter(signature.parameters))

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> T | None:
            object_id = signature.bind(*args, **kwargs).arguments[first]
            with scopes_disabled():
                tenant_id = object_id
                if model is not None:
                    rows = model._default_manager.filter(pk=object_id)
                    tenant_id = rows.values_list(through, flat=True).first()
                tenant = tenant_model._default_manager.filter(pk=tenant_id).first()
            if tenant is None:
                logger.info(
                    "Task skipped: its %s no longer exists.",
                    dimension,
                    extra={"task": func.__qualname__},
                )
                return None
            with (
                scope(**{dimension: tenant}),
                translation.override(language(tenant)),
                timezone.override(zone(tenant) or timezone.get_default_timezone()),
            ):
                return func(*args, **kwargs)

        _declare(run, dimension)
        made: Task[..., T | None] = task(**options)(run)
        return made

    return decorator


def organisation_task(
    model: type[models.Model] | None = None, *, through: str = "organisation", **options: Any
) -> Callable[[TaskFunction[T]], Task[..., T | None]]:
    """A task about one organisation's data: see the module's docstring."""
    return tenant_task(
        dimension="organisation",
        tenant_model=Organisation,
        model=model,
        through=through,
        language=lambda organisation: organisation.default_language,
        zone=lambda organisation: zoneinfo.ZoneInfo(organisation.time_zone),
        **options,
    )


def cross_tenant_task(*, reason: str, **options: Any) -> Callable[[TaskFunction[T]], Task[..., T]]:
    """A task that spans tenants on purpose; ``reason`` says why (it is kept on the task)."""
    if not reason.strip():
        raise ValueError("A cross-tenant task must say why it crosses tenants.")

    def decorator(func: TaskFunction[T]) -> Task[..., T]:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> T:
            with translation.override(settings.LANGUAGE_CODE):
                return func(*args, **kwargs)

        _declare(run, f"cross-tenant: {reason}")
        made: Task[..., T] = task(**options)(run)
        return made

    return decorator


@cross_tenant_task(reason="a relative's sign-in identity is shared by every organisation")
def send_sign_in_link(email: str, language: str) -> None:
    signin.create_and_send_link(email, language)


@organisation_task(StaffMembership)
def send_staff_invitation(membership_id: int, language: str) -> None:
    staff.create_and_send_invitation(membership_id, language)


@cross_tenant_task(reason="the audit chains of every organisation are checked together")
def check_audit_chain(check_id: int) -> None:
    from kretsen.core import audit_chain

    audit_chain.run_daily_check(check_id)


@cross_tenant_task(reason="the worker's heartbeat belongs to the platform, not to a tenant")
def beat() -> None:
    heartbeat.beat(heartbeat.WORKER)
