from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from netweave.consultations.models import Comment, Consultation, Recommendation, Section


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "network", "owner", "status", "opens", "closes"]
    list_filter = ["network", "status"]
    search_fields = ["title"]
    autocomplete_fields = ["owner"]
    list_select_related = ["network", "owner"]
    inlines = [SectionInline]


@admin.register(Comment)
class CommentAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "kind", "section", "created"]
    list_filter = ["kind"]
    search_fields = ["text", "organisation__name"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation", "section"]
    raw_id_fields = ["section", "author"]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "consultation", "response"]
    list_filter = ["response"]
    list_select_related = ["consultation"]
    raw_id_fields = ["consultation", "section", "comments", "created_by"]
