"""Indicators computed from a network's data: a registry of functions, one per kind.

Each function takes a network and the years wanted and returns ``{year: value}`` for each
of them, read with one aggregate query whatever the number of years (two for a share).
The function's docstring is the indicator's exact definition: the pages show it, so a
reader of a report can tell what was counted.

A year is the calendar year in the installation's time zone. "The end of the year" is
31 December: a membership counts on that day when it started on or before it and had not
ended by it (``left`` after 31 December or not at all), as ``Membership.objects.as_of``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from netweave.networks.models import Network

Values = dict[int, Decimal]
Compute = Callable[["Network", list[int]], Values]


@dataclass(frozen=True)
class Computation:
    key: str
    label: str | Promise
    unit: str | Promise
    function: Compute
    do_not_call_in_templates = True  # a template reads its label and definition

    @property
    def definition(self) -> str:
        """The function's docstring, as one paragraph."""
        return " ".join((self.function.__doc__ or "").split())

    def __call__(self, network: Network, years: Iterable[int]) -> Values:
        wanted = sorted(set(years))
        if not wanted:
            return {}
        return self.function(network, wanted)


REGISTRY: dict[str, Computation] = {}


def computation(key: str, *, label: str | Promise, unit: str | Promise) -> Callable:
    """Register the decorated function as the computed indicator ``key``."""

    def register(function: Compute) -> Compute:
        REGISTRY[key] = Computation(key=key, label=label, unit=unit, function=function)
        return function

    return register


def choices() -> list[tuple[str, str | Promise]]:
    return [(key, item.label) for key, item in REGISTRY.items()]


def compute(key: str, network: Network, years: Iterable[int]) -> Values:
    """The values of the computed indicator ``key`` for ``years`` (KeyError if unknown)."""
    return REGISTRY[key](network, years)


