"""Forms of the directory pages: validation only; the services in ``services.py`` write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from netweave.core.forms import apply_service_errors  # noqa: F401 (re-exported)
from netweave.directory.models import Organisation, Person, Sector, Topic
from netweave.directory.services import ORGANISATION_FIELDS, PERSON_FIELDS


class SectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Sector) -> str:
        return gettext(obj.name)


class TopicsField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Topic.objects.all(),
            required=False,
            label=_("Interests"),
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )


class VersionField(forms.CharField):
    """The ``modified`` time of the record when the form was opened (optimistic locking)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> dt.datetime | None:
        value = super().to_python(value)
        if not value:
            return None
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError(_("The form was damaged: reload the page.")) from None


def _version(instance: Any) -> str:
    return instance.modified.isoformat() if instance is not None and instance.modified else ""


class OrganisationForm(forms.ModelForm):
    """An organisation's profile. Used unbound to an instance: the service applies it."""

    website = forms.URLField(
        label=capfirst(Organisation._meta.get_field("website").verbose_name),
        required=False,
        max_length=200,
        assume_scheme="https",
    )
    topics = TopicsField()
    version = VersionField()

    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS
        field_classes = {"sector": SectorChoiceField}
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "showcase": forms.Textarea(attrs={"rows": 8}),
            "country": forms.TextInput(attrs={"size": 2, "autocomplete": "country"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }
        help_texts = {
            "showcase": _("Paragraphs, lists and links are kept; other markup is removed."),
        }

    def __init__(self, *args: Any, organisation: Organisation | None = None, **kwargs: Any):
        if organisation is not None:
            kwargs.setdefault(
                "initial",
                {
                    **model_to_dict(organisation, fields=ORGANISATION_FIELDS),
                    "topics": [interest.topic_id for interest in organisation.interests.all()],
                    "version": _version(organisation),
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["sector"].empty_label = None

    def clean_country(self) -> str:
        country = self.cleaned_data["country"].strip().upper()
        if country and (len(country) != 2 or not country.isalpha()):
            raise ValidationError(_("Use the two-letter ISO country code, e.g. TJ."))
        return country

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ORGANISATION_FIELDS}


class OrganisationCreateForm(OrganisationForm):
    joined = forms.DateField(
        label=_("Joined the network on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty for today."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["joined"].initial = timezone.localdate()


class PersonForm(forms.ModelForm):
    """A person; the organisation is chosen among those the user may speak for."""

    topics = TopicsField()
    version = VersionField()

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {
            "consent_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }
        help_texts = {
            "consent_date": _("Filled in with today when consent is given and this is empty."),
        }

    def __init__(
        self, *args: Any, organisations: QuerySet, person: Person | None = None, **kwargs: Any
    ) -> None:
        if person is not None:
            kwargs.setdefault(
                "initial",
                {
                    **model_to_dict(person, fields=PERSON_FIELDS),
                    "topics": [interest.topic_id for interest in person.interests.all()],
                    "version": _version(person),
                },
            )
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        # Only these count as valid: a forged id in the POST fails as an invalid choice.
        field.queryset = organisations
        field.required = True
        field.empty_label = None if len(organisations) == 1 else field.empty_label
        field.help_text = ""

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PERSON_FIELDS}


class PersonEraseForm(forms.Form):
    """The facilitator confirms an erasure and says why."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=100,
        help_text=_("For example: “Request by e-mail of 3 March”. Kept in the history."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        required=True,
    )
