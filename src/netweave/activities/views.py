"""Activity pages. Each looks the network up with ``core.access.network_for`` (404 when the
user may not read it), refuses changes with 403 (``rules``), and writes through services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netweave.activities import charts, rules, services, totals
from netweave.activities.forms import (
    ActivityCreateForm,
    ActivityFilterForm,
    ActivityForm,
    ContributionForm,
    ExchangeRateForm,
    OutputForm,
    ParticipationForm,
    ReportingCurrencyForm,
    apply_errors,
)
from netweave.activities.models import (
    ActivityOutput,
    Contribution,
    ExchangeRate,
    JointActivity,
    Participation,
    ParticipationRole,
)
from netweave.core.access import NetworkAccess, network_for, require
from netweave.governance.models import TaskGroup
from netweave.governance.permissions import can_see_request, visible_requests
from netweave.networks.models import Network

ROLE_ORDER = Case(
    *(When(role=role, then=Value(i)) for i, role in enumerate(ParticipationRole.values)),
    default=Value(len(ParticipationRole.values)),
)


def _participations() -> Prefetch:
    """Participants lead first, then co-implementers, funders, technical partners."""
    return Prefetch(
        "participations",
        queryset=Participation.objects.select_related("organisation")
        .alias(role_order=ROLE_ORDER)
        .order_by("role_order", "organisation__name"),
    )


def _activity(net: Network, uid: Any) -> JointActivity:
    try:
        return (
            JointActivity.objects.select_related("task_group", "request__organisation", "network")
            .prefetch_related("topics", _participations())
            .get(network=net, uid=uid)
        )
    except (JointActivity.DoesNotExist, ValidationError):
        raise Http404 from None


def _by_uid(queryset: QuerySet, uid: Any) -> Any:
    """The row of ``queryset`` with that uid, or ``None`` (also for a malformed uid)."""
    if not uid:
        return None
    try:
        return queryset.filter(uid=uid).first()
    except ValidationError:
        return None


def filtered_activities(net: Network, form: ActivityFilterForm) -> QuerySet:
    """The network's activities matching the filter form (invalid filters are ignored)."""
    activities = JointActivity.objects.filter(network=net)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("q"):
        activities = activities.filter(title__icontains=data["q"])
    if data.get("kind"):
        activities = activities.filter(kind=data["kind"])
    if data.get("status"):
        activities = activities.filter(status=data["status"])
    if data.get("topic"):
        activities = activities.filter(topics=data["topic"])
    if data.get("organisation"):
        organisation = data["organisation"]
        activities = activities.filter(
            Q(participations__organisation=organisation)
            | Q(contributions__organisation=organisation)
        )
    if data.get("year"):
        year = data["year"]
        # Running in that year: started by its end and not ended before it began.
        activities = activities.filter(start__year__lte=year).filter(
            Q(end__isnull=True) | Q(end__year__gte=year)
        )
    return activities.distinct()


# The list and the co-financing summary ---------------------------------------------------


@require_GET
def activity_list(request: HttpRequest, network: str) -> HttpResponse:
    """The network's joint activities, filtered by kind, status, topic, organisation, year."""
    net, access = network_for(request, network)
    form = ActivityFilterForm(request.GET or None, network=net)
    activities = (
        filtered_activities(net, form)
        .select_related("task_group")
        .prefetch_related("topics", _participations())
        .order_by("-start", "title")
    )
    organisation = form.cleaned_data.get("organisation") if form.is_valid() else None
    return render(
        request,
        "activities/activity_list.html",
        {
            "network": net,
            "access": access,
            "form": form,
            "activities": activities,
            "organisation": organisation,
            "can_create": rules.can_create(access),
            "can_view_money": rules.can_view_money(access),
        },
    )