# Shared pieces -------------------------------------------------------------------------------
def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def year_span(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of ``year`` and of the next one, in the current time zone."""
    zone = timezone.get_current_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=zone),
        dt.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def member_at_year_end(year: int, prefix: str = "") -> Q:
    """Membership rows running on 31 December of ``year``."""
    end = year_end(year)
    return Q(**{f"{prefix}joined__lte": end}) & (
        Q(**{f"{prefix}left__isnull": True}) | Q(**{f"{prefix}left__gt": end})
    )


def _memberships(network: Network):
    from netweave.networks.models import Membership, MembershipStatus

    # The status is known only as it is today: applicants were never admitted and a
    # suspended membership does not count; those that left were active until they left.
    return Membership.objects.filter(network=network).exclude(
        status__in=[MembershipStatus.APPLICANT, MembershipStatus.SUSPENDED]
    )


def _held(year: int, prefix: str = "") -> Q:
    start, stop = year_span(year)
    return Q(
        **{
            f"{prefix}start__gte": start,
            f"{prefix}start__lt": stop,
            f"{prefix}end__lt": timezone.now(),
        }
    )


def _by_year(queryset, field: str, years: list[int]) -> Values:
    """Rows of ``queryset`` counted by the year of the date ``field``, for ``years``."""
    rows = (
        queryset.filter(**{f"{field}__year__gte": years[0], f"{field}__year__lte": years[-1]})
        .annotate(year=ExtractYear(field))
        .values("year")
        .annotate(count=Count("id"))
        .values_list("year", "count")
    )
    counts = dict(rows)
    return {year: Decimal(counts.get(year, 0)) for year in years}


def _key(year: int) -> str:
    return f"y{year}"


# The computations ----------------------------------------------------------------------------
@computation("member_organisations", label=_("Member organisations"), unit=_("organisations"))
def member_organisations(network: Network, years: list[int]) -> Values:
    """Member organisations: the number of distinct organisations with a membership of the
    network running on 31 December of the year (joined on or before that day and not left by
    it). Applicants and suspended memberships are not counted."""
    totals = _memberships(network).aggregate(
        **{
            _key(year): Count("organisation", distinct=True, filter=member_at_year_end(year))
            for year in years
        }
    )
    return {year: Decimal(totals[_key(year)]) for year in years}


@computation("sectors_represented", label=_("Sectors represented"), unit=_("sectors"))
def sectors_represented(network: Network, years: list[int]) -> Values:
    """Sectors represented: the number of distinct sectors of the organisations counted as
    member organisations on 31 December of the year (one sector per organisation, as the
    directory records it today)."""
    totals = _memberships(network).aggregate(
        **{
            _key(year): Count(
                "organisation__sector", distinct=True, filter=member_at_year_end(year)
            )
            for year in years
        }
    )
    return {year: Decimal(totals[_key(year)]) for year in years}


@computation("meetings_held", label=_("Meetings held"), unit=_("meetings"))
def meetings_held(network: Network, years: list[int]) -> Values:
    """Meetings held: the number of the network's meetings of any type that started in the
    year and had ended by the time of computing (meetings still to come are not held yet; a
    meeting that is called off is removed from the calendar, so it is not counted)."""
    from netweave.meetings.models import Meeting

    totals = Meeting.objects.filter(network=network).aggregate(
        **{_key(year): Count("id", filter=_held(year)) for year in years}
    )
    return {year: Decimal(totals[_key(year)]) for year in years}


@computation(
    "members_attending_share",
    label=_("Member organisations attending at least one meeting"),
    unit="%",
)
def members_attending_share(network: Network, years: list[int]) -> Values:
    """Share of member organisations attending at least one meeting: among the organisations
    counted as member organisations on 31 December of the year, the percentage (rounded to
    one decimal) with at least one person recorded as attending for that organisation a
    meeting held by the network in the year (as in "meetings held"). 0 when the network has
    no members."""
    memberships = _memberships(network)
    aggregates = {}
    for year in years:
        member = member_at_year_end(year)
        attended = Q(organisation__attendance__meeting__network=network) & _held(
            year, "organisation__attendance__meeting__"
        )
        aggregates[f"m{year}"] = Count("organisation", distinct=True, filter=member)
        aggregates[f"a{year}"] = Count("organisation", distinct=True, filter=member & attended)
    totals = memberships.aggregate(**aggregates)
    shares = {}
    for year in years:
        members, attending = totals[f"m{year}"], totals[f"a{year}"]
        share = Decimal(100 * attending) / Decimal(members) if members else Decimal(0)
        shares[year] = share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return shares


@computation("outcomes_recorded", label=_("Outcomes recorded"), unit=_("outcomes"))
def outcomes_recorded(network: Network, years: list[int]) -> Values:
    """Outcomes recorded: the number of the network's outcomes dated in the year, whatever
    their substantiation."""
    from netweave.influence.models import Outcome

    return _by_year(Outcome.objects.filter(network=network), "date", years)


@computation("outcomes_substantiated", label=_("Outcomes substantiated"), unit=_("outcomes"))
def outcomes_substantiated(network: Network, years: list[int]) -> Values:
    """Outcomes substantiated: the number of the network's outcomes dated in the year that an
    independent source substantiated (substantiation "yes"); pending and disputed outcomes
    are not counted."""
    from netweave.influence.models import Outcome, Substantiation

    outcomes = Outcome.objects.filter(network=network, substantiation=Substantiation.YES)
    return _by_year(outcomes, "date", years)


@computation("joint_activities_started", label=_("Joint activities started"), unit=_("activities"))
def joint_activities_started(network: Network, years: list[int]) -> Values:
    """Joint activities started: the number of the network's joint activities whose start
    date falls in the year, cancelled activities excepted."""
    from netweave.activities.models import ActivityStatus, JointActivity

    activities = JointActivity.objects.filter(network=network).exclude(
        status=ActivityStatus.CANCELLED
    )
    return _by_year(activities, "start", years)


@computation("member_requests_answered", label=_("Member requests answered"), unit=_("requests"))
def member_requests_answered(network: Network, years: list[int]) -> Values:
    """Member requests answered: the number of member requests of the network decided in the
    year (by the date of the decision) with an answer or by acceptance into a task group;
    declined and open requests are not counted."""
    from netweave.governance.models import MemberRequest, RequestStatus

    requests = MemberRequest.objects.filter(
        network=network,
        status__in=[RequestStatus.ANSWERED, RequestStatus.ACCEPTED],
        decided_at__isnull=False,
    )
    totals = requests.aggregate(
        **{
            _key(year): Count(
                "id",
                filter=Q(decided_at__gte=year_span(year)[0], decided_at__lt=year_span(year)[1]),
            )
            for year in years
        }
    )
    return {year: Decimal(totals[_key(year)]) for year in years}
