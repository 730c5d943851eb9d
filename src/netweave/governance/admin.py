from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from netweave.governance.models import TaskGroup, TaskGroupMember


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
