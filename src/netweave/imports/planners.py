"""Deciding what each row of an import would do, without writing a domain row.

One planner per kind. A planner preloads what it compares against (the network's
organisations, people, meetings, topics) into dicts with a handful of queries, then
streams the file: every row is cleaned, checked and matched, and the decision is put in
the plan's :class:`~netweave.imports.store.PlanStore` (on disk) together with the keys
later rows are compared against. Nothing here queries per row.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process, utils

from netweave.core.lib.normalise import (
    Message,
    SectorMapper,
    clean_cell,
    infer_date_order,
    parse_bool,
    parse_date,
    split_list,
    validate_email,
    validate_url,
)
from netweave.core.lib.tabular import (
    ATTENDANCE_COLUMNS,
    ORGANISATION_COLUMNS,
    PEOPLE_COLUMNS,
    Table,
    TableError,
    match_columns,
    read_table,
)
from netweave.core.lib.text import normalize_name
from netweave.directory.models import Organisation, Person, Topic
from netweave.imports.models import ImportKind, ImportRecord, ImportStatus, RowOutcome
from netweave.imports.store import PlanStore
from netweave.meetings.models import Attendance, Meeting
from netweave.networks.models import Membership

Progress = Callable[[int, int], None]

PROGRESS_EVERY = 500
# The report keeps every row that needs attention up to ATTENTION_LIMIT entries, and
# the first PLAIN_LIMIT rows that are simply new or unchanged; counts are always complete.
ATTENTION_LIMIT = 10_000
PLAIN_LIMIT = 200

ORGANISATION_UPDATE_FIELDS = (
    "acronym",
    "sector",
    "country",
    "region",
    "website",
    "email",
    "phone",
)
PERSON_UPDATE_FIELDS = (
    "name",
    "organisation",
    "position",
    "email",
    "phone",
    "languages",
    "consent_listed",
    "consent_contact",
)


def tr(message: Message | str) -> str:
    """A library message in the current language."""
    return message.translate(_) if isinstance(message, Message) else str(message)


def open_table(record: ImportRecord) -> Table:
    """The record's stored file as a checked table; ``TableError`` for a bad file."""
    options = record.options or {}
    with record.file.open("rb") as handle:
        return read_table(
            handle,
            filename=record.file_name,
            encoding=options.get("encoding") or None,
            delimiter=options.get("delimiter") or None,
            sheet=options.get("sheet") or None,
        )


@dataclass
class RowResult:
    """What one row would do: an outcome, a description of its target, and remarks."""

    outcome: str = RowOutcome.NEW
    target: str = ""
    problems: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)

    def reject(self, column: str, reason: str) -> None:
        self.problems.append((column, reason))

    def note(self, column: str, reason: str) -> None:
        self.notes.append((column, reason))


