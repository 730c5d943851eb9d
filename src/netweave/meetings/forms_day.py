"""Forms of the meeting day (check-in, minutes, decisions, action items): they validate
input; ``services/followup.py`` acts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from netweave.directory.models import Person
from netweave.meetings.models import ActionStatus, Confidentiality, Decision, Meeting
from netweave.networks.forms import (
    DateInput,
    OrganisationChoiceField,
    PersonChoiceField,
    member_organisations,
)

__all__ = [
    "ActionItemForm",
    "ActionStatusForm",
    "DecisionForm",
    "MinutesForm",
    "StatementForm",
    "WalkInForm",
]


def network_people(meeting: Meeting):
    """People of the network's current member organisations, organisation preloaded."""
    organisations = member_organisations(meeting.network).values("pk")
    return (
        Person.objects.filter(organisation_id__in=organisations)
        .select_related("organisation")
        .order_by("name")
    )


class PersonLabelField(PersonChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        if obj.organisation_id:
            return f"{obj.name} — {obj.organisation.display_name}"
        return obj.name


class _OwnIds(forms.Form):
    """Several of these forms share a page: each gets its own element ids."""

    id_prefix = "day"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = OrganisationChoiceField(
        None, label=_("Organisation"), required=False, empty_label=_("— individual —")
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = member_organisations(meeting.network)


class MinutesForm(_OwnIds):
    id_prefix = "minutes"
    text = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        help_text=_(
            "Paragraphs, bold, italics, lists, headings (h3, h4) and links are kept; "
            "anything else is removed."
        ),
    )
    published = forms.BooleanField(label=_("Published to members"), required=False)


class StatementForm(_OwnIds):
    id_prefix = "statement"
    text = forms.CharField(label=_("Statement"), widget=forms.Textarea(attrs={"rows": 3}))
    speaker_person = PersonLabelField(None, label=_("Speaker"), required=False)
    speaker_organisation = OrganisationChoiceField(None, label=_("Speaking for"), required=False)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meeting.confidentiality == Confidentiality.CHATHAM_HOUSE:
            # Nobody is named under the Chatham House rule: the service refuses a speaker.
            del self.fields["speaker_person"]
            del self.fields["speaker_organisation"]
        else:
            self.fields["speaker_person"].queryset = network_people(meeting)
            self.fields["speaker_organisation"].queryset = member_organisations(meeting.network)


class DecisionForm(_OwnIds):
    id_prefix = "decision"
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionChoiceField(forms.ModelChoiceField):
    def __init__(self, queryset: Any, **kwargs: Any) -> None:
        super().__init__(queryset, to_field_name="uid", **kwargs)

    def label_from_instance(self, obj: Decision) -> str:
        return f"{obj.position}. {obj.text[:80]}"


class ActionItemForm(_OwnIds):
    id_prefix = "action"
    title = forms.CharField(label=_("Action"), max_length=300)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    owner_person = PersonLabelField(None, label=_("Owner (person)"), required=False)
    owner_organisation = OrganisationChoiceField(
        None, label=_("Owner (organisation)"), required=False
    )
    due = forms.DateField(label=_("Due"), required=False, widget=DateInput)
    decision = DecisionChoiceField(None, label=_("Implements decision"), required=False)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_person"].queryset = network_people(meeting)
        self.fields["owner_organisation"].queryset = member_organisations(meeting.network)
        self.fields["decision"].queryset = meeting.decisions.all()


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
