"""The survey's figures as pure functions of plain rows: no database here.

A rating row is ``(rater_id, rated_id, frequency, trust, value)``. Averages are exact
sums divided by counts, so tests can compute them by hand; ``None`` stands for "no rating".
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from netweave.surveys.models import MEASURES

Rating = tuple[int, int, int, int, int]


def mean(total: int, count: int) -> float | None:
    return round(total / count, 2) if count else None


@dataclass
class Tally:
    """Counts and sums of the three measures over some ratings."""

    count: int = 0
    sums: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))

    def add(self, frequency: int, trust: int, value: int) -> None:
        self.count += 1
        for name, score in zip(MEASURES, (frequency, trust, value), strict=True):
            self.sums[name] += score

    @property
    def averages(self) -> dict[str, float | None]:
        return {name: mean(self.sums[name], self.count) for name in MEASURES}


@dataclass
class OrganisationFigures:
    organisation_id: int
    responded: bool
    received: Tally = field(default_factory=Tally)
    given: Tally = field(default_factory=Tally)


@dataclass
class RoundFigures:
    members: int
    responded: int
    ratings: int
    overall: dict[str, float | None]
    # Share of the ties named by at least one side that both sides named.
    reciprocity: float | None
    by_organisation: dict[int, OrganisationFigures]

    @property
    def response_rate(self) -> float | None:
        return round(self.responded / self.members, 4) if self.members else None


def round_figures(
    ratings: Iterable[Rating], *, members: Collection[int], responded: Collection[int]
) -> RoundFigures:
    """Response rate, network averages, reciprocity and each member's received and given."""
    responded_members = set(responded) & set(members)
    by_org = {
        org: OrganisationFigures(organisation_id=org, responded=org in responded_members)
        for org in members
    }
    overall = Tally()
    pairs: set[tuple[int, int]] = set()
    for rater, rated, frequency, trust, value in ratings:
        overall.add(frequency, trust, value)
        pairs.add((rater, rated))
        for org, side in ((rated, "received"), (rater, "given")):
            figures = by_org.get(org)
            if figures is None:  # a former member's rating still counts for the network
                continue
            getattr(figures, side).add(frequency, trust, value)
    ties = {frozenset(pair) for pair in pairs}
    mutual = sum(1 for rater, rated in pairs if rater < rated and (rated, rater) in pairs)
    return RoundFigures(
        members=len(by_org),
        responded=len(responded_members),
        ratings=overall.count,
        overall=overall.averages,
        reciprocity=round(mutual / len(ties), 4) if ties else None,
        by_organisation=by_org,
    )


@dataclass(frozen=True)
class TrendPoint:
    year: int
    status: str
    members: int
    responded: int
    ratings: int
    averages: dict[str, float | None]

    @property
    def response_rate(self) -> float | None:
        return round(self.responded / self.members, 4) if self.members else None


def trend_figure(
    points: Sequence[TrendPoint],
    *,
    measure: str,
    label: str,
    own: Sequence[float | None] | None = None,
    own_label: str = "",
) -> dict:
    """A plotly line figure of one measure over the years (and one's own, if given)."""
    years = [point.year for point in points]
    if measure == "response_rate":
        values = [
            None if p.response_rate is None else round(100 * p.response_rate, 1) for p in points
        ]
        axis = {"range": [-3, 103], "ticksuffix": "%"}
    else:
        values = [point.averages.get(measure) for point in points]
        axis = {"range": [0.8, 5.2], "tickvals": [1, 2, 3, 4, 5]}
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": label,
            "x": years,
            "y": values,
            "line": {"color": "#0b5cad"},
        }
    ]
    if own is not None:
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": own_label,
                "x": years,
                "y": list(own),
                "line": {"color": "#c05d0b", "dash": "dot"},
            }
        )
    return {
        "data": data,
        "layout": {
            "height": 260,
            "xaxis": {"tickmode": "array", "tickvals": years, "ticktext": [str(y) for y in years]},
            "yaxis": axis,
            "showlegend": own is not None,
            "legend": {"orientation": "h"},
        },
    }
