"""Forms of the meeting pages: validation only; ``meetings.services`` writes."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from netweave.directory.forms import apply_service_errors
from netweave.directory.models import Organisation, Person, Sector
from netweave.governance.models import Body, TaskGroup
from netweave.meetings.models import Meeting, MeetingKind, Response
from netweave.meetings.services import MEETING_FIELDS

__all__ = [
    "CalendarFilterForm",
    "InvitationForm",
    "MeetingForm",
    "RegistrationForm",
    "apply_service_errors",
]

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
LOCAL_TIMES = ("start", "end", "registration_closes")


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=LOCAL_FORMAT, **kwargs)


class HostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.display_name


class UidChoiceField(forms.ModelChoiceField):
    """A task group or body, chosen by uid so the page never shows row ids."""

    def __init__(self, queryset: QuerySet, **kwargs: Any) -> None:
        kwargs["to_field_name"] = "uid"
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class MeetingForm(forms.ModelForm):
    """A meeting; times are entered on the meeting's own clock (its time zone)."""

    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    online_url = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    class Meta:
        model = Meeting
        fields = MEETING_FIELDS
        field_classes = {
            "host": HostChoiceField,
            "task_group": UidChoiceField,
            "body": UidChoiceField,
        }
        widgets = {
            "start": LocalDateTimeInput(),
            "end": LocalDateTimeInput(),
            "registration_closes": LocalDateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "start": _("On the meeting's clock, in the time zone chosen below."),
            "venue": _("Two meetings at the same venue and time are flagged as a room clash."),
            "languages": _("For example: tg, ru, en"),
            "registration_closes": _("Leave empty to accept registrations until the start."),
            "task_group": _("When the meeting is one of a task group's."),
            "body": _("When a standing body meets, such as the steering committee."),
        }

    def __init__(self, *args: Any, network: Any, meeting: Meeting | None = None, **kwargs: Any):
        if meeting is not None:
            initial = {name: getattr(meeting, name) for name in MEETING_FIELDS}
            initial["host"] = meeting.host_id
            initial["task_group"] = meeting.task_group.uid if meeting.task_group else None
            initial["body"] = meeting.body.uid if meeting.body else None
            tz = ZoneInfo(meeting.time_zone)
            for name in LOCAL_TIMES:
                value = initial[name]
                initial[name] = value.astimezone(tz).replace(tzinfo=None) if value else None
            kwargs.setdefault("initial", initial)
        else:
            kwargs.setdefault("initial", {"time_zone": timezone.get_current_timezone_name()})
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = Organisation.objects.in_network(network).order_by("name")
        # Only the network's own: a forged uid of another network's is an invalid choice.
        self.fields["task_group"].queryset = TaskGroup.objects.filter(network=network).order_by(
            "name"
        )
        self.fields["body"].queryset = Body.objects.filter(network=network).order_by("name")

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

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in MEETING_FIELDS}


class InvitationForm(forms.Form):
    WHOLE = "network"
    SECTORS = "sectors"
    TASK_GROUPS = "task_groups"
    PEOPLE = "people"

    audience = forms.ChoiceField(
        label=_("Invite"),
        choices=[
            (WHOLE, _("The whole network")),
            (SECTORS, _("Member organisations of chosen sectors")),
            (TASK_GROUPS, _("Chosen task groups")),
            (PEOPLE, _("Chosen people")),
        ],
        widget=forms.RadioSelect,
        initial=WHOLE,
        help_text=_(
            "The whole network and sectors mean the people of member organisations who agreed "
            "to be contacted and have an e-mail address; a task group means the people its "
            "members named for it."
        ),
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
    people = forms.ModelMultipleChoiceField(
        label=_("People"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )

    def __init__(
        self, *args: Any, people: QuerySet, task_groups: QuerySet | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task_groups"].queryset = (
            task_groups if task_groups is not None else TaskGroup.objects.none()
        )
        self.fields["sectors"].label_from_instance = lambda s: gettext(s.name)
        self.fields["people"].queryset = people
        self.fields["people"].label_from_instance = lambda p: (
            f"{p.name} — {p.organisation.display_name}" if p.organisation_id else p.name
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        audience = data.get("audience")
        if audience == self.SECTORS and not data.get("sectors"):
            self.add_error("sectors", _("Choose at least one sector."))
        if audience == self.TASK_GROUPS and not data.get("task_groups"):
            self.add_error("task_groups", _("Choose at least one task group."))
        if audience == self.PEOPLE and not data.get("people"):
            self.add_error("people", _("Choose at least one person."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        audience = self.cleaned_data["audience"]
        return {
            "whole_network": audience == self.WHOLE,
            "sectors": list(self.cleaned_data["sectors"]) if audience == self.SECTORS else [],
            "people": list(self.cleaned_data["people"]) if audience == self.PEOPLE else [],
            "task_groups": (
                list(self.cleaned_data["task_groups"]) if audience == self.TASK_GROUPS else []
            ),
        }


class RegistrationForm(forms.Form):
    """Register one person; only people the user may register are valid choices."""

    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    response = forms.ChoiceField(
        label=_("Attending?"), choices=Response.choices, widget=forms.RadioSelect
    )
    access_needs = forms.CharField(
        label=_("Access needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Anything that helps you take part: step-free access, interpretation, diet…"),
    )

    def __init__(self, *args: Any, people: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        # Only these count: a forged id in the POST fails as an invalid choice.
        field.queryset = people.select_related("organisation").order_by("name", "pk")
        field.label_from_instance = lambda p: (
            f"{p.name} — {p.organisation.display_name}" if p.organisation_id else p.name
        )
        field.empty_label = None


class CalendarFilterForm(forms.Form):
    kind = forms.MultipleChoiceField(
        label=_("Type"),
        choices=MeetingKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    view = forms.ChoiceField(choices=[("list", _("List")), ("month", _("Month"))], required=False)
    month = forms.CharField(required=False)

    def clean_month(self) -> dt.date | None:
        value = self.cleaned_data.get("month") or ""
        if not value:
            return None
        try:
            year, month = (int(part) for part in value.split("-"))
            return dt.date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(_("Give the month as YYYY-MM.")) from None
