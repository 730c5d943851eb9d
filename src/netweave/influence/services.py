"""Writes of outcomes and indicators, and the reads that pages, API and exports share.

Every write checks its rules and raises ``ValidationError({field: message})``; each runs in
one transaction, so a refused write leaves nothing half-saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netweave.influence import indicators as registry
from netweave.influence.models import (
    Indicator,
    IndicatorSource,
    IndicatorTarget,
    IndicatorValue,
    Outcome,
    OutcomeKind,
    Substantiation,
)
from netweave.networks.models import Network

__all__ = [
    "create_indicator",
    "delete_indicator_value",
    "indicator_series",
    "network_started",
    "outcome_warnings",
    "record_indicator_value",
    "record_outcome",
    "update_indicator",
    "update_indicator_value",
    "update_outcome",
]

OUTCOME_FIELDS = (
    "title",
    "description",
    "kind",
    "actor_organisation",
    "actor_name",
    "date",
    "place",
    "significance",
    "contribution",
    "evidence_note",
    "substantiation",
    "substantiated_by",
    "substantiated_on",
    "substantiation_note",
)
# Many-to-many links of an outcome: field name → what the message calls one of them.
OUTCOME_LINKS = {
    "evidence_documents": gettext_lazy("document"),
    "meetings": gettext_lazy("meeting"),
    "task_groups": gettext_lazy("task group"),
    "activities": gettext_lazy("joint activity"),
    "consultations": gettext_lazy("consultation"),
}
INDICATOR_FIELDS = (
    "name",
    "description",
    "unit",
    "source",
    "computation",
    "baseline_value",
    "baseline_year",
)
MAX_VALUE = Decimal("999999999999.99")  # Decimal(14, 2)
FIRST_YEAR = 1950
MAX_YEARS = 60  # a chart of more years than this would be unreadable


# Outcomes ------------------------------------------------------------------------------------
def network_started(network: Network) -> dt.date | None:
    """When the network began to exist: its launch or its first stage milestone, the earlier."""
    first = network.milestones.aggregate(first=Min("date"))["first"]
    dates = [day for day in (network.launched, first) if day is not None]
    return min(dates) if dates else None


def outcome_warnings(network: Network, date: dt.date | None) -> list[str]:
    """Warnings about an outcome dated ``date`` that do not prevent recording it."""
    started = network_started(network)
    if date is not None and started is not None and date < started:
        return [
            _(
                "This outcome is dated %(date)s, before the network existed (%(started)s). "
                "A change before the network began is rarely its contribution: check the date."
            )
            % {"date": date_format(date, "DATE_FORMAT"), "started": date_format(started)}
        ]
    return []


def _check_outcome(network: Network, data: dict[str, Any], links: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if not str(data.get("title") or "").strip():
        errors.setdefault("title", []).append(_("Give the outcome a title."))
    if not str(data.get("description") or "").strip():
        errors.setdefault("description", []).append(_("Describe what changed."))
    if data.get("kind") not in OutcomeKind.values:
        errors.setdefault("kind", []).append(_("Choose the kind of change."))
    date = data.get("date")
    if date is None:
        errors.setdefault("date", []).append(_("Give the date of the change."))
    elif date > today:
        errors.setdefault("date", []).append(
            _("An outcome is a change that has happened: its date cannot be in the future.")
        )
    if data.get("actor_organisation") is None and not str(data.get("actor_name") or "").strip():
        errors.setdefault("actor_name", []).append(
            _("Name the actor that changed, or choose it from the directory.")
        )
    state = data.get("substantiation") or Substantiation.PENDING
    if state not in Substantiation.values:
        errors.setdefault("substantiation", []).append(_("Unknown substantiation."))
    elif state != Substantiation.PENDING and not str(data.get("substantiated_by") or "").strip():
        errors.setdefault("substantiated_by", []).append(
            _("Name the independent source that substantiated or disputed the outcome.")
        )
    on = data.get("substantiated_on")
    if on is not None and on > today:
        errors.setdefault("substantiated_on", []).append(
            _("The substantiation date cannot be in the future.")
        )
    for name, label in OUTCOME_LINKS.items():
        foreign = [item for item in links.get(name) or [] if item.network_id != network.pk]
        if foreign:
            errors.setdefault(name, []).append(
                _("“%(item)s” is not a %(kind)s of this network.")
                % {"item": foreign[0], "kind": label}
            )
    if errors:
        raise ValidationError(errors)


def _split(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    fields = {key: value for key, value in data.items() if key in OUTCOME_FIELDS}
    links = {key: value for key, value in data.items() if key in OUTCOME_LINKS}
    unknown = set(data) - set(fields) - set(links)
    if unknown:
        raise TypeError(f"Unknown outcome fields: {', '.join(sorted(unknown))}")
    return fields, links


def _confirm(network: Network, date: dt.date | None, confirm: bool) -> list[str]:
    warnings = outcome_warnings(network, date)
    if warnings and not confirm:
        raise ValidationError(
            {"date": [ValidationError(text, code="unconfirmed") for text in warnings]}
        )
    return warnings


@transaction.atomic
def record_outcome(
    network: Network, *, acting_user: Any = None, confirm: bool = False, **data: Any
) -> Outcome:
    """Record an outcome with its evidence and the network's work behind it.

    An outcome dated before the network existed is refused with the warning (code
    ``unconfirmed``) unless ``confirm`` is true; a date in the future always is.
    """
    fields, links = _split(data)
    fields.setdefault("substantiation", Substantiation.PENDING)
    _check_outcome(network, fields, links)
    _confirm(network, fields["date"], confirm)
    if fields.get("actor_organisation") is not None:
        fields["actor_name"] = ""
    outcome = Outcome(network=network, recorded_by=_user(acting_user), **fields)
    outcome.full_clean(exclude=["network", "recorded_by", "actor_organisation"])
    outcome.save()
    for name, items in links.items():
        getattr(outcome, name).set(items or [])
    return outcome


@transaction.atomic
def update_outcome(
    outcome: Outcome, data: dict[str, Any], *, acting_user: Any = None, confirm: bool = False
) -> Outcome:
    """Change an outcome; the same rules as ``record_outcome``, the unchanged links stay."""
    fields, links = _split(data)
    merged = {name: getattr(outcome, name) for name in OUTCOME_FIELDS} | fields
    current = {name: list(getattr(outcome, name).all()) for name in OUTCOME_LINKS}
    _check_outcome(outcome.network, merged, current | links)
    if merged["date"] != outcome.date:
        _confirm(outcome.network, merged["date"], confirm)
    if merged.get("actor_organisation") is not None:
        merged["actor_name"] = ""
    for name, value in merged.items():
        setattr(outcome, name, value)
    outcome.full_clean(exclude=["network", "recorded_by", "actor_organisation"])
    outcome.save()
    for name, items in links.items():
        getattr(outcome, name).set(items or [])
    return outcome


def _user(user: Any) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


# Indicators ----------------------------------------------------------------------------------
def _decimal(value: Any, name: str) -> Decimal:
    if isinstance(value, float | bool):
        raise ValidationError({name: _("Give the number as text or a decimal, not a float.")})
    if isinstance(value, Decimal):
        number = value
    else:
        try:
            number = Decimal(str(value).strip().replace(" ", ""))
        except (InvalidOperation, ValueError):
            raise ValidationError(
                {name: _("“%(value)s” is not a number.") % {"value": value}}
            ) from None
    if not number.is_finite():
        raise ValidationError({name: _("“%(value)s” is not a number.") % {"value": value}})
    if abs(number) > MAX_VALUE:
        raise ValidationError({name: _("The number is too large.")})
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError({name: _("Give at most two decimals.")})
    return number


def _year(value: Any, name: str, *, latest: int | None = None) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise ValidationError({name: _("“%(value)s” is not a year.") % {"value": value}}) from None
    latest = latest if latest is not None else timezone.localdate().year + 50
    if not FIRST_YEAR <= year <= latest:
        raise ValidationError(
            {
                name: _("Give a year from %(first)d to %(last)d.")
                % {"first": FIRST_YEAR, "last": latest}
            }
        )
    return year


def _clean_indicator(network: Network, data: dict[str, Any], *, exclude: int | None) -> None:
    errors: dict[str, list[str]] = {}
    name = str(data.get("name") or "").strip()
    if not name:
        errors.setdefault("name", []).append(_("Give the indicator a name."))
    elif Indicator.objects.filter(network=network, name__iexact=name).exclude(pk=exclude).exists():
        errors.setdefault("name", []).append(
            _("The network has an indicator of this name already.")
        )
    data["name"] = name
    source = data.get("source") or IndicatorSource.ENTERED
    data["source"] = source
    if source not in IndicatorSource.values:
        errors.setdefault("source", []).append(_("Unknown kind of values."))
    elif source == IndicatorSource.COMPUTED:
        if data.get("computation") not in registry.REGISTRY:
            errors.setdefault("computation", []).append(
                _("Choose what a computed indicator counts.")
            )
    else:
        data["computation"] = ""
    baseline_value, baseline_year = data.get("baseline_value"), data.get("baseline_year")
    if (baseline_value is None) != (baseline_year is None):
        errors.setdefault("baseline_year", []).append(
            _("A baseline needs both a value and a year.")
        )
    try:
        if baseline_value is not None:
            data["baseline_value"] = _decimal(baseline_value, "baseline_value")
        if baseline_year is not None:
            data["baseline_year"] = _year(
                baseline_year, "baseline_year", latest=timezone.localdate().year
            )
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _clean_targets(targets: Any) -> dict[int, Decimal]:
    cleaned: dict[int, Decimal] = {}
    items = targets.items() if isinstance(targets, dict) else targets
    for year, value in items:
        year = _year(year, "targets")
        if year in cleaned:
            raise ValidationError({"targets": _("Two targets for %(year)d.") % {"year": year}})
        try:
            cleaned[year] = _decimal(value, "targets")
        except ValidationError:
            raise ValidationError(
                {
                    "targets": _(
                        "The target for %(year)d is not a number with at most two decimals."
                    )
                    % {"year": year}
                }
            ) from None
    return cleaned


def _save_targets(indicator: Indicator, targets: dict[int, Decimal]) -> None:
    indicator.targets.exclude(year__in=list(targets)).delete()
    existing = {target.year: target for target in indicator.targets.all()}
    for year, value in sorted(targets.items()):
        target = existing.get(year)
        if target is None:
            IndicatorTarget.objects.create(indicator=indicator, year=year, value=value)
        elif target.value != value:
            target.value = value
            target.save(update_fields=["value"])


@transaction.atomic
def create_indicator(
    network: Network,
    *,
    acting_user: Any = None,
    targets: Any = None,
    **data: Any,
) -> Indicator:
    """Define an indicator with its baseline and its targets by year (``{year: value}``)."""
    fields = {key: value for key, value in data.items() if key in INDICATOR_FIELDS}
    if set(data) - set(fields):
        raise TypeError(f"Unknown indicator fields: {', '.join(sorted(set(data) - set(fields)))}")
    _clean_indicator(network, fields, exclude=None)
    cleaned_targets = _clean_targets(targets or {})
    indicator = Indicator.objects.create(network=network, created_by=_user(acting_user), **fields)
    _save_targets(indicator, cleaned_targets)
    return indicator


@transaction.atomic
def update_indicator(
    indicator: Indicator, data: dict[str, Any], *, acting_user: Any = None, targets: Any = None
) -> Indicator:
    """Change an indicator; ``targets`` (when given) replace the targets it had.

    An entered indicator keeps its values when it becomes computed (they show again if it
    goes back to entered), but a computed indicator shows only computed values.
    """
    fields = {name: getattr(indicator, name) for name in INDICATOR_FIELDS}
    fields |= {key: value for key, value in data.items() if key in INDICATOR_FIELDS}
    _clean_indicator(indicator.network, fields, exclude=indicator.pk)
    cleaned_targets = _clean_targets(targets) if targets is not None else None
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.save()
    if cleaned_targets is not None:
        _save_targets(indicator, cleaned_targets)
    return indicator


def _check_value(indicator: Indicator, year: Any, value: Any) -> tuple[int, Decimal]:
    if indicator.is_computed:
        raise ValidationError(
            _("The values of this indicator are computed from the network's data.")
        )
    this_year = timezone.localdate().year
    year = _year(year, "year", latest=this_year)
    return year, _decimal(value, "value")


@transaction.atomic
def record_indicator_value(
    indicator: Indicator,
    *,
    year: Any,
    value: Any,
    source: str = "",
    note: str = "",
    acting_user: Any = None,
) -> IndicatorValue:
    """Enter the value of ``indicator`` for ``year``; one value a year."""
    year, number = _check_value(indicator, year, value)
    if indicator.entries.filter(year=year).exists():
        raise ValidationError(
            {"year": _("There is a value for %(year)d already: change that one.") % {"year": year}}
        )
    return IndicatorValue.objects.create(
        indicator=indicator,
        year=year,
        value=number,
        source=source.strip(),
        note=note.strip(),
        entered_by=_user(acting_user),
    )


@transaction.atomic
def update_indicator_value(
    entry: IndicatorValue,
    *,
    year: Any,
    value: Any,
    source: str = "",
    note: str = "",
    acting_user: Any = None,
) -> IndicatorValue:
    year, number = _check_value(entry.indicator, year, value)
    if entry.indicator.entries.filter(year=year).exclude(pk=entry.pk).exists():
        raise ValidationError(
            {"year": _("There is a value for %(year)d already: change that one.") % {"year": year}}
        )
    entry.year, entry.value = year, number
    entry.source, entry.note = source.strip(), note.strip()
    entry.entered_by = _user(acting_user) or entry.entered_by
    entry.save()
    return entry


@transaction.atomic
def delete_indicator_value(entry: IndicatorValue, *, acting_user: Any = None) -> None:
    entry.delete()


# Series for charts, tables, API and exports -------------------------------------------------
@dataclass
class YearRow:
    year: int
    value: Decimal | None
    target: Decimal | None
    note: str = ""
    source: str = ""
    entry: IndicatorValue | None = None

    @property
    def met(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target


@dataclass
class Series:
    indicator: Indicator
    rows: list[YearRow] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return [row.year for row in self.rows]

    def chart_data(self) -> dict[str, Any]:
        """The numbers of the chart, as a ``json_script`` block carries them to the page."""
        indicator = self.indicator

        def number(value: Decimal | None) -> float | None:
            return None if value is None else float(value)

        return {
            "name": indicator.name,
            "unit": indicator.unit,
            "years": self.years,
            "values": [number(row.value) for row in self.rows],
            "targets": [number(row.target) for row in self.rows],
            "baseline": number(indicator.baseline_value),
            "baseline_year": indicator.baseline_year,
            "labels": {
                "values": _("Value"),
                "targets": _("Target"),
                "baseline": _("Baseline"),
            },
        }


def _span(indicator: Indicator, start_year: int | None, this_year: int) -> list[int]:
    """The years an indicator's chart covers.

    From the baseline (or the first target or value, or the network's start) to the last
    target or value; a computed indicator runs on to this year.
    """
    targets = [target.year for target in indicator.targets.all()]
    entered = [] if indicator.is_computed else [entry.year for entry in indicator.entries.all()]
    marks = [*targets, *entered, *([indicator.baseline_year] if indicator.baseline_year else [])]
    first = min(marks, default=start_year or this_year)
    if indicator.is_computed:
        first = min(first, this_year) if marks else (start_year or this_year)
        last = max([*marks, this_year])
    else:
        last = max(marks, default=first)
    first = max(first, last - MAX_YEARS + 1)
    return list(range(first, last + 1))


def indicator_series(
    network: Network, indicators: Iterable[Indicator], *, today: dt.date | None = None
) -> list[Series]:
    """Each indicator's values and targets by year.

    ``indicators`` come with ``targets`` and ``entries`` prefetched. Computed indicators
    of the same kind are computed together: one aggregate query per kind in use, whatever
    the number of indicators or years.
    """
    indicators = list(indicators)
    this_year = (today or timezone.localdate()).year
    started = network_started(network) if indicators else None
    start_year = started.year if started else None
    spans = {indicator.pk: _span(indicator, start_year, this_year) for indicator in indicators}
    wanted: dict[str, set[int]] = {}
    for indicator in indicators:
        if indicator.is_computed and indicator.computation in registry.REGISTRY:
            wanted.setdefault(indicator.computation, set()).update(spans[indicator.pk])
    computed = {key: registry.compute(key, network, years) for key, years in wanted.items()}
    result = []
    for indicator in indicators:
        targets = {target.year: target.value for target in indicator.targets.all()}
        series = Series(indicator=indicator)
        entries = {} if indicator.is_computed else {e.year: e for e in indicator.entries.all()}
        values = computed.get(indicator.computation, {}) if indicator.is_computed else {}
        for year in spans[indicator.pk]:
            entry = entries.get(year)
            value = entry.value if entry is not None else values.get(year)
            series.rows.append(
                YearRow(
                    year=year,
                    value=value,
                    target=targets.get(year),
                    note=entry.note if entry else "",
                    source=entry.source if entry else "",
                    entry=entry,
                )
            )
        result.append(series)
    return result
