"""Influence mapping: goals, dated assessments of each actor, and their pictures.

For an influencing goal (a tariff reform, a draft law) the facilitator rates each relevant
organisation's influence on it (1–5) and its position (−2 opposes … 2 supports), again
whenever it changes. An organisation's latest assessment is its current stance; the one
before is where it came from.

The writes (``create_goal``, ``update_goal``, ``record_assessment``,
``delete_assessment``) check their input, raise ``ValidationError`` with a message that
names what is wrong and run in one transaction. The pictures (``grid_figure``,
``towers_figure``) and the comparison of stances (``stances``) are pure functions of
plain rows. Who may call what is the callers' business: this is political data, read only
by facilitators and the steering committee (``can_read``), written by facilitators.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from netweave.core.access import NetworkAccess, network_for, require, visible_networks
from netweave.directory.models import Organisation
from netweave.influence.models import InfluenceAssessment, InfluenceGoal, Position
from netweave.networks.models import Membership, Network

INFLUENCE_MIN, INFLUENCE_MAX = 1, 5
POSITION_MIN, POSITION_MAX = -2, 2
# Who the paths lead from and to (analysis.influence): supportive members, and influential
# actors who are undecided or opposed.
SUPPORTIVE_FROM = 1
INFLUENTIAL_FROM = 4
POSITION_COLOURS = {
    -2: "#b2182b",
    -1: "#ef8a62",
    0: "#8c8c8c",
    1: "#67a9cf",
    2: "#2166ac",
}


# Permissions -------------------------------------------------------------------------------
def can_read(access: NetworkAccess) -> bool:
    return access.authenticated and (access.is_facilitator or access.is_steering)


def can_manage(access: NetworkAccess) -> bool:
    return access.authenticated and access.is_facilitator


def mapping_for(request: Any, slug: str, *, manage: bool = False) -> tuple[Network, NetworkAccess]:
    """The network and access of a mapping page.

    Influence maps are political: whoever is not a facilitator or steering committee
    member finds nothing (404), so their existence is not revealed either.
    """
    network, access = network_for(request, slug)
    if not can_read(access):
        raise Http404
    if manage:
        require(can_manage(access))
    return network, access


# Plain data --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Assessed:
    """One assessment as plain data."""

    organisation_id: int
    label: str
    assessed_on: dt.date
    influence: int
    position: int
    note: str = ""
    slug: str = ""
    sector: str = ""
    name: str = ""


@dataclass(frozen=True)
class Stance:
    """An organisation's current assessment, and the one before it (if any)."""

    current: Assessed
    previous: Assessed | None

    @property
    def organisation_id(self) -> int:
        return self.current.organisation_id

    @property
    def label(self) -> str:
        return self.current.label

    @property
    def name(self) -> str:
        return self.current.name or self.current.label

    @property
    def moved(self) -> bool:
        return self.previous is not None and (
            self.previous.influence != self.current.influence
            or self.previous.position != self.current.position
        )

    @property
    def influence_change(self) -> int:
        return 0 if self.previous is None else self.current.influence - self.previous.influence

    @property
    def position_change(self) -> int:
        return 0 if self.previous is None else self.current.position - self.previous.position

    @property
    def is_supportive(self) -> bool:
        return self.current.position >= SUPPORTIVE_FROM

    @property
    def is_target(self) -> bool:
        """Influential and not (yet) on the goal's side."""
        return self.current.influence >= INFLUENTIAL_FROM and self.current.position <= 0


def stances(assessments: Iterable[Assessed], *, as_of: dt.date | None = None) -> list[Stance]:
    """Each organisation's latest assessment (up to ``as_of``) and its previous one.

    Sorted by influence (highest first), then position, then label.
    """
    by_org: dict[int, list[Assessed]] = defaultdict(list)
    for item in assessments:
        if as_of is None or item.assessed_on <= as_of:
            by_org[item.organisation_id].append(item)
    result = []
    for items in by_org.values():
        items.sort(key=lambda item: item.assessed_on, reverse=True)
        result.append(Stance(current=items[0], previous=items[1] if len(items) > 1 else None))
    result.sort(key=lambda s: (-s.current.influence, -s.current.position, s.label.casefold()))
    return result


def _spread(points: Sequence[Stance]) -> dict[int, float]:
    """Horizontal offsets so that organisations in the same cell of the grid do not overlap."""
    cells: dict[tuple[int, int], list[Stance]] = defaultdict(list)
    for stance in points:
        cells[(stance.current.position, stance.current.influence)].append(stance)
    offsets = {}
    for members in cells.values():
        members.sort(key=lambda s: s.label.casefold())
        width = min(0.8, 0.3 * (len(members) - 1))
        for index, stance in enumerate(members):
            offsets[stance.organisation_id] = (
                0.0 if len(members) == 1 else -width / 2 + width * index / (len(members) - 1)
            )
    return offsets


