"""Report section: consultations open during the year, the comments and the recommendations.

A consultation counts for the year when it was put to the members (any status but draft)
and its window, from opening to closing, overlaps the calendar year in the installation's
time zone (``influence.indicators.year_span``). Comments and recommendations are those of
these consultations, whenever they were written; the owner's responses are as recorded
now (an owner often answers after the year). Comments are attributed to organisations.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netweave.consultations.models import (
    Comment,
    CommentKind,
    Consultation,
    Recommendation,
    Response,
    Status,
)
from netweave.influence.indicators import year_span
from netweave.reports.registry import section
from netweave.reports.report import Chart, Figure, Records, Section

if TYPE_CHECKING:
    from netweave.networks.models import Network

FIGURES = {
    "consultations": gettext_lazy("Consultations open during the year"),
    "comments": gettext_lazy("Comments received"),
    "commenting_organisations": gettext_lazy("Organisations that commented"),
    "commenting_sectors": gettext_lazy("Sectors that commented"),
    "recommendations": gettext_lazy("Recommendations made"),
    "taken_up": gettext_lazy("Recommendations taken up"),
    "partly_taken_up": gettext_lazy("Recommendations partly taken up"),
    "not_taken_up": gettext_lazy("Recommendations not taken up"),
    "awaiting_response": gettext_lazy("Recommendations awaiting the owner's response"),
}
RESPONSE_FIGURES = {
    Response.TAKEN_UP: "taken_up",
    Response.PARTLY: "partly_taken_up",
    Response.NOT_TAKEN_UP: "not_taken_up",
    Response.PENDING: "awaiting_response",
}


def _label(key: str) -> str:
    return str(FIGURES[key])


def _sector_name(name: str | None) -> str:
    return _(name) if name else ""


def _day(moment: Any, zone: Any) -> Any:
    return timezone.localtime(moment, zone).date() if moment else None


def _response_label(response: str) -> str:
    return str(Response(response).label) if response in Response.values else response


def _kind_label(kind: str) -> str:
    return str(CommentKind(kind).label) if kind in CommentKind.values else kind


@section(
    "consultations",
    heading=gettext_lazy("Consultations and recommendations"),
    order=60,
    figures=FIGURES,
)
def build_consultations(network: Network, year: int) -> Section:
    """Consultations, comments, commenting organisations and sectors, recommendations and
    the owners' responses. Three queries: the consultations (owner joined in), their
    comments (organisation and sector joined in) and their recommendations (with the
    number of supporting comments)."""
    first, next_first = year_span(year)
    zone = timezone.get_current_timezone()
    consultations = list(
        Consultation.objects.filter(network=network, opens__lt=next_first, closes__gt=first)
        .exclude(status=Status.DRAFT)
        .select_related("owner")
        .order_by("opens", "title", "id")
    )
    ids = [c.pk for c in consultations]
    comments = list(
        Comment.objects.filter(section__consultation_id__in=ids)
        .order_by(
            "section__consultation__opens",
            "section__consultation_id",
            "section__position",
            "created",
            "id",
        )
        .values_list(
            "section__consultation_id",
            "section__heading",
            "organisation_id",
            "organisation__name",
            "organisation__sector_id",
            "organisation__sector__name",
            "kind",
            "created",
        )
    )
    recommendations = list(
        Recommendation.objects.filter(consultation_id__in=ids)
        .annotate(supporting=Count("comments"))
        .order_by("consultation__opens", "consultation_id", "position", "id")
        .values_list(
            "consultation_id", "text", "supporting", "response", "response_note", "responded_at"
        )
    )
    titles = {c.pk: c.title for c in consultations}

    per_consultation: dict[int, int] = Counter()
    orgs_per_consultation: dict[int, set[int]] = defaultdict(set)
    organisations: dict[int, list[Any]] = {}
    sectors: dict[int, list[Any]] = {}
    comment_rows = []
    for cid, heading, org_id, org_name, sector_id, sector_name, kind, created in comments:
        per_consultation[cid] += 1
        orgs_per_consultation[cid].add(org_id)
        organisation = organisations.setdefault(org_id, [org_name, _sector_name(sector_name), 0])
        organisation[2] += 1
        sector = sectors.setdefault(sector_id, [_sector_name(sector_name), set(), 0])
        sector[1].add(org_id)
        sector[2] += 1
        comment_rows.append(
            [
                titles[cid],
                heading,
                org_name,
                _sector_name(sector_name),
                _kind_label(kind),
                _day(created, zone),
            ]
        )
    recommendations_per: dict[int, int] = Counter(row[0] for row in recommendations)

    recommendation_columns = [
        _("Consultation"),
        _("Recommendation"),
        _("Supporting comments"),
        _("Owner's response"),
        _("Note on the response"),
        _("Answered on"),
    ]
    recommendation_rows: dict[str, list[list[Any]]] = {value: [] for value in Response.values}
    all_recommendations = []
    for cid, text, supporting, response, note, responded in recommendations:
        row = [
            titles[cid],
            text,
            supporting,
            _response_label(response),
            note,
            _day(responded, zone),
        ]
        all_recommendations.append(row)
        recommendation_rows.setdefault(response, []).append(row)

    consultation_rows = [
        [
            c.title,
            c.owner.name,
            _day(c.opens, c.tz),
            _day(c.closes, c.tz),
            str(c.get_phase_display()),
            per_consultation[c.pk],
            len(orgs_per_consultation[c.pk]),
            recommendations_per[c.pk],
        ]
        for c in consultations
    ]
    organisation_rows = sorted(organisations.values(), key=lambda row: row[0].casefold())
    sector_rows = sorted(
        ([name, len(orgs), count] for name, orgs, count in sectors.values()),
        key=lambda row: (-row[1], row[0]),
    )

    figures = [
        Figure(
            "consultations",
            _label("consultations"),
            len(consultations),
            records=Records(
                _("Consultations open during the year"),
                [
                    _("Consultation"),
                    _("Owner"),
                    _("Opened"),
                    _("Closed"),
                    _("Status"),
                    _("Comments"),
                    _("Organisations commenting"),
                    _("Recommendations"),
                ],
                consultation_rows,
            ),
            note=_("Put to the members and open for comments at some time in the year."),
        ),
        Figure(
            "comments",
            _label("comments"),
            len(comments),
            records=Records(
                _("Comments received"),
                [
                    _("Consultation"),
                    _("Section"),
                    _("Organisation"),
                    _("Sector"),
                    _("Kind"),
                    _("Received"),
                ],
                comment_rows,
            ),
        ),
        Figure(
            "commenting_organisations",
            _label("commenting_organisations"),
            len(organisations),
            records=Records(
                _("Organisations that commented"),
                [_("Organisation"), _("Sector"), _("Comments")],
                organisation_rows,
            ),
        ),
        Figure(
            "commenting_sectors",
            _label("commenting_sectors"),
            len(sectors),
            records=Records(
                _("Sectors that commented"),
                [_("Sector"), _("Organisations"), _("Comments")],
                sector_rows,
            ),
        ),
        Figure(
            "recommendations",
            _label("recommendations"),
            len(recommendations),
            records=Records(_("Recommendations"), recommendation_columns, all_recommendations),
        ),
    ]
    for response, key in RESPONSE_FIGURES.items():
        figures.append(
            Figure(
                key,
                _label(key),
                len(recommendation_rows[response]),
                records=Records(_label(key), recommendation_columns, recommendation_rows[response]),
                note=_("As the owner has answered so far.") if response == Response.PENDING else "",
            )
        )

    charts = []
    if recommendations:
        charts.append(
            Chart(
                "responses",
                _("The owners' responses to the recommendations"),
                "hbar",
                [_label(key) for key in RESPONSE_FIGURES.values()],
                {
                    _("Recommendations"): [
                        float(len(recommendation_rows[response])) for response in RESPONSE_FIGURES
                    ]
                },
            )
        )
    if sector_rows:
        charts.append(
            Chart(
                "comments_by_sector",
                _("Comments by sector of the commenting organisation"),
                "hbar",
                [row[0] for row in sector_rows],
                {_("Comments"): [float(row[2]) for row in sector_rows]},
            )
        )
    return Section(
        key="consultations",
        heading=str(_("Consultations and recommendations")),
        figures=figures,
        charts=charts,
    )
