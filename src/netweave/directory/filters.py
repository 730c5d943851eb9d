"""Directory filters, shared by the directory page, its export and the API."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from netweave.core.lib.text import normalize_name
from netweave.directory.models import Organisation, Person, Sector, Topic
from netweave.networks.models import MembershipStatus


def search_organisations(
    queryset: QuerySet, text: str, *, people: QuerySet | None = None
) -> QuerySet:
    """Match a name, an acronym or the name of someone working there.

    Names are compared through their normalised key, so the search ignores case for every
    script (SQLite's LIKE folds only ASCII). ``people`` limits whose names are searched
    (by default everyone's), so a page can leave out people who did not agree to be listed.
    """
    key = normalize_name(text)
    if not key:
        return queryset
    people = (Person.objects.all() if people is None else people).filter(name_key__contains=key)
    people = people.values("organisation_id")
    return queryset.filter(
        Q(name_key__contains=key) | Q(acronym__icontains=text.strip()) | Q(id__in=people)
    )


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    sector = django_filters.ModelMultipleChoiceFilter(
        queryset=Sector.objects.all(),
        field_name="sector__slug",
        to_field_name="slug",
        label=_("Sector"),
    )
    country = django_filters.CharFilter(method="filter_country", label=_("Country"))
    topic = django_filters.ModelMultipleChoiceFilter(
        queryset=Topic.objects.all(),
        field_name="topics__slug",
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
        # Descending labels are spelled out: django-filter would otherwise format them
        # once, at import, in whatever language was active then.
        field_labels={
            "name": _("Name"),
            "-name": _("Name (descending)"),
            "acronym": _("Acronym"),
            "-acronym": _("Acronym (descending)"),
            "sector__position": _("Sector"),
            "-sector": _("Sector (descending)"),
            "country": _("Country"),
            "-country": _("Country (descending)"),
            "joined": _("Joined"),
            "-joined": _("Joined (descending)"),
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
        field_name="organisation__sector__slug",
        to_field_name="slug",
        label=_("Sector"),
    )
    topic = django_filters.ModelMultipleChoiceFilter(
        queryset=Topic.objects.all(),
        field_name="topics__slug",
        to_field_name="slug",
        label=_("Topic"),
        distinct=True,
    )
    ordering = django_filters.OrderingFilter(
        fields=(("name", "name"), ("organisation__name", "organisation")),
        field_labels={
            "name": _("Name"),
            "-name": _("Name (descending)"),
            "organisation__name": _("Organisation"),
            "-organisation": _("Organisation (descending)"),
        },
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


# The directory pages ----------------------------------------------------------------------
class TranslatedChoiceField(forms.ModelMultipleChoiceField):
    """Shows a taxonomy entry by its name through gettext (seeded names are marked for it)."""

    def label_from_instance(self, obj: Any) -> str:
        return gettext(obj.name)


class TranslatedMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = TranslatedChoiceField


# With ``to_field_name`` the filter compares the chosen value's slug, so ``field_name``
# must end in ``__slug`` too.
def _sector_filter(field_name: str) -> TranslatedMultipleChoiceFilter:
    return TranslatedMultipleChoiceFilter(
        queryset=Sector.objects.all(),
        field_name=field_name,
        to_field_name="slug",
        label=_("Sector"),
        widget=forms.CheckboxSelectMultiple,
    )


def _topic_filter() -> django_filters.ModelMultipleChoiceFilter:
    return django_filters.ModelMultipleChoiceFilter(
        queryset=Topic.objects.all(),
        field_name="topics__slug",
        to_field_name="slug",
        label=_("Topic"),
        distinct=True,
        widget=forms.CheckboxSelectMultiple,
    )


class DirectoryFilter(OrganisationFilter):
    """The member directory page and its export: a plain GET form of checkboxes.

    With no status ticked it lists current members (whose latest membership has not
    ended). ``people`` limits whose names the search matches, so that an organisation is
    not found through someone who did not agree to be listed.
    """

    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Search"),
        help_text=_("Name, acronym or the name of someone working there."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    sector = _sector_filter("sector__slug")
    country = django_filters.CharFilter(
        method="filter_country",
        label=_("Country"),
        help_text=_("Two-letter code, e.g. TJ."),
        widget=forms.TextInput(attrs={"size": 4, "maxlength": 2}),
    )
    topic = _topic_filter()
    status = django_filters.MultipleChoiceFilter(
        choices=MembershipStatus.choices,
        field_name="membership_status",
        label=_("Status"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: current members."),
    )

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet | None = None,
        *,
        people: QuerySet | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, queryset, **kwargs)
        self.people = people
        # Unsorted means by name, so the list offers no blank choice.
        self.filters["ordering"].extra["empty_label"] = None

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_organisations(queryset, value, people=self.people)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            # An EXISTS the planner can estimate: filtering on the latest period's
            # subqueries instead made PostgreSQL guess 10 rows and pick a quadratic join.
            queryset = queryset.filter(current=True)
        # Ties (same sector, same country) keep a fixed order, so pages never overlap.
        return queryset.order_by(*queryset.query.order_by, "name", "pk")


# How many organisations the people page's organisation field suggests at a time.
SUGGESTIONS = 50


def suggestion_options(organisations: Iterable[tuple[str, str]]) -> SafeString:
    """``<option>``s of a ``<datalist>`` from (name, acronym) pairs, without a template each."""
    return format_html_join("", '<option value="{}">{}</option>', organisations)


def suggest_organisations(organisations: QuerySet, text: str = "") -> QuerySet:
    """(name, acronym) of the first organisations whose name, acronym or slug matches ``text``."""
    text = text.strip()
    key = normalize_name(text)
    if key:
        organisations = organisations.filter(
            Q(name_key__contains=key) | Q(acronym__icontains=text) | Q(slug__startswith=text)
        )
    return organisations.order_by("name", "pk").values_list("name", "acronym")[:SUGGESTIONS]


class OrganisationSearchInput(forms.TextInput):
    """A search field with suggestions: the first organisations in a ``<datalist>``, and
    (with htmx) those matching what has been typed so far.

    A ``<select>`` of every member was thousands of ``<option>``s, each rendered through
    a template; this renders at most ``SUGGESTIONS`` of them, in Python.
    """

    input_type = "search"

    def __init__(self, *, suggestions: Iterable[tuple[str, str]] = (), suggest_url: str = ""):
        super().__init__()
        self.suggestions = suggestions
        self.suggest_url = suggest_url

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> str:
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or name}-suggestions"
        attrs.update({"list": list_id, "autocomplete": "off"})
        if self.suggest_url:
            attrs.update(
                {
                    "hx-get": self.suggest_url,
                    "hx-trigger": "input changed delay:300ms",
                    "hx-target": f"#{list_id}",
                    "hx-swap": "innerHTML",
                    "hx-push-url": "false",
                    "hx-sync": "this:replace",
                }
            )
        return format_html(
            '{}<datalist id="{}">{}</datalist>',
            super().render(name, value, attrs, renderer),
            list_id,
            suggestion_options(self.suggestions),
        )


class MemberOrganisationField(forms.CharField):
    """An organisation among ``organisations``, by slug or by name (any case and script).

    Cleans to the ids of the matching organisations (two may share a name), or ``None``.
    """

    def __init__(self, *, organisations: QuerySet | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.organisations = organisations

    def clean(self, value: Any) -> list[int] | None:
        text = (super().clean(value) or "").strip()
        if not text or self.organisations is None:
            return None
        ids = list(
            self.organisations.filter(Q(slug=text) | Q(name_key=normalize_name(text))).values_list(
                "pk", flat=True
            )
        )
        if not ids:
            raise forms.ValidationError(
                gettext(
                    "No member organisation is called “%(name)s”. Choose one of the "
                    "suggestions, or clear the field."
                ),
                code="unknown",
                params={"name": text},
            )
        return ids


class MemberOrganisationFilter(django_filters.Filter):
    field_class = MemberOrganisationField

    def filter(self, queryset: QuerySet, value: list[int] | None) -> QuerySet:
        return queryset if not value else queryset.filter(organisation_id__in=value)


class DirectoryPersonFilter(PersonFilter):
    """The people page: the organisation is one of the network's members, by name or slug."""

    organisation = MemberOrganisationFilter(
        label=_("Organisation"),
        help_text=_("Type a few letters of its name or acronym."),
    )
    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Search"),
        help_text=_("Name, position or organisation."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    sector = _sector_filter("organisation__sector__slug")
    topic = _topic_filter()

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet | None = None,
        *,
        organisations: QuerySet | None = None,
        suggest_url: str = "",
        **kwargs: Any,
    ) -> None:
        """``organisations``: those the field accepts and suggests (the network's members);
        ``suggest_url``: where the field asks for more suggestions as the user types."""
        super().__init__(data, queryset, **kwargs)
        organisation = self.filters["organisation"]
        organisation.extra["organisations"] = organisations
        organisation.extra["widget"] = OrganisationSearchInput(
            suggestions=suggest_organisations(organisations) if organisations is not None else (),
            suggest_url=suggest_url,
        )
        self.filters["ordering"].extra["empty_label"] = None

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        return queryset.order_by(*(queryset.query.order_by or ["name"]), "pk")
