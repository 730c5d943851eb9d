"""Network pages: the home page, editing, members, roles and invitations.

Every view looks the network up through ``network_for`` (404 when it is not visible) and
refuses changes with 403 unless the user's access allows them; writes go to services.
"""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netweave.core import exports, pagecache
from netweave.core.access import forget_access, get_access, network_for, require
from netweave.directory.models import Organisation
from netweave.networks import charts, services
from netweave.networks.forms import (
    AddMemberForm,
    AssignRoleForm,
    InviteForm,
    LeaveForm,
    MilestoneForm,
    NetworkForm,
    RemoveRoleForm,
    SeatForm,
    apply_errors,
)
from netweave.networks.models import Membership, Network, Representation, SeatKind
from netweave.networks.stats import home_data

logger = logging.getLogger("netweave.networks")


# Network home ----------------------------------------------------------------------------


@require_GET
def network_detail(request: HttpRequest, network: str) -> HttpResponse:
    """The network's description, stage timeline, sector mix and growth."""
    net, access = network_for(request, network)
    today = timezone.localdate()
    data = home_data(net, today=today)  # cached until the network's data changes
    sectors, growth = data.sectors, data.growth
    return render(
        request,
        "networks/network_detail.html",
        {
            "network": net,
            "access": access,
            "timeline": pagecache.lazy(
                lambda: charts.stage_timeline(
                    net.milestones.values_list("stage", "date", "note"),
                    current_stage=net.stage,
                    launched=net.launched,
                    today=today,
                )
            ),
            "sectors": sectors,
            "growth": growth,
            # called by the template when it renders them (a lazy object is not JSON)
            "sector_figure": lambda: charts.sector_figure(sectors),
            "growth_figure": lambda: charts.growth_figure(growth),
            "member_count": sum(row.count for row in sectors),
            "people_count": data.people,
            "meeting_count": data.meetings,
            "sector_count": len(sectors),
            **pagecache.context(request, net),
        },
    )


# Editing the network -------------------------------------------------------------------


def _render_edit(
    request: HttpRequest,
    net: Network,
    access: Any,
    *,
    network_form: NetworkForm | None = None,
    milestone_form: MilestoneForm | None = None,
) -> HttpResponse:
    if milestone_form is None:
        # ?stage=formal opens the form on that stage's milestone, to re-date it.
        initial: dict[str, Any] = {}
        milestone = net.milestones.filter(stage=request.GET.get("stage", "")).first()
        if milestone is not None:
            initial = {"stage": milestone.stage, "date": milestone.date, "note": milestone.note}
        milestone_form = MilestoneForm(initial=initial)
    return render(
        request,
        "networks/network_edit.html",
        {
            "network": net,
            "access": access,
            "form": network_form or NetworkForm.for_network(net),
            "milestone_form": milestone_form,
            "milestones": net.milestones.all(),
        },
    )


