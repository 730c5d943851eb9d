"""Report section: the meetings held in the year and who attended them.

A meeting is held in the year as the indicator "meetings held" has it
(``netweave.influence.indicators``): it started in the calendar year, in the installation's
time zone, and had ended by the time of computing; meetings still to come are not held
yet, and a meeting called off is removed from the calendar. Attendance is counted per
person present; an organisation attended when someone came for it.
"""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netweave.influence.indicators import member_at_year_end, year_span
from netweave.meetings.models import Attendance, Meeting, MeetingKind
from netweave.networks.models import Membership, MembershipStatus
from netweave.reports.registry import section
from netweave.reports.report import Chart, Figure, Records, Section, Value

if TYPE_CHECKING:
    from netweave.networks.models import Network

ONE_PLACE = Decimal("0.1")


def held_in(year: int, prefix: str = "") -> Q:
    """Meetings (or rows reached through ``prefix``) held in ``year``, as the indicators count."""
    start, stop = year_span(year)
    return Q(
        **{
            f"{prefix}start__gte": start,
            f"{prefix}start__lt": stop,
            f"{prefix}end__lt": timezone.now(),
        }
    )


def _ratio(part: int, whole: int, scale: int = 1) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(scale * part) / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def _kind_label(kind: str) -> str:
    return str(MeetingKind(kind).label) if kind in MeetingKind.values else kind


FIGURES = {
    "meetings_held": gettext_lazy("Meetings held"),
    "attendances": gettext_lazy("Attendances"),
    "people_attending": gettext_lazy("Different people attending"),
    "organisations_attending": gettext_lazy("Organisations attending"),
    "members_attending_share": gettext_lazy("Member organisations attending at least one meeting"),
    "average_attendance": gettext_lazy("Average attendance per meeting"),
}


def _figure(key: str, value: Value, **kwargs: Any) -> Figure:
    return Figure(key, str(FIGURES[key]), value, **kwargs)


@section(
    "meetings",
    heading=gettext_lazy("Meetings"),
    order=20,
    figures=FIGURES,
)
def build_meetings(network: Network, year: int) -> Section:
    """Meetings held by type, attendance, and which organisations came.

    Four queries whatever the number of meetings: the meetings with their attendance
    counted, the attendance per organisation, the number of different people, and the
    member organisations on 31 December.
    """
    meetings = list(
        Meeting.objects.filter(held_in(year), network=network)
        .annotate(
            people=Count("attendance"),
            organisations=Count("attendance__organisation", distinct=True),
        )
        .order_by("start", "id")
        .values_list("start", "kind", "title", "people", "organisations")
    )
    attendance = Attendance.objects.filter(held_in(year, "meeting__"), meeting__network=network)
    by_organisation = list(
        attendance.filter(organisation__isnull=False)
        .values("organisation_id", "organisation__name", "organisation__sector__name")
        .annotate(meetings=Count("meeting", distinct=True), attendances=Count("id"))
        .order_by("-meetings", "organisation__name", "organisation_id")
        .values_list(
            "organisation_id",
            "organisation__name",
            "organisation__sector__name",
            "meetings",
            "attendances",
        )
    )
    people = attendance.aggregate(people=Count("person", distinct=True))["people"]
    members = dict(
        Membership.objects.filter(member_at_year_end(year), network=network)
        .exclude(status__in=[MembershipStatus.APPLICANT, MembershipStatus.SUSPENDED])
        .order_by("organisation__name")
        .values_list("organisation_id", "organisation__name")
    )

    held = len(meetings)
    attendances = sum(row[3] for row in meetings)
    meetings_of = {row[0]: row[3] for row in by_organisation}
    attending_members = [org for org in members if meetings_of.get(org)]

    meeting_rows: list[list[Any]] = [
        [timezone.localtime(start).date(), _kind_label(kind), title, count, organisations]
        for start, kind, title, count, organisations in meetings
    ]
    meeting_columns = [
        _("Date"),
        _("Type"),
        _("Meeting"),
        _("People attending"),
        _("Organisations attending"),
    ]
    organisation_rows = [
        [name, _(sector) if sector else "", count, present]
        for _org, name, sector, count, present in by_organisation
    ]
    figures = [
        _figure(
            "meetings_held",
            held,
            records=Records(_("Meetings held in the year"), meeting_columns, meeting_rows),
            note=_("Meetings that started in the year and had ended; cancelled ones removed."),
        ),
        _figure(
            "attendances",
            attendances,
            records=Records(_("Attendance per meeting"), meeting_columns, meeting_rows),
            note=_("One per person present at a meeting; the sum of the meetings' attendance."),
        ),
        _figure(
            "people_attending",
            people,
            note=_("Each person counted once, however many meetings they attended."),
        ),
        _figure(
            "organisations_attending",
            len(by_organisation),
            records=Records(
                _("Organisations that attended"),
                [_("Organisation"), _("Sector"), _("Meetings attended"), _("Attendances")],
                organisation_rows,
            ),
        ),
        _figure(
            "members_attending_share",
            _ratio(len(attending_members), len(members), 100),
            unit="%",
            records=Records(
                _("Member organisations on 31 December and the meetings they attended"),
                [_("Organisation"), _("Meetings attended")],
                [[name, meetings_of.get(org, 0)] for org, name in members.items()],
            ),
            note=_("%(attending)s of %(members)s member organisations on 31 December.")
            % {"attending": len(attending_members), "members": len(members)},
        ),
        _figure(
            "average_attendance",
            _ratio(attendances, held),
            note=_("Attendances divided by meetings held."),
        ),
    ]

    kinds = Counter(kind for _start, kind, *_rest in meetings)
    kind_order = [kind for kind in MeetingKind.values if kinds[kind]]
    kind_order += sorted(kind for kind in kinds if kind not in MeetingKind.values)
    sector_attendance: Counter[str] = Counter()
    for _org, _name, sector, _count, present in by_organisation:
        sector_attendance[_(sector) if sector else _("No sector")] += present
    sector_rows = sorted(sector_attendance.items(), key=lambda item: (-item[1], item[0]))
    charts = [
        Chart(
            "meetings_by_type",
            _("Meetings held by type"),
            "bar",
            [_kind_label(kind) for kind in kind_order],
            {_("Meetings"): [float(kinds[kind]) for kind in kind_order]},
        ),
        Chart(
            "attendance_by_sector",
            _("Attendances by sector of the organisation"),
            "hbar",
            [name for name, _count in sector_rows],
            {_("Attendances"): [float(count) for _name, count in sector_rows]},
        ),
    ]
    return Section(key="meetings", heading=_("Meetings"), figures=figures, charts=charts)
