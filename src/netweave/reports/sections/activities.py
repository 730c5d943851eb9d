"""Report section: joint activities running in the year and the co-financing of the year.

An activity runs in the year when it started on or before 31 December and had not ended
before 1 January (no end date: still running; no start date: not counted); cancelled
activities are left out, as the computed indicator "joint activities started" leaves them
out. It is completed in the year when its status is completed and it ended in the year.

Co-financing is every contribution recorded for the year (``Contribution.year``, which
also picks the exchange rate), converted by ``netweave.activities.totals`` into the
network's reporting currency. A contribution whose currency has no rate for its year is
never guessed: it stays out of the converted totals and the section says so, in a note
and in a figure of its own.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netweave.activities.models import (
    ActivityKind,
    ActivityStatus,
    Contribution,
    ContributionKind,
    JointActivity,
    Participation,
    ParticipationRole,
)
from netweave.activities.totals import (
    CENT,
    Totals,
    compute_totals,
    rates_of,
    totals_by_organisation,
    totals_by_sector,
)
from netweave.reports.registry import section
from netweave.reports.report import Chart, Figure, Records, Section

if TYPE_CHECKING:
    from netweave.networks.models import Network

TOP_FUNDERS = 10

FIGURES = {
    "activities_running": gettext_lazy("Joint activities running in the year"),
    "activities_started": gettext_lazy("Joint activities started in the year"),
    "activities_completed": gettext_lazy("Joint activities completed in the year"),
    "cofinancing_total": gettext_lazy("Co-financing in the year"),
    "cofinancing_money": gettext_lazy("Money contributed in the year"),
    "cofinancing_in_kind": gettext_lazy("Estimated value of contributions in kind"),
    "funders": gettext_lazy("Contributing organisations"),
    "cofinanced_activities": gettext_lazy("Activities co-financed by two or more organisations"),
    "contributions_not_converted": gettext_lazy(
        "Contributions that could not be converted (no exchange rate)"
    ),
}


def _label(key: str) -> str:
    return str(FIGURES[key])


def _kind_label(kind: str) -> str:
    return str(ActivityKind(kind).label) if kind in ActivityKind.values else kind


def _status_label(status: str) -> str:
    return str(ActivityStatus(status).label) if status in ActivityStatus.values else status


def _contribution_kind_label(kind: str) -> str:
    return str(ContributionKind(kind).label) if kind in ContributionKind.values else kind


def _not_converted_text(amounts: dict[str, Decimal]) -> str:
    return ", ".join(f"{amount} {currency}" for currency, amount in amounts.items())


def _running(year: int) -> Q:
    return Q(start__lte=dt.date(year, 12, 31)) & (
        Q(end__isnull=True) | Q(end__gte=dt.date(year, 1, 1))
    )


def _activities(network: Network, year: int) -> list[JointActivity]:
    leads = Prefetch(
        "participations",
        queryset=Participation.objects.filter(role=ParticipationRole.LEAD)
        .select_related("organisation")
        .order_by("organisation__name"),
        to_attr="leads",
    )
    return list(
        JointActivity.objects.filter(network=network)
        .filter(_running(year))
        .exclude(status=ActivityStatus.CANCELLED)
        .prefetch_related(leads)
        .order_by("start", "title", "id")
    )


def _activity_row(activity: JointActivity) -> list[Any]:
    return [
        activity.title,
        _kind_label(activity.kind),
        _status_label(activity.status),
        activity.start,
        activity.end,
        ", ".join(p.organisation.name for p in activity.leads),
    ]


def _sector_name(name: str | None) -> str:
    # Sector names are seeded untranslated and translated on display.
    return _(name) if name else ""


@section(
    "activities",
    heading=gettext_lazy("Joint activities and co-financing"),
    order=50,
    figures=FIGURES,
)
def build_activities(network: Network, year: int) -> Section:
    """Activities running, started and completed in the year; the year's co-financing.

    A fixed number of queries whatever the data: the activities with their leads (2), the
    contributions of the year (1), the exchange rates (1) and four grouped totals of
    ``activities.totals`` (3 each).
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    activities = _activities(network, year)
    started = [a for a in activities if start <= a.start <= end]
    completed = [
        a
        for a in activities
        if a.status == ActivityStatus.COMPLETED and a.end is not None and start <= a.end <= end
    ]
    activity_columns = [_("Activity"), _("Kind"), _("Status"), _("Start"), _("End"), _("Lead")]

    def activity_records(title: str, rows: list[JointActivity]) -> Records:
        return Records(title, activity_columns, [_activity_row(a) for a in rows])

    by_kind = Counter(a.kind for a in activities)
    kinds = [kind for kind in ActivityKind.values if by_kind[kind]]

    # Co-financing ---------------------------------------------------------------------
    of_year = Contribution.objects.filter(year=year)
    by_contribution_kind = compute_totals(network, by=("kind",), contributions=of_year)
    currency = by_contribution_kind.currency
    kind_totals = {row.key: row for row in by_contribution_kind.rows}
    by_sector = totals_by_sector(network, of_year)
    by_sector_and_kind = compute_totals(
        network,
        by=("organisation__sector_id", "kind"),
        labels=("organisation__sector__name",),
        contributions=of_year,
    )
    by_organisation = totals_by_organisation(network, of_year)
    rates = rates_of(network)
    contributions = list(
        Contribution.objects.filter(activity__network=network, year=year)
        .order_by("organisation__name", "activity__title", "id")
        .values_list(
            "activity_id",
            "activity__title",
            "organisation_id",
            "organisation__name",
            "organisation__sector__name",
            "kind",
            "description",
            "amount",
            "currency",
            "year",
        )
    )

    def converted(amount: Decimal, code: str, contribution_year: int) -> Decimal | None:
        if code == currency:
            return amount
        rate = rates.get((code, contribution_year))
        if rate is None:
            return None
        return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)

    contribution_columns = [
        _("Organisation"),
        _("Sector"),
        _("Activity"),
        _("Kind"),
        _("What is given in kind"),
        _("Amount"),
        _("Currency"),
        _("Value in %(currency)s") % {"currency": currency},
    ]
    all_rows, money_rows, in_kind_rows, unconverted_rows = [], [], [], []
    funders_of: dict[int, set[int]] = defaultdict(set)
    titles: dict[int, str] = {}
    for (
        activity_id,
        title,
        org_id,
        org_name,
        sector_name,
        kind,
        description,
        amount,
        code,
        contribution_year,
    ) in contributions:
        value = converted(amount, code, contribution_year)
        row = [
            org_name,
            _sector_name(sector_name),
            title,
            _contribution_kind_label(kind),
            description,
            amount,
            code,
            value if value is not None else _("no exchange rate"),
        ]
        all_rows.append(row)
        (money_rows if kind == ContributionKind.MONEY else in_kind_rows).append(row)
        if value is None:
            unconverted_rows.append(row)
        funders_of[activity_id].add(org_id)
        titles[activity_id] = title
    cofinanced = sorted(
        (activity_id for activity_id, orgs in funders_of.items() if len(orgs) >= 2),
        key=lambda activity_id: titles[activity_id].casefold(),
    )
    org_names = {row[2]: row[3] for row in contributions}

    def amount_of(kind: str) -> Decimal:
        total = kind_totals.get(kind)
        return total.converted if total else Decimal("0.00")

    missing = by_contribution_kind.missing_rates
    notes = []
    converted_note = ""
    if missing:
        amounts = by_contribution_kind.overall.not_converted
        converted_note = _("Left out of the total, for want of an exchange rate: %(amounts)s.") % {
            "amounts": _not_converted_text(amounts)
        }
        notes.append(
            _(
                "No exchange rate to %(currency)s is recorded for %(pairs)s: "
                "%(amounts)s could not be converted and are left out of the totals."
            )
            % {
                "currency": currency,
                "pairs": ", ".join(f"{code} {rate_year}" for code, rate_year in missing),
                "amounts": _not_converted_text(amounts),
            }
        )

    figures = [
        Figure(
            "activities_running",
            _label("activities_running"),
            len(activities),
            records=activity_records(_("Joint activities running in the year"), activities),
            note=_("Started by 31 December and not ended before 1 January; cancelled left out."),
        ),
        Figure(
            "activities_started",
            _label("activities_started"),
            len(started),
            records=activity_records(_("Joint activities started in the year"), started),
        ),
        Figure(
            "activities_completed",
            _label("activities_completed"),
            len(completed),
            records=activity_records(_("Joint activities completed in the year"), completed),
            note=_("Status completed, with an end date in the year."),
        ),
        Figure(
            "cofinancing_total",
            _label("cofinancing_total"),
            by_contribution_kind.overall.converted,
            unit=currency,
            records=Records(_("Contributions of the year"), contribution_columns, all_rows),
            note=converted_note,
        ),
        Figure(
            "cofinancing_money",
            _label("cofinancing_money"),
            amount_of(ContributionKind.MONEY),
            unit=currency,
            records=Records(_("Money contributed"), contribution_columns, money_rows),
        ),
        Figure(
            "cofinancing_in_kind",
            _label("cofinancing_in_kind"),
            amount_of(ContributionKind.IN_KIND),
            unit=currency,
            records=Records(_("Contributions in kind"), contribution_columns, in_kind_rows),
        ),
        Figure(
            "funders",
            _label("funders"),
            len(by_organisation.rows),
            records=_organisation_records(by_organisation, _("Contributing organisations")),
        ),
        Figure(
            "cofinanced_activities",
            _label("cofinanced_activities"),
            len(cofinanced),
            records=Records(
                _("Activities co-financed by two or more organisations"),
                [_("Activity"), _("Contributing organisations")],
                [
                    [
                        titles[activity_id],
                        ", ".join(sorted(org_names[o] for o in funders_of[activity_id])),
                    ]
                    for activity_id in cofinanced
                ],
            ),
        ),
        Figure(
            "contributions_not_converted",
            _label("contributions_not_converted"),
            len(unconverted_rows),
            records=Records(
                _("Contributions without an exchange rate"), contribution_columns, unconverted_rows
            ),
        ),
    ]

    charts = []
    if kinds:
        charts.append(
            Chart(
                "activities_by_kind",
                _("Joint activities running in %(year)s, by kind") % {"year": year},
                "bar",
                [_kind_label(kind) for kind in kinds],
                {_("Activities"): [float(by_kind[kind]) for kind in kinds]},
            )
        )
    sector_chart = _sector_chart(by_sector, by_sector_and_kind, year)
    if sector_chart is not None:
        charts.append(sector_chart)

    tables = []
    if by_organisation.rows:
        tables.append(
            _organisation_records(
                by_organisation,
                _("Top funders in %(currency)s") % {"currency": currency},
                limit=TOP_FUNDERS,
            )
        )
    if by_sector.rows:
        tables.append(
            Records(
                _("Co-financing by sector in %(currency)s") % {"currency": currency},
                [_("Sector"), _("Value"), _("Not converted")],
                [
                    [
                        _sector_name(row.extra["organisation__sector__name"]),
                        row.converted,
                        _not_converted_text(row.not_converted),
                    ]
                    for row in by_sector.rows
                ],
            )
        )
    return Section(
        key="activities",
        heading=str(_("Joint activities and co-financing")),
        figures=figures,
        charts=charts,
        tables=tables,
        notes=notes,
    )


