"""Directory filters, shared by the directory page, its export and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from netweave.core.lib.text import normalize_name
from netweave.directory.models import Organisation, Person, Sector, Topic
from netweave.networks.models import MembershipStatus


def search_organisations(queryset: QuerySet, text: str) -> QuerySet:
    """Match a name, an acronym or the name of someone working there.

    Names are compared through their normalised key, so the search ignores case for every
    script (SQLite's LIKE folds only ASCII).
    """
    key = normalize_name(text)
    if not key:
        return queryset
    people = Person.objects.filter(name_key__contains=key).values("organisation_id")
    return queryset.filter(
        Q(name_key__contains=key) | Q(acronym__icontains=text.strip()) | Q(id__in=people)
    )


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    sector = django_filters.ModelMultipleChoiceFilter(
        queryset=Sector.objects.all(), field_name="sector", to_field_name="slug", label=_("Sector")
    )
    country = django_filters.CharFilter(method="filter_country", label=_("Country"))
    topic = django_filters.ModelMultipleChoiceFilter(
        queryset=Topic.objects.all(),
        field_name="topics",
        to_field_name="slug",
        label=_("Topic"),
        distinct=True,
    )
    status = django_filters.MultipleChoiceFilter(
        choices=MembershipStatus.choices, field_name="membership_status", label=_("Status")
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("acronym", "acronym"),
            ("sector__position", "sector"),
            ("country", "country"),
            ("joined", "joined"),
        ),
        field_labels={
            "name": _("Name"),
            "acronym": _("Acronym"),
            "sector__position": _("Sector"),
            "country": _("Country"),
            "joined": _("Joined"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Organisation
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_organisations(queryset, value)

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(country__iexact=value.strip()) if value.strip() else queryset


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    organisation = django_filters.CharFilter(
        field_name="organisation__slug", label=_("Organisation")
    )
    sector = django_filters.ModelMultipleChoiceFilter(
        queryset=Sector.objects.all(),
        field_name="organisation__sector",
        to_field_name="slug",
        label=_("Sector"),
    )
    topic = django_filters.ModelMultipleChoiceFilter(
        queryset=Topic.objects.all(),
        field_name="topics",
        to_field_name="slug",
        label=_("Topic"),
        distinct=True,
    )
    ordering = django_filters.OrderingFilter(
        fields=(("name", "name"), ("organisation__name", "organisation")),
        field_labels={"name": _("Name"), "organisation__name": _("Organisation")},
        label=_("Sort by"),
    )

    class Meta:
        model = Person
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        key = normalize_name(value)
        if not key:
            return queryset
        return queryset.filter(
            Q(name_key__contains=key)
            | Q(organisation__name_key__contains=key)
            | Q(position__icontains=value.strip())
        )
