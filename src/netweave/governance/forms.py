"""Forms of the governance pages: they validate input; ``services.py`` acts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from netweave.directory.models import Topic
from netweave.governance.models import TaskGroup, TaskGroupStatus, Urgency
from netweave.networks.forms import (
    DateInput,
    OrganisationChoiceField,
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


class CloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Close it even though deliverables are still open"), required=False
    )
