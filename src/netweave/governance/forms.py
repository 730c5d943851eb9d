"""Forms of the governance pages: they validate input; ``services.py`` acts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from netweave.directory.models import Organisation, Person, Sector, Topic
from netweave.governance.models import Body, BodyKind, Seat, TaskGroup, TaskGroupStatus, Urgency
from netweave.networks.forms import (
    DateInput,
    OrganisationChoiceField,
    PersonChoiceField,
    apply_errors,
    member_organisations,
)
from netweave.networks.models import Network

__all__ = ["apply_errors"]


class RequestForm(forms.Form):
    organisation = OrganisationChoiceField(queryset=None, label=_("Raised by organisation"))
    title = forms.CharField(label=_("Title"), max_length=200)
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.order_by("name"),
        to_field_name="slug",
        label=_("Topic"),
        required=False,
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea,
        required=False,
        help_text=_("What the need is and what your organisation hopes the network does."),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial="normal")

    def __init__(self, *args: Any, network: Network, org_ids: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = member_organisations(network)
        if org_ids is not None:
            orgs = orgs.filter(pk__in=org_ids)
        self.fields["organisation"].queryset = orgs


class TaskGroupChoiceField(forms.ModelChoiceField):
    def __init__(self, queryset: Any = None, **kwargs: Any) -> None:
        super().__init__(queryset, to_field_name="uid", **kwargs)

    def label_from_instance(self, obj: TaskGroup) -> str:
        return obj.name


class TriageForm(forms.Form):
    DECISIONS = [
        ("accept", _("Accept into an existing task group")),
        ("form_new", _("Form a new task group")),
        ("answer", _("Answer directly")),
        ("decline", _("Decline, with a reason")),
    ]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    task_group = TaskGroupChoiceField(
        label=_("Existing task group"),
        required=False,
        help_text=_("When accepting into an existing task group."),
    )
    name = forms.CharField(
        label=_("Name of the new task group"),
        max_length=200,
        required=False,
        help_text=_("When forming a new task group; the request's title by default."),
    )
    lead = OrganisationChoiceField(
        queryset=None,
        label=_("Lead of the new task group"),
        required=False,
        help_text=_("The organisation that raised the request by default."),
    )
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea, required=False)
    reason = forms.CharField(label=_("Reason for declining"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task_group"].queryset = TaskGroup.objects.filter(network=network).exclude(
            status=TaskGroupStatus.CLOSED
        )
        self.fields["lead"].queryset = member_organisations(network)


class DeliverableForm(forms.Form):
    title = forms.CharField(label=_("Deliverable"), max_length=200)
    due = forms.DateField(label=_("Due"), required=False, widget=DateInput)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Document title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word (.docx), Excel (.xlsx) or OpenDocument (.odt), at most 25 MB."),
    )
    url = forms.URLField(label=_("Or a link"), required=False, assume_scheme="https")


class JoinForm(forms.Form):
    organisation = OrganisationChoiceField(queryset=None, label=_("Organisation"))

    def __init__(self, *args: Any, network: Network, org_ids: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = member_organisations(network)
        if org_ids is not None:
            orgs = orgs.filter(pk__in=org_ids)
        self.fields["organisation"].queryset = orgs


class MemberPeopleForm(forms.Form):
    """The people an organisation sends to a task group."""

    people = forms.ModelMultipleChoiceField(
        Person.objects.none(),
        to_field_name="uid",
        label=_("People"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked when the organisation as a whole takes part."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = organisation.people.order_by("name", "pk")


class CloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Close it even though deliverables are still open"), required=False
    )


# Bodies and seats ------------------------------------------------------------------------
MIX_PREFIX = "mix_"


class BodyForm(forms.Form):
    """A body's name, kind and rules; the target mix has one number per sector."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=BodyKind.choices, initial=BodyKind.OTHER)
    quorum = forms.IntegerField(
        label=_("Quorum"),
        min_value=1,
        max_value=1000,
        initial=1,
        help_text=_("Seats that must be present for a valid meeting."),
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, body: Body | None = None, **kwargs: Any) -> None:
        if body is not None:
            initial = {
                "name": body.name,
                "kind": body.kind,
                "quorum": body.quorum,
                "description": body.description,
            }
            initial.update(
                {f"{MIX_PREFIX}{slug}": n for slug, n in (body.sector_mix or {}).items()}
            )
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.sectors = list(Sector.objects.order_by("position", "name"))
        for sector in self.sectors:
            self.fields[f"{MIX_PREFIX}{sector.slug}"] = forms.IntegerField(
                label=gettext(sector.name),
                min_value=0,
                max_value=1000,
                required=False,
                widget=forms.NumberInput(attrs={"class": "mix-input"}),
            )

    def rule_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("name", "kind", "quorum", "description")]

    def mix_fields(self) -> list[forms.BoundField]:
        return [self[f"{MIX_PREFIX}{sector.slug}"] for sector in self.sectors]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "kind": data["kind"],
            "quorum": data["quorum"],
            "description": data.get("description", ""),
            "sector_mix": {
                sector.slug: data[f"{MIX_PREFIX}{sector.slug}"]
                for sector in self.sectors
                if data.get(f"{MIX_PREFIX}{sector.slug}")
            },
        }


