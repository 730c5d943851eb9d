"""Report sections: task groups and their deliverables; member requests and how they were answered.

A task group runs from its start date (or, when none was given, the day it was recorded) to
its end date; a proposed group has not been approved and does not count. A deliverable is
delivered on the day its first document was attached (``fulfil_deliverable`` attaches a
document and marks it done), or, when it was marked done without a document, on the day it
was last changed. A member request is raised on the day it was recorded and decided at
``decided_at``; dates are calendar dates in the installation's time zone.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netweave.governance.models import (
    Deliverable,
    DeliverableStatus,
    MemberRequest,
    RequestStatus,
    TaskGroup,
    TaskGroupStatus,
)
from netweave.influence.indicators import year_end, year_span
from netweave.reports.registry import section
from netweave.reports.report import Chart, Figure, Records, Section

if TYPE_CHECKING:
    from netweave.networks.models import Network

# A request accepted by forming a new task group: the group is created in the same
# transaction as the decision, moments before it is stamped. The request does not record
# which of the two acceptances it was, so this is how the report tells them apart.
FORMED_WITH_DECISION = dt.timedelta(minutes=1)


def _day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def _in(day: dt.date | None, year: int) -> bool:
    return day is not None and day.year == year


# Task groups ---------------------------------------------------------------------------------
TASK_GROUP_FIGURES = {
    "task_groups_active": gettext_lazy("Task groups active during the year"),
    "task_groups_formed": gettext_lazy("Task groups formed during the year"),
    "task_groups_closed": gettext_lazy("Task groups closed during the year"),
    "deliverables_due": gettext_lazy("Deliverables due during the year"),
    "deliverables_delivered": gettext_lazy("Deliverables delivered during the year"),
    "deliverables_on_time": gettext_lazy("Deliverables delivered on time"),
    "deliverables_overdue": gettext_lazy("Deliverables overdue at the end of the year"),
}


@section(
    "task_groups",
    heading=gettext_lazy("Task groups"),
    order=30,
    figures=TASK_GROUP_FIGURES,
)
def build_task_groups(network: Network, year: int) -> Section:
    """Task groups running, formed and closed in the year; their deliverables.

    Two queries whatever the number of groups: the task groups (lead and member count
    joined in) and the deliverables (with the date of their first document).
    """
    first, last = dt.date(year, 1, 1), year_end(year)
    today = timezone.localdate()
    groups = []
    for name, lead, status, start, end, created, members in (
        TaskGroup.objects.filter(network=network)
        .exclude(status=TaskGroupStatus.PROPOSED)
        .annotate(member_count=Count("members"))
        .order_by("name", "id")
        .values_list("name", "lead__name", "status", "start", "end", "created", "member_count")
    ):
        began = start or _day(created)
        groups.append(
            {
                "name": name,
                "row": [name, lead, began, end, str(TaskGroupStatus(status).label), members],
                "active": began <= last and (end is None or end >= first),
                "formed": _in(began, year),
                # A planned end later this year is not a closure yet.
                "closed": _in(end, year) and end <= today,
            }
        )
    active_names = {g["name"] for g in groups if g["active"]}

    deliverables = []
    for group, title, due, status, documented, changed in (
        Deliverable.objects.filter(task_group__network=network)
        .exclude(task_group__status=TaskGroupStatus.PROPOSED)
        .annotate(first_document=Min("documents__created"))
        .order_by("due", "task_group__name", "id")
        .values_list("task_group__name", "title", "due", "status", "first_document", "modified")
    ):
        delivered = _day(documented or changed) if status == DeliverableStatus.DONE else None
        deliverables.append(
            {
                "row": [group, title, due, delivered],
                "due": _in(due, year),
                "delivered": _in(delivered, year),
                "on_time": _in(delivered, year) and due is not None and delivered <= due,
                # Only groups that ran during the year: a group closed earlier with a
                # deliverable given up does not keep it overdue for ever.
                "overdue": group in active_names
                and due is not None
                and due <= last
                and (delivered is None or delivered > last),
            }
        )

    group_columns = [
        _("Task group"),
        _("Lead organisation"),
        _("Start"),
        _("End"),
        _("Status today"),
        _("Member organisations"),
    ]
    deliverable_columns = [_("Task group"), _("Deliverable"), _("Due"), _("Delivered")]

    def group_figure(key: str, title: str) -> Figure:
        rows = [g["row"] for g in groups if g[key]]
        key = f"task_groups_{key}"
        label = str(TASK_GROUP_FIGURES[key])
        return Figure(key, label, len(rows), records=Records(title, group_columns, rows))

    def deliverable_figure(key: str, title: str, note: str = "") -> Figure:
        rows = [d["row"] for d in deliverables if d[key]]
        key = f"deliverables_{key}"
        label = str(TASK_GROUP_FIGURES[key])
        records = Records(title, deliverable_columns, rows)
        return Figure(key, label, len(rows), records=records, note=note)

    figures = [
        group_figure("active", _("Task groups active during the year")),
        group_figure("formed", _("Task groups formed during the year")),
        group_figure("closed", _("Task groups closed during the year")),
        deliverable_figure("due", _("Deliverables due in the year")),
        deliverable_figure(
            "delivered",
            _("Deliverables delivered in the year"),
            _("Dated by the first document attached to the deliverable."),
        ),
        deliverable_figure(
            "on_time",
            _("Deliverables delivered in the year by their due date"),
            _("Delivered in the year on or before the due date."),
        ),
        deliverable_figure(
            "overdue",
            _("Deliverables overdue on 31 December"),
            _("Due by 31 December and not delivered by then, in task groups active in the year."),
        ),
    ]

    per_group: dict[str, Counter[str]] = {name: Counter() for name in sorted(active_names)}
    for d in deliverables:
        name = d["row"][0]
        if name in per_group:
            for key in ("delivered", "overdue"):
                per_group[name][key] += d[key]
    shown = [name for name, counts in per_group.items() if counts["delivered"] or counts["overdue"]]
    charts = [
        Chart(
            "deliverables_by_task_group",
            _("Deliverables by task group"),
            "stacked",
            shown,
            {
                _("Delivered in the year"): [float(per_group[n]["delivered"]) for n in shown],
                _("Overdue on 31 December"): [float(per_group[n]["overdue"]) for n in shown],
            },
        )
    ]
    return Section(key="task_groups", heading=_("Task groups"), figures=figures, charts=charts)


# Member requests -----------------------------------------------------------------------------
OUTCOMES = ("accepted", "new_group", "answered", "declined", "open")


def _outcome_labels() -> dict[str, str]:
    return {
        "accepted": _("Accepted into an existing task group"),
        "new_group": _("Accepted into a new task group"),
        "answered": _("Answered directly"),
        "declined": _("Declined"),
        "open": _("Still open"),
    }


def _outcome(status: str, decided: dt.datetime | None, group_created: dt.datetime | None) -> str:
    if status == RequestStatus.ACCEPTED:
        formed = (
            decided is not None
            and group_created is not None
            and dt.timedelta(0) <= decided - group_created <= FORMED_WITH_DECISION
        )
        return "new_group" if formed else "accepted"
    return {
        RequestStatus.ANSWERED: "answered",
        RequestStatus.DECLINED: "declined",
    }.get(status, "open")


REQUEST_FIGURES = {
    "requests_raised": gettext_lazy("Member requests raised during the year"),
    "requests_accepted": gettext_lazy("Accepted into an existing task group"),
    "requests_new_group": gettext_lazy("Accepted into a new task group"),
    "requests_answered_directly": gettext_lazy("Answered directly"),
    "requests_declined": gettext_lazy("Declined"),
    "requests_open": gettext_lazy("Still open"),
    "requests_open_at_year_end": gettext_lazy("Not yet decided on 31 December"),
    "median_days_to_decision": gettext_lazy("Median days from raising to decision"),
    "requests_answered": gettext_lazy("Member requests answered during the year"),
}


@section(
    "requests",
    heading=gettext_lazy("Member requests"),
    order=40,
    figures=REQUEST_FIGURES,
)
def build_requests(network: Network, year: int) -> Section:
    """Requests raised in the year by outcome, the time to decide them, and those answered.

    Two queries whatever the number of requests: the requests raised in the year and those
    decided in the year (the indicator "member requests answered").
    """
    start, stop = year_span(year)
    labels = _outcome_labels()
    fields = (
        "organisation__name",
        "topic__name",
        "title",
        "created",
        "status",
        "decided_at",
        "task_group__name",
        "task_group__created",
    )
    raised = []
    for organisation, topic, title, created, status, decided, group, group_created in (
        MemberRequest.objects.filter(network=network, created__gte=start, created__lt=stop)
        .order_by("created", "id")
        .values_list(*fields)
    ):
        outcome = _outcome(status, decided, group_created)
        raised.append(
            {
                "outcome": outcome,
                "decided": decided,
                "days": (_day(decided) - _day(created)).days if decided else None,
                "row": [
                    organisation,
                    topic or "",
                    title,
                    _day(created),
                    labels[outcome],
                    _day(decided),
                    group or "",
                ],
            }
        )
    # The indicator's definition: decided in the year (whenever raised), answered or accepted.
    answered_rows = []
    for organisation, topic, title, created, status, decided, group, group_created in (
        MemberRequest.objects.filter(
            network=network,
            status__in=[RequestStatus.ANSWERED, RequestStatus.ACCEPTED],
            decided_at__gte=start,
            decided_at__lt=stop,
        )
        .order_by("decided_at", "id")
        .values_list(*fields)
    ):
        answered_rows.append(
            [
                organisation,
                topic or "",
                title,
                _day(created),
                labels[_outcome(status, decided, group_created)],
                _day(decided),
                group or "",
            ]
        )

    columns = [
        _("Organisation"),
        _("Topic"),
        _("Request"),
        _("Raised"),
        _("Outcome"),
        _("Decided"),
        _("Task group"),
    ]

    def outcome_figure(key: str, outcome: str) -> Figure:
        rows = [r["row"] for r in raised if r["outcome"] == outcome]
        records = Records(labels[outcome], columns, rows)
        return Figure(key, str(REQUEST_FIGURES[key]), len(rows), records=records)

    waited = [r["days"] for r in raised if r["days"] is not None]
    median = Decimal(str(statistics.median(waited))) if waited else None
    undecided = [r["row"] for r in raised if r["decided"] is None or r["decided"] >= stop]
    figures = [
        Figure(
            "requests_raised",
            str(REQUEST_FIGURES["requests_raised"]),
            len(raised),
            records=Records(
                _("Member requests raised in the year"), columns, [r["row"] for r in raised]
            ),
        ),
        outcome_figure("requests_accepted", "accepted"),
        outcome_figure("requests_new_group", "new_group"),
        outcome_figure("requests_answered_directly", "answered"),
        outcome_figure("requests_declined", "declined"),
        outcome_figure("requests_open", "open"),
        Figure(
            "requests_open_at_year_end",
            str(REQUEST_FIGURES["requests_open_at_year_end"]),
            len(undecided),
            records=Records(
                _("Requests raised in the year, undecided on 31 December"), columns, undecided
            ),
        ),
        Figure(
            "median_days_to_decision",
            str(REQUEST_FIGURES["median_days_to_decision"]),
            median,
            unit=_("days"),
            note=_("Over the %(count)s requests raised in the year that have been decided.")
            % {"count": len(waited)},
        ),
        Figure(
            "requests_answered",
            str(REQUEST_FIGURES["requests_answered"]),
            len(answered_rows),
            records=Records(_("Member requests answered in the year"), columns, answered_rows),
            note=_(
                "Decided in the year, whenever raised, with an answer or by acceptance into "
                "a task group; declined and open requests are not counted."
            ),
        ),
    ]
    counts = Counter(r["outcome"] for r in raised)
    charts = [
        Chart(
            "requests_by_outcome",
            _("Member requests raised in the year by outcome"),
            "bar",
            [labels[o] for o in OUTCOMES],
            {_("Requests"): [float(counts[o]) for o in OUTCOMES]},
        )
    ]
    return Section(key="requests", heading=_("Member requests"), figures=figures, charts=charts)