@require_GET
def cofinancing(request: HttpRequest, network: str) -> HttpResponse:
    """Who funds what: totals by sector and by organisation in the reporting currency."""
    net, access = network_for(request, network)
    require(rules.can_view_money(access))
    by_sector = totals.totals_by_sector(net)
    by_organisation = totals.totals_by_organisation(net)
    who_funds_what = totals.totals_by_funder_and_activity(net)
    return render(
        request,
        "activities/cofinancing.html",
        {
            "network": net,
            "access": access,
            "by_sector": by_sector,
            "by_organisation": by_organisation,
            "who_funds_what": who_funds_what,
            "figure": charts.sector_figure(by_sector) if by_sector.rows else None,
            "can_manage_rates": rules.can_manage_rates(access),
        },
    )


# Creating and editing --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, network: str) -> HttpResponse:
    net, access = network_for(request, network)
    require(rules.can_create(access))
    requests = visible_requests(net, access)
    initial = {}
    if request.method == "GET":
        # Recorded from a request's or a task group's page: that origin comes filled in.
        found = _by_uid(requests, request.GET.get("request"))
        if found is not None:
            initial = {"request": found, "task_group": found.task_group}
        group = _by_uid(TaskGroup.objects.filter(network=net), request.GET.get("task_group"))
        if group is not None:
            initial["task_group"] = group
    form = ActivityCreateForm(request.POST or None, initial=initial, network=net, requests=requests)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.create_activity(net, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The activity is saved."))
            return redirect(activity)
    return render(
        request,
        "activities/activity_form.html",
        {"network": net, "access": access, "form": form, "activity": None},
    )


@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    net, access = network_for(request, network)
    activity = _activity(net, uid)
    require(rules.can_edit(access, activity))
    initial = {
        "kind": activity.kind,
        "title": activity.title,
        "description": activity.description,
        "topics": list(activity.topics.all()),
        "start": activity.start,
        "end": activity.end,
        "status": activity.status,
        "task_group": activity.task_group,
        "request": activity.request,
    }
    requests = visible_requests(net, access)
    keep = activity.request_id is not None and not requests.filter(pk=activity.request_id).exists()
    form = ActivityForm(
        request.POST or None, initial=initial, network=net, requests=requests, keep_request=keep
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_activity(activity, dict(form.cleaned_data), acting_user=request.user)
        except ValidationError as error:
            apply_errors(form, error)
            activity = _activity(net, uid)  # the refused values stay unsaved
        else:
            messages.success(request, _("The activity is saved."))
            return redirect(activity)
    return render(
        request,
        "activities/activity_form.html",
        {"network": net, "access": access, "form": form, "activity": activity},
    )


# The activity's page ---------------------------------------------------------------------


def _render_detail(
    request: HttpRequest,
    net: Network,
    access: NetworkAccess,
    activity: JointActivity,
    *,
    participation_form: ParticipationForm | None = None,
    contribution_form: ContributionForm | None = None,
    output_form: OutputForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_edit = rules.can_edit(access, activity)
    money = rules.can_view_money(access)
    contributions = (
        Contribution.objects.filter(activity=activity).select_related("organisation")
        if money
        else Contribution.objects.none()
    )
    context = {
        "network": net,
        "access": access,
        "activity": activity,
        "participations": activity.participations.all(),
        "outputs": activity.outputs.all(),
        "can_edit": can_edit,
        "can_view_money": money,
        # A member request is private to the steering committee and the raising member.
        "origin_request": activity.request
        if activity.request is not None and can_see_request(access, activity.request)
        else None,
        "contributions": list(contributions.order_by("year", "organisation__name", "id")),
        "totals": totals.totals_by_organisation(net, contributions) if money else None,
    }
    if can_edit:
        context["participation_form"] = participation_form or ParticipationForm(network=net)
        context["contribution_form"] = contribution_form or ContributionForm(network=net)
        context["output_form"] = output_form or OutputForm()
    return render(request, "activities/activity_detail.html", context, status=status)


@require_GET
def activity_detail(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """Participants with roles, contributions and totals, outputs."""
    net, access = network_for(request, network)
    return _render_detail(request, net, access, _activity(net, uid))


def _editable(request: HttpRequest, network: str, uid: str):
    net, access = network_for(request, network)
    activity = _activity(net, uid)
    require(rules.can_edit(access, activity))
    return net, access, activity


@require_POST
def participation_add(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    net, access, activity = _editable(request, network, uid)
    form = ParticipationForm(request.POST, network=net)
    if form.is_valid():
        try:
            services.add_participation(activity, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The participant is added."))
            return redirect(activity)
    return _render_detail(request, net, access, activity, participation_form=form, status=400)


@require_POST
def participation_remove(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    # The row's id travels in the POST body, never in a public URL.
    _net, _access, activity = _editable(request, network, uid)
    participation = activity.participations.filter(pk=request.POST.get("participation")).first()
    if participation is None:
        raise Http404
    services.remove_participation(participation, acting_user=request.user)
    messages.success(request, _("The participant is removed."))
    return redirect(activity)


@require_POST
def contribution_add(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    net, access, activity = _editable(request, network, uid)
    form = ContributionForm(request.POST, network=net)
    if form.is_valid():
        try:
            services.add_contribution(activity, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The contribution is recorded."))
            return redirect(activity)
    return _render_detail(request, net, access, activity, contribution_form=form, status=400)


@require_POST
def contribution_remove(
    request: HttpRequest, network: str, uid: str, contribution: str
) -> HttpResponse:
    _net, _access, activity = _editable(request, network, uid)
    row = Contribution.objects.filter(activity=activity, uid=contribution).first()
    if row is None:
        raise Http404
    services.remove_contribution(row, acting_user=request.user)
    messages.success(request, _("The contribution is removed."))
    return redirect(activity)


@require_POST
def output_add(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    net, access, activity = _editable(request, network, uid)
    form = OutputForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_activity_output(activity, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The output is added."))
            return redirect(activity)
    return _render_detail(request, net, access, activity, output_form=form, status=400)


@require_GET
def output_file(request: HttpRequest, network: str, uid: str, output: str) -> HttpResponse:
    """An output's uploaded file, to those who may read the activity."""
    net, _access = network_for(request, network)
    activity = _activity(net, uid)
    row = ActivityOutput.objects.filter(activity=activity, uid=output).first()
    if row is None or not row.file:
        raise Http404
    try:
        handle = row.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=row.file.name.rsplit("/", 1)[-1])


# Exchange rates --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def exchange_rates(request: HttpRequest, network: str) -> HttpResponse:
    """Facilitators enter, per year, what each currency is worth in the reporting currency."""
    net, access = network_for(request, network)
    require(rules.can_manage_rates(access))
    reporting = services.reporting_currency_of(net)
    rate_form = ExchangeRateForm(None)
    currency_form = ReportingCurrencyForm(initial={"currency": reporting})
    status = 200
    if request.method == "POST":
        if "reporting" in request.POST:
            currency_form = ReportingCurrencyForm(request.POST)
            form: Any = currency_form
            if form.is_valid():
                try:
                    services.set_reporting_currency(
                        net, form.cleaned_data["currency"], acting_user=request.user
                    )
                except ValidationError as error:
                    apply_errors(form, error)
        else:
            rate_form = ExchangeRateForm(request.POST)
            form = rate_form
            if form.is_valid():
                try:
                    services.set_exchange_rate(net, acting_user=request.user, **form.cleaned_data)
                except ValidationError as error:
                    apply_errors(form, error)
        if not form.errors:
            messages.success(request, _("Saved."))
            return redirect("activities:rates", network=net.slug)
        status = 400
    return render(
        request,
        "activities/exchange_rates.html",
        {
            "network": net,
            "access": access,
            "reporting": reporting,
            "rates": ExchangeRate.objects.filter(network=net).order_by("-year", "currency"),
            "rate_form": rate_form,
            "currency_form": currency_form,
        },
        status=status,
    )
