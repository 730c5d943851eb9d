"""Forms of the report template editor: the wording, and one form per report section.

Validation only; ``services.save_template`` writes. A section's text may name the
section's own figures as ``{placeholder}`` and nothing else; the title may name
``{network}`` and ``{year}``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netweave.reports import services
from netweave.reports.models import ReportTemplate
from netweave.reports.registry import SectionType, section_types

SECTION_FIELDS = ("key", "enabled", "position", "heading", "text")


class TemplateForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("May use {network} and {year}. Empty: “Annual report {year}”."),
    )
    introduction = forms.CharField(
        label=gettext_lazy("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Shown under the title, before the first section. May use {network}, {year} and "
            "any figure of the report below."
        ),
    )
    closing = forms.CharField(
        label=gettext_lazy("Closing words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Shown after the last section; placeholders as above."),
    )

    def clean_title(self) -> str:
        title = self.cleaned_data["title"]
        services.check_placeholders(title, services.TITLE_PLACEHOLDERS)
        return title

    def clean_introduction(self) -> str:
        text = self.cleaned_data["introduction"]
        services.check_placeholders(text, services.wording_placeholders())
        return text

    def clean_closing(self) -> str:
        text = self.cleaned_data["closing"]
        services.check_placeholders(text, services.wording_placeholders())
        return text


class SectionForm(forms.Form):
    """One report section: included or not, where, under which heading, with which text."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=40)
    enabled = forms.BooleanField(label=gettext_lazy("Included"), required=False)
    position = forms.IntegerField(
        label=gettext_lazy("Position"),
        min_value=1,
        max_value=999,
        widget=forms.NumberInput(attrs={"class": "input-short"}),
    )
    heading = forms.CharField(
        label=gettext_lazy("Heading"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Empty: the section's usual heading."),
    )
    text = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Shown above the section's figures; may name them as {placeholder}."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        key = self["key"].value()
        self.section_type: SectionType | None = {t.key: t for t in section_types()}.get(key)

    @property
    def placeholders(self) -> list[tuple[str, str]]:
        """The figures the text may name: (``{key}``, label)."""
        if self.section_type is None:
            return []
        return [("{" + key + "}", str(label)) for key, label in self.section_type.figures.items()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.section_type is None:  # the key is hidden: say so above the section
            raise ValidationError(
                _("There is no report section “%(key)s”.") % {"key": data.get("key", "")}
            )
        return data

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if self.section_type is not None:
            services.check_placeholders(text, self.section_type.figures)
        return text


class BaseSectionFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        keys = [form.cleaned_data.get("key") for form in self.forms if form.cleaned_data]
        expected = {t.key for t in section_types()}
        if len(keys) != len(set(keys)) or set(keys) != expected:
            raise ValidationError(
                _("Every report section must be listed once; reload the page and try again.")
            )


def section_formset(data: Any = None, template: ReportTemplate | None = None) -> Any:
    """One form per registered section, in the template's order."""
    count = len(section_types())
    FormSet = forms.formset_factory(
        SectionForm,
        formset=BaseSectionFormSet,
        extra=0,
        min_num=count,
        max_num=count,
        validate_min=True,
        validate_max=True,
    )
    initial = [
        {key: row[key] for key in SECTION_FIELDS} for row in services.template_sections(template)
    ]
    return FormSet(data, initial=initial, prefix="sections")


def sections_from(formset: Any) -> list[dict[str, Any]]:
    return [{name: form.cleaned_data[name] for name in SECTION_FIELDS} for form in formset.forms]


def template_initial(template: ReportTemplate | None) -> dict[str, str]:
    if template is None:
        return {}
    return {
        "title": template.title,
        "introduction": template.introduction,
        "closing": template.closing,
    }
