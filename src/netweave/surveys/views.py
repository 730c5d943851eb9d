"""Survey pages: rounds, the rating form of a member organisation, results over the years.

Each view looks the network up through ``permissions.surveys_for`` (404 without a role),
applies ``permissions.py`` (403 to change what is visible) and writes through
``services.py``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netweave.core.access import NetworkAccess, require
from netweave.core.forms import apply_service_errors
from netweave.directory.models import Organisation
from netweave.networks.models import Network
from netweave.surveys import permissions, results, services
from netweave.surveys.forms import MemberFilterForm, RoundForm, TieFormSet
from netweave.surveys.models import MEASURES, MIN_RATERS, RoundStatus, SurveyRound


def _round(net: Network, uid: Any) -> SurveyRound:
    try:
        return SurveyRound.objects.select_related("network").get(network=net, uid=uid)
    except (SurveyRound.DoesNotExist, ValidationError):
        raise Http404 from None


def _focal_organisations(access: NetworkAccess) -> list[Organisation]:
    if not access.focal_org_ids:
        return []
    return list(Organisation.objects.filter(pk__in=access.focal_org_ids).order_by("name"))


# Rounds ------------------------------------------------------------------------------------
@require_GET
def round_list(request: HttpRequest, network: str) -> HttpResponse:
    """The network's rounds with their response counts; facilitators create rounds here."""
    net, access = permissions.surveys_for(request, network)
    rounds = (
        SurveyRound.objects.filter(network=net)
        .annotate(
            responses_count=Count("responses", distinct=True),
            ratings_count=Count("ratings", distinct=True),
        )
        .order_by("-year")
    )
    open_round = next((r for r in rounds if r.status == RoundStatus.OPEN), None)
    return render(
        request,
        "surveys/round_list.html",
        {
            "network": net,
            "access": access,
            "rounds": rounds,
            "open_round": open_round,
            "can_manage": permissions.can_manage(access),
            "can_rate": bool(access.focal_org_ids),
            "form": RoundForm() if permissions.can_manage(access) else None,
        },
    )


