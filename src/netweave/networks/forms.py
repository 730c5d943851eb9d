"""Forms for the network pages: they validate input; the services in ``services.py`` act."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netweave.core.forms import apply_service_errors as apply_errors  # noqa: F401 (re-exported)
from netweave.directory.models import Organisation, Person
from netweave.networks.models import (
    Membership,
    Network,
    RoleKind,
    SeatKind,
    Stage,
    Visibility,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def member_organisations(network: Network):
    """Organisations that are current members of ``network``, sector preloaded."""
    return Organisation.objects.in_network(network).select_related("sector").order_by("name")


class OrganisationChoiceField(forms.ModelChoiceField):
    """Chosen by slug, so forms never expose or accept row ids."""

    def __init__(self, queryset, **kwargs: Any) -> None:
        super().__init__(queryset, to_field_name="slug", **kwargs)

    def label_from_instance(self, obj: Organisation) -> str:
        return obj.display_name


class NetworkForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    aims = forms.CharField(label=_("Aims"), widget=forms.Textarea, required=False)
    country = forms.CharField(
        label=_("Country"),
        max_length=2,
        required=False,
        help_text=_("Two-letter ISO country code, e.g. TJ."),
    )
    sector_focus = forms.CharField(label=_("Sector focus"), max_length=200, required=False)
    launched = forms.DateField(label=_("Launched"), required=False, widget=DateInput)
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)

    @classmethod
    def for_network(cls, network: Network, data: Any = None) -> NetworkForm:
        initial = {
            "name": network.name,
            "aims": network.aims,
            "country": network.country,
            "sector_focus": network.sector_focus,
            "launched": network.launched,
            "visibility": network.visibility,
        }
        return cls(data, initial=initial)


class MilestoneForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    date = forms.DateField(label=_("Reached on"), widget=DateInput)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class AddMemberForm(forms.Form):
    organisation = OrganisationChoiceField(
        Organisation.objects.none(),
        label=_("Organisation"),
        help_text=_("Organisations already known to Netweave that are not members now."),
    )
    joined = forms.DateField(label=_("Joined on"), widget=DateInput)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"joined": timezone.localdate()})
        super().__init__(*args, **kwargs)
        current = Membership.objects.current().filter(network=network).values("organisation_id")
        self.fields["organisation"].queryset = Organisation.objects.exclude(
            id__in=current
        ).order_by("name")


class LeaveForm(forms.Form):
    left = forms.DateField(label=_("Left on"), widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"left": timezone.localdate()})
        super().__init__(*args, **kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    def __init__(self, queryset, **kwargs: Any) -> None:
        super().__init__(queryset, to_field_name="uid", **kwargs)


class SeatForm(forms.Form):
    person = PersonChoiceField(Person.objects.none(), label=_("Person"))
    kind = forms.ChoiceField(label=_("Seat"), choices=SeatKind.choices)
    start = forms.DateField(label=_("From"), widget=DateInput)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"start": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(organisation=organisation)


class AssignRoleForm(forms.Form):
    user = forms.CharField(
        label=_("User"),
        max_length=254,
        help_text=_("The user name or e-mail address of someone who already has an account."),
    )
    kind = forms.ChoiceField(label=_("Role"), choices=RoleKind.choices)
    organisation = OrganisationChoiceField(
        Organisation.objects.none(),
        label=_("Organisation"),
        required=False,
        help_text=_("Only for a focal point: the member organisation they speak for."),
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = member_organisations(network)

    def clean_user(self) -> Any:
        value = self.cleaned_data["user"].strip()
        users = list(
            get_user_model().objects.filter(Q(username__iexact=value) | Q(email__iexact=value))[:2]
        )
        if not users:
            raise ValidationError(
                _("There is no user “%(user)s”. Invite them as a focal point instead."),
                params={"user": value},
            )
        if len(users) > 1:
            raise ValidationError(_("Several users match; enter the user name."))
        return users[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == RoleKind.FOCAL_POINT and not data.get("organisation"):
            if "organisation" not in self.errors:
                self.add_error("organisation", _("A focal point speaks for an organisation."))
        return data


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    organisation = OrganisationChoiceField(Organisation.objects.none(), label=_("Organisation"))

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = member_organisations(network)


class RemoveRoleForm(forms.Form):
    role = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = network.roles.select_related("user", "network")
