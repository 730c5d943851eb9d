from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from netweave.core.lib.tabular import ATTENDANCE_COLUMNS, ORGANISATION_COLUMNS, PEOPLE_COLUMNS
from netweave.directory.models import Sector
from netweave.imports.models import ImportKind

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SCHEMAS = {
    ImportKind.ORGANISATIONS: ORGANISATION_COLUMNS,
    ImportKind.PEOPLE: PEOPLE_COLUMNS,
    ImportKind.ATTENDANCE: ATTENDANCE_COLUMNS,
}
ENCODINGS = [
    ("", _("Detect")),
    ("utf-8", "UTF-8"),
    ("utf-16", "UTF-16"),
    ("cp1251", _("Cyrillic (Windows-1251)")),
    ("latin-1", _("Western European (Latin-1)")),
]
DELIMITERS = [
    ("", _("Detect")),
    (",", _("Comma")),
    (";", _("Semicolon")),
    ("tab", _("Tab")),
]
DATE_ORDERS = [
    ("", _("Detect; ask when a date is ambiguous")),
    ("dmy", _("Day/month/year (21/07/2015)")),
    ("mdy", _("Month/day/year (07/21/2015)")),
]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (any common encoding; comma, semicolon or tab) or XLSX, up to 20 MB."),
    )
    encoding = forms.ChoiceField(label=_("Encoding"), choices=ENCODINGS, required=False)
    delimiter = forms.ChoiceField(label=_("Delimiter"), choices=DELIMITERS, required=False)
    date_order = forms.ChoiceField(label=_("Dates"), choices=DATE_ORDERS, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the limit is 20 MB.")
                % {"size": upload.size / (1024 * 1024)}
            )
        return upload

    def options(self) -> dict[str, str]:
        return {
            key: self.cleaned_data[key]
            for key in ("encoding", "delimiter", "date_order")
            if self.cleaned_data.get(key)
        }


class OptionsForm(forms.Form):
    """The mapping step: columns Netweave did not recognise, spellings of sectors, dates."""

    date_order = forms.ChoiceField(label=_("Dates"), choices=DATE_ORDERS, required=False)
    sector_spelling = forms.CharField(
        label=_("A sector as spelled in the file"), required=False, max_length=120
    )
    sector = forms.ModelChoiceField(
        label=_("means the sector"),
        queryset=Sector.objects.all(),
        to_field_name="slug",
        required=False,
    )

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record
        self.fields["date_order"].initial = record.options.get("date_order", "")
        mapped = {header: name for name, header in (record.options.get("columns") or {}).items()}
        choices = [("", _("Ignore this column"))] + [
            (name, name.replace("_", " ")) for name in SCHEMAS[record.kind]
        ]
        self.column_fields = []
        for index, header in enumerate(self.headers()):
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=header, choices=choices, required=False, initial=mapped.get(header, "")
            )
            self.column_fields.append((name, header))

    def headers(self) -> list[str]:
        mapped = list((self.record.options.get("columns") or {}).values())
        return list(dict.fromkeys([*self.record.unknown_columns, *mapped]))

    def clean(self):
        data = super().clean()
        if bool(data.get("sector_spelling")) != bool(data.get("sector")):
            raise forms.ValidationError(_("Give both the spelling and the sector it means."))
        chosen: dict[str, str] = {}
        for name, header in self.column_fields:
            field = data.get(name)
            if field:
                if field in chosen:
                    raise forms.ValidationError(
                        _("Two columns are mapped to “%(field)s”.") % {"field": field}
                    )
                chosen[field] = header
        data["columns"] = chosen
        return data

    def options(self) -> dict:
        options = dict(self.record.options)
        options["columns"] = self.cleaned_data["columns"]
        options["date_order"] = self.cleaned_data.get("date_order") or None
        aliases = dict(options.get("sector_aliases") or {})
        if self.cleaned_data.get("sector_spelling"):
            aliases[self.cleaned_data["sector_spelling"].strip()] = self.cleaned_data["sector"].slug
        options["sector_aliases"] = aliases
        return options


class ConfirmForm(forms.Form):
    skip_invalid = forms.BooleanField(
        label=_("Leave out the rejected rows and import the rest"), required=False
    )
