from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from netweave.governance.models import (
    Body,
    Deliverable,
    DeliverableDocument,
    MemberRequest,
    Seat,
    TaskGroup,
    TaskGroupMember,
)


class TaskGroupMemberInline(admin.TabularInline):
    model = TaskGroupMember
    extra = 0
    autocomplete_fields = ["organisation", "people"]


@admin.register(TaskGroup)
class TaskGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "network", "lead", "status", "start", "end"]
    list_filter = ["network", "status"]
    search_fields = ["name"]
    autocomplete_fields = ["lead"]
    list_select_related = ["network", "lead"]
    inlines = [TaskGroupMemberInline]


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    autocomplete_fields = ["organisation", "person"]


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "network", "kind", "quorum"]
    list_filter = ["network", "kind"]
    search_fields = ["name"]
    inlines = [SeatInline]


@admin.register(MemberRequest)
class MemberRequestAdmin(SimpleHistoryAdmin):
    list_display = ["title", "network", "organisation", "urgency", "status", "created"]
    list_filter = ["network", "status", "urgency"]
    search_fields = ["title"]
    list_select_related = ["network", "organisation"]
    raw_id_fields = ["organisation", "task_group", "raised_by", "decided_by"]


class DeliverableDocumentInline(admin.TabularInline):
    model = DeliverableDocument
    extra = 0
    raw_id_fields = ["added_by"]


@admin.register(Deliverable)
class DeliverableAdmin(SimpleHistoryAdmin):
    list_display = ["title", "task_group", "due", "status"]
    list_filter = ["status"]
    search_fields = ["title"]
    list_select_related = ["task_group"]
    inlines = [DeliverableDocumentInline]