def _text_positions(points: Sequence[Stance]) -> list[str]:
    seen: dict[tuple[int, int], int] = defaultdict(int)
    order = sorted(range(len(points)), key=lambda i: points[i].label.casefold())
    positions = [""] * len(points)
    for index in order:
        cell = (points[index].current.position, points[index].current.influence)
        positions[index] = "top center" if seen[cell] % 2 == 0 else "bottom center"
        seen[cell] += 1
    return positions


def position_labels() -> list[str]:
    return [str(Position(value).label) for value in range(POSITION_MIN, POSITION_MAX + 1)]


def grid_figure(points: Sequence[Stance]) -> dict[str, Any]:
    """The influence–interest grid: position across, influence up; arrows from where each
    organisation that moved stood at its previous assessment."""
    offsets = _spread(points)
    xs = [s.current.position + offsets[s.organisation_id] for s in points]
    annotations = []
    for stance, x in zip(points, xs, strict=True):
        if stance.moved:
            annotations.append(
                {
                    "x": x,
                    "y": stance.current.influence,
                    "ax": stance.previous.position,
                    "ay": stance.previous.influence,
                    "xref": "x",
                    "yref": "y",
                    "axref": "x",
                    "ayref": "y",
                    "showarrow": True,
                    "arrowhead": 2,
                    "arrowsize": 1,
                    "arrowwidth": 1.2,
                    "standoff": 8,
                    "arrowcolor": "#5a6472",
                    "opacity": 0.8,
                    "text": "",
                }
            )
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "markers+text",
                "x": xs,
                "y": [s.current.influence for s in points],
                "text": [s.label for s in points],
                "customdata": [s.current.slug for s in points],
                # Neighbours in a cell take turns above and below, so labels do not collide.
                "textposition": _text_positions(points),
                "textfont": {"size": 11},
                "marker": {
                    "size": 14,
                    "color": [POSITION_COLOURS[s.current.position] for s in points],
                    "line": {"width": 1, "color": "#ffffff"},
                },
                "hovertemplate": "%{text}<extra></extra>",
            }
        ],
        "layout": {
            "height": 520,
            "showlegend": False,
            "xaxis": {
                "range": [POSITION_MIN - 0.6, POSITION_MAX + 0.6],
                "tickmode": "array",
                "tickvals": list(range(POSITION_MIN, POSITION_MAX + 1)),
                "ticktext": position_labels(),
                "title": {"text": _("Position on the goal")},
                "zeroline": False,
            },
            "yaxis": {
                "range": [INFLUENCE_MIN - 0.5, INFLUENCE_MAX + 0.7],
                "dtick": 1,
                "title": {"text": _("Influence on the goal")},
            },
            "shapes": [
                {
                    "type": "rect",
                    "x0": POSITION_MIN - 0.6,
                    "x1": 0.5,
                    "y0": INFLUENTIAL_FROM - 0.5,
                    "y1": INFLUENCE_MAX + 0.7,
                    "fillcolor": "#fdf1ef",
                    "line": {"width": 0},
                    "layer": "below",
                }
            ],
            "annotations": annotations,
            "margin": {"t": 20, "r": 20, "b": 60, "l": 60},
        },
    }


def towers_figure(points: Sequence[Stance]) -> dict[str, Any]:
    """Net-Map's influence towers: a bar per organisation as high as its influence."""
    ordered = sorted(points, key=lambda s: (-s.current.influence, s.label.casefold()))
    return {
        "data": [
            {
                "type": "bar",
                "x": [s.label for s in ordered],
                "y": [s.current.influence for s in ordered],
                "marker": {"color": [POSITION_COLOURS[s.current.position] for s in ordered]},
                "text": [str(Position(s.current.position).label) for s in ordered],
                "hovertemplate": "%{x}: %{y} (%{text})<extra></extra>",
            }
        ],
        "layout": {
            "height": 380,
            "yaxis": {"range": [0, INFLUENCE_MAX], "dtick": 1, "title": {"text": _("Influence")}},
            "xaxis": {"tickangle": -35, "automargin": True},
            "margin": {"t": 20, "r": 10, "b": 120, "l": 50},
        },
    }


# Reads -------------------------------------------------------------------------------------
def assessed_rows(goal: InfluenceGoal) -> list[Assessed]:
    """Every assessment of the goal as plain data (one query)."""
    queryset = (
        InfluenceAssessment.objects.filter(goal=goal)
        .select_related("organisation__sector")
        .order_by("organisation__name", "-assessed_on")
    )
    return [
        Assessed(
            organisation_id=item.organisation_id,
            label=item.organisation.acronym or item.organisation.name,
            assessed_on=item.assessed_on,
            influence=item.influence,
            position=item.position,
            note=item.note,
            slug=item.organisation.slug,
            sector=item.organisation.sector.name,
            name=item.organisation.display_name,
        )
        for item in queryset
    ]


