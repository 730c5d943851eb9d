from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from netweave.networks.models import Membership, Network, Representation, Role, StageMilestone


class StageMilestoneInline(admin.TabularInline):
    model = StageMilestone
    extra = 0


@admin.register(Network)
class NetworkAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "country", "stage", "visibility", "launched"]
    list_filter = ["stage", "visibility", "country"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StageMilestoneInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "network", "status", "joined", "left"]
    list_filter = ["network", "status"]
    search_fields = ["organisation__name", "organisation__acronym"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation", "network"]


@admin.register(Representation)
class RepresentationAdmin(SimpleHistoryAdmin):
    list_display = ["person", "organisation", "network", "kind", "start", "end"]
    list_filter = ["network", "kind"]
    autocomplete_fields = ["organisation", "person"]
    list_select_related = ["person", "organisation", "network"]


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "network", "kind", "organisation"]
    list_filter = ["network", "kind"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["organisation", "user"]
    list_select_related = ["user", "network", "organisation"]
