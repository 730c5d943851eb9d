"""Outcome log and M&E indicator pages.

People with a role in the network read them; the facilitator records outcomes, defines
indicators and enters their values. Each view looks the network up with
``core.access.network_for`` (404 when the user may not read it) and refuses others with 403.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netweave.core.access import NetworkAccess, network_for, require
from netweave.influence import indicators as registry
from netweave.influence import services
from netweave.influence.forms import (
    IndicatorForm,
    IndicatorValueForm,
    OutcomeFilterForm,
    OutcomeForm,
    apply_errors,
)
from netweave.influence.models import Indicator, IndicatorValue, Outcome
from netweave.library.models import Document
from netweave.library.search import visibility_filter
from netweave.networks import charts
from netweave.networks.models import Network


# Who may do what -----------------------------------------------------------------------------
def can_read(access: NetworkAccess) -> bool:
    """Outcomes and indicators are for the people with a role in the network."""
    return access.authenticated and access.has_role


def can_manage(access: NetworkAccess) -> bool:
    return access.is_facilitator


def _read(request: HttpRequest, network: str) -> tuple[Network, NetworkAccess]:
    net, access = network_for(request, network)
    require(can_read(access))
    return net, access


def _manage(request: HttpRequest, network: str) -> tuple[Network, NetworkAccess]:
    net, access = network_for(request, network)
    require(can_manage(access))
    return net, access


def visible_consultations(access: NetworkAccess, consultations: list[Any]) -> list[Any]:
    """Consultations still in draft are for those who run the network."""
    if access.is_facilitator or access.is_steering:
        return consultations
    return [item for item in consultations if item.status != "draft"]


# Outcomes ------------------------------------------------------------------------------------
def _outcomes(net: Network) -> QuerySet:
    return Outcome.objects.filter(network=net).select_related("actor_organisation")


def _outcome(net: Network, uid: Any, access: NetworkAccess) -> Outcome:
    """The outcome with its links; evidence only as far as the reader may see documents."""
    try:
        return (
            _outcomes(net)
            .select_related("network", "recorded_by")
            .prefetch_related(
                "task_groups",
                "activities",
                "consultations",
                Prefetch("meetings", queryset=_meeting_queryset()),
                Prefetch(
                    "evidence_documents",
                    queryset=Document.objects.filter(visibility_filter(access)),
                ),
            )
            .get(uid=uid)
        )
    except (Outcome.DoesNotExist, ValidationError):
        raise Http404 from None


def _meeting_queryset() -> QuerySet:
    from netweave.meetings.models import Meeting

    return Meeting.objects.select_related("network").order_by("start")


def filtered_outcomes(net: Network, form: OutcomeFilterForm) -> QuerySet:
    """The network's outcomes matching the filters (invalid filters are ignored)."""
    outcomes = _outcomes(net)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("kind"):
        outcomes = outcomes.filter(kind=data["kind"])
    if data.get("year"):
        outcomes = outcomes.filter(date__year=data["year"])
    if data.get("substantiation"):
        outcomes = outcomes.filter(substantiation=data["substantiation"])
    return outcomes


def _log(outcomes: list[Outcome], milestones: list[Any]) -> list[dict[str, Any]]:
    """Outcomes and stage milestones in one chronology, newest year first."""
    entries = [{"date": o.date, "outcome": o} for o in outcomes]
    entries += [{"date": m.date, "milestone": m} for m in milestones]
    entries.sort(key=lambda e: (e["date"], "outcome" in e), reverse=True)
    return [
        {"year": year, "entries": list(items)}
        for year, items in groupby(entries, key=lambda e: e["date"].year)
    ]


@login_required
@require_GET
def outcome_list(request: HttpRequest, network: str) -> HttpResponse:
    """The outcome log with the stage milestones beside it; filters by kind, year, state."""
    net, access = _read(request, network)
    form = OutcomeFilterForm(request.GET or None)
    outcomes = list(filtered_outcomes(net, form).order_by("-date", "title"))
    milestones = list(net.milestones.all())
    filtering = form.is_valid() and any(form.cleaned_data.values())
    today = timezone.localdate()
    timeline = charts.stage_timeline(
        [(m.stage, m.date, m.note) for m in milestones],
        current_stage=net.stage,
        launched=net.launched,
        today=today,
    )
    return render(
        request,
        "influence/outcome_list.html",
        {
            "network": net,
            "access": access,
            "form": form,
            "outcomes": outcomes,
            # While filtering, the milestones would only interrupt the matches.
            "log": _log(outcomes, [] if filtering else milestones),
            "timeline": timeline,
            "can_manage": can_manage(access),
        },
    )