def goal_stances(goal: InfluenceGoal, *, as_of: dt.date | None = None) -> list[Stance]:
    return stances(assessed_rows(goal), as_of=as_of)


def assessable_organisations(network: Network, user: Any) -> QuerySet:
    """Organisations a facilitator may assess for the network's goals.

    The network's members, past and present, and the organisations of the directory the
    user may see through other networks (a ministry that is not a member, a parliament
    committee), and any organisation already assessed for one of the network's goals.
    """
    ever = Membership.objects.filter(network=network).values("organisation_id")
    seen = Membership.objects.filter(network__in=visible_networks(user)).values("organisation_id")
    assessed = InfluenceAssessment.objects.filter(goal__network=network).values("organisation_id")
    return Organisation.objects.filter(
        Q(id__in=ever) | Q(id__in=seen) | Q(id__in=assessed)
    ).select_related("sector")


def member_ids(network: Network) -> set[int]:
    return set(
        Membership.objects.current()
        .filter(network=network)
        .values_list("organisation_id", flat=True)
    )


# Writes ------------------------------------------------------------------------------------
def _title(title: Any) -> str:
    text = str(title or "").strip()
    if not text:
        raise ValidationError({"title": _("Give the goal a title.")})
    if len(text) > 250:
        raise ValidationError({"title": _("Keep the title under 250 characters.")})
    return text


@transaction.atomic
def create_goal(
    network: Network, *, title: str, description: str = "", acting_user: Any
) -> InfluenceGoal:
    """An influencing goal of the network (a reform, a law, a budget line)."""
    text = _title(title)
    if InfluenceGoal.objects.filter(network=network, title__iexact=text).exists():
        raise ValidationError(
            {"title": _("The network already maps a goal called “%(title)s”.") % {"title": text}}
        )
    return InfluenceGoal.objects.create(
        network=network,
        title=text,
        description=(description or "").strip(),
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )


@transaction.atomic
def update_goal(
    goal: InfluenceGoal,
    *,
    title: str,
    description: str = "",
    active: bool = True,
    acting_user: Any,
) -> InfluenceGoal:
    text = _title(title)
    clash = InfluenceGoal.objects.filter(network_id=goal.network_id, title__iexact=text).exclude(
        pk=goal.pk
    )
    if clash.exists():
        raise ValidationError(
            {"title": _("The network already maps a goal called “%(title)s”.") % {"title": text}}
        )
    goal.title = text
    goal.description = (description or "").strip()
    goal.active = bool(active)
    goal.save()
    return goal


def _whole(value: Any, *, field: str, low: int, high: int, message: str) -> int:
    try:
        number = int(value)
        if str(number) != str(value).strip():
            raise ValueError
    except (TypeError, ValueError):
        raise ValidationError({field: message}) from None
    if not low <= number <= high:
        raise ValidationError({field: message})
    return number


@transaction.atomic
def record_assessment(
    goal: InfluenceGoal,
    *,
    organisation: Organisation,
    influence: Any,
    position: Any,
    assessed_on: dt.date | None = None,
    note: str = "",
    acting_user: Any,
) -> tuple[InfluenceAssessment, bool]:
    """Record where an organisation stands on the goal on a day.

    A second assessment of the same organisation on the same day corrects the first
    (returns ``created=False``); another day is a re-assessment, kept as history.
    """
    today = timezone.localdate()
    assessed_on = assessed_on or today
    if organisation is None:
        raise ValidationError({"organisation": _("Choose the organisation to assess.")})
    influence = _whole(
        influence,
        field="influence",
        low=INFLUENCE_MIN,
        high=INFLUENCE_MAX,
        message=_("Influence is a whole number from 1 (little) to 5 (decisive), not “%(v)s”.")
        % {"v": influence},
    )
    position = _whole(
        position,
        field="position",
        low=POSITION_MIN,
        high=POSITION_MAX,
        message=_("Position is a whole number from −2 (opposes) to 2 (supports), not “%(v)s”.")
        % {"v": position},
    )
    if assessed_on > today:
        raise ValidationError(
            {"assessed_on": _("The date %(date)s is in the future.") % {"date": assessed_on}}
        )
    if not goal.active:
        raise ValidationError(_("The goal is archived; reactivate it to assess organisations."))
    by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    assessment, created = InfluenceAssessment.objects.update_or_create(
        goal=goal,
        organisation=organisation,
        assessed_on=assessed_on,
        defaults={
            "influence": influence,
            "position": position,
            "note": (note or "").strip(),
            "assessed_by": by,
        },
    )
    return assessment, created


@transaction.atomic
def delete_assessment(assessment: InfluenceAssessment, *, acting_user: Any) -> None:
    """Remove a mistaken assessment (its history keeps the record)."""
    assessment.delete()
