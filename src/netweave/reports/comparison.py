"""The programme's comparison of networks: the data that the page and the API share.

Every network is measured by the same definitions: the computed indicators of
``netweave.influence.indicators``, whose docstrings the page shows. Stage timelines are
aligned on each network's first milestone, so that networks launched years apart can be
read side by side ("formal in its fourth year").

Queries: ``compare_indicators`` runs one aggregate query per network and indicator (the
indicators are computed per network), so its count grows with the number of networks but
not with the number of records or of years; ``aligned_timelines`` runs one query whatever
the number of networks.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from netweave.influence import indicators as registry
from netweave.networks.models import STAGE_ORDER, Network, Stage, StageMilestone

FIRST_YEAR = 1990
DEFAULT_YEARS = 5
MAX_YEARS = 30
DAYS_A_YEAR = Decimal("365.25")


# Years ---------------------------------------------------------------------------------------
def default_years(*, today: dt.date | None = None) -> list[int]:
    """The last five years, the current one included."""
    last = (today or timezone.localdate()).year
    return list(range(last - DEFAULT_YEARS + 1, last + 1))


def check_years(since: Any, until: Any, *, today: dt.date | None = None) -> list[int]:
    """The years from ``since`` to ``until`` (either blank: the default range's end).

    A ``ValidationError`` keyed by ``since`` / ``until`` names what is wrong.
    """
    this_year = (today or timezone.localdate()).year
    default = default_years(today=today)
    errors: dict[str, str] = {}
    values: dict[str, int] = {}
    for name, raw, fallback in (("since", since, None), ("until", until, default[-1])):
        text = str(raw).strip() if raw is not None else ""
        if not text:
            if fallback is not None:
                values[name] = fallback
            continue
        if not (text.isascii() and text.isdigit()):
            message = _("“%(value)s” is not a year: write it as four digits, such as 2015.")
            errors[name] = message % {"value": text}
            continue
        year = int(text)
        if not FIRST_YEAR <= year <= this_year:
            errors[name] = _("Choose a year from %(first)d to %(last)d.") % {
                "first": FIRST_YEAR,
                "last": this_year,
            }
            continue
        values[name] = year
    if errors:
        raise ValidationError(errors)
    last = values["until"]
    first = values.get("since", last - DEFAULT_YEARS + 1)
    first = max(first, FIRST_YEAR)
    if first > last:
        raise ValidationError(
            {
                "since": _("The first year (%(since)d) comes after the last one (%(until)d).")
                % {"since": first, "until": last}
            }
        )
    if last - first + 1 > MAX_YEARS:
        raise ValidationError(
            {"since": _("Compare at most %(count)d years at a time.") % {"count": MAX_YEARS}}
        )
    return list(range(first, last + 1))


# Indicators ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class NetworkValues:
    network: Network
    values: list[Decimal]  # in the order of the comparison's years


@dataclass(frozen=True)
class IndicatorComparison:
    key: str
    label: str | Promise
    unit: str | Promise
    definition: str
    years: list[int]
    rows: list[NetworkValues]


def compare_indicators(
    networks: Sequence[Network], years: Iterable[int]
) -> list[IndicatorComparison]:
    """Every computed indicator for every network and year, in the registry's order.

    One query per network and indicator (see the module docstring).
    """
    wanted = sorted(set(years))
    comparisons = []
    for key, item in registry.REGISTRY.items():
        rows = []
        for network in networks:
            values = registry.compute(key, network, wanted)
            rows.append(NetworkValues(network=network, values=[values[y] for y in wanted]))
        comparisons.append(
            IndicatorComparison(
                key=key,
                label=item.label,
                unit=item.unit,
                definition=item.definition,
                years=wanted,
                rows=rows,
            )
        )
    return comparisons


# Stage timelines -----------------------------------------------------------------------------
@dataclass(frozen=True)
class AlignedMilestone:
    stage: str
    label: str
    date: dt.date
    note: str
    years_since: Decimal  # since the network's first milestone, to one decimal
    year_number: int  # 1 for the twelve months from the first milestone, 2 for the next …


@dataclass(frozen=True)
class AlignedTimeline:
    network: Network
    origin: dt.date | None  # the date of the first milestone
    milestones: list[AlignedMilestone]  # by date

    @property
    def by_stage(self) -> list[AlignedMilestone | None]:
        """One cell per stage, in the stages' order (``None``: not reached)."""
        found = {m.stage: m for m in self.milestones}
        return [found.get(stage) for stage in STAGE_ORDER]

    @property
    def span(self) -> Decimal:
        return self.milestones[-1].years_since if self.milestones else Decimal(0)


def whole_years(origin: dt.date, day: dt.date) -> int:
    """Completed years from ``origin`` to ``day`` (a birthday count)."""
    return day.year - origin.year - ((day.month, day.day) < (origin.month, origin.day))


def aligned_timelines(networks: Sequence[Network]) -> list[AlignedTimeline]:
    """Each network's milestones placed by years since its first one (one query).

    The first milestone is normally the informal stage; when the informal start was not
    recorded, the earliest recorded milestone is the origin. Networks without milestones
    get an empty timeline.
    """
    by_network: dict[int, list[StageMilestone]] = defaultdict(list)
    for milestone in StageMilestone.objects.filter(network__in=[n.pk for n in networks]).order_by(
        "date", "id"
    ):
        by_network[milestone.network_id].append(milestone)
    timelines = []
    for network in networks:
        milestones = by_network.get(network.pk, [])
        origin = milestones[0].date if milestones else None
        aligned = []
        for milestone in milestones:
            first = milestones[0].date
            since = (Decimal((milestone.date - first).days) / DAYS_A_YEAR).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
            aligned.append(
                AlignedMilestone(
                    stage=milestone.stage,
                    label=str(Stage(milestone.stage).label),
                    date=milestone.date,
                    note=milestone.note,
                    years_since=since,
                    year_number=whole_years(first, milestone.date) + 1,
                )
            )
        timelines.append(AlignedTimeline(network=network, origin=origin, milestones=aligned))
    return timelines


def stages() -> list[tuple[str, str]]:
    """The stages in their order, as (value, label)."""
    return [(stage, str(Stage(stage).label)) for stage in STAGE_ORDER]