@dataclass
class ImportPlan:
    """The decided outcome of every row; actions wait in ``store`` for ``apply_import``."""

    record: ImportRecord
    columns: dict[str, str]
    unknown_columns: list[str]
    store: PlanStore
    rows_total: int = 0
    counts: Counter = field(default_factory=Counter)
    report: list[dict[str, Any]] = field(default_factory=list)
    report_omitted: int = 0
    _attention: int = 0
    _plain: int = 0

    @property
    def rejected(self) -> int:
        return self.counts[RowOutcome.REJECTED]

    def add_row(self, number: int, result: RowResult) -> None:
        outcome = RowOutcome.REJECTED if result.problems else result.outcome
        self.counts[outcome] += 1
        remarks = result.problems or result.notes
        if not remarks and outcome in (RowOutcome.NEW, RowOutcome.UNCHANGED):
            if self._plain >= PLAIN_LIMIT:
                self.report_omitted += 1
                return
            self._plain += 1
        elif self._attention >= ATTENTION_LIMIT:
            self.report_omitted += 1
            return
        else:
            self._attention += 1
        for column, reason in remarks or [("", "")]:
            self.report.append(
                {
                    "row": number,
                    "outcome": str(outcome),
                    "column": column,
                    "reason": reason,
                    "target": result.target,
                }
            )

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> ImportPlan:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class Planner:
    """Streams a table and decides each row; subclasses hold the rules of one kind."""

    schema: dict[str, list[str]]
    required: tuple[str, ...] = ()
    date_column: str | None = None

    def __init__(self, record: ImportRecord) -> None:
        self.record = record
        self.network = record.network
        self.options = record.options or {}
        self.today = timezone.localdate()
        self.date_order: str | None = self.options.get("date_order") or None
        self.topics = {normalize_name(t.name): t.pk for t in Topic.objects.only("pk", "name")}
        self.topics.update({normalize_name(t.slug): t.pk for t in Topic.objects.only("pk", "slug")})

    # -- driving ------------------------------------------------------------------------
    def plan(self, table: Table, *, progress: Progress | None = None) -> ImportPlan:
        mapping, unknown = match_columns(table.columns, self.schema)
        mapping.update(self._mapped_by_user(table.columns, unknown))
        missing = [name for name in self.required if name not in mapping]
        if missing:
            # The mapping step offers every column the import did not place.
            placed = set(mapping.values())
            self.record.unknown_columns = [c for c in table.columns if c not in placed]
            raise ValidationError(
                {
                    "file": _(
                        "The file has no “%(column)s” column, which this import needs. "
                        "Its columns are: %(columns)s."
                    )
                    % {"column": missing[0], "columns": ", ".join(table.columns)}
                }
            )
        self.columns = mapping
        total = 0
        dates = mapping.get(self.date_column or "")

        def first_pass() -> Iterator[str]:  # the file's size, and the date column's order
            nonlocal total
            for _number, values in table.rows():
                total += 1
                yield values[dates] if dates else ""

        order = infer_date_order(first_pass())
        if dates and not self.date_order:
            self.date_order = order
        plan = ImportPlan(
            record=self.record,
            columns=mapping,
            unknown_columns=[c for c in unknown if c not in mapping.values()],
            store=PlanStore(),
            rows_total=total,
        )
        self.plan_ = plan
        self.store = plan.store
        try:
            self.preload()
            for done, (number, values) in enumerate(table.rows(), start=1):
                cells = {name: clean_cell(values[column]) for name, column in mapping.items()}
                result = RowResult()
                self.plan_row(number, cells, result)
                plan.add_row(number, result)
                if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
                    progress(done, total)
        except BaseException:
            plan.close()
            raise
        return plan

    def _mapped_by_user(self, columns: list[str], unknown: list[str]) -> dict[str, str]:
        """Columns the user mapped by hand (``options["columns"]``: field → header)."""
        chosen = self.options.get("columns") or {}
        mapped = {}
        for name, header in chosen.items():
            if name not in self.schema:
                raise ValidationError({"columns": _("Unknown field “%(name)s”.") % {"name": name}})
            if header not in columns:
                raise ValidationError(
                    {"columns": _("The file has no column “%(header)s”.") % {"header": header}}
                )
            mapped[name] = header
        return mapped

    def preload(self) -> None:
        raise NotImplementedError

    def plan_row(self, number: int, cells: dict[str, str], result: RowResult) -> None:
        raise NotImplementedError

    # -- shared cell checks ---------------------------------------------------------------
    def text(self, cells: dict[str, str], name: str, result: RowResult, *, limit: int) -> str:
        value = cells.get(name, "")
        if len(value) > limit:
            result.reject(
                name,
                _("Too long: %(length)s characters, at most %(limit)s.")
                % {"length": len(value), "limit": limit},
            )
        return value

    def date(self, cells: dict[str, str], name: str, result: RowResult) -> dt.date | None:
        parsed = parse_date(cells.get(name, ""), order_hint=self.date_order)
        if parsed.empty:
            return None
        if parsed.ambiguous:
            result.reject(
                name,
                _("ambiguous date %(text)s: day-month or month-day? choose the date order")
                % {"text": parsed.text},
            )
            return None
        if parsed.error:
            result.reject(name, tr(parsed.error))
            return None
        if parsed.value > self.today:
            result.reject(
                name, _("The date %(date)s is in the future.") % {"date": parsed.value.isoformat()}
            )
            return None
        return parsed.value

    def email(self, cells: dict[str, str], result: RowResult) -> str:
        checked = validate_email(cells.get("email", ""))
        if checked.error:
            result.reject("email", tr(checked.error))
        elif checked.note:
            result.note("email", tr(checked.note))
        return checked.value

    def topic_ids(self, cells: dict[str, str], result: RowResult) -> list[int]:
        found: list[int] = []
        for item in split_list(cells.get("topics", "")):
            pk = self.topics.get(normalize_name(item))
            if pk is None:
                result.note("topics", _("Unknown topic “%(topic)s” skipped.") % {"topic": item})
            elif pk not in found:
                found.append(pk)
        return found

    def merge_into(
        self, first: int, number: int, data: dict[str, Any], result: RowResult, label: str
    ) -> None:
        """Fold a repeated row into its first occurrence: fill what that row left empty."""
        action = self.store.get(first) or {}
        kept = action.setdefault("data", {})
        filled, differing = [], []
        for key, value in data.items():
            if key == "name" or value in ("", None, []):
                continue
            if kept.get(key) in ("", None, []):
                kept[key] = value
                filled.append(key)
            elif kept[key] != value:
                differing.append(key)
        self.store.put(first, action)
        result.outcome = RowOutcome.MERGED
        result.target = label
        reason = _("Same as row %(row)s; merged into it.") % {"row": first}
        if filled:
            reason += " " + _("Filled from this row: %(fields)s.") % {"fields": ", ".join(filled)}
        if differing:
            reason += " " + _("Kept the values of row %(row)s for: %(fields)s.") % {
                "row": first,
                "fields": ", ".join(differing),
            }
        result.note("", reason)

    def claim(self, keys: list[str], row: int) -> None:
        for key in keys:
            self.store.claim(key, row)

    def first_of(self, keys: list[str]) -> int | None:
        for key in keys:
            row = self.store.first_row(key)
            if row is not None:
                return row
        return None


