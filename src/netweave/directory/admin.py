from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from netweave.directory.models import (
    Organisation,
    OrganisationInterest,
    Person,
    PersonInterest,
    Relationship,
    Sector,
    Topic,
)


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sphere", "position"]
    list_editable = ["position"]


@admin.register(Topic)
class TopicAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class OrganisationInterestInline(admin.TabularInline):
    model = OrganisationInterest
    extra = 0
    autocomplete_fields = ["topic"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "sector", "country"]
    list_filter = ["sector", "country"]
    search_fields = ["name", "acronym"]
    list_select_related = ["sector"]
    inlines = [OrganisationInterestInline]


class PersonInterestInline(admin.TabularInline):
    model = PersonInterest
    extra = 0
    autocomplete_fields = ["topic"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "position", "consent_listed", "consent_contact"]
    list_filter = ["consent_listed", "consent_contact"]
    search_fields = ["name", "email", "organisation__name"]
    autocomplete_fields = ["organisation", "user"]
    list_select_related = ["organisation"]
    inlines = [PersonInterestInline]


@admin.register(Relationship)
class RelationshipAdmin(SimpleHistoryAdmin):
    list_display = ["source", "kind", "target", "network", "start", "end"]
    list_filter = ["network", "kind"]
    autocomplete_fields = ["source", "target"]
    list_select_related = ["source", "target", "network"]
