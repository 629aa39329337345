from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django_scopes import scopes_disabled

from kretsen.core.models import AuditEvent, Organisation, StaffMembership, User


class UnscopedAdminMixin:
    """Operators work across organisations; the admin lists them with the scope disabled."""

    def get_queryset(self, request: HttpRequest) -> Any:
        with scopes_disabled():
            return self.model.objects.all()  # type: ignore[attr-defined]


class MembershipInline(UnscopedAdminMixin, admin.TabularInline):
    model = StaffMembership
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "is_admin", "is_coordinator", "is_leader", "is_active"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "country", "default_language", "time_zone"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "kind", "display_name", "is_active", "is_staff", "last_login"]
    list_filter = ["kind", "is_active", "is_staff"]
    search_fields = ["email", "display_name"]
    fields = ["email", "kind", "display_name", "language", "is_active", "is_staff", "is_superuser"]
    readonly_fields = ["kind"]


@admin.register(AuditEvent)
class AuditEventAdmin(UnscopedAdminMixin, admin.ModelAdmin):
    list_display = ["at", "action", "actor_label", "organisation_id", "object_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["action", "actor_label", "object_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