def _describe_changes(before: dict[str, Any], changes: dict[str, Any]) -> str:
    return "; ".join(
        f"{name}: {before.get(name) or '∅'} → {value}" for name, value in changes.items()
    )


def organisation_matchers(network) -> tuple[dict[str, dict], dict[str, dict], set[str]]:
    """The network's current member organisations by name key and by (unique) acronym."""
    rows = list(
        Organisation.objects.in_network(network).values(
            "id", "name", "name_key", "acronym", "sector__slug", *ORGANISATION_UPDATE_FIELDS[2:]
        )
    )
    by_name = {row["name_key"]: row for row in rows}
    acronyms = Counter(row["acronym"].casefold() for row in rows if row["acronym"])
    by_acronym = {
        row["acronym"].casefold(): row
        for row in rows
        if row["acronym"] and acronyms[row["acronym"].casefold()] == 1
    }
    ambiguous = {acronym for acronym, count in acronyms.items() if count > 1}
    for row in rows:
        row["sector"] = row.pop("sector__slug")
    return by_name, by_acronym, ambiguous


def match_organisation(
    raw: str, by_name: dict[str, dict], by_acronym: dict[str, dict]
) -> dict | None:
    return by_name.get(normalize_name(raw)) or by_acronym.get(raw.casefold())


# ---------------------------------------------------------------------------------------
# Organisations


