from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from netweave.influence.models import Indicator, IndicatorTarget, IndicatorValue, Outcome


@admin.register(Outcome)
class OutcomeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "network", "kind", "date", "substantiation"]
    list_filter = ["network", "kind", "substantiation"]
    search_fields = ["title", "description", "actor_name"]
    date_hierarchy = "date"
    raw_id_fields = [
        "actor_organisation",
        "evidence_documents",
        "meetings",
        "task_groups",
        "activities",
    ]
    readonly_fields = ["uid", "recorded_by"]


class TargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


class ValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0
    readonly_fields = ["entered_by"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "network", "source", "computation", "baseline_year", "baseline_value"]
    list_filter = ["network", "source"]
    search_fields = ["name"]
    inlines = [TargetInline, ValueInline]
    readonly_fields = ["uid", "created_by"]
