"""Imports of spreadsheets: upload → plan (preview) → apply (confirm) → undo.

``create_import`` keeps the uploaded file with its options; ``plan_import`` decides every
row without writing a domain row (see ``planners``); ``apply_import`` plans again and
writes everything in one transaction, keeping what ``undo_import`` needs. Pages, the API
and the ``netweave import`` command all go through these functions.

How rows are written, and why:

* organisations go through ``directory.services.create_organisation`` /
  ``update_organisation`` and ``networks.services.add_member`` one row at a time: a
  network has at most a few thousand, and those services own the slug, the
  duplicate-name check and the membership rules;
* attendance goes through ``meetings.services.create_meeting`` / ``record_attendance``
  and the directory services for the people and organisations it brings, for the same
  reason (a sign-in sheet is hundreds of rows);
* people, where one file may hold 50,000 rows, are written with
  ``simple_history.utils.bulk_create_with_history`` / ``bulk_update_with_history`` in
  batches of 1,000. The planner has already done what ``directory.services`` checks
  (the organisation is a member of the network, e-mail and lengths valid), each new
  person is ``full_clean``-ed like the service does, and ``Person.save``'s normalisation
  (clean name, name key, lower-case e-mail, consent date) is repeated here.

Text that begins with = + - @ is stored as it was typed: nothing here evaluates a cell,
and exports neutralise such values when they write spreadsheets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import PurePath
from typing import IO, Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from netweave.core.lib.normalise import SECTOR_SLUGS
from netweave.core.lib.pause import pause_point
from netweave.core.lib.tabular import TableError, read_table
from netweave.core.lib.text import clean_text, normalize_name
from netweave.directory.models import Organisation, Person, PersonInterest, Sector, Topic
from netweave.directory.services import create_organisation, create_person, update_organisation
from netweave.imports.models import ImportKind, ImportRecord, ImportStatus, RowOutcome
from netweave.imports.planners import PERSON_UPDATE_FIELDS, ImportPlan, build_plan, tr
from netweave.meetings.models import AttendanceSource, Meeting
from netweave.meetings.services import create_meeting, record_attendance
from netweave.networks.models import Membership, Network
from netweave.networks.services import add_member

Progress = Callable[[int, int], None]

OPTION_KEYS = {"encoding", "delimiter", "date_order", "sheet", "columns", "sector_aliases"}
OPTION_KEYS |= {"time_zone"}
# Deleted children first: attendance before people and meetings, people before organisations.
UNDO_ORDER = (
    "meetings.attendance",
    "directory.personinterest",
    "directory.organisationinterest",
    "directory.person",
    "networks.membership",
    "directory.organisation",
    "meetings.meeting",
)


def _user_or_none(user: Any) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


# ---------------------------------------------------------------------------------------
# Upload


def _check_options(options: dict[str, Any]) -> dict[str, Any]:
    unknown = set(options) - OPTION_KEYS
    if unknown:
        raise ValidationError(
            {"options": _("Unknown option “%(name)s”.") % {"name": sorted(unknown)[0]}}
        )
    options = {key: value for key, value in options.items() if value not in (None, "")}
    if options.get("date_order") not in (None, "dmy", "mdy"):
        raise ValidationError(
            {"date_order": _("Choose day/month/year (dmy) or month/day/year (mdy).")}
        )
    if "delimiter" in options:
        delimiter = {"tab": "\t", "\\t": "\t"}.get(options["delimiter"], options["delimiter"])
        if len(delimiter) != 1:
            raise ValidationError({"delimiter": _("The delimiter must be one character.")})
        options["delimiter"] = delimiter
    for alias, slug in (options.get("sector_aliases") or {}).items():
        if slug not in SECTOR_SLUGS:
            raise ValidationError(
                {
                    "sector_aliases": _("“%(alias)s” points to an unknown sector “%(slug)s”.")
                    % {"alias": alias, "slug": slug}
                }
            )
    if "time_zone" in options:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(options["time_zone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise ValidationError(
                {"time_zone": _("Unknown time zone “%(tz)s”.") % {"tz": options["time_zone"]}}
            ) from None
    return options


@transaction.atomic
def create_import(
    network: Network,
    *,
    kind: str,
    file_name: str,
    data: bytes | IO[bytes],
    options: dict[str, Any] | None = None,
    acting_user: Any,
) -> ImportRecord:
    """Keep an uploaded file for an import; the file is checked at once (size, type,
    encoding, header), so a file that cannot be read is refused before it is stored."""
    if kind not in ImportKind.values:
        raise ValidationError({"kind": _("Choose organisations, people or attendance.")})
    options = _check_options(dict(options or {}))
    name = PurePath(file_name).name or "upload.csv"
    try:
        table = read_table(
            data,
            filename=name,
            encoding=options.get("encoding"),
            delimiter=options.get("delimiter"),
            sheet=options.get("sheet"),
        )
    except TableError as error:
        raise ValidationError({"file": tr(error.message)}) from None
    table.close()
    record = ImportRecord(
        network=network,
        kind=kind,
        file_name=name,
        options=options,
        created_by=_user_or_none(acting_user),
    )
    if isinstance(data, bytes | bytearray):
        content: File = ContentFile(bytes(data))
    else:
        data.seek(0)
        content = File(data)
    record.file.save(name, content, save=False)
    record.save()
    return record


def discard_import(record: ImportRecord, *, acting_user: Any) -> None:
    """Forget an import that was never applied, with its stored file."""
    if record.status == ImportStatus.APPLIED:
        raise ValidationError({"status": _("An applied import is undone, not discarded.")})
    if record.file:
        record.file.delete(save=False)
    record.delete()


# ---------------------------------------------------------------------------------------
# Plan


def _tracking(record: ImportRecord, progress: Progress | None, *, offset: int = 0, scale: int = 1):
    """A progress callback that also keeps the record's counter, for pages that poll it."""

    def report(done: int, total: int) -> None:
        ImportRecord.objects.filter(pk=record.pk).update(rows_done=done, rows_total=total)
        if progress is not None:
            progress(offset + done, total * scale)

    return report


