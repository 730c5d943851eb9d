"""Partnership pages. Each looks the network up with ``permissions.partnerships_for`` (404
without a role in the network), refuses changes with 403, and writes through services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netweave.core.access import NetworkAccess, require
from netweave.networks.models import Network
from netweave.partnerships import charts, services
from netweave.partnerships.forms import (
    ArrangementTypeForm,
    ContributionForm,
    HealthAnswerForm,
    HealthRoundForm,
    PartnerForm,
    PartnershipCreateForm,
    PartnershipForm,
    PlacementForm,
    apply_errors,
)
from netweave.partnerships.models import (
    ArrangementType,
    ContributionKind,
    HealthCheckRound,
    Partner,
    PartnerContribution,
    Partnership,
)
from netweave.partnerships.permissions import can_act_for, can_manage, partnerships_for


def _partnership(net: Network, uid: str) -> Partnership:
    try:
        return Partnership.objects.select_related("arrangement").get(network=net, uid=uid)
    except (Partnership.DoesNotExist, ValidationError):
        raise Http404 from None


def _partners_acted_for(partnership: Partnership, access: NetworkAccess):
    """The partners this user records placements and contributions for."""
    partners = partnership.partners.select_related("organisation").order_by("organisation__name")
    if can_manage(access):
        return partners
    return partners.filter(organisation_id__in=access.focal_org_ids)


# The list and the overview ---------------------------------------------------------------


@require_GET
def partnership_list(request: HttpRequest, network: str) -> HttpResponse:
    """The network's partnerships with their arrangement type, status and partner count."""
    net, access = partnerships_for(request, network)
    return render(
        request,
        "partnerships/partnership_list.html",
        {
            "network": net,
            "access": access,
            "partnerships": services.partnerships_of(net),
            "can_manage": can_manage(access),
        },
    )


@require_GET
def contribution_overview(request: HttpRequest, network: str) -> HttpResponse:
    """What each sector (public, private, civil society) brings and gains, all partnerships."""
    net, access = partnerships_for(request, network)
    rows = services.contributions_by_sphere(net)
    kinds = [(kind.value, str(kind.label)) for kind in ContributionKind]
    used = [
        (kind, label)
        for kind, label in kinds
        if any(row.brings.get(kind) or row.gains.get(kind) for row in rows)
    ]
    return render(
        request,
        "partnerships/contribution_overview.html",
        {
            "network": net,
            "access": access,
            "rows": rows,
            "kinds": used,
            "table": [
                (
                    row,
                    [(row.brings.get(kind, 0), row.gains.get(kind, 0)) for kind, _label in used],
                )
                for row in rows
            ],
            "figure": charts.sphere_figure(rows, used) if used else None,
        },
    )


