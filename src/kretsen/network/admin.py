from django.contrib import admin

from kretsen.network.models import Network, NetworkMembership


class NetworkMembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "language", "created_at"]
    inlines = [NetworkMembershipInline]