@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest, network: str) -> HttpResponse:
    """A facilitator creates the draft round of a year."""
    net, access = permissions.surveys_for(request, network, manage=True)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey_round = services.create_round(net, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The %(year)s round is created as a draft; open it when members may answer.")
                % {"year": survey_round.year},
            )
            return redirect(survey_round)
    return render(
        request,
        "surveys/round_form.html",
        {"network": net, "access": access, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def round_open(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    net, access = permissions.surveys_for(request, network, manage=True)
    survey_round = _round(net, uid)
    try:
        services.open_round(survey_round, acting_user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The round is open: focal points may now rate their ties."))
    return redirect(survey_round)


@require_POST
def round_close(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    net, access = permissions.surveys_for(request, network, manage=True)
    survey_round = _round(net, uid)
    try:
        services.close_round(survey_round, acting_user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The round is closed: its results are final."))
    return redirect(survey_round)


def _own_rows(
    figures: results.RoundFigures, organisations: list[Organisation]
) -> list[dict[str, Any]]:
    """What each of the user's organisations received, hidden below ``MIN_RATERS``."""
    rows = []
    for org in organisations:
        org_figures = figures.by_organisation.get(org.pk)
        received = org_figures.received if org_figures else results.Tally()
        shown = received.count >= MIN_RATERS
        rows.append(
            {
                "organisation": org,
                "count": received.count,
                "shown": shown,
                "averages": received.averages if shown else {},
            }
        )
    return rows


@require_GET
def round_detail(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """A round's status and figures: all of them for facilitators and the steering committee,
    the network's and one's own organisation's for focal points."""
    net, access = permissions.surveys_for(request, network)
    survey_round = _round(net, uid)
    figures = services.figures_of_round(survey_round)
    sees_all = permissions.can_see_all_results(access)
    rows = []
    if sees_all:
        organisations = Organisation.objects.filter(
            pk__in=list(figures.by_organisation)
        ).select_related("sector")
        rows = sorted(
            ((org, figures.by_organisation[org.pk]) for org in organisations),
            key=lambda row: row[0].name.casefold(),
        )
    own = _focal_organisations(access)
    # Their own answers, when the user answers for one organisation only.
    own_given = list(services.my_ratings(survey_round, own[0])) if len(own) == 1 else []
    return render(
        request,
        "surveys/round_detail.html",
        {
            "network": net,
            "access": access,
            "survey_round": survey_round,
            "figures": figures,
            "response_percent": _percent(figures.response_rate),
            "reciprocity_percent": _percent(figures.reciprocity),
            "sees_all": sees_all,
            "rows": rows,
            "own_rows": _own_rows(figures, own),
            "own_given": own_given,
            "own": own,
            "min_raters": MIN_RATERS,
            "can_manage": permissions.can_manage(access),
            "measures": MEASURES,
        },
    )


def _percent(share: float | None) -> float | None:
    return None if share is None else round(100 * share, 1)


# Rating ------------------------------------------------------------------------------------
def _rater(
    request: HttpRequest, access: NetworkAccess, members: dict[str, Organisation]
) -> tuple[Organisation | None, list[Organisation]]:
    """The organisation whose ties are rated, and those the user may choose among."""
    if access.is_facilitator:
        choices = list(members.values())
    else:
        choices = [org for org in members.values() if org.pk in access.focal_org_ids]
    slug = request.GET.get("organisation", "")
    if slug:
        rater = members.get(slug)
        if rater is None:
            raise Http404
        require(permissions.can_rate_for(access, rater.pk))
        return rater, choices
    if len(choices) == 1 or (choices and not access.is_facilitator):
        return choices[0], choices
    return None, choices


@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """A focal point rates their organisation's tie to each member they work with.

    One row per member organisation (narrowed by sector or name on big networks); a blank
    row means "no tie". Answers can be revised until the round closes.
    """
    net, access = permissions.surveys_for(request, network)
    survey_round = _round(net, uid)
    members = {org.slug: org for org in services.round_members(survey_round)}
    rater, choices = _rater(request, access, members)
    if not choices:
        # Neither a focal point of a member organisation nor a facilitator.
        raise Http404
    context: dict[str, Any] = {
        "network": net,
        "access": access,
        "survey_round": survey_round,
        "rater": rater,
        "choices": choices,
    }
    if rater is None:
        return render(request, "surveys/rate.html", context)
    filter_form = MemberFilterForm(request.GET or None)
    shown = [org for org in members.values() if org.pk != rater.pk]
    if filter_form.is_valid():
        sector = filter_form.cleaned_data.get("sector")
        text = (filter_form.cleaned_data.get("q") or "").casefold()
        if sector is not None:
            shown = [org for org in shown if org.sector_id == sector.pk]
        if text:
            shown = [
                org
                for org in shown
                if text in org.name.casefold() or text in org.acronym.casefold()
            ]
    given = {rating.rated_id: rating for rating in services.my_ratings(survey_round, rater)}
    initial = []
    for org in shown:
        rating = given.get(org.pk)
        row: dict[str, Any] = {"organisation": org.slug}
        if rating is not None:
            row.update({name: getattr(rating, name) for name in (*MEASURES, "comment")})
        initial.append(row)
    formset = TieFormSet(request.POST or None, initial=initial)
    if request.method == "POST":
        require(survey_round.is_open)
        if formset.is_valid():
            ratings = {}
            for form in formset.forms:
                org = members.get(form.cleaned_data["organisation"])
                if org is None:
                    raise Http404
                ratings[org] = (
                    {name: form.cleaned_data[name] for name in (*MEASURES, "comment")}
                    if form.is_tie
                    else None
                )
            try:
                services.submit_ratings(
                    survey_round, rater=rater, ratings=ratings, acting_user=request.user
                )
            except ValidationError as error:
                for message in error.messages:
                    formset._non_form_errors.append(message)
            else:
                messages.success(
                    request,
                    _("Your answers for %(org)s are saved; you may revise them until %(when)s.")
                    % {
                        "org": rater.display_name,
                        "when": survey_round.closes or _("the round closes"),
                    },
                )
                return redirect(_rate_url(net, survey_round, request.GET))
    rows = [(form, members.get(form["organisation"].value())) for form in formset.forms]
    context.update(
        {
            "filter_form": filter_form,
            "formset": formset,
            "rows": rows,
            "given": [given[pk] for pk in sorted(given, key=lambda pk: given[pk].rated.name)],
            "responded": services.has_responded(survey_round, rater),
            "query": urlencode({k: v for k, v in request.GET.items()}),
        }
    )
    return render(
        request, "surveys/rate.html", context, status=400 if formset.total_error_count() else 200
    )


def _rate_url(net: Network, survey_round: SurveyRound, query: Any) -> str:
    url = reverse("surveys:rate", kwargs={"network": net.slug, "uid": survey_round.uid})
    kept = {key: query[key] for key in ("organisation", "sector", "q") if query.get(key)}
    return f"{url}?{urlencode(kept)}" if kept else url


# Results over the years --------------------------------------------------------------------
@require_GET
def results_page(request: HttpRequest, network: str) -> HttpResponse:
    """Response rate, trust, value and frequency over the years, as charts and a table.

    Beside the network's figures: for a focal point, what their own organisation received
    each year (when enough organisations rated it); for facilitators and the steering
    committee, what any rated organisation received, chosen with ``?organisation=slug``.
    """
    net, access = permissions.surveys_for(request, network)
    points = services.network_trend(net)
    sees_all = permissions.can_see_all_results(access)
    own = _focal_organisations(access)
    own_org = own[0] if len(own) == 1 else None
    choices: list[Organisation] = []
    chosen = request.GET.get("organisation", "").strip()
    unknown = ""
    if sees_all and points:
        choices = list(services.rated_organisations(net))
        if chosen:
            own_org = next((org for org in choices if org.slug == chosen), None)
            if own_org is None:
                unknown = chosen
    own_series: list[dict[str, Any]] = []
    if own_org is not None and points:
        own_series = services.received_series(net, own_org, points, sees_all=sees_all)
    labels = {
        "response_rate": _("Response rate"),
        "trust": _("Trust"),
        "value": _("Value of the ties"),
        "frequency": _("How often members work together"),
    }
    charts = {}
    if points:
        for key in labels:
            own_values = (
                [row[key] for row in own_series]
                if own_series and key in ("trust", "value", "frequency")
                else None
            )
            charts[key] = results.trend_figure(
                points,
                measure=key,
                label=_("Network"),
                own=own_values,
                own_label=own_org.display_name if own_org else "",
            )
    table = [
        {
            "point": point,
            "status": RoundStatus(point.status).label,
            "response_percent": _percent(point.response_rate),
        }
        for point in points
    ]
    return render(
        request,
        "surveys/results.html",
        {
            "network": net,
            "access": access,
            "table": table,
            "charts": charts,
            "labels": labels,
            "own_org": own_org,
            "own_series": own_series,
            "min_raters": MIN_RATERS,
            "choices": choices,
            "chosen": own_org.slug if own_org is not None and choices else "",
            "unknown": unknown,
        },
        status=400 if unknown else 200,
    )
