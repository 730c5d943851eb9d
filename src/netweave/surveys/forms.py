"""Forms of the network survey: validation only; ``services.py`` writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from netweave.directory.models import Sector
from netweave.surveys.models import MEASURES

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SCORES = [("", "—")] + [(str(n), str(n)) for n in range(1, 6)]
LABELS = {"frequency": _("How often"), "trust": _("Trust"), "value": _("Value")}
HELP = {
    "frequency": _("1 = rarely, 5 = every week"),
    "trust": _("1 = none, 5 = complete"),
    "value": _("1 = little, 5 = essential to our work"),
}


class RoundForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1, max_value=9999)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    opens = forms.DateField(label=_("Opens"), required=False, widget=DATE_INPUT)
    closes = forms.DateField(label=_("Closes"), required=False, widget=DATE_INPUT)


class TieRowForm(forms.Form):
    """One member organisation's row: three scores, or all blank for "no tie"."""

    organisation = forms.SlugField(widget=forms.HiddenInput)
    frequency = forms.TypedChoiceField(
        label=LABELS["frequency"], choices=SCORES, coerce=int, required=False, empty_value=None
    )
    trust = forms.TypedChoiceField(
        label=LABELS["trust"], choices=SCORES, coerce=int, required=False, empty_value=None
    )
    value = forms.TypedChoiceField(
        label=LABELS["value"], choices=SCORES, coerce=int, required=False, empty_value=None
    )
    comment = forms.CharField(label=_("Comment"), max_length=1000, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        given = [name for name in MEASURES if data.get(name) is not None]
        if given and len(given) < len(MEASURES):
            raise forms.ValidationError(
                _("Give all three scores, or leave the row blank if you have no tie.")
            )
        if not given and data.get("comment"):
            raise forms.ValidationError(_("A comment needs the three scores of the tie."))
        return data

    @property
    def is_tie(self) -> bool:
        return self.cleaned_data.get("frequency") is not None


class BaseTieFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            slug = form.cleaned_data.get("organisation")
            if slug in seen:
                raise forms.ValidationError(_("An organisation appears twice in the form."))
            seen.add(slug)


TieFormSet = forms.formset_factory(
    TieRowForm, formset=BaseTieFormSet, extra=0, max_num=2000, validate_max=True
)


class MemberFilterForm(forms.Form):
    """Narrow the rating form to one sector or a name, for big networks."""

    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All sectors"),
    )