@login_required
@require_GET
def outcome_detail(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    net, access = _read(request, network)
    outcome = _outcome(net, uid, access)
    return render(
        request,
        "influence/outcome_detail.html",
        {
            "network": net,
            "access": access,
            "outcome": outcome,
            "evidence": list(outcome.evidence_documents.all()),
            "consultations": visible_consultations(access, list(outcome.consultations.all())),
            "warnings": services.outcome_warnings(net, outcome.date),
            "can_manage": can_manage(access),
            "history": (
                outcome.history.select_related("history_user")[:20]
                if access.can_view_history
                else []
            ),
        },
    )


def _outcome_data(form: OutcomeForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("confirm", None)
    return data


def _save_outcome(form: OutcomeForm, save: Any) -> Outcome | None:
    """Run ``save(data, confirm)``; on the date warning, ask to confirm on the form."""
    try:
        return save(_outcome_data(form), bool(form.cleaned_data.get("confirm")))
    except ValidationError as error:
        if getattr(error, "error_dict", None) and any(
            e.code == "unconfirmed" for e in error.error_dict.get("date", [])
        ):
            form.ask_to_confirm()
        apply_errors(form, error)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def outcome_create(request: HttpRequest, network: str) -> HttpResponse:
    net, access = _manage(request, network)
    form = OutcomeForm(
        request.POST or None,
        network=net,
        user=request.user,
        initial={"substantiation": "pending"},
    )
    if request.method == "POST" and form.is_valid():
        outcome = _save_outcome(
            form,
            lambda data, confirm: services.record_outcome(
                net, acting_user=request.user, confirm=confirm, **data
            ),
        )
        if outcome is not None:
            messages.success(request, _("The outcome is recorded."))
            return redirect(outcome)
    return render(
        request,
        "influence/outcome_form.html",
        {"network": net, "access": access, "form": form, "outcome": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_edit(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    net, access = _manage(request, network)
    outcome = _outcome(net, uid, access)
    initial = {name: getattr(outcome, name) for name in services.OUTCOME_FIELDS}
    for name in services.OUTCOME_LINKS:
        initial[name] = list(getattr(outcome, name).all())
    form = OutcomeForm(
        request.POST or None, initial=initial, network=net, user=request.user, outcome=outcome
    )
    if request.method == "POST" and form.is_valid():
        saved = _save_outcome(
            form,
            lambda data, confirm: services.update_outcome(
                outcome, data, acting_user=request.user, confirm=confirm
            ),
        )
        if saved is not None:
            messages.success(request, _("The outcome is saved."))
            return redirect(saved)
        outcome = _outcome(net, uid, access)  # the refused values stay unsaved
    return render(
        request,
        "influence/outcome_form.html",
        {"network": net, "access": access, "form": form, "outcome": outcome},
    )


# Indicators ----------------------------------------------------------------------------------
def _indicators(net: Network) -> QuerySet:
    return Indicator.objects.filter(network=net).prefetch_related(
        "targets", Prefetch("entries", queryset=IndicatorValue.objects.order_by("year"))
    )


def _indicator(net: Network, uid: Any) -> Indicator:
    try:
        return _indicators(net).get(uid=uid)
    except (Indicator.DoesNotExist, ValidationError):
        raise Http404 from None


def _chart_id(series: services.Series) -> str:
    return f"indicator-{series.indicator.uid}"


@login_required
@require_GET
def indicator_list(request: HttpRequest, network: str) -> HttpResponse:
    """Every indicator of the network with its chart and its table of values and targets."""
    net, access = _read(request, network)
    series = services.indicator_series(net, _indicators(net).order_by("name"))
    return render(
        request,
        "influence/indicator_list.html",
        {
            "network": net,
            "access": access,
            "series": [(s, _chart_id(s), s.chart_data()) for s in series],
            "can_manage": can_manage(access),
        },
    )


@login_required
@require_GET
def indicator_detail(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    net, access = _read(request, network)
    indicator = _indicator(net, uid)
    (series,) = services.indicator_series(net, [indicator])
    computation = registry.REGISTRY.get(indicator.computation) if indicator.is_computed else None
    return render(
        request,
        "influence/indicator_detail.html",
        {
            "network": net,
            "access": access,
            "indicator": indicator,
            "series": series,
            "chart_id": _chart_id(series),
            "chart": series.chart_data(),
            "computation": computation,
            "can_manage": can_manage(access),
        },
    )


def _indicator_form(request: HttpRequest, indicator: Indicator | None) -> IndicatorForm:
    initial: dict[str, Any] = {"source": "entered"}
    if indicator is not None:
        initial = {name: getattr(indicator, name) for name in services.INDICATOR_FIELDS}
        initial["targets"] = IndicatorForm.targets_text(indicator)
    return IndicatorForm(request.POST or None, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request: HttpRequest, network: str) -> HttpResponse:
    net, access = _manage(request, network)
    form = _indicator_form(request, None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        targets = data.pop("targets")
        try:
            indicator = services.create_indicator(
                net, acting_user=request.user, targets=targets, **data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The indicator is saved."))
            return redirect(indicator)
    return render(
        request,
        "influence/indicator_form.html",
        {
            "network": net,
            "access": access,
            "form": form,
            "indicator": None,
            "computations": list(registry.REGISTRY.values()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    net, access = _manage(request, network)
    indicator = _indicator(net, uid)
    form = _indicator_form(request, indicator)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        targets = data.pop("targets")
        try:
            services.update_indicator(indicator, data, acting_user=request.user, targets=targets)
        except ValidationError as error:
            apply_errors(form, error)
            indicator = _indicator(net, uid)
        else:
            messages.success(request, _("The indicator is saved."))
            return redirect(indicator)
    return render(
        request,
        "influence/indicator_form.html",
        {
            "network": net,
            "access": access,
            "form": form,
            "indicator": indicator,
            "computations": list(registry.REGISTRY.values()),
        },
    )


def _value_page(
    request: HttpRequest,
    net: Network,
    access: NetworkAccess,
    indicator: Indicator,
    form: IndicatorValueForm,
    entry: IndicatorValue | None,
) -> HttpResponse:
    return render(
        request,
        "influence/value_form.html",
        {
            "network": net,
            "access": access,
            "indicator": indicator,
            "form": form,
            "entry": entry,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def value_create(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """Enter an indicator's value for a year (entered indicators only)."""
    net, access = _manage(request, network)
    indicator = _indicator(net, uid)
    if indicator.is_computed:
        messages.info(request, _("The values of this indicator are computed from the data."))
        return redirect(indicator)
    form = IndicatorValueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_indicator_value(
                indicator, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The value is saved."))
            return redirect(indicator)
    return _value_page(request, net, access, indicator, form, None)


def _entry(indicator: Indicator, value: Any) -> IndicatorValue:
    entry = next((e for e in indicator.entries.all() if e.uid == value), None)
    if entry is None:
        raise Http404
    return entry


@login_required
@require_http_methods(["GET", "POST"])
def value_edit(request: HttpRequest, network: str, uid: str, value: Any) -> HttpResponse:
    net, access = _manage(request, network)
    indicator = _indicator(net, uid)
    entry = _entry(indicator, value)
    initial = {"year": entry.year, "value": entry.value, "source": entry.source, "note": entry.note}
    form = IndicatorValueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_indicator_value(entry, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The value is saved."))
            return redirect(indicator)
    return _value_page(request, net, access, indicator, form, entry)


@login_required
@require_POST
def value_delete(request: HttpRequest, network: str, uid: str, value: Any) -> HttpResponse:
    net, _access = _manage(request, network)
    indicator = _indicator(net, uid)
    services.delete_indicator_value(_entry(indicator, value), acting_user=request.user)
    messages.success(request, _("The value is removed."))
    return redirect(indicator)