def _keep_plan(record: ImportRecord, plan: ImportPlan) -> None:
    record.created_count = plan.counts[RowOutcome.NEW]
    record.updated_count = plan.counts[RowOutcome.UPDATE]
    record.merged_count = plan.counts[RowOutcome.MERGED]
    record.unchanged_count = plan.counts[RowOutcome.UNCHANGED]
    record.rejected_count = plan.counts[RowOutcome.REJECTED]
    record.report = plan.report
    record.report_omitted = plan.report_omitted
    record.unknown_columns = plan.unknown_columns
    record.rows_total = plan.rows_total
    record.rows_done = plan.rows_total


def plan_import(
    record: ImportRecord, *, progress: Progress | None = None, _scale: int = 1
) -> ImportPlan:
    """Decide every row of the record's file without writing a domain row.

    Keeps the counts and the report on the record (status planned) and returns the plan;
    close it (or use it as a context manager) to free its scratch file. A file that
    cannot be read, or lacks a required column, raises ``ValidationError`` on "file" and
    leaves the record failed with that message.
    """
    if record.status in (ImportStatus.APPLIED, ImportStatus.UNDONE, ImportStatus.APPLYING):
        raise ValidationError(
            {"status": _("This import is %(status)s.") % {"status": record.get_status_display()}}
        )
    ImportRecord.objects.filter(pk=record.pk).update(status=ImportStatus.PLANNING)
    try:
        plan = build_plan(record, progress=_tracking(record, progress, scale=_scale))
    except ValidationError as error:
        record.status = ImportStatus.FAILED
        record.error = " ".join(error.messages)
        record.save(update_fields=["status", "error", "unknown_columns", "modified"])
        raise
    _keep_plan(record, plan)
    record.status = ImportStatus.PLANNED
    record.error = ""
    record.save()
    return plan


# ---------------------------------------------------------------------------------------
# Apply


class CreatedIds:
    """Ids of created rows per model label, kept as ``[first, last]`` ranges.

    Bulk inserts give consecutive ids, so 50,000 new people are one range, not a list.
    """

    def __init__(self) -> None:
        self.ranges: dict[str, list[list[int]]] = {}

    def add(self, label: str, pk: int) -> None:
        ranges = self.ranges.setdefault(label, [])
        if ranges and ranges[-1][1] + 1 == pk:
            ranges[-1][1] = pk
        else:
            ranges.append([pk, pk])