class OrganisationPlanner(Planner):
    schema = ORGANISATION_COLUMNS
    required = ("name",)
    date_column = "joined"

    def preload(self) -> None:
        self.by_name, self.by_acronym, self.ambiguous_acronyms = organisation_matchers(self.network)
        member_ids = [row["id"] for row in self.by_name.values()]
        self.elsewhere: dict[str, list[tuple[int, str, str]]] = {}
        for pk, name, key, country in (
            Organisation.objects.exclude(id__in=member_ids)
            .values_list("id", "name", "name_key", "country")
            .iterator()
        ):
            self.elsewhere.setdefault(key, []).append((pk, name, country))
        self.mapper = SectorMapper()
        for alias, slug in (self.options.get("sector_aliases") or {}).items():
            self.mapper.add_alias(alias, slug)

    def plan_row(self, number: int, cells: dict[str, str], result: RowResult) -> None:
        name = self.text(cells, "name", result, limit=250)
        if not name:
            result.reject("name", _("A name is required."))
        data: dict[str, Any] = {"name": name}
        data["acronym"] = self.text(cells, "acronym", result, limit=40)
        data["sector"] = self.sector(cells.get("sector", ""), result)
        country = cells.get("country", "").upper()
        if country and not (len(country) == 2 and country.isascii() and country.isalpha()):
            result.reject(
                "country",
                _("“%(value)s” is not a two-letter ISO country code (for example TJ).")
                % {"value": cells.get("country")},
            )
        data["country"] = country
        data["region"] = self.text(cells, "region", result, limit=120)
        website = validate_url(cells.get("website", ""))
        if website.error:
            result.reject("website", tr(website.error))
        elif website.note:
            result.note("website", tr(website.note))
        data["website"] = website.value
        data["email"] = self.email(cells, result)
        data["phone"] = self.text(cells, "phone", result, limit=40)
        joined = self.date(cells, "joined", result)
        launched = self.network.launched
        if joined and launched and joined < launched:
            result.reject(
                "joined",
                _("The network was launched on %(date)s; a member cannot join before that.")
                % {"date": launched.isoformat()},
            )
        topics = self.topic_ids(cells, result)
        if result.problems:
            result.target = name
            return

        name_key = normalize_name(name)
        acronym_key = data["acronym"].casefold()
        keys = [f"n:{name_key}"]
        if acronym_key and acronym_key not in self.ambiguous_acronyms:
            keys.append(f"a:{acronym_key}")
        first = self.first_of(keys)
        existing = self.by_name.get(name_key) or (
            self.by_acronym.get(acronym_key) if acronym_key else None
        )
        if first is None and existing is not None:
            first = self.store.first_row(f"o:{existing['id']}")
        if first is not None:
            self.merge_into(first, number, data, result, name)
            self.claim(keys, first)
            return

        action: dict[str, Any]
        if existing is not None:
            changes = {
                key: data[key]
                for key in ORGANISATION_UPDATE_FIELDS
                if data.get(key) and data[key] != existing[key]
            }
            before = {key: existing[key] for key in ORGANISATION_UPDATE_FIELDS}
            action = {"op": "update", "pk": existing["id"], "data": data, "before": before}
            result.target = existing["name"]
            if changes:
                result.outcome = RowOutcome.UPDATE
                result.note("", _describe_changes(before, changes))
            else:
                result.outcome = RowOutcome.UNCHANGED
            if joined:
                result.note("joined", _("Existing memberships keep their dates."))
            keys.append(f"o:{existing['id']}")
        else:
            elsewhere = self.elsewhere.get(name_key, [])
            same_country = [row for row in elsewhere if country and row[2] == country]
            result.target = name
            if len(same_country) == 1:
                pk, other_name, _country = same_country[0]
                action = {"op": "join", "pk": pk, "data": data, "joined": joined}
                result.note(
                    "",
                    _(
                        "“%(name)s” is already in the directory (another network, same "
                        "country); it becomes a member of this network too."
                    )
                    % {"name": other_name},
                )
                keys.append(f"o:{pk}")
            else:
                if elsewhere:
                    result.note(
                        "name",
                        _(
                            "Another network has an organisation of this name, but the country "
                            "does not match exactly (or several do); a new one is created."
                        ),
                    )
                if not data["sector"]:
                    result.reject("sector", _("A new organisation needs a sector."))
                    return
                action = {"op": "create", "data": data, "joined": joined, "topics": topics}
        self.store.put(number, action)
        self.claim(keys, number)

    def sector(self, raw: str, result: RowResult) -> str:
        if not raw:
            return ""
        slug, how = self.mapper.map(raw)
        if slug is None:
            suggestions = ", ".join(f"{s.alias} → {s.slug} ({s.score:g})" for s in how)
            result.reject(
                "sector",
                _("Unknown sector “%(value)s”. Closest: %(suggestions)s.")
                % {"value": raw, "suggestions": suggestions or _("none")}
                if suggestions
                else _("Unknown sector “%(value)s”; add it as a sector alias.") % {"value": raw},
            )
            return ""
        if how == "rule":
            result.note("sector", _("“%(value)s” read as %(slug)s.") % {"value": raw, "slug": slug})
        return slug


# ---------------------------------------------------------------------------------------
# People


def network_people(network) -> Iterator[dict[str, Any]]:
    """The people an import compares against: everyone whose organisation ever belonged
    to the network, and individuals who attended its meetings or came in by its imports."""
    individuals = Q(organisation__isnull=True) & (
        Q(attendance__meeting__network=network) | imported_people_filter(network)
    )
    members = Membership.objects.filter(network=network).values("organisation_id")
    return (
        Person.objects.filter(Q(organisation_id__in=members) | individuals)
        .values("id", "name", "name_key", "email", *PERSON_UPDATE_FIELDS[2:], "organisation_id")
        .distinct()
        .iterator()
    )


def imported_people_filter(network) -> Q:
    """People created by this network's applied imports (their ids are kept as ranges)."""
    condition = Q(pk__in=[])
    for ranges in ImportRecord.objects.filter(
        network=network, status=ImportStatus.APPLIED
    ).values_list("created_objects", flat=True):
        for first, last in (ranges or {}).get("directory.person", []):
            condition |= Q(pk__gte=first, pk__lte=last)
    return condition


