"""Forms of the agenda pages: they validate input; ``services/agenda.py`` acts.

Organisations are chosen by slug, people and meetings by uid, topics by slug: a forged or
foreign value is "not one of the available choices", never looked up elsewhere.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from netweave.core.access import NetworkAccess
from netweave.directory.models import Organisation, Person, Topic
from netweave.meetings.models import AgendaItem, AgendaItemKind, AgendaOffer, Meeting, OfferStatus
from netweave.networks.forms import (
    OrganisationChoiceField,
    PersonChoiceField,
    apply_errors,
    member_organisations,
)
from netweave.networks.models import Network

__all__ = [
    "AgendaItemForm",
    "BuilderForm",
    "DeclineForm",
    "OfferAcceptForm",
    "OfferFilterForm",
    "OfferForm",
    "apply_errors",
]

URGENCY_CHOICES = [
    (0, _("0 — can wait")),
    (1, _("1 — soon")),
    (2, _("2 — important")),
    (3, _("3 — urgent")),
]


class TopicsField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Topics"))
        kwargs.setdefault("required", False)
        super().__init__(Topic.objects.order_by("name"), to_field_name="slug", **kwargs)


class MeetingChoiceField(forms.ModelChoiceField):
    def __init__(self, queryset: Any, **kwargs: Any) -> None:
        super().__init__(queryset, to_field_name="uid", **kwargs)

    def label_from_instance(self, obj: Meeting) -> str:
        return f"{obj.title} — {obj.start:%Y-%m-%d}"


def member_people(network: Network):
    """People who work for a current member organisation of ``network``."""
    return (
        Person.objects.filter(organisation__in=member_organisations(network).values("pk"))
        .select_related("organisation")
        .order_by("name", "pk")
    )


class PresenterPersonField(PersonChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name} ({obj.organisation.name})" if obj.organisation else obj.name


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=AgendaItemKind.choices, initial=AgendaItemKind.PRESENTATION
    )
    topics = TopicsField()
    presenter_organisation = OrganisationChoiceField(
        Organisation.objects.none(), label=_("Presenting organisation"), required=False
    )
    presenter_person = PresenterPersonField(
        Person.objects.none(), label=_("Presenter"), required=False
    )
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=1, max_value=24 * 60, initial=15
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["presenter_organisation"].queryset = member_organisations(network)
        self.fields["presenter_person"].queryset = member_people(network)

    @classmethod
    def for_item(cls, item: AgendaItem, network: Network, data: Any = None) -> AgendaItemForm:
        initial = {
            "title": item.title,
            "description": item.description,
            "kind": item.kind,
            "topics": [topic.slug for topic in item.topics.all()],
            "presenter_organisation": (
                item.presenter_organisation.slug if item.presenter_organisation else None
            ),
            "presenter_person": item.presenter_person.uid if item.presenter_person else None,
            "duration_minutes": item.duration_minutes,
        }
        return cls(data, initial=initial, network=network)

    def service_data(self) -> dict[str, Any]:
        return {key: value for key, value in self.cleaned_data.items() if key != "topics"}


class OfferForm(forms.Form):
    organisation = OrganisationChoiceField(
        Organisation.objects.none(), label=_("On behalf of"), empty_label=None
    )
    meeting = MeetingChoiceField(
        Meeting.objects.none(),
        label=_("Meeting"),
        required=False,
        empty_label=_("The next suitable meeting"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=AgendaItemKind.choices, initial=AgendaItemKind.SHOWCASE
    )
    title = forms.CharField(label=_("Title"), max_length=250)
    description = forms.CharField(
        label=_("What it is about"), widget=forms.Textarea, required=False
    )
    topics = TopicsField(help_text=_("Members interested in these topics will be invited."))
    duration_minutes = forms.IntegerField(
        label=_("Minutes needed"), min_value=1, max_value=24 * 60, initial=15
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"), choices=URGENCY_CHOICES, coerce=int, initial=1
    )

    def __init__(
        self, *args: Any, network: Network, access: NetworkAccess, meetings: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        organisations = member_organisations(network)
        if not access.is_facilitator:
            organisations = organisations.filter(pk__in=access.focal_org_ids)
        self.fields["organisation"].queryset = organisations
        self.fields["meeting"].queryset = meetings

    def service_data(self) -> dict[str, Any]:
        return {
            key: self.cleaned_data[key]
            for key in ("kind", "title", "description", "duration_minutes", "urgency")
        }


class OfferAcceptForm(forms.Form):
    meeting = MeetingChoiceField(Meeting.objects.none(), label=_("Into the meeting"))

    def __init__(self, *args: Any, meetings: Any, offer: AgendaOffer, **kwargs: Any) -> None:
        if offer.meeting is not None:
            kwargs.setdefault("initial", {"meeting": offer.meeting.uid})
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea,
        help_text=_("The offering organisation reads this."),
    )


class OfferFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *OfferStatus.choices],
        required=False,
    )


METHOD_CHOICES = [
    ("auto", _("Automatic (exact when the size allows)")),
    ("exact", _("Exact")),
    ("greedy", _("Greedy (fast)")),
]


class BuilderForm(forms.Form):
    items = forms.IntegerField(label=_("Number of items"), min_value=1, max_value=50, initial=5)
    length = forms.IntegerField(
        label=_("Meeting length (minutes)"),
        min_value=1,
        max_value=7 * 24 * 60,
        help_text=_("Defaults to the meeting's length."),
    )
    method = forms.ChoiceField(
        label=_("Method"), choices=METHOD_CHOICES, initial="auto", required=False
    )
