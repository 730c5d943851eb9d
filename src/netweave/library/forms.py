"""Forms of the library pages: they validate input; ``services.py`` acts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from netweave.activities.models import JointActivity
from netweave.core.access import NetworkAccess
from netweave.directory.models import Organisation, Topic
from netweave.governance.models import TaskGroup
from netweave.library.models import DocumentKind, Visibility
from netweave.meetings.models import Meeting
from netweave.networks.forms import DateInput, OrganisationChoiceField, member_organisations
from netweave.networks.models import Network

LANGUAGES = [
    ("", "—"),
    ("en", _("English")),
    ("ru", _("Russian")),
    ("tg", _("Tajik")),
    ("uz", _("Uzbek")),
    ("ky", _("Kyrgyz")),
    ("kk", _("Kazakh")),
    ("hy", _("Armenian")),
    ("ka", _("Georgian")),
    ("az", _("Azerbaijani")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("de", _("German")),
    ("es", _("Spanish")),
]


class UidChoiceField(forms.ModelChoiceField):
    """Chosen by uid, so forms never expose or accept row ids."""

    def __init__(self, queryset: Any = None, **kwargs: Any) -> None:
        super().__init__(queryset, to_field_name="uid", **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        date = getattr(obj, "start", None)
        label = getattr(obj, "title", None) or getattr(obj, "name", None) or str(obj)
        return f"{label} ({date:%Y-%m-%d})" if date else label


class UidMultipleChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, queryset: Any = None, **kwargs: Any) -> None:
        super().__init__(queryset, to_field_name="uid", **kwargs)


def organisations_for(network: Network, access: NetworkAccess) -> Any:
    """Author organisations the user may choose: members (facilitators) or their own."""
    if access.is_facilitator:
        return member_organisations(network)
    return Organisation.objects.filter(pk__in=access.focal_org_ids).order_by("name")


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_(
            "PDF, Word, Excel, PowerPoint, OpenDocument, plain text, PNG or JPEG. "
            "The text of PDF, Word and plain-text files is read for search."
        ),
    )
    url = forms.URLField(
        label=_("Or a link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("For a document published elsewhere."),
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices, initial="report")
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES, required=False)
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    author_organisation = OrganisationChoiceField(
        queryset=None, label=_("Author organisation"), required=False
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.order_by("name"),
        to_field_name="slug",
        label=_("Topics"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    visibility = forms.ChoiceField(
        label=_("Who may read it"),
        choices=Visibility.choices,
        initial=Visibility.NETWORK,
        help_text=_(
            "Public: anyone who may see the network. Network members: anyone with a role in "
            "it. Task group: that task group's members, the steering committee and facilitators."
        ),
    )
    task_group = UidChoiceField(label=_("Task group (for task-group documents)"), required=False)
    meeting = UidChoiceField(label=_("Attach to a meeting"), required=False)
    activity = UidChoiceField(label=_("Attach to a joint activity"), required=False)
    attach_task_group = UidChoiceField(label=_("Attach to a task group"), required=False)

    def __init__(
        self,
        *args: Any,
        network: Network,
        access: NetworkAccess,
        editing: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["author_organisation"].queryset = organisations_for(network, access)
        if not access.is_facilitator:
            self.fields["author_organisation"].required = True
        groups = TaskGroup.objects.filter(network=network).order_by("name")
        self.fields["task_group"].queryset = groups
        self.fields["attach_task_group"].queryset = groups
        self.fields["meeting"].queryset = Meeting.objects.filter(network=network).order_by("-start")
        self.fields["activity"].queryset = JointActivity.objects.filter(network=network).order_by(
            "title"
        )
        if editing is not None:
            # Attachments are managed on the document's page once it exists.
            for name in ("meeting", "activity", "attach_task_group"):
                del self.fields[name]
            if editing.file:
                del self.fields["url"]
                self.fields["file"].label = _("Replace the file")
                self.fields["file"].help_text = _("Leave empty to keep the current file.")
            else:
                del self.fields["file"]
                self.fields["url"].label = _("Link")
                self.fields["url"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.editing is None and bool(data.get("file")) == bool(data.get("url")):
            self.add_error("file", _("Upload a file or give a link, one of the two."))
        if data.get("visibility") == Visibility.TASK_GROUP and not data.get("task_group"):
            self.add_error("task_group", _("Choose the task group that may read it."))
        return data

    def service_fields(self) -> dict[str, Any]:
        """The cleaned data as ``add_document``/``update_document`` take it."""
        data = dict(self.cleaned_data)
        fields: dict[str, Any] = {
            name: data[name]
            for name in (
                "title",
                "description",
                "kind",
                "language",
                "date",
                "author_organisation",
                "visibility",
                "task_group",
                "url",
            )
            if name in data
        }
        fields["topics"] = list(data.get("topics") or [])
        if self.editing is None:
            fields["file"] = data.get("file")
            fields["meetings"] = [data["meeting"]] if data.get("meeting") else []
            fields["activities"] = [data["activity"]] if data.get("activity") else []
            fields["task_groups"] = (
                [data["attach_task_group"]] if data.get("attach_task_group") else []
            )
        return fields


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *DocumentKind.choices], required=False
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.order_by("name"),
        to_field_name="slug",
        label=_("Topic"),
        required=False,
        empty_label=_("Any topic"),
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES, required=False)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        label=_("Author organisation"),
        required=False,
        empty_label=_("Any organisation"),
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2200)

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(authored_documents__network=network)
            .distinct()
            .order_by("name")
        )

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "kind": data.get("kind") or "",
            "topic": data["topic"].slug if data.get("topic") else "",
            "language": data.get("language") or "",
            "organisation": data["organisation"].slug if data.get("organisation") else "",
            "year": data.get("year"),
        }


class AttachForm(forms.Form):
    meeting = UidChoiceField(label=_("Meeting"), required=False)
    task_group = UidChoiceField(label=_("Task group"), required=False)
    activity = UidChoiceField(label=_("Joint activity"), required=False)

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(network=network).order_by("-start")
        self.fields["task_group"].queryset = TaskGroup.objects.filter(network=network).order_by(
            "name"
        )
        self.fields["activity"].queryset = JointActivity.objects.filter(network=network).order_by(
            "title"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chosen = [data.get(name) for name in ("meeting", "task_group", "activity")]
        if sum(1 for item in chosen if item) != 1:
            raise forms.ValidationError(_("Choose one meeting, task group or activity."))
        return data

    def target(self) -> Any:
        data = self.cleaned_data
        return data.get("meeting") or data.get("task_group") or data.get("activity")