def _row_error(row: int, error: ValidationError) -> ValidationError:
    return ValidationError(
        {"file": _("Row %(row)s: %(message)s") % {"row": row, "message": " ".join(error.messages)}}
    )


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class Writer:
    def __init__(self, record: ImportRecord, plan: ImportPlan, acting_user: Any) -> None:
        self.record = record
        self.network = record.network
        self.plan = plan
        self.user = acting_user
        self.created = CreatedIds()
        self.previous: list[dict[str, Any]] = []

    def write(self, progress: Progress | None) -> None:
        done = 0
        total = self.plan.rows_total
        for batch in self.plan.store.actions():
            self.write_batch(batch)
            done = max(done, batch[-1][0])
            if progress is not None:
                progress(min(total, done), total)
            pause_point("import", done)

    def write_batch(self, batch: list[tuple[int, dict[str, Any]]]) -> None:
        raise NotImplementedError

    def remember(self, instance: Any, fields: list[str]) -> None:
        label = instance._meta.label_lower
        values = {}
        for name in fields:
            attname = instance._meta.get_field(name).attname
            value = getattr(instance, attname)
            values[attname] = value.isoformat() if isinstance(value, dt.date) else value
        self.previous.append({"model": label, "pk": instance.pk, "fields": values})


class OrganisationWriter(Writer):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.sectors = {sector.slug: sector for sector in Sector.objects.all()}

    def write_batch(self, batch: list[tuple[int, dict[str, Any]]]) -> None:
        for row, action in batch:
            try:
                getattr(self, action["op"])(action)
            except ValidationError as error:
                raise _row_error(row, error) from None

    def create(self, action: dict[str, Any]) -> None:
        data = {key: value for key, value in action["data"].items() if value not in (None,)}
        data["sector"] = self.sectors[data["sector"]]
        organisation = create_organisation(
            self.network,
            data,
            joined=_date(action.get("joined")),
            topics=Topic.objects.filter(pk__in=action.get("topics") or []),
            acting_user=self.user,
        )
        self.created.add("directory.organisation", organisation.pk)
        membership = Membership.objects.get(
            network=self.network, organisation=organisation, left__isnull=True
        )
        self.created.add("networks.membership", membership.pk)

    def join(self, action: dict[str, Any]) -> None:
        organisation = Organisation.objects.get(pk=action["pk"])
        membership = add_member(
            self.network, organisation, joined=_date(action.get("joined")), acting_user=self.user
        )
        self.created.add("networks.membership", membership.pk)

    def update(self, action: dict[str, Any]) -> None:
        organisation = Organisation.objects.select_related("sector").get(pk=action["pk"])
        data = action["data"]
        changes: dict[str, Any] = {}
        for key in ("acronym", "country", "region", "website", "email", "phone"):
            if data.get(key) and data[key] != getattr(organisation, key):
                changes[key] = data[key]
        if data.get("sector") and data["sector"] != organisation.sector.slug:
            changes["sector"] = self.sectors[data["sector"]]
        if changes:
            self.remember(organisation, list(changes))
            update_organisation(organisation, changes, network=self.network, acting_user=self.user)


