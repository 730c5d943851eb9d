"""Forms of the consultation pages: validation only; ``consultations.services`` writes."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netweave.consultations.models import (
    Audience,
    Comment,
    CommentKind,
    Consultation,
    Response,
    Section,
)
from netweave.directory.models import Organisation, Sector
from netweave.governance.models import TaskGroup
from netweave.library.models import Document
from netweave.meetings.forms import HostChoiceField as OrganisationChoiceField
from netweave.meetings.forms import LocalDateTimeInput, time_zone_choices

LOCAL_TIMES = ("opens", "closes")
NOT_HERE = _("This section is not part of this consultation.")


class ConsultationForm(forms.Form):
    """The details; times are entered on the consultation's own clock (its time zone)."""

    title = forms.CharField(label=_("Title"), max_length=300)
    owner = OrganisationChoiceField(
        label=_("Owner organisation"),
        queryset=Organisation.objects.order_by("name"),
        help_text=_("Whose document is put to the network; it may be outside the network."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    documents = forms.ModelMultipleChoiceField(
        label=_("Documents under consultation"),
        queryset=Document.objects.none(),
        required=False,
        help_text=_("From the network's library."),
    )
    opens = forms.DateTimeField(label=_("Opens"), widget=LocalDateTimeInput())
    closes = forms.DateTimeField(
        label=_("Closes"),
        widget=LocalDateTimeInput(),
        help_text=_("Comments are refused from this moment."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    audience = forms.ChoiceField(
        label=_("Invite"), choices=Audience.choices, widget=forms.RadioSelect, initial=Audience.ALL
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    task_groups = forms.ModelMultipleChoiceField(
        label=_("Task groups"),
        queryset=TaskGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    open_discussion = forms.BooleanField(
        label=_("Participants see and endorse each other's comments while it is open"),
        required=False,
        initial=True,
    )

    def __init__(
        self, *args: Any, network: Any, consultation: Consultation | None = None, **kwargs: Any
    ) -> None:
        if consultation is not None:
            tz = consultation.tz
            kwargs.setdefault(
                "initial",
                {
                    "title": consultation.title,
                    "owner": consultation.owner_id,
                    "description": consultation.description,
                    "documents": list(consultation.documents.values_list("pk", flat=True)),
                    "opens": consultation.opens.astimezone(tz).replace(tzinfo=None),
                    "closes": consultation.closes.astimezone(tz).replace(tzinfo=None),
                    "time_zone": consultation.time_zone,
                    "audience": consultation.audience,
                    "sectors": list(consultation.sectors.values_list("pk", flat=True)),
                    "task_groups": list(consultation.task_groups.values_list("pk", flat=True)),
                    "open_discussion": consultation.open_discussion,
                },
            )
        else:
            kwargs.setdefault(
                "initial",
                {"time_zone": timezone.get_current_timezone_name(), "open_discussion": True},
            )
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = Document.objects.filter(network=network).order_by(
            "title"
        )
        self.fields["task_groups"].queryset = TaskGroup.objects.filter(network=network).order_by(
            "name"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        tz_name = data.get("time_zone")
        if tz_name:
            tz = ZoneInfo(tz_name)
            for name in LOCAL_TIMES:
                value = data.get(name)
                if isinstance(value, dt.datetime):
                    # The browser sent a wall-clock time; Django read it in the server's zone.
                    naive = timezone.make_naive(value) if timezone.is_aware(value) else value
                    data[name] = naive.replace(tzinfo=tz)
        return data


class SectionForm(forms.Form):
    uid = forms.UUIDField(required=False, widget=forms.HiddenInput)
    heading = forms.CharField(label=_("Heading"), max_length=300, required=False)
    body = forms.CharField(
        label=_("Text or excerpt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Paragraphs, lists and links are kept; anything else is removed."),
    )


SectionFormSet = forms.formset_factory(SectionForm, extra=1, can_delete=True, max_num=200)


def section_formset(data: Any = None, consultation: Consultation | None = None) -> Any:
    initial = []
    if consultation is not None:
        initial = [
            {"uid": s.uid, "heading": s.heading, "body": s.body}
            for s in consultation.sections.all()
        ]
    return SectionFormSet(data, initial=initial, prefix="sections")


def sections_from(formset: Any) -> list[dict[str, Any]]:
    return [
        {
            "uid": form.cleaned_data.get("uid"),
            "heading": form.cleaned_data.get("heading", ""),
            "body": form.cleaned_data.get("body", ""),
            "delete": bool(form.cleaned_data.get("DELETE")),
        }
        for form in formset.forms
        if form.cleaned_data
    ]


class CommentForm(forms.Form):
    section = forms.ModelChoiceField(
        queryset=Section.objects.none(),
        to_field_name="uid",
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": NOT_HERE, "required": NOT_HERE},
    )
    organisation = OrganisationChoiceField(
        label=_("On behalf of"),
        queryset=Organisation.objects.none(),
        error_messages={"invalid_choice": _("You cannot comment for this organisation here.")},
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CommentKind.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the comment.")},
    )

    def __init__(
        self, *args: Any, consultation: Consultation, org_ids: set[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(consultation=consultation)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=org_ids).order_by(
            "name"
        )
        if len(org_ids) == 1:
            self.fields["organisation"].initial = next(iter(org_ids))


class CommentEditForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CommentKind.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write the comment.")},
    )


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label=_("Recommendation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the recommendation.")},
    )
    section = forms.ModelChoiceField(
        label=_("Section"),
        queryset=Section.objects.none(),
        to_field_name="uid",
        required=False,
        empty_label=_("The document as a whole"),
        error_messages={"invalid_choice": NOT_HERE},
    )
    comments = forms.ModelMultipleChoiceField(
        label=_("Supporting comments"),
        queryset=Comment.objects.none(),
        to_field_name="uid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Only comments made in this consultation can support it.")
        },
    )

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = consultation.sections.all()
        self.fields["comments"].queryset = Comment.objects.filter(
            section__consultation=consultation
        )


class DissentForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Organisation that objects"), queryset=Organisation.objects.none()
    )
    note = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, invited: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = invited


class ResponseForm(forms.Form):
    response = forms.ChoiceField(label=_("Owner's response"), choices=Response.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("Introduction to the synthesis"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
