"""Report section: membership growth, joiners and leavers, the sector mix and the stage reached.

Members are counted as the computed indicators count them (``netweave.influence.indicators``):
an organisation is a member on 31 December when one of its memberships of the network had
started on or before that day and had not ended by it; applicants and suspended memberships
are not counted. The growth series is the indicator ``member_organisations`` itself; the
lists behind the figures are read with the same rule, so their lengths equal the figures.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netweave.influence.indicators import compute, year_end
from netweave.networks.models import Membership, MembershipStatus, Stage, StageMilestone
from netweave.reports.registry import section
from netweave.reports.report import Chart, Figure, Records, Section, Value

if TYPE_CHECKING:
    from netweave.networks.models import Network

# Applicants were never admitted and a suspended membership does not count (as in the
# indicators); those that left were active until they left.
NOT_COUNTED = [MembershipStatus.APPLICANT, MembershipStatus.SUSPENDED]


def _first_year(network: Network, first_joined: dt.date | None, year: int) -> int:
    starts = [day.year for day in (network.launched, first_joined) if day]
    return min([*starts, year])


def _stage_name(stage: str) -> str:
    return str(Stage(stage).label) if stage in Stage.values else stage


FIGURES = {
    "members_total": gettext_lazy("Member organisations at the end of the year"),
    "members_joined": gettext_lazy("Organisations that joined during the year"),
    "members_left": gettext_lazy("Organisations that left during the year"),
    "members_change": gettext_lazy("Net change in member organisations"),
    "sectors_represented": gettext_lazy("Sectors represented at the end of the year"),
    "stage": gettext_lazy("Stage of the network at the end of the year"),
    "milestones_reached": gettext_lazy("Stage milestones reached during the year"),
}


def _figure(key: str, value: Value, **kwargs: Any) -> Figure:
    return Figure(key, str(FIGURES[key]), value, **kwargs)


@section(
    "membership",
    heading=gettext_lazy("Membership"),
    order=10,
    figures=FIGURES,
)
def build_membership(network: Network, year: int) -> Section:
    """Members at year end, who joined and who left, growth, sector mix and stage.

    Three queries whatever the number of members: the memberships up to the year's end
    (organisation and sector joined in), the growth indicator over all the years at once,
    and the stage milestones up to the year's end.
    """
    start, end = dt.date(year, 1, 1), year_end(year)
    rows = list(
        Membership.objects.filter(network=network, joined__lte=end)
        .exclude(status__in=NOT_COUNTED)
        .order_by("organisation__name", "joined", "id")
        .values_list(
            "organisation_id", "organisation__name", "organisation__sector__name", "joined", "left"
        )
    )
    first_joined = min((row[3] for row in rows), default=None)
    first = _first_year(network, first_joined, year)
    years = list(range(min(first, year - 1), year + 1))
    growth = compute("member_organisations", network, years)

    members: dict[int, list[Any]] = {}
    joiners: dict[int, list[Any]] = {}
    leavers: dict[int, list[Any]] = {}
    for org_id, name, sector_name, joined, left in rows:
        sector_label = _(sector_name) if sector_name else ""
        if left is None or left > end:
            # An organisation with two running periods is listed once, with the earlier date.
            members.setdefault(org_id, [name, sector_label, joined])
        if start <= joined <= end:
            joiners.setdefault(org_id, [name, sector_label, joined])
        if left is not None and start <= left <= end:
            leavers[org_id] = [name, sector_label, joined, left]

    sectors = Counter(row[1] for row in members.values())
    sector_rows = sorted(sectors.items(), key=lambda item: (-item[1], item[0]))

    milestones = list(
        StageMilestone.objects.filter(network=network, date__lte=end)
        .order_by("date", "id")
        .values_list("stage", "date", "note")
    )
    reached = [m for m in milestones if m[1] >= start]
    stage = _stage_name(milestones[-1][0]) if milestones else None

    member_columns = [_("Organisation"), _("Sector"), _("Joined")]
    members_total = int(growth[year])
    figures = [
        _figure(
            "members_total",
            members_total,
            records=Records(
                _("Member organisations on 31 December"), member_columns, [*members.values()]
            ),
            note=_("Memberships running on 31 December; applicants and suspended not counted."),
        ),
        _figure(
            "members_joined",
            len(joiners),
            records=Records(_("Organisations that joined"), member_columns, [*joiners.values()]),
        ),
        _figure(
            "members_left",
            len(leavers),
            records=Records(
                _("Organisations that left"), [*member_columns, _("Left")], [*leavers.values()]
            ),
        ),
        _figure(
            "members_change",
            members_total - int(growth[year - 1]),
            note=_("Members on 31 December compared with a year earlier."),
        ),
        _figure(
            "sectors_represented",
            len(sectors),
            records=Records(
                _("Member organisations by sector"),
                [_("Sector"), _("Member organisations")],
                [list(item) for item in sector_rows],
            ),
        ),
        _figure(
            "stage",
            stage,
            records=Records(
                _("Stage milestones up to the end of the year"),
                [_("Stage"), _("Date"), _("Note")],
                [[_stage_name(s), day, note] for s, day, note in milestones],
            ),
            note="" if stage else _("No stage milestone recorded by the end of the year."),
        ),
        _figure(
            "milestones_reached",
            len(reached),
            records=Records(
                _("Stage milestones reached during the year"),
                [_("Stage"), _("Date"), _("Note")],
                [[_stage_name(s), day, note] for s, day, note in reached],
            ),
        ),
    ]
    charts = [
        Chart(
            "membership_growth",
            _("Member organisations at the end of each year"),
            "line",
            [str(y) for y in years if y >= first],
            {_("Member organisations"): [float(growth[y]) for y in years if y >= first]},
        ),
        Chart(
            "sector_mix",
            _("Member organisations by sector at the end of the year"),
            "hbar",
            [name for name, _count in sector_rows],
            {_("Member organisations"): [float(count) for _name, count in sector_rows]},
        ),
    ]
    notes = [
        _("The network became %(stage)s on %(date)s.")
        % {"stage": _stage_name(s), "date": date_format(day)}
        for s, day, _note in reached
    ]
    return Section(
        key="membership",
        heading=_("Membership"),
        figures=figures,
        charts=charts,
        notes=notes,
    )