class PeopleWriter(Writer):
    BATCH = 1000

    def write_batch(self, batch: list[tuple[int, dict[str, Any]]]) -> None:
        today = timezone.localdate()
        new: list[tuple[Person, list[int]]] = []
        updates = [(row, action) for row, action in batch if action["op"] == "update"]
        for row, action in batch:
            if action["op"] != "create":
                continue
            data = action["data"]
            person = Person(
                name=clean_text(data["name"]),
                organisation_id=data["organisation"],
                position=data.get("position") or "",
                email=(data.get("email") or "").strip().lower(),
                phone=data.get("phone") or "",
                languages=data.get("languages") or "",
                consent_listed=bool(data.get("consent_listed")),
                consent_contact=bool(data.get("consent_contact")),
            )
            person.name_key = normalize_name(person.name)
            if person.consent_listed or person.consent_contact:
                person.consent_date = today
            try:
                # The organisation was matched among the network's members while planning.
                person.full_clean(
                    exclude=["name_key", "uid", "organisation", "user"], validate_unique=False
                )
            except ValidationError as error:
                raise _row_error(row, error) from None
            new.append((person, action.get("topics") or []))
        if new:
            people = bulk_create_with_history(
                [person for person, _topics in new],
                Person,
                batch_size=self.BATCH,
                default_user=_user_or_none(self.user),
            )
            for person in people:
                self.created.add("directory.person", person.pk)
            self.add_interests([(person.pk, topics) for person, topics in new])
        if updates:
            self.update(updates, today)

    def update(self, updates: list[tuple[int, dict[str, Any]]], today: dt.date) -> None:
        people = Person.objects.in_bulk([action["pk"] for _row, action in updates])
        changed: list[Person] = []
        fields: set[str] = set()
        interests = []
        for _row, action in updates:
            person = people.get(action["pk"])
            if person is None:
                continue
            changes = {
                key: value
                for key, value in action["data"].items()
                if key in PERSON_UPDATE_FIELDS
                and value not in ("", None)
                and value != getattr(person, "organisation_id" if key == "organisation" else key)
            }
            if action.get("topics"):
                interests.append((person.pk, action["topics"]))
            if not changes:
                continue
            names = list(changes)
            if (changes.get("consent_listed") or changes.get("consent_contact")) and not (
                person.consent_date
            ):
                names.append("consent_date")
            self.remember(person, names)
            for key, value in changes.items():
                setattr(person, "organisation_id" if key == "organisation" else key, value)
            if "consent_date" in names:
                person.consent_date = today
            person.name = clean_text(person.name)
            person.name_key = normalize_name(person.name)
            person.email = person.email.strip().lower()
            person.modified = timezone.now()
            fields.update("organisation" if key == "organisation" else key for key in names)
            changed.append(person)
        if changed:
            bulk_update_with_history(
                changed,
                Person,
                fields=sorted(fields | {"name_key", "modified"}),
                batch_size=self.BATCH,
                default_user=_user_or_none(self.user),
            )
        self.add_interests(interests)

    def add_interests(self, wanted: list[tuple[int, list[int]]]) -> None:
        wanted = [(pk, topics) for pk, topics in wanted if topics]
        if not wanted:
            return
        existing = set(
            PersonInterest.objects.filter(person_id__in=[pk for pk, _t in wanted]).values_list(
                "person_id", "topic_id"
            )
        )
        interests = [
            PersonInterest(person_id=pk, topic_id=topic)
            for pk, topics in wanted
            for topic in topics
            if (pk, topic) not in existing
        ]
        for interest in bulk_create_with_history(
            interests, PersonInterest, batch_size=self.BATCH, default_user=_user_or_none(self.user)
        ):
            self.created.add("directory.personinterest", interest.pk)


class AttendanceWriter(Writer):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.zone = self.record.options.get("time_zone") or "UTC"
        self.objects: dict[str, Any] = {}
        self.other = Sector.objects.get(slug="other")

    def write_batch(self, batch: list[tuple[int, dict[str, Any]]]) -> None:
        for row, action in batch:
            try:
                self.attend(action)
            except ValidationError as error:
                raise _row_error(row, error) from None

    def organisation(self, ref: dict[str, Any] | None) -> Organisation | None:
        if ref is None:
            return None
        key = ref.get("new") or f"o:{ref['pk']}"
        if key not in self.objects:
            if "pk" in ref:
                self.objects[key] = Organisation.objects.get(pk=ref["pk"])
            else:
                organisation = create_organisation(
                    self.network, {"name": ref["name"], "sector": self.other}, acting_user=self.user
                )
                self.created.add("directory.organisation", organisation.pk)
                membership = Membership.objects.get(
                    network=self.network, organisation=organisation, left__isnull=True
                )
                self.created.add("networks.membership", membership.pk)
                self.objects[key] = organisation
        return self.objects[key]

    def meeting(self, ref: dict[str, Any]) -> Meeting:
        key = ref.get("new") or f"m:{ref['pk']}"
        if key not in self.objects:
            if "pk" in ref:
                self.objects[key] = Meeting.objects.get(pk=ref["pk"])
            else:
                from zoneinfo import ZoneInfo

                day = dt.date.fromisoformat(ref["date"])
                zone = ZoneInfo(self.zone)
                meeting = create_meeting(
                    self.network,
                    {
                        "title": ref["title"],
                        "kind": ref["kind"],
                        "start": dt.datetime.combine(day, dt.time(9, 0), tzinfo=zone),
                        "end": dt.datetime.combine(day, dt.time(12, 0), tzinfo=zone),
                        "time_zone": self.zone,
                    },
                    acting_user=self.user,
                )
                self.created.add("meetings.meeting", meeting.pk)
                self.objects[key] = meeting
        return self.objects[key]

    def person(self, ref: dict[str, Any], organisation: Organisation | None) -> Person:
        key = ref.get("new") or f"p:{ref['pk']}"
        if key not in self.objects:
            if "pk" in ref:
                self.objects[key] = Person.objects.get(pk=ref["pk"])
            else:
                person = create_person(
                    {"name": ref["name"], "organisation": organisation},
                    network=self.network,
                    acting_user=self.user,
                )
                self.created.add("directory.person", person.pk)
                self.objects[key] = person
        return self.objects[key]

    def attend(self, action: dict[str, Any]) -> None:
        organisation = self.organisation(action["organisation"])
        meeting = self.meeting(action["meeting"])
        person = self.person(action["person"], organisation)
        attendance, created = record_attendance(
            meeting,
            person,
            organisation=organisation,
            source=AttendanceSource.IMPORT,
            acting_user=self.user,
        )
        if created:
            self.created.add("meetings.attendance", attendance.pk)


