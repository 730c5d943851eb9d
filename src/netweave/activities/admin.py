from django.contrib import admin

from netweave.activities.models import (
    ActivityOutput,
    Contribution,
    ExchangeRate,
    JointActivity,
    Participation,
    ReportingCurrency,
)


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    raw_id_fields = ["organisation"]


class ContributionInline(admin.TabularInline):
    model = Contribution
    extra = 0
    raw_id_fields = ["organisation"]


class OutputInline(admin.TabularInline):
    model = ActivityOutput
    extra = 0


@admin.register(JointActivity)
class JointActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "kind", "status", "start", "end"]
    list_filter = ["network", "kind", "status"]
    search_fields = ["title"]
    raw_id_fields = ["task_group"]
    inlines = [ParticipationInline, ContributionInline, OutputInline]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["network", "year", "currency", "rate"]
    list_filter = ["network", "currency"]


admin.site.register(ReportingCurrency)
