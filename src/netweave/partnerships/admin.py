"""Admin for partnerships. Health-check answers are not registered at all: the admin shows
only how many answers a round has, never an answer (nobody sees individual answers)."""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from netweave.partnerships.models import (
    ArrangementType,
    HealthCheckRound,
    Partner,
    PartnerContribution,
    Partnership,
    Placement,
)


@admin.register(ArrangementType)
class ArrangementTypeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "position", "accountability_level", "risk_level"]
    readonly_fields = ["slug", "position"]


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["name", "network", "arrangement", "status", "start", "end"]
    list_filter = ["network", "arrangement", "status"]
    search_fields = ["name"]
    list_select_related = ["network", "arrangement"]
    inlines = [PartnerInline]


@admin.register(PartnerContribution)
class PartnerContributionAdmin(SimpleHistoryAdmin):
    list_display = ["partner", "direction", "kind", "description"]
    list_filter = ["direction", "kind"]
    list_select_related = ["partner__organisation", "partner__partnership"]


@admin.register(Placement)
class PlacementAdmin(SimpleHistoryAdmin):
    list_display = ["partner", "placed_on", "service_policy", "regulation_innovation"]
    list_select_related = ["partner__organisation", "partner__partnership"]


@admin.register(HealthCheckRound)
class HealthCheckRoundAdmin(SimpleHistoryAdmin):
    list_display = ["partnership", "opens", "closes", "due", "answer_count"]
    list_select_related = ["partnership"]

    def get_queryset(self, request) -> QuerySet:
        return super().get_queryset(request).annotate(answers=Count("responses"))

    @admin.display(description=_("answers"), ordering="answers")
    def answer_count(self, obj: HealthCheckRound) -> int:
        return obj.answers