WRITERS: dict[str, type[Writer]] = {
    ImportKind.ORGANISATIONS: OrganisationWriter,
    ImportKind.PEOPLE: PeopleWriter,
    ImportKind.ATTENDANCE: AttendanceWriter,
}


def apply_import(
    record: ImportRecord,
    *,
    acting_user: Any,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    queued: bool = False,
) -> ImportRecord:
    """Plan the file again and write it, all or nothing.

    ``queued`` is for the task worker running an import that ``queue_import`` marked as
    importing.

    With rejected rows and no ``skip_invalid`` nothing is written, the record stays
    planned (with its report) and ``ValidationError`` says how many rows were rejected.
    ``progress(done, total)`` counts the planning pass, then the writing pass.
    """
    allowed = {ImportStatus.UPLOADED, ImportStatus.PLANNED, ImportStatus.FAILED}
    if queued:
        allowed.add(ImportStatus.APPLYING)
    if record.status not in allowed:
        raise ValidationError(
            {
                "status": _("This import is %(status)s; it cannot be applied.")
                % {"status": record.get_status_display()}
            }
        )
    if queued and record.status == ImportStatus.APPLYING:
        record.status = ImportStatus.PLANNED  # planning again is the first half of importing
    with plan_import(record, progress=progress, _scale=2) as plan:
        if plan.rejected and not skip_invalid:
            raise ValidationError(
                {
                    "file": ngettext(
                        "%(count)s row was rejected, so nothing was imported. Correct it, or "
                        "import with “skip invalid rows” to leave it out.",
                        "%(count)s rows were rejected, so nothing was imported. Correct them, "
                        "or import with “skip invalid rows” to leave them out.",
                        plan.rejected,
                    )
                    % {"count": plan.rejected}
                }
            )
        ImportRecord.objects.filter(pk=record.pk).update(status=ImportStatus.APPLYING)
        writer = WRITERS[record.kind](record, plan, acting_user)
        try:
            with transaction.atomic():
                writer.write(_tracking(record, progress, offset=plan.rows_total, scale=2))
                record.created_objects = writer.created.ranges
                record.previous_values = writer.previous
                record.status = ImportStatus.APPLIED
                record.applied_at = timezone.now()
                record.error = ""
                record.save()
        except Exception as error:
            message = (
                " ".join(error.messages) if isinstance(error, ValidationError) else repr(error)
            )
            ImportRecord.objects.filter(pk=record.pk).update(
                status=ImportStatus.FAILED, error=message[:2000]
            )
            record.status = ImportStatus.FAILED
            record.error = message
            raise
    return record


# ---------------------------------------------------------------------------------------
# Undo


def _ranges_filter(ranges: list[list[int]], field: str = "pk") -> Q:
    condition = Q(pk__in=[])
    for first, last in ranges:
        condition |= Q(**{f"{field}__gte": first, f"{field}__lte": last})
    return condition


