"""Forms of the partnership pages: they validate input; ``services.py`` acts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from netweave.networks.forms import (
    DateInput,
    OrganisationChoiceField,
    apply_errors,
    member_organisations,
)
from netweave.networks.models import Network
from netweave.partnerships.models import (
    ArrangementType,
    ContributionKind,
    Direction,
    HealthDimension,
    Partner,
    PartnerRole,
    Partnership,
    PartnershipStatus,
)

__all__ = ["apply_errors"]

AXIS_HELP = _("From −1 to 1, in steps of 0.05.")


class ArrangementChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(ArrangementType.objects.all(), to_field_name="slug", **kwargs)

    def label_from_instance(self, obj: ArrangementType) -> str:
        return _(obj.name)


class PartnershipForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea, required=False)
    arrangement = ArrangementChoiceField(
        label=_("Arrangement type"),
        help_text=_(
            "From the lightest to the heaviest: network, alliance, partnership, "
            "consortium, joint venture."
        ),
    )
    status = forms.ChoiceField(label=_("Status"), choices=PartnershipStatus.choices)
    start = forms.DateField(label=_("Start"), required=False, widget=DateInput)
    end = forms.DateField(label=_("End"), required=False, widget=DateInput)
    agreement_file = forms.FileField(
        label=_("Written agreement (file)"),
        required=False,
        help_text=_("PDF or Word (.docx), at most 10 MB."),
    )
    agreement_url = forms.URLField(
        label=_("Written agreement (link)"), required=False, assume_scheme="https"
    )
    divergence_threshold = forms.DecimalField(
        label=_("Divergence threshold"),
        min_value=Decimal("0.05"),
        max_value=Decimal("2"),
        decimal_places=2,
        initial=Decimal("0.50"),
        help_text=_("A partner this far from the average placement is flagged (axes run −1 to 1)."),
    )
    drop_threshold = forms.DecimalField(
        label=_("Drop threshold"),
        min_value=Decimal("0.1"),
        max_value=Decimal("4"),
        decimal_places=2,
        initial=Decimal("0.50"),
        help_text=_("A health score falling this much since the previous check is flagged."),
    )
    check_every_months = forms.IntegerField(
        label=_("Health check every (months)"), min_value=1, max_value=36, initial=6
    )

    @classmethod
    def for_partnership(
        cls, partnership: Partnership, data: Any = None, files: Any = None
    ) -> PartnershipForm:
        initial = {
            "name": partnership.name,
            "purpose": partnership.purpose,
            "arrangement": partnership.arrangement.slug,
            "status": partnership.status,
            "start": partnership.start,
            "end": partnership.end,
            "agreement_url": partnership.agreement_url,
            "divergence_threshold": partnership.divergence_threshold,
            "drop_threshold": partnership.drop_threshold,
            "check_every_months": partnership.check_every_months,
        }
        return cls(data, files, initial=initial)


class PartnershipCreateForm(PartnershipForm):
    partners = forms.ModelMultipleChoiceField(
        queryset=None,
        to_field_name="slug",
        label=_("Partner organisations"),
        required=False,
        help_text=_("Current member organisations of the network; add more later."),
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = member_organisations(network)
        self.fields["partners"].label_from_instance = lambda obj: obj.display_name


class PartnerForm(forms.Form):
    organisation = OrganisationChoiceField(queryset=None, label=_("Organisation"))
    role = forms.ChoiceField(
        label=_("Role"), choices=PartnerRole.choices, initial=PartnerRole.PARTNER
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = member_organisations(network)


class PartnerChoiceField(forms.ModelChoiceField):
    """A partner of the partnership, by uid (never a row id)."""

    def __init__(self, queryset: Any, **kwargs: Any) -> None:
        super().__init__(queryset, to_field_name="uid", **kwargs)

    def label_from_instance(self, obj: Partner) -> str:
        return obj.organisation.display_name


class ContributionForm(forms.Form):
    partner = PartnerChoiceField(queryset=Partner.objects.none(), label=_("Partner"))
    direction = forms.ChoiceField(label=_("Brings or gains"), choices=Direction.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=ContributionKind.choices)
    description = forms.CharField(label=_("Description"), max_length=500, required=False)

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners


def axis_field(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal("-1"),
        max_value=Decimal("1"),
        decimal_places=2,
        help_text=AXIS_HELP,
        widget=forms.NumberInput(attrs={"step": "0.05", "min": "-1", "max": "1"}),
    )


class PlacementForm(forms.Form):
    partner = PartnerChoiceField(queryset=Partner.objects.none(), label=_("Partner"))
    placed_on = forms.DateField(label=_("Date"), widget=DateInput)
    service_policy = axis_field(_("Service delivery (−1) ↔ policy influence (1)"))
    regulation_innovation = axis_field(_("Regulating delivery (−1) ↔ stimulating innovation (1)"))
    target_service_policy = axis_field(
        _("In a year: service delivery ↔ policy influence"), required=False
    )
    target_regulation_innovation = axis_field(
        _("In a year: regulating delivery ↔ stimulating innovation"), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners


class HealthRoundForm(forms.Form):
    opens = forms.DateField(label=_("Opens"), widget=DateInput)
    closes = forms.DateField(label=_("Closes"), widget=DateInput)
    due = forms.DateField(
        label=_("Answers due"),
        widget=DateInput,
        required=False,
        help_text=_("Default: the closing day. Partners are reminded until they answer."),
    )


SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class HealthAnswerForm(forms.Form):
    trust = forms.TypedChoiceField(
        label=HealthDimension.TRUST.label,
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    value = forms.TypedChoiceField(
        label=HealthDimension.VALUE.label,
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    communication = forms.TypedChoiceField(
        label=HealthDimension.COMMUNICATION.label,
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    equity = forms.TypedChoiceField(
        label=HealthDimension.EQUITY.label,
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    purpose = forms.TypedChoiceField(
        label=HealthDimension.PURPOSE.label,
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label=_("Comments"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Shown without your name, and only once at least three people have answered."),
    )


class ArrangementTypeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    accountability = forms.CharField(
        label=_("Accountability"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    risk = forms.CharField(
        label=_("Risk"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    accountability_level = forms.IntegerField(
        label=_("Accountability level (1–5)"), min_value=1, max_value=5
    )
    risk_level = forms.IntegerField(label=_("Risk level (1–5)"), min_value=1, max_value=5)

    @classmethod
    def for_type(cls, arrangement: ArrangementType, data: Any = None) -> ArrangementTypeForm:
        initial = {
            "name": _(arrangement.name),
            "description": _(arrangement.description) if arrangement.description else "",
            "accountability": _(arrangement.accountability) if arrangement.accountability else "",
            "risk": _(arrangement.risk) if arrangement.risk else "",
            "accountability_level": arrangement.accountability_level,
            "risk_level": arrangement.risk_level,
        }
        return cls(data, initial=initial, prefix=arrangement.slug)