# Creating and editing --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def partnership_create(request: HttpRequest, network: str) -> HttpResponse:
    net, access = partnerships_for(request, network, manage=True)
    form = PartnershipCreateForm(request.POST or None, request.FILES or None, network=net)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        partners = [(org, "partner") for org in data.pop("partners")]
        try:
            partnership = services.create_partnership(
                net, acting_user=request.user, partners=partners, **data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The partnership is saved."))
            return redirect(partnership)
    return render(
        request,
        "partnerships/partnership_form.html",
        {"network": net, "access": access, "form": form, "partnership": None},
    )


@require_http_methods(["GET", "POST"])
def partnership_edit(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    net, access = partnerships_for(request, network, manage=True)
    partnership = _partnership(net, uid)
    if request.method == "POST":
        form = PartnershipForm.for_partnership(partnership, request.POST, request.FILES)
        if form.is_valid():
            try:
                services.update_partnership(
                    partnership, dict(form.cleaned_data), acting_user=request.user
                )
            except ValidationError as error:
                apply_errors(form, error)
                partnership = _partnership(net, uid)  # the service set the refused values
            else:
                messages.success(request, _("The partnership is saved."))
                return redirect(partnership)
    else:
        form = PartnershipForm.for_partnership(partnership)
    return render(
        request,
        "partnerships/partnership_form.html",
        {"network": net, "access": access, "form": form, "partnership": partnership},
    )


@require_GET
def agreement_download(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """The written agreement, to those who may read the partnership."""
    net, _access = partnerships_for(request, network)
    partnership = _partnership(net, uid)
    if not partnership.agreement_file:
        raise Http404
    try:
        handle = partnership.agreement_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = partnership.agreement_file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


# The partnership's page ------------------------------------------------------------------


def _render_detail(
    request: HttpRequest,
    net: Network,
    access: NetworkAccess,
    partnership: Partnership,
    *,
    partner_form: PartnerForm | None = None,
    contribution_form: ContributionForm | None = None,
    round_form: HealthRoundForm | None = None,
    status: int = 200,
) -> HttpResponse:
    partners = list(
        partnership.partners.select_related("organisation__sector")
        .prefetch_related(
            Prefetch("contributions", queryset=PartnerContribution.objects.order_by("kind", "id"))
        )
        .order_by("organisation__name")
    )
    manage = can_manage(access)
    acted_for = [p for p in partners if can_act_for(access, p.organisation_id)]
    kinds = services.contributions_by_kind(partners)
    summary = services.plot_summary(partnership)
    trend = services.health_trend(partnership)
    today = timezone.localdate()
    open_round = next((r for r in trend if r.opens <= today <= r.closes), None)
    last_opened = trend[-1].opens if trend else None
    next_due = partnership.next_check_due(last_opened)
    answering = None
    if open_round is not None and services.may_answer(partnership, request.user):
        answering = open_round
    latest_shown = next((r for r in reversed(trend) if r.shown), None)
    comments: list[str] = []
    if latest_shown is not None:
        comments = services.round_comments(latest_shown.uid, answers=latest_shown.answers)
    partner_queryset = Partner.objects.filter(pk__in=[p.pk for p in acted_for]).select_related(
        "organisation"
    )
    return render(
        request,
        "partnerships/partnership_detail.html",
        {
            "network": net,
            "access": access,
            "partnership": partnership,
            "partners": partners,
            "can_manage": manage,
            "acted_for": acted_for,
            "kinds": kinds,
            "contribution_figure": charts.contribution_figure(kinds) if kinds else None,
            "summary": summary,
            "plot_figure": charts.plot_figure(summary) if summary.points else None,
            "trend": trend,
            "health_figure": charts.health_figure(trend) if any(r.shown for r in trend) else None,
            "open_round": open_round,
            "answering": answering,
            "check_due": next_due is not None and next_due <= today and open_round is None,
            "next_due": next_due,
            "comments": comments,
            "latest_shown": latest_shown,
            "min_answers": charts.MIN_ANSWERS,
            "partner_form": partner_form or (PartnerForm(network=net) if manage else None),
            "contribution_form": contribution_form
            or (ContributionForm(partners=partner_queryset) if acted_for else None),
            "round_form": round_form or (HealthRoundForm() if manage else None),
        },
        status=status,
    )


@require_GET
def partnership_detail(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """One partnership: partners, what they bring and gain, the plot and the health trend."""
    net, access = partnerships_for(request, network)
    return _render_detail(request, net, access, _partnership(net, uid))


@require_POST
def partner_add(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    net, access = partnerships_for(request, network, manage=True)
    partnership = _partnership(net, uid)
    form = PartnerForm(request.POST, network=net)
    if form.is_valid():
        try:
            services.add_partner(
                partnership,
                form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The partner is added."))
            return redirect(partnership)
    return _render_detail(request, net, access, partnership, partner_form=form, status=400)


@require_POST
def partner_remove(request: HttpRequest, network: str, uid: str, partner: str) -> HttpResponse:
    net, _access = partnerships_for(request, network, manage=True)
    partnership = _partnership(net, uid)
    try:
        row = partnership.partners.get(uid=partner)
    except (Partner.DoesNotExist, ValidationError):
        raise Http404 from None
    services.remove_partner(row, acting_user=request.user)
    messages.success(request, _("The partner is removed."))
    return redirect(partnership)


@require_POST
def contribution_add(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    net, access = partnerships_for(request, network)
    partnership = _partnership(net, uid)
    partners = _partners_acted_for(partnership, access)
    require(partners.exists())
    form = ContributionForm(request.POST, partners=partners)
    if form.is_valid():
        try:
            services.add_contribution(
                form.cleaned_data["partner"],
                direction=form.cleaned_data["direction"],
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The contribution is saved."))
            return redirect(partnership)
    return _render_detail(request, net, access, partnership, contribution_form=form, status=400)


@require_POST
def contribution_remove(
    request: HttpRequest, network: str, uid: str, contribution: str
) -> HttpResponse:
    net, access = partnerships_for(request, network)
    partnership = _partnership(net, uid)
    try:
        row = PartnerContribution.objects.select_related("partner").get(
            uid=contribution, partner__partnership=partnership
        )
    except (PartnerContribution.DoesNotExist, ValidationError):
        raise Http404 from None
    require(can_act_for(access, row.partner.organisation_id))
    services.remove_contribution(row, acting_user=request.user)
    messages.success(request, _("The contribution is removed."))
    return redirect(partnership)


@require_POST
def round_open(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    net, access = partnerships_for(request, network, manage=True)
    partnership = _partnership(net, uid)
    form = HealthRoundForm(request.POST)
    if form.is_valid():
        try:
            services.open_health_round(partnership, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The health check round is scheduled."))
            return redirect(partnership)
    return _render_detail(request, net, access, partnership, round_form=form, status=400)


# Placing the partnership -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def placement_record(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """A partner places the partnership on the two axes (focal points of partners, facilitators)."""
    net, access = partnerships_for(request, network)
    partnership = _partnership(net, uid)
    partners = _partners_acted_for(partnership, access)
    require(partners.exists())
    if request.method == "POST":
        form = PlacementForm(request.POST, partners=partners)
        if form.is_valid():
            data = dict(form.cleaned_data)
            partner = data.pop("partner")
            try:
                services.record_placement(partner, acting_user=request.user, **data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The placement is saved."))
                return redirect(partnership)
    else:
        initial: dict[str, Any] = {"placed_on": timezone.localdate()}
        first = partners.first()
        if first is not None:
            initial["partner"] = first.uid
        form = PlacementForm(initial=initial, partners=partners)
    return render(
        request,
        "partnerships/placement_form.html",
        {"network": net, "access": access, "partnership": partnership, "form": form},
    )


# Health checks ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def health_answer(request: HttpRequest, network: str, uid: str, round_uid: str) -> HttpResponse:
    """A partner's person answers an open health check round, once."""
    net, access = partnerships_for(request, network)
    partnership = _partnership(net, uid)
    try:
        health_round = partnership.rounds.get(uid=round_uid)
    except (HealthCheckRound.DoesNotExist, ValidationError):
        raise Http404 from None
    require(services.may_answer(partnership, request.user))
    form = HealthAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        comments = data.pop("comments")
        try:
            services.answer_health_check(
                health_round, acting_user=request.user, scores=data, comments=comments
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you: your answer is saved anonymously."))
            return redirect(partnership)
    return render(
        request,
        "partnerships/health_answer.html",
        {
            "network": net,
            "access": access,
            "partnership": partnership,
            "round": health_round,
            "form": form,
            "answered": services.has_answered(health_round, request.user),
            "is_open": health_round.is_open(timezone.localdate()),
        },
    )


# Arrangement types -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def arrangement_list(request: HttpRequest, network: str) -> HttpResponse:
    """The spectrum of arrangement types; facilitators edit the installation's texts."""
    net, access = partnerships_for(request, network)
    types = list(ArrangementType.objects.all())
    forms = {t.slug: ArrangementTypeForm.for_type(t) for t in types} if can_manage(access) else {}
    status = 200
    if request.method == "POST":
        require(can_manage(access))
        slug = request.POST.get("arrangement", "")
        arrangement = next((t for t in types if t.slug == slug), None)
        if arrangement is None:
            raise Http404
        form = ArrangementTypeForm.for_type(arrangement, request.POST)
        if form.is_valid():
            try:
                services.update_arrangement_type(
                    arrangement, form.cleaned_data, acting_user=request.user
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The arrangement type is saved."))
                return redirect("partnerships:arrangement_list", network=net.slug)
        forms[slug] = form
        status = 400
    return render(
        request,
        "partnerships/arrangement_list.html",
        {
            "network": net,
            "access": access,
            "types": [(t, forms.get(t.slug)) for t in types],
            "can_manage": can_manage(access),
        },
        status=status,
    )