def _changed_since(record: ImportRecord) -> list[str]:
    """Objects of this import that someone changed after it was applied."""
    touched: dict[str, Q] = {}
    for label, ranges in record.created_objects.items():
        # A historical row keeps the object's id in "id"; its own key is history_id.
        touched[label] = _ranges_filter(ranges, field="id")
    for entry in record.previous_values:
        touched[entry["model"]] = touched.get(entry["model"], Q(pk__in=[])) | Q(id=entry["pk"])
    found: list[str] = []
    for label, condition in touched.items():
        model = apps.get_model(label)
        later = (
            model.history.model.objects.filter(condition, history_date__gt=record.applied_at)
            .exclude(history_type="-")
            .select_related("history_user")
            .order_by("history_date")[:5]
        )
        for entry in later:
            who = entry.history_user.get_username() if entry.history_user else _("someone")
            found.append(
                _("%(model)s “%(object)s” was changed on %(date)s by %(who)s")
                % {
                    "model": model._meta.verbose_name,
                    "object": entry.instance,
                    "date": timezone.localtime(entry.history_date).strftime("%Y-%m-%d %H:%M"),
                    "who": who,
                }
            )
    return found


@transaction.atomic
def undo_import(record: ImportRecord, *, acting_user: Any) -> ImportRecord:
    """Delete what the import created and put back the values it changed, all or nothing.

    Refused when something the import created or changed was edited since: undoing
    would throw that edit away.
    """
    record = ImportRecord.objects.select_for_update().get(pk=record.pk)
    if record.status != ImportStatus.APPLIED:
        raise ValidationError(
            {
                "status": _("Only an applied import can be undone; this one is %(status)s.")
                % {"status": record.get_status_display()}
            }
        )
    changed = _changed_since(record)
    if changed:
        raise ValidationError(
            {
                "status": _("This import cannot be undone: %(changes)s.")
                % {"changes": "; ".join(changed)}
            }
        )
    for entry in reversed(record.previous_values):
        instance = apps.get_model(entry["model"]).objects.filter(pk=entry["pk"]).first()
        if instance is None:
            continue
        for attname, value in entry["fields"].items():
            field = instance._meta.get_field(attname.removesuffix("_id"))
            if value is not None and field.get_internal_type() == "DateField":
                value = dt.date.fromisoformat(value)
            setattr(instance, attname, value)
        instance.save()
    for label in UNDO_ORDER:
        ranges = record.created_objects.get(label)
        if ranges:
            apps.get_model(label).objects.filter(_ranges_filter(ranges)).delete()
    record.status = ImportStatus.UNDONE
    record.undone_at = timezone.now()
    record.save()
    return record


@transaction.atomic
def set_import_options(
    record: ImportRecord, options: dict[str, Any], *, acting_user: Any
) -> ImportRecord:
    """Change how a kept file is read (column mapping, sector spellings, date order).

    The record goes back to "uploaded" and must be checked again before it is applied.
    """
    if record.status in (ImportStatus.APPLIED, ImportStatus.APPLYING, ImportStatus.UNDONE):
        raise ValidationError(
            {
                "status": _("This import is %(status)s; its options can no longer change.")
                % {"status": record.get_status_display()}
            }
        )
    record.options = _check_options(dict(options))
    record.status = ImportStatus.UPLOADED
    record.error = ""
    record.rows_done = 0
    record.save()
    return record


def queue_import(record: ImportRecord, *, acting_user: Any, skip_invalid: bool = False) -> None:
    """Mark a checked import as importing and hand it to the task worker after commit.

    Refuses a file that is not checked, or that has rejected rows unless they are to be
    left out; a second confirmation finds the import already importing and is refused.
    """
    from netweave.imports.tasks import apply_import_task

    if record.status != ImportStatus.PLANNED:
        raise ValidationError(
            {
                "status": _("Only a checked file can be imported; this one is %(status)s.")
                % {"status": record.get_status_display()}
            }
        )
    if record.rejected_count and not skip_invalid:
        raise ValidationError(
            {
                "skip_invalid": _(
                    "Some rows were rejected: correct the file, or choose to leave those rows out."
                )
            }
        )
    updated = ImportRecord.objects.filter(pk=record.pk, status=ImportStatus.PLANNED).update(
        status=ImportStatus.APPLYING, rows_done=0, error=""
    )
    if not updated:  # another request confirmed it first
        raise ValidationError({"status": _("This import is already being imported.")})
    user_id = getattr(acting_user, "pk", None)
    transaction.on_commit(lambda: apply_import_task.enqueue(record.pk, user_id, skip_invalid))