class PeoplePlanner(Planner):
    schema = PEOPLE_COLUMNS
    required = ("name",)

    def preload(self) -> None:
        self.org_by_name, self.org_by_acronym, _ambiguous = organisation_matchers(self.network)
        self.org_names = {row["id"]: row["name"] for row in self.org_by_name.values()}
        self.by_email: dict[str, dict] = {}
        self.by_name_org: dict[tuple[str, int | None], dict] = {}
        for row in network_people(self.network):
            row["organisation"] = row.pop("organisation_id")
            if row["email"]:
                self.by_email.setdefault(row["email"].casefold(), row)
            self.by_name_org.setdefault((row["name_key"], row["organisation"]), row)

    def organisation(self, raw: str, result: RowResult) -> int | None | bool:
        """The matched organisation's id, ``None`` for an individual, ``False`` if refused."""
        if not raw:
            if "organisation" in self.columns:
                result.note("organisation", _("individual: no organisation given"))
            return None
        found = match_organisation(raw, self.org_by_name, self.org_by_acronym)
        if found is not None:
            return found["id"]
        close = process.extract(
            raw,
            self.org_names,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            limit=3,
            score_cutoff=50,
        )
        candidates = ", ".join(f"{name} ({score:.0f})" for name, score, _pk in close)
        result.reject(
            "organisation",
            (
                _("No organisation “%(value)s” in this network; closest: %(candidates)s.")
                % {"value": raw, "candidates": candidates}
                if candidates
                else _("No organisation “%(value)s” in this network.") % {"value": raw}
            )
            + " "
            + _("Correct the cell, or import with “skip invalid rows” to leave the row out."),
        )
        return False

    def plan_row(self, number: int, cells: dict[str, str], result: RowResult) -> None:
        name = self.text(cells, "name", result, limit=200)
        result.target = name
        if not name:
            result.reject("name", _("A name is required."))
        organisation = self.organisation(cells.get("organisation", ""), result)
        data: dict[str, Any] = {"name": name, "organisation": organisation or None}
        data["position"] = self.text(cells, "position", result, limit=200)
        data["email"] = self.email(cells, result).lower()
        data["phone"] = self.text(cells, "phone", result, limit=40)
        languages = ", ".join(split_list(cells.get("languages", "")))
        if len(languages) > 100:
            result.reject("languages", _("Too many languages: at most 100 characters."))
        data["languages"] = languages
        for column in ("consent_listed", "consent_contact"):
            checked = parse_bool(cells.get(column, ""))
            if checked.error:
                result.reject(column, tr(checked.error))
            data[column] = checked.value
        topics = self.topic_ids(cells, result)
        if result.problems:
            return

        name_key = normalize_name(name)
        keys = [f"n:{name_key}|{data['organisation'] or ''}"]
        if data["email"]:
            keys.insert(0, f"e:{data['email']}")
        first = self.first_of(keys)
        existing, by_email = None, False
        if data["email"] and data["email"] in self.by_email:
            existing, by_email = self.by_email[data["email"]], True
        else:
            existing = self.by_name_org.get((name_key, data["organisation"]))
        if first is None and existing is not None:
            first = self.store.first_row(f"p:{existing['id']}")
        if first is not None:
            self.merge_into(first, number, data, result, name)
            self.claim(keys, first)
            return
        if existing is not None:
            fields = PERSON_UPDATE_FIELDS if by_email else PERSON_UPDATE_FIELDS[1:]
            changes = {
                key: data[key]
                for key in fields
                if data.get(key) not in ("", None) and data[key] != existing[key]
            }
            before = {key: existing[key] for key in PERSON_UPDATE_FIELDS}
            action = {
                "op": "update",
                "pk": existing["id"],
                "data": {key: data[key] for key in fields},
                "before": before,
                "topics": topics,
            }
            result.target = existing["name"]
            if changes:
                result.outcome = RowOutcome.UPDATE
                shown = dict(changes)
                if "organisation" in shown:
                    shown["organisation"] = self.org_names.get(shown["organisation"], "")
                result.note("", _describe_changes(before, shown))
            else:
                result.outcome = RowOutcome.UNCHANGED
            keys.append(f"p:{existing['id']}")
        else:
            action = {"op": "create", "data": data, "topics": topics}
        self.store.put(number, action)
        self.claim(keys, number)


# ---------------------------------------------------------------------------------------
# Attendance


