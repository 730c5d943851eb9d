"""Forms of the activity pages: they validate input; the services apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from netweave.activities.currencies import CURRENCY_CHOICES
from netweave.activities.models import (
    ActivityKind,
    ActivityStatus,
    ContributionKind,
    ParticipationRole,
)
from netweave.core.forms import apply_service_errors as apply_errors  # noqa: F401 (re-exported)
from netweave.directory.models import Organisation, Topic
from netweave.governance.models import MemberRequest, TaskGroup

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActivityFilterForm(forms.Form):
    q = forms.CharField(label=_("Title contains"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *ActivityKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *ActivityStatus.choices]
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        required=False,
        queryset=Topic.objects.none(),
        to_field_name="slug",
        empty_label=_("Any topic"),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        empty_label=_("Any organisation"),
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)

    def __init__(self, *args: Any, network: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(
            joint_activities__network=network
        ).distinct()
        # Past members too: their activities remain on record.
        self.fields["organisation"].queryset = Organisation.objects.filter(
            memberships__network=network
        ).distinct()


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=250)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), required=False, queryset=Topic.objects.all()
    )
    start = forms.DateField(label=_("Start"), required=False, widget=DATE)
    end = forms.DateField(label=_("End"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)
    task_group = forms.ModelChoiceField(
        label=_("Task group"),
        required=False,
        queryset=TaskGroup.objects.none(),
        help_text=_("The task group the activity came from, if any."),
    )
    request = forms.ModelChoiceField(
        label=_("Member request"),
        required=False,
        queryset=MemberRequest.objects.none(),
        to_field_name="uid",
        help_text=_("The member request the activity came from, if any."),
    )

    def __init__(
        self, *args: Any, network: Any, requests: Any = None, keep_request: bool = False, **kwargs
    ) -> None:
        """``requests``: the member requests the user may see (none: the field is left out);
        ``keep_request``: the activity's request is not among them, so the field is left out
        and the request stays as it is."""
        super().__init__(*args, **kwargs)
        self.fields["task_group"].queryset = TaskGroup.objects.filter(network=network)
        if requests is None or keep_request:
            del self.fields["request"]
        else:
            self.fields["request"].queryset = requests.select_related("organisation")
            self.fields["request"].label_from_instance = lambda item: (
                _("%(title)s (%(organisation)s)")
                % {"title": item.title, "organisation": item.organisation.display_name}
            )


class ActivityCreateForm(ActivityForm):
    lead = forms.ModelChoiceField(
        label=_("Lead organisation"), required=False, queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, network: Any, **kwargs: Any) -> None:
        super().__init__(*args, network=network, **kwargs)
        self.fields["lead"].queryset = Organisation.objects.in_network(network)


class ParticipationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    role = forms.ChoiceField(label=_("Role"), choices=ParticipationRole.choices)

    def __init__(self, *args: Any, network: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.in_network(network)


class ContributionForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ContributionKind.choices)
    amount = forms.DecimalField(
        label=_("Amount or estimated value"), min_value=0, max_digits=14, decimal_places=2
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES, initial="USD")
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100)
    description = forms.CharField(label=_("What is given in kind"), max_length=300, required=False)

    def __init__(self, *args: Any, network: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.in_network(network)


class OutputForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("PDF or Word (.docx), at most 25 MB.")
    )


class ExchangeRateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES)
    rate = forms.DecimalField(
        label=_("Value of one unit in the reporting currency"),
        max_digits=18,
        decimal_places=8,
        min_value=0,
    )


class ReportingCurrencyForm(forms.Form):
    currency = forms.ChoiceField(label=_("Reporting currency"), choices=CURRENCY_CHOICES)
