"""Forms of the learning notes and of the programme pages: they validate, services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from netweave.core.forms import apply_service_errors as apply_errors  # noqa: F401 (re-exported)
from netweave.directory.models import Topic
from netweave.networks.models import Network
from netweave.reports.notes import FIRST_YEAR, last_year


def _text(label: Any, rows: int = 4, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=kwargs.pop("required", False),
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class LearningNoteForm(forms.Form):
    """One network's lessons of one year, in a short structured form."""

    year = forms.IntegerField(label=_("Year"))
    title = forms.CharField(label=_("Title"), max_length=200)
    context = _text(_("Context"), help_text=_("What the situation was."))
    what_worked = _text(_("What worked"))
    what_did_not = _text(_("What did not work"))
    lessons = _text(
        _("Lessons learned"),
        rows=6,
        required=True,
        help_text=_("What other networks should know; the programme learning team reads this."),
    )
    recommendations = _text(_("Recommendations for other networks"))
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        required=False,
        queryset=Topic.objects.order_by("name"),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        year.min_value, year.max_value = FIRST_YEAR, last_year()
        year.widget.attrs.update({"min": FIRST_YEAR, "max": last_year()})
        year.help_text = _("One note per year, from %(first)d to %(last)d.") % {
            "first": FIRST_YEAR,
            "last": last_year(),
        }
        year.error_messages["min_value"] = year.error_messages["max_value"] = _(
            "Choose a year from %(first)d to %(last)d."
        ) % {"first": FIRST_YEAR, "last": last_year()}
        year.validators = []  # the range is checked once, with the message above

    def clean_year(self) -> int:
        value = self.cleaned_data["year"]
        if not FIRST_YEAR <= value <= last_year():
            raise forms.ValidationError(self.fields["year"].error_messages["min_value"])
        return value


class NoteSearchForm(forms.Form):
    """The programme's search of learning notes: words, network, year and topic."""

    q = forms.CharField(
        label=_("Words"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Every word must occur somewhere in the note, in any order."),
    )
    network = forms.ModelChoiceField(
        label=_("Network"),
        required=False,
        queryset=Network.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("Every network"),
        error_messages={"invalid_choice": _("There is no network with this slug.")},
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=FIRST_YEAR,
        max_value=2100,
        error_messages={"invalid": _("Give the year as four digits, such as 2015.")},
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        required=False,
        queryset=Topic.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("Any topic"),
        error_messages={"invalid_choice": _("There is no topic with this slug.")},
    )


class YearRangeForm(forms.Form):
    """The years of the comparison; ``comparison.check_years`` says what is allowed."""

    since = forms.CharField(label=_("From"), required=False, max_length=8)
    until = forms.CharField(label=_("To"), required=False, max_length=8)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("since", "until"):
            self.fields[name].widget.attrs.update(
                {"inputmode": "numeric", "size": 6, "placeholder": "YYYY"}
            )