class AttendancePlanner(Planner):
    schema = ATTENDANCE_COLUMNS
    required = ("person", "date")
    date_column = "date"

    def preload(self) -> None:
        self.org_by_name, self.org_by_acronym, _ambiguous = organisation_matchers(self.network)
        self.people: dict[tuple[str, int | None], int] = {}
        for row in network_people(self.network):
            self.people.setdefault((row["name_key"], row["organisation_id"]), row["id"])
        self.meetings: dict[tuple[str, dt.date], int] = {}
        for pk, title, start, zone in Meeting.objects.filter(network=self.network).values_list(
            "id", "title", "start", "time_zone"
        ):
            day = start.astimezone(_zone(zone)).date()
            self.meetings.setdefault((normalize_name(title), day), pk)
        self.attended = set(
            Attendance.objects.filter(meeting__network=self.network).values_list(
                "meeting_id", "person_id"
            )
        )

    def plan_row(self, number: int, cells: dict[str, str], result: RowResult) -> None:
        name = self.text(cells, "person", result, limit=200)
        result.target = name
        if not name:
            result.reject("person", _("A name is required."))
        day = self.date(cells, "date", result)
        if not day and not any(column == "date" for column, _r in result.problems):
            result.reject("date", _("A date is required."))
        title = self.text(cells, "meeting", result, limit=250)
        org_raw = self.text(cells, "organisation", result, limit=250)
        if result.problems:
            return
        kind = "regular"
        if not title:
            title = _("Meeting of %(date)s") % {"date": day.isoformat()}

        # Organisation: matched, or one this import creates (first row that names it).
        organisation: dict[str, Any] | None = None
        if org_raw:
            found = match_organisation(org_raw, self.org_by_name, self.org_by_acronym)
            if found is not None:
                organisation = {"pk": found["id"]}
            else:
                key = f"no:{normalize_name(org_raw)}"
                organisation = {"new": key, "name": org_raw}
                if self.store.first_row(key) is None:
                    self.store.claim(key, number)
                    result.note(
                        "organisation",
                        _("Organisation “%(name)s” created — please set its sector.")
                        % {"name": org_raw},
                    )
        org_ref = (organisation or {}).get("pk") or (organisation or {}).get("new") or ""

        title_key = normalize_name(title)
        meeting_pk = self.meetings.get((title_key, day))
        if meeting_pk is not None:
            meeting: dict[str, Any] = {"pk": meeting_pk}
        else:
            key = f"nm:{title_key}|{day.isoformat()}"
            meeting = {"new": key, "title": title, "date": day.isoformat(), "kind": kind}
            if self.store.first_row(key) is None:
                self.store.claim(key, number)
                result.note(
                    "meeting",
                    _("New meeting “%(title)s” on %(date)s.")
                    % {"title": title, "date": day.isoformat()},
                )

        name_key = normalize_name(name)
        if organisation is None:
            person_pk = self.people.get((name_key, None))
        elif "pk" in organisation:
            person_pk = self.people.get((name_key, organisation["pk"]))
        else:
            person_pk = None
        if person_pk is not None:
            person: dict[str, Any] = {"pk": person_pk}
        else:
            key = f"np:{name_key}|{org_ref}"
            person = {"new": key, "name": name}
            if self.store.first_row(key) is None:
                self.store.claim(key, number)
                result.note("person", _("New person “%(name)s”.") % {"name": name})

        result.target = f"{name} @ {title} ({day.isoformat()})"
        if meeting_pk is not None and person_pk is not None:
            if (meeting_pk, person_pk) in self.attended:
                result.outcome = RowOutcome.UNCHANGED
                result.note("", _("duplicate: this attendance is already recorded."))
                return
        key = f"a:{meeting.get('pk') or meeting['new']}|{person.get('pk') or person['new']}"
        first = self.store.first_row(key)
        if first is not None:
            result.outcome = RowOutcome.MERGED
            result.note("", _("duplicate of row %(row)s.") % {"row": first})
            return
        self.store.claim(key, number)
        self.store.put(
            number,
            {"op": "attend", "meeting": meeting, "person": person, "organisation": organisation},
        )


def _zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return dt.UTC


PLANNERS: dict[str, type[Planner]] = {
    ImportKind.ORGANISATIONS: OrganisationPlanner,
    ImportKind.PEOPLE: PeoplePlanner,
    ImportKind.ATTENDANCE: AttendancePlanner,
}


def build_plan(record: ImportRecord, *, progress: Progress | None = None) -> ImportPlan:
    """Read the record's file and decide every row; ``ValidationError`` for a bad file."""
    try:
        with open_table(record) as table:
            return PLANNERS[record.kind](record).plan(table, progress=progress)
    except TableError as error:
        raise ValidationError({"file": tr(error.message)}) from None
