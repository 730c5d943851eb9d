"""Co-financing totals in the network's reporting currency, in Decimal throughout.

The database hands over each contribution's amount as a Decimal (exact on SQLite too, where a
SUM in SQL would add binary floats); Python adds them per (group, currency, year) and converts
each of these sums with the rate of its year, in a decimal context wide enough that nothing
rounds before the final cent. A sum whose rate is missing is never guessed: it is kept apart,
in its own currency, as "not converted".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from django.db.models import QuerySet

from netweave.activities.models import Contribution, ExchangeRate
from netweave.activities.services import reporting_currency_of
from netweave.networks.models import Network

CENT = Decimal("0.01")
# Amounts have at most 14 digits and rates 18: their products and sums stay exact in 60.
PRECISION = 60


@dataclass
class Total:
    """One group's contributions: converted, and the sums that could not be converted."""

    key: Any
    label: str = ""
    converted: Decimal = Decimal("0.00")
    not_converted: dict[str, Decimal] = field(default_factory=dict)
    missing_rates: set[tuple[str, int]] = field(default_factory=set)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.not_converted


@dataclass
class Totals:
    currency: str
    rows: list[Total]
    overall: Total

    @property
    def missing_rates(self) -> list[tuple[str, int]]:
        return sorted(self.overall.missing_rates, key=lambda pair: (pair[1], pair[0]))


def rates_of(network: Network) -> dict[tuple[str, int], Decimal]:
    return {
        (currency, year): rate
        for currency, year, rate in ExchangeRate.objects.filter(network=network).values_list(
            "currency", "year", "rate"
        )
    }


def _add(total: Total, amount: Decimal, currency: str, year: int, reporting: str, rates) -> None:
    if currency == reporting:
        total.converted += amount
        return
    rate = rates.get((currency, year))
    if rate is None:
        total.not_converted[currency] = total.not_converted.get(currency, Decimal("0.00")) + amount
        total.missing_rates.add((currency, year))
    else:
        total.converted += amount * rate


def _finish(total: Total) -> Total:
    total.converted = total.converted.quantize(CENT, rounding=ROUND_HALF_UP)
    total.not_converted = dict(sorted(total.not_converted.items()))
    return total


def compute_totals(
    network: Network,
    *,
    by: tuple[str, ...],
    labels: tuple[str, ...] = (),
    contributions: QuerySet | None = None,
) -> Totals:
    """Totals of ``network``'s contributions grouped by the fields ``by``.

    ``labels`` are further fields read along (the same for every row of a group), kept in
    ``Total.extra``; rows come largest first. Three queries: the reporting currency, the
    rates and the contributions' amounts (summed here in Decimal, never as floats).
    """
    reporting = reporting_currency_of(network)
    rates = rates_of(network)
    queryset = contributions if contributions is not None else Contribution.objects.all()
    rows = (
        queryset.filter(activity__network=network)
        .values_list(*by, *labels, "currency", "year", "amount")
        .order_by()
    )
    width = len(by) + len(labels)
    sums: dict[tuple[Any, str, int], Decimal] = {}
    extras: dict[Any, dict[str, Any]] = {}
    with localcontext() as context:
        context.prec = PRECISION
        for row in rows:
            key = row[0] if len(by) == 1 else tuple(row[: len(by)])
            currency, year, amount = row[width:]
            if key not in extras:
                extras[key] = dict(zip(labels, row[len(by) : width], strict=True))
            sums[key, currency, year] = sums.get((key, currency, year), Decimal(0)) + amount
        groups: dict[Any, Total] = {}
        overall = Total(key=None)
        for (key, currency, year), amount in sums.items():
            total = groups.get(key)
            if total is None:
                total = groups[key] = Total(key=key, extra=extras[key])
            _add(total, amount, currency, year, reporting, rates)
            _add(overall, amount, currency, year, reporting, rates)
        ordered = sorted(
            (_finish(total) for total in groups.values()),
            key=lambda t: (-t.converted, str(t.key)),
        )
        overall = _finish(overall)
    return Totals(currency=reporting, rows=ordered, overall=overall)


def totals_by_activity(network: Network, contributions: QuerySet | None = None) -> Totals:
    return compute_totals(
        network, by=("activity_id",), labels=("activity__title",), contributions=contributions
    )


def totals_by_organisation(network: Network, contributions: QuerySet | None = None) -> Totals:
    return compute_totals(
        network,
        by=("organisation_id",),
        labels=("organisation__name", "organisation__slug", "organisation__sector__name"),
        contributions=contributions,
    )


def totals_by_sector(network: Network, contributions: QuerySet | None = None) -> Totals:
    return compute_totals(
        network,
        by=("organisation__sector_id",),
        labels=("organisation__sector__name", "organisation__sector__colour"),
        contributions=contributions,
    )


def totals_by_funder_and_activity(network: Network) -> Totals:
    """Who funds what: one row per (organisation, activity)."""
    return compute_totals(
        network,
        by=("organisation_id", "activity_id"),
        labels=("organisation__name", "activity__title", "activity__uid"),
    )


def group_by_first(rows: list[Total]) -> dict[Any, list[Total]]:
    grouped: dict[Any, list[Total]] = defaultdict(list)
    for row in rows:
        grouped[row.key[0]].append(row)
    return grouped