def _organisation_records(totals: Totals, title: str, *, limit: int | None = None) -> Records:
    rows = totals.rows[:limit] if limit else totals.rows
    return Records(
        title,
        [
            _("Organisation"),
            _("Sector"),
            _("Value in %(currency)s") % {"currency": totals.currency},
            _("Not converted"),
        ],
        [
            [
                row.extra["organisation__name"],
                _sector_name(row.extra["organisation__sector__name"]),
                row.converted,
                _not_converted_text(row.not_converted),
            ]
            for row in rows
        ],
    )


def _sector_chart(by_sector: Totals, by_sector_and_kind: Totals, year: int) -> Chart | None:
    """Money and in kind stacked per sector, sectors in the order of their totals."""
    if not by_sector.rows:
        return None
    cells = {row.key: row.converted for row in by_sector_and_kind.rows}
    sectors = [row.key for row in by_sector.rows]
    return Chart(
        "cofinancing_by_sector",
        _("Co-financing in %(year)s by sector (%(currency)s)")
        % {"year": year, "currency": by_sector.currency},
        "stacked",
        [_sector_name(row.extra["organisation__sector__name"]) for row in by_sector.rows],
        {
            str(ContributionKind(kind).label): [
                float(cells.get((sector, kind), Decimal(0))) for sector in sectors
            ]
            for kind in ContributionKind.values
        },
        unit=by_sector.currency,
    )