@require_http_methods(["GET", "POST"])
def network_edit(request: HttpRequest, network: str) -> HttpResponse:
    net, access = network_for(request, network, edit=True)
    if request.method != "POST":
        return _render_edit(request, net, access)
    form = NetworkForm.for_network(net, request.POST)
    if form.is_valid():
        try:
            services.update_network(net, form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            net.refresh_from_db()  # the service set the refused values on this instance
            apply_errors(form, error)
        else:
            messages.success(request, _("The network is saved."))
            return redirect(net)
    return _render_edit(request, net, access, network_form=form)


@require_POST
def milestone_record(request: HttpRequest, network: str) -> HttpResponse:
    net, access = network_for(request, network, edit=True)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.record_milestone(net, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The stage milestone is saved."))
            return redirect("networks:edit", network=net.slug)
    return _render_edit(request, net, access, milestone_form=form)


# Members ---------------------------------------------------------------------------------


def _render_members(
    request: HttpRequest, net: Network, access: Any, *, form: AddMemberForm | None = None
) -> HttpResponse:
    representative = Representation.objects.filter(
        network=net,
        organisation=OuterRef("organisation"),
        kind=SeatKind.REPRESENTATIVE,
        end__isnull=True,
    ).order_by("-start")
    memberships = (
        net.memberships.select_related("organisation__sector")
        .annotate(representative=Subquery(representative.values("person__name")[:1]))
        .order_by("organisation__name", "-joined")
    )
    return render(
        request,
        "networks/member_list.html",
        {
            "network": net,
            "access": access,
            "memberships": memberships,
            "form": form or AddMemberForm(network=net),
        },
    )


@require_http_methods(["GET", "POST"])
def member_list(request: HttpRequest, network: str) -> HttpResponse:
    """Every membership period of the network, current and past; POST adds a member."""
    net, access = network_for(request, network)
    require(access.can_manage_members)
    if request.method != "POST":
        return _render_members(request, net, access)
    form = AddMemberForm(request.POST, network=net)
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            services.add_member(
                net,
                organisation,
                joined=form.cleaned_data["joined"],
                notes=form.cleaned_data["notes"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("%(org)s is now a member.") % {"org": organisation.display_name}
            )
            return redirect("networks:member_list", network=net.slug)
    return _render_members(request, net, access, form=form)


@require_GET
def member_export(request: HttpRequest, network: str, fmt: str) -> HttpResponse:
    """Every membership period as a CSV, XLSX or JSON file, for facilitators."""
    net, access = network_for(request, network)
    require(access.can_manage_members)
    if fmt not in exports.FORMATS:
        raise Http404
    content = exports.export_dataset("memberships", net, request.user, fmt, access=access)
    response = HttpResponse(content, content_type=exports.FORMATS[fmt])
    filename = f"{net.slug}-memberships-{timezone.localdate().isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _member_organisation(net: Network, slug: str) -> Organisation:
    """An organisation that is or was a member of ``net``; 404 otherwise."""
    organisation = (
        Organisation.objects.filter(
            slug=slug,
            id__in=Membership.objects.filter(network=net).values("organisation_id"),
        )
        .select_related("sector")
        .first()
    )
    if organisation is None:
        raise Http404
    return organisation


def _render_member(
    request: HttpRequest,
    net: Network,
    access: Any,
    organisation: Organisation,
    *,
    leave_form: LeaveForm | None = None,
    seat_form: SeatForm | None = None,
) -> HttpResponse:
    periods = list(net.memberships.filter(organisation=organisation).order_by("-joined"))
    current = next((period for period in periods if period.left is None), None)
    seat_form = seat_form or SeatForm(organisation=organisation)
    return render(
        request,
        "networks/member_detail.html",
        {
            "network": net,
            "access": access,
            "organisation": organisation,
            "periods": periods,
            "current": current,
            "seats": Representation.objects.filter(network=net, organisation=organisation)
            .select_related("person")
            .order_by("-start", "kind"),
            "leave_form": leave_form or LeaveForm(),
            "seat_form": seat_form,
            "has_people": seat_form.fields["person"].queryset.exists(),
        },
    )


@require_GET
def member_detail(request: HttpRequest, network: str, organisation: str) -> HttpResponse:
    """One member's periods and seats, with the forms to record leaving and handovers."""
    net, access = network_for(request, network)
    require(access.can_manage_members)
    org = _member_organisation(net, organisation)
    return _render_member(request, net, access, org)


@require_POST
def member_leave(request: HttpRequest, network: str, organisation: str) -> HttpResponse:
    net, access = network_for(request, network)
    require(access.can_manage_members)
    org = _member_organisation(net, organisation)
    form = LeaveForm(request.POST)
    membership = Membership.objects.current().filter(network=net, organisation=org).first()
    if membership is None:
        form.add_error(None, _("%(org)s is not a member now.") % {"org": org.display_name})
    elif form.is_valid():
        try:
            services.end_membership(
                membership, left=form.cleaned_data["left"], acting_user=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("%(org)s has left the network.") % {"org": org.display_name}
            )
            return redirect("networks:member_list", network=net.slug)
    return _render_member(request, net, access, org, leave_form=form)


@require_POST
def member_seat(request: HttpRequest, network: str, organisation: str) -> HttpResponse:
    net, access = network_for(request, network)
    require(access.can_manage_members)
    org = _member_organisation(net, organisation)
    form = SeatForm(request.POST, organisation=org)
    if form.is_valid():
        try:
            services.hand_over_seat(
                net,
                org,
                person=form.cleaned_data["person"],
                kind=form.cleaned_data["kind"],
                date=form.cleaned_data["start"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(person)s now holds the seat.") % {"person": form.cleaned_data["person"]},
            )
            return redirect("networks:member_detail", network=net.slug, organisation=org.slug)
    return _render_member(request, net, access, org, seat_form=form)


# Roles and invitations -----------------------------------------------------------------


def _render_roles(
    request: HttpRequest,
    net: Network,
    access: Any,
    *,
    assign_form: AssignRoleForm | None = None,
    invite_form: InviteForm | None = None,
    remove_form: RemoveRoleForm | None = None,
) -> HttpResponse:
    roles = net.roles.select_related("user", "organisation").order_by(
        "kind", "user__username", "organisation__name"
    )
    return render(
        request,
        "networks/role_list.html",
        {
            "network": net,
            "access": access,
            "roles": roles,
            "assign_form": assign_form or AssignRoleForm(network=net),
            "invite_form": invite_form or InviteForm(network=net),
            "invitation_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            "remove_errors": [
                message
                for errors in (remove_form.errors if remove_form else {}).values()
                for message in errors
            ],
        },
    )


@require_GET
def role_list(request: HttpRequest, network: str) -> HttpResponse:
    """Who holds which role in the network (facilitators only)."""
    net, access = network_for(request, network)
    require(access.can_manage_roles)
    return _render_roles(request, net, access)


@require_POST
def role_assign(request: HttpRequest, network: str) -> HttpResponse:
    net, access = network_for(request, network)
    require(access.can_manage_roles)
    form = AssignRoleForm(request.POST, network=net)
    if form.is_valid():
        try:
            role = services.assign_role(
                net,
                form.cleaned_data["user"],
                form.cleaned_data["kind"],
                organisation=form.cleaned_data["organisation"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(role)s is saved.") % {"role": role})
            return redirect("networks:role_list", network=net.slug)
    return _render_roles(request, net, access, assign_form=form)


@require_POST
def role_invite(request: HttpRequest, network: str) -> HttpResponse:
    net, access = network_for(request, network)
    require(access.can_manage_roles)
    form = InviteForm(request.POST, network=net)
    if form.is_valid():
        email = form.cleaned_data["email"]
        try:
            services.invite_focal_point(
                net,
                form.cleaned_data["organisation"],
                email=email,
                name=form.cleaned_data["name"],
                acting_user=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        except (smtplib.SMTPException, OSError):
            # The role is given (its transaction is over); only the e-mail failed.
            logger.exception("invitation e-mail to %s failed", email)
            messages.error(
                request,
                _(
                    "The role is given, but the invitation could not be e-mailed to %(email)s. "
                    "Try again later: inviting again sends a new link."
                )
                % {"email": email},
            )
            return redirect("networks:role_list", network=net.slug)
        else:
            messages.success(
                request, _("An invitation has been e-mailed to %(email)s.") % {"email": email}
            )
            return redirect("networks:role_list", network=net.slug)
    return _render_roles(request, net, access, invite_form=form)


@require_POST
def role_remove(request: HttpRequest, network: str) -> HttpResponse:
    net, access = network_for(request, network)
    require(access.can_manage_roles)
    form = RemoveRoleForm(request.POST, network=net)
    if form.is_valid():
        role = form.cleaned_data["role"]
        try:
            services.remove_role(role, acting_user=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(role)s is removed.") % {"role": role})
            if role.user_id != request.user.pk:
                return redirect("networks:role_list", network=net.slug)
            # Whoever removed their own role may no longer manage, or even see, the network.
            forget_access(request.user)
            now = get_access(request.user, net)
            if now.can_manage_roles:
                return redirect("networks:role_list", network=net.slug)
            return redirect(net if now.can_view else reverse("core:home"))
    return _render_roles(request, net, access, remove_form=form)
