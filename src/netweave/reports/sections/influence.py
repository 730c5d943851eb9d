"""Report sections: the outcomes of the year and the indicators against their targets.

Outcomes belong to the year of their date (``Outcome.date``, when the change happened), as
the computed indicators "outcomes recorded" and "outcomes substantiated" count them.

An indicator's value for the year is the value entered for that year or, for a computed
indicator, the value its computation (``influence.indicators``) gives. A target is met when
the value reaches it (a higher value is better, as on the indicator pages). An indicator
with no target for the year is on track when its value reaches the straight line from its
baseline to its next target.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netweave.influence import indicators as registry
from netweave.influence.models import (
    Indicator,
    IndicatorSource,
    IndicatorValue,
    Outcome,
    OutcomeKind,
    Substantiation,
)
from netweave.reports.registry import section
from netweave.reports.report import Chart, Figure, Records, Section

if TYPE_CHECKING:
    from netweave.networks.models import Network

OUTCOME_FIGURES = {
    "outcomes": gettext_lazy("Outcomes recorded for the year"),
    "outcomes_substantiated": gettext_lazy("Outcomes substantiated"),
    "outcomes_not_substantiated": gettext_lazy("Outcomes not substantiated"),
    "outcomes_pending": gettext_lazy("Outcomes awaiting substantiation"),
}
SUBSTANTIATION_FIGURES = {
    Substantiation.YES: "outcomes_substantiated",
    Substantiation.NO: "outcomes_not_substantiated",
    Substantiation.PENDING: "outcomes_pending",
}
INDICATOR_FIGURES = {
    "indicators": gettext_lazy("Indicators tracked"),
    "indicators_with_target": gettext_lazy("Indicators with a target for the year"),
    "targets_met": gettext_lazy("Targets met"),
    "indicators_on_track": gettext_lazy("Indicators on track towards a later target"),
}

MET, NOT_MET, NO_VALUE, ON_TRACK, BEHIND, NO_TARGET = (
    "met",
    "not_met",
    "no_value",
    "on_track",
    "behind",
    "no_target",
)


def _status_labels() -> dict[str, str]:
    return {
        MET: _("Target met"),
        NOT_MET: _("Target not met"),
        NO_VALUE: _("No value for the year"),
        ON_TRACK: _("On track"),
        BEHIND: _("Behind the path to the next target"),
        NO_TARGET: _("No target"),
    }


def _choice(choices: Any, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


# Outcomes ----------------------------------------------------------------------------------


@section("outcomes", heading=gettext_lazy("Outcomes"), order=70, figures=OUTCOME_FIGURES)
def build_outcomes(network: Network, year: int) -> Section:
    """The outcomes dated in the year, by kind of change and substantiation (one query)."""
    outcomes = list(
        Outcome.objects.filter(network=network, date__year=year)
        .select_related("actor_organisation")
        .order_by("date", "title", "id")
    )
    columns = [
        _("Outcome"),
        _("What changed"),
        _("Kind of change"),
        _("Actor"),
        _("Date"),
        _("Significance"),
        _("Substantiated"),
    ]

    def row(outcome: Outcome) -> list[Any]:
        return [
            outcome.title,
            outcome.description,
            _choice(OutcomeKind, outcome.kind),
            outcome.actor,
            outcome.date,
            outcome.significance,
            _choice(Substantiation, outcome.substantiation),
        ]

    figures = [
        Figure(
            "outcomes",
            str(OUTCOME_FIGURES["outcomes"]),
            len(outcomes),
            records=Records(_("Outcomes of the year"), columns, [row(o) for o in outcomes]),
            note=_("Outcomes dated in the year, whatever their substantiation."),
        )
    ]
    for value, key in SUBSTANTIATION_FIGURES.items():
        chosen = [o for o in outcomes if o.substantiation == value]
        figures.append(
            Figure(
                key,
                str(OUTCOME_FIGURES[key]),
                len(chosen),
                records=Records(str(OUTCOME_FIGURES[key]), columns, [row(o) for o in chosen]),
            )
        )
    charts = []
    kinds = [kind for kind in OutcomeKind.values if any(o.kind == kind for o in outcomes)]
    if kinds:
        charts.append(
            Chart(
                "outcomes_by_kind",
                _("Outcomes of %(year)s by kind of change") % {"year": year},
                "stacked",
                [_choice(OutcomeKind, kind) for kind in kinds],
                {
                    _choice(Substantiation, value): [
                        float(
                            sum(1 for o in outcomes if o.kind == kind and o.substantiation == value)
                        )
                        for kind in kinds
                    ]
                    for value in SUBSTANTIATION_FIGURES
                },
            )
        )
    return Section(key="outcomes", heading=str(_("Outcomes")), figures=figures, charts=charts)


# Indicators --------------------------------------------------------------------------------


def _path_value(indicator: Indicator, year: int, targets: dict[int, Decimal]) -> Decimal | None:
    """Where the straight line from the baseline to the next target stands in ``year``."""
    later = sorted(y for y in targets if y > year)
    base_year, base = indicator.baseline_year, indicator.baseline_value
    if not later or base is None or base_year is None or base_year > year:
        return None
    goal_year = later[0]
    share = Decimal(year - base_year) / Decimal(goal_year - base_year)
    return base + (targets[goal_year] - base) * share


def indicator_status(
    indicator: Indicator, year: int, value: Decimal | None, targets: dict[int, Decimal]
) -> tuple[str, Decimal | None]:
    """(status, the target or path value it was compared with) for ``year``."""
    target = targets.get(year)
    if target is not None:
        if value is None:
            return NO_VALUE, target
        return (MET if value >= target else NOT_MET), target
    path = _path_value(indicator, year, targets)
    if path is None:
        return NO_TARGET, None
    if value is None:
        return NO_VALUE, path
    return (ON_TRACK if value >= path else BEHIND), path


@section("indicators", heading=gettext_lazy("Indicators"), order=80, figures=INDICATOR_FIGURES)
def build_indicators(network: Network, year: int) -> Section:
    """Each indicator's baseline, target and value for the year, and whether it is met.

    Three queries (indicators, their targets, their entries for the year) and one per kind
    of computation in use, whatever the number of indicators.
    """
    indicators = list(
        Indicator.objects.filter(network=network)
        .prefetch_related(
            "targets",
            Prefetch(
                "entries", queryset=IndicatorValue.objects.filter(year=year), to_attr="of_year"
            ),
        )
        .order_by("name", "id")
    )
    kinds = {
        indicator.computation
        for indicator in indicators
        if indicator.source == IndicatorSource.COMPUTED
        and indicator.computation in registry.REGISTRY
    }
    computed = {key: registry.compute(key, network, [year]) for key in sorted(kinds)}
    labels = _status_labels()
    columns = [
        _("Indicator"),
        _("Unit"),
        _("Source"),
        _("Baseline"),
        _("Baseline year"),
        _("Target %(year)s") % {"year": year},
        _("Value %(year)s") % {"year": year},
        _("Status"),
    ]
    rows: list[list[Any]] = []
    by_status: dict[str, list[list[Any]]] = {}
    shares: list[tuple[str, float]] = []
    for indicator in indicators:
        targets = {target.year: target.value for target in indicator.targets.all()}
        if indicator.source == IndicatorSource.COMPUTED:
            value = computed.get(indicator.computation, {}).get(year)
        else:
            value = indicator.of_year[0].value if indicator.of_year else None
        status, _compared = indicator_status(indicator, year, value, targets)
        row = [
            indicator.name,
            indicator.unit,
            _choice(IndicatorSource, indicator.source),
            indicator.baseline_value,
            indicator.baseline_year,
            targets.get(year),
            value,
            labels[status],
        ]
        rows.append(row)
        by_status.setdefault(status, []).append(row)
        target = targets.get(year)
        if target and value is not None:
            share = (value / target * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            shares.append((indicator.name, float(share)))

    with_target = [row for row in rows if row[5] is not None]
    met = by_status.get(MET, [])
    on_track = by_status.get(ON_TRACK, [])
    title = _("Indicators %(year)s") % {"year": year}
    figures = [
        Figure(
            "indicators",
            str(INDICATOR_FIGURES["indicators"]),
            len(rows),
            records=Records(title, columns, rows),
        ),
        Figure(
            "indicators_with_target",
            str(INDICATOR_FIGURES["indicators_with_target"]),
            len(with_target),
            records=Records(_("Indicators with a target for the year"), columns, with_target),
        ),
        Figure(
            "targets_met",
            str(INDICATOR_FIGURES["targets_met"]),
            len(met),
            records=Records(_("Targets met"), columns, met),
            note=_("A target is met when the year's value reaches it."),
        ),
        Figure(
            "indicators_on_track",
            str(INDICATOR_FIGURES["indicators_on_track"]),
            len(on_track),
            records=Records(_("Indicators on track"), columns, on_track),
            note=_(
                "No target for the year, and a value that reaches the straight line from "
                "the baseline to the next target."
            ),
        ),
    ]
    charts = []
    if shares:
        charts.append(
            Chart(
                "targets_reached",
                _("Share of the %(year)s target reached") % {"year": year},
                "hbar",
                [name for name, _share in shares],
                {_("Percentage of target"): [share for _name, share in shares]},
                unit="%",
            )
        )
    tables = [Records(title, columns, rows)] if rows else []
    return Section(
        key="indicators",
        heading=str(_("Indicators")),
        figures=figures,
        charts=charts,
        tables=tables,
    )
