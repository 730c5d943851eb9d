"""Forms of the outcome and indicator pages: they validate input; the services apply the rules."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netweave.core.api import visible_organisations
from netweave.core.forms import apply_service_errors as apply_errors  # noqa: F401 (re-exported)
from netweave.directory.models import Organisation
from netweave.influence import indicators as registry
from netweave.influence.models import IndicatorSource, OutcomeKind, Substantiation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TARGET_LINE = re.compile(r"^\s*(\d{4})\s*[:=]\s*(\S+)\s*$")


class OutcomeFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of change"),
        required=False,
        choices=[("", _("Any kind")), *OutcomeKind.choices],
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    substantiation = forms.ChoiceField(
        label=_("Substantiated"),
        required=False,
        choices=[("", _("Any")), *Substantiation.choices],
    )


class OutcomeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    description = forms.CharField(label=_("What changed"), widget=forms.Textarea)
    kind = forms.ChoiceField(label=_("Kind of change"), choices=OutcomeKind.choices)
    actor_organisation = forms.ModelChoiceField(
        label=_("Actor that changed"),
        required=False,
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        empty_label=_("Not in the directory"),
        help_text=_("An organisation of the directory; it may be outside the network."),
    )
    actor_name = forms.CharField(
        label=_("Actor that changed, when not in the directory"), required=False, max_length=250
    )
    date = forms.DateField(label=_("When"), widget=DATE)
    place = forms.CharField(label=_("Where"), required=False, max_length=200)
    significance = forms.CharField(label=_("Significance"), required=False, widget=forms.Textarea)
    contribution = forms.CharField(
        label=_("How the network contributed"), required=False, widget=forms.Textarea
    )
    evidence_documents = forms.ModelMultipleChoiceField(
        label=_("Evidence in the library"), required=False, queryset=None
    )
    evidence_note = forms.CharField(
        label=_("Other evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sources and links that are not in the library."),
    )
    substantiation = forms.ChoiceField(
        label=_("Substantiated by an independent source"), choices=Substantiation.choices
    )
    substantiated_by = forms.CharField(label=_("Substantiated by"), required=False, max_length=250)
    substantiated_on = forms.DateField(label=_("Substantiated on"), required=False, widget=DATE)
    substantiation_note = forms.CharField(
        label=_("Substantiation note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    meetings = forms.ModelMultipleChoiceField(label=_("Meetings"), required=False, queryset=None)
    task_groups = forms.ModelMultipleChoiceField(
        label=_("Task groups"), required=False, queryset=None
    )
    activities = forms.ModelMultipleChoiceField(
        label=_("Joint activities"), required=False, queryset=None
    )
    consultations = forms.ModelMultipleChoiceField(
        label=_("Consultations"), required=False, queryset=None
    )
    confirm = forms.BooleanField(
        label=_("Yes, the date is right: record the outcome anyway."),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, network: Any, user: Any, outcome: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        organisations = visible_organisations(user)
        if outcome is not None and outcome.actor_organisation_id:
            organisations = organisations | Organisation.objects.filter(
                pk=outcome.actor_organisation_id
            )
        self.fields["actor_organisation"].queryset = organisations.distinct().order_by("name")
        models = {
            "evidence_documents": ("library", "Document", "title"),
            "meetings": ("meetings", "Meeting", "-start"),
            "task_groups": ("governance", "TaskGroup", "name"),
            "activities": ("activities", "JointActivity", "title"),
            "consultations": ("consultations", "Consultation", "-opens"),
        }
        for name, (app, model, order) in models.items():
            self.fields[name].queryset = (
                apps.get_model(app, model).objects.filter(network=network).order_by(order)
            )
        # The confirmation shows only once the warning has been given.
        self.fields["confirm"].widget = forms.HiddenInput()

    def ask_to_confirm(self) -> None:
        """Show the confirmation box (after the date warning)."""
        self.fields["confirm"].widget = forms.CheckboxInput()


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Definition"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What is counted and how; computed indicators show their own definition."),
    )
    unit = forms.CharField(label=_("Unit"), required=False, max_length=40)
    source = forms.ChoiceField(label=_("Values"), choices=IndicatorSource.choices)
    computation = forms.ChoiceField(label=_("Computed as"), required=False, choices=())
    baseline_value = forms.DecimalField(
        label=_("Baseline"), required=False, max_digits=14, decimal_places=2
    )
    baseline_year = forms.IntegerField(
        label=_("Baseline year"), required=False, min_value=1950, max_value=2100
    )
    targets = forms.CharField(
        label=_("Targets"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One a line, the year and the target: “2014: 60”."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["computation"].choices = [("", "—"), *registry.choices()]

    def clean_targets(self) -> list[tuple[int, Decimal]]:
        pairs: list[tuple[int, Decimal]] = []
        seen: set[int] = set()
        for number, line in enumerate(self.cleaned_data.get("targets", "").splitlines(), 1):
            if not line.strip():
                continue
            match = TARGET_LINE.match(line)
            if match is None:
                raise forms.ValidationError(
                    _("Line %(line)d: write the year, a colon and the target, as “2014: 60”.")
                    % {"line": number}
                )
            year = int(match.group(1))
            try:
                value = Decimal(match.group(2).replace(",", "."))
            except ArithmeticError:
                value = None
            if value is None or not value.is_finite():
                raise forms.ValidationError(
                    _("Line %(line)d: “%(value)s” is not a number.")
                    % {"line": number, "value": match.group(2)}
                )
            if year in seen:
                raise forms.ValidationError(
                    _("Line %(line)d: a second target for %(year)d.")
                    % {"line": number, "year": year}
                )
            seen.add(year)
            pairs.append((year, value))
        return pairs

    @staticmethod
    def targets_text(indicator: Any) -> str:
        return "\n".join(
            f"{target.year}: {target.value.normalize():f}" for target in indicator.targets.all()
        )


class IndicatorValueForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1950, max_value=2100)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=300,
        help_text=_("Where the number comes from: a survey, a report, a register."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