class SeatPersonField(PersonChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name} — {obj.organisation.display_name}" if obj.organisation_id else obj.name


class SeatForm(forms.Form):
    """A new seat: a member organisation, the person it sends, the chair, the term."""

    organisation = OrganisationChoiceField(queryset=None, label=_("Organisation"))
    person = SeatPersonField(
        Person.objects.none(),
        label=_("Person"),
        required=False,
        help_text=_("Who sits for the organisation; leave empty if it has not named anyone."),
    )
    chair = forms.BooleanField(label=_("Chairs the body"), required=False)
    start = forms.DateField(label=_("Term starts"), required=False, widget=DateInput)
    end = forms.DateField(
        label=_("Term ends"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for an open term."),
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"start": timezone.localdate()})
        super().__init__(*args, **kwargs)
        orgs = member_organisations(network)
        self.fields["organisation"].queryset = orgs
        self.fields["person"].queryset = (
            Person.objects.filter(organisation__in=orgs.values("pk"))
            .select_related("organisation")
            .order_by("name", "pk")
        )


class SeatEditForm(forms.Form):
    """A seat's person, chair and term; its organisation stays (replace it to change it)."""

    person = SeatPersonField(Person.objects.none(), label=_("Person"), required=False)
    chair = forms.BooleanField(label=_("Chairs the body"), required=False)
    start = forms.DateField(label=_("Term starts"), required=False, widget=DateInput)
    end = forms.DateField(label=_("Term ends"), required=False, widget=DateInput)

    def __init__(self, *args: Any, seat: Seat, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "person": seat.person.uid if seat.person else None,
                "chair": seat.chair,
                "start": seat.start,
                "end": seat.end,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(
            organisation_id=seat.organisation_id
        ).select_related("organisation")


class EndSeatForm(forms.Form):
    on = forms.DateField(label=_("Last day of the term"), widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ReplaceSeatForm(forms.Form):
    organisation = OrganisationChoiceField(queryset=None, label=_("New holder"))
    person = SeatPersonField(
        Person.objects.none(),
        label=_("Person"),
        required=False,
        help_text=_("Who sits for the new holder."),
    )
    on = forms.DateField(
        label=_("Takes the seat on"),
        widget=DateInput,
        help_text=_("The outgoing holder's term ends the day before."),
    )

    def __init__(self, *args: Any, network: Network, seat: Seat, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        orgs: Any = member_organisations(network).exclude(pk=seat.organisation_id)
        self.fields["organisation"].queryset = orgs
        self.fields["person"].queryset = (
            Person.objects.filter(organisation__in=Organisation.objects.in_network(network))
            .exclude(organisation_id=seat.organisation_id)
            .select_related("organisation")
            .order_by("name", "pk")
        )


# Task groups -----------------------------------------------------------------------------
class TaskGroupForm(forms.Form):
    """A task group's terms; the lead is chosen when it is formed and stays."""

    name = forms.CharField(label=_("Name"), max_length=200)
    lead = OrganisationChoiceField(queryset=None, label=_("Lead organisation"))
    terms_of_reference = forms.CharField(
        label=_("Terms of reference"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.order_by("name"),
        to_field_name="slug",
        label=_("Topics"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (TaskGroupStatus.PROPOSED, TaskGroupStatus.PROPOSED.label),
            (TaskGroupStatus.ACTIVE, TaskGroupStatus.ACTIVE.label),
        ],
        help_text=_("The steering committee or a facilitator approves a proposed task group."),
    )
    start = forms.DateField(label=_("Start"), required=False, widget=DateInput)
    end = forms.DateField(label=_("End"), required=False, widget=DateInput)

    def __init__(
        self, *args: Any, network: Network, group: TaskGroup | None = None, **kwargs: Any
    ) -> None:
        if group is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": group.name,
                    "terms_of_reference": group.terms_of_reference,
                    "topics": [topic.slug for topic in group.topics.all()],
                    "status": group.status,
                    "start": group.start,
                    "end": group.end,
                },
            )
        else:
            kwargs.setdefault(
                "initial", {"status": TaskGroupStatus.ACTIVE, "start": timezone.localdate()}
            )
        super().__init__(*args, **kwargs)
        if group is not None:
            del self.fields["lead"]
        else:
            self.fields["lead"].queryset = member_organisations(network)
