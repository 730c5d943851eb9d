from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from netweave.imports.models import ImportRecord


@admin.register(ImportRecord)
class ImportRecordAdmin(SimpleHistoryAdmin):
    list_display = [
        "file_name",
        "kind",
        "network",
        "status",
        "created_count",
        "updated_count",
        "rejected_count",
        "created_by",
        "created",
    ]
    list_filter = ["kind", "status", "network"]
    search_fields = ["file_name", "uid"]
    list_select_related = ["network", "created_by"]
    readonly_fields = [
        "uid",
        "status",
        "error",
        "created_count",
        "updated_count",
        "merged_count",
        "unchanged_count",
        "rejected_count",
        "report",
        "report_omitted",
        "unknown_columns",
        "rows_done",
        "rows_total",
        "applied_at",
        "undone_at",
    ]
