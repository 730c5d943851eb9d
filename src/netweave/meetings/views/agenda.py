"""Agenda pages: the editor, the printable agenda, the builder, members' offers and votes.

Facilitators edit agendas, run the builder and decide on offers; focal points offer items
for their own organisation; everybody with a role in the network reads and votes on the
offers. A meeting the user may not see is missing (404), as is the offers page without a
role; the rest answers 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netweave.core.access import NetworkAccess, network_for, require
from netweave.directory.models import Topic
from netweave.meetings import services
from netweave.meetings.agenda import (
    REASON_DID_NOT_FIT,
    REASON_NO_INTEREST,
    REASON_NO_INTERESTS_DECLARED,
)
from netweave.meetings.forms_agenda import (
    AgendaItemForm,
    BuilderForm,
    DeclineForm,
    OfferAcceptForm,
    OfferFilterForm,
    OfferForm,
    apply_errors,
)
from netweave.meetings.models import (
    AgendaItem,
    AgendaOffer,
    Meeting,
    MeetingVisibility,
    OfferStatus,
)
from netweave.networks.models import Network

REASONS = {
    REASON_NO_INTERESTS_DECLARED: gettext_lazy("has declared no interests"),
    REASON_NO_INTEREST: gettext_lazy("no candidate item matches its interests"),
    REASON_DID_NOT_FIT: gettext_lazy("the items that interest it did not fit"),
}


# Looking things up ---------------------------------------------------------------------------
def _meeting(net: Network, access: NetworkAccess, uid: Any) -> Meeting:
    """The meeting if the user may see it: members see all, others only public ones."""
    meetings = Meeting.objects.filter(network=net).select_related("network", "host")
    if not access.has_role:
        meetings = meetings.filter(visibility=MeetingVisibility.PUBLIC)
    try:
        return meetings.get(uid=uid)
    except Meeting.DoesNotExist:
        raise Http404 from None


def _item(meeting: Meeting, uid: Any) -> AgendaItem:
    try:
        return AgendaItem.objects.select_related("meeting__network").get(meeting=meeting, uid=uid)
    except AgendaItem.DoesNotExist:
        raise Http404 from None


def _offer(net: Network, uid: Any) -> AgendaOffer:
    try:
        return AgendaOffer.objects.select_related("network", "meeting", "organisation").get(
            network=net, uid=uid
        )
    except AgendaOffer.DoesNotExist:
        raise Http404 from None


def _members_only(request: HttpRequest, slug: str) -> tuple[Network, NetworkAccess]:
    """Offers are the members' business: 404 without a role in the network."""
    net, access = network_for(request, slug)
    if not (access.authenticated and access.has_role):
        raise Http404
    return net, access


def agenda_items(meeting: Meeting) -> list[AgendaItem]:
    """The agenda in running order, presenters preloaded and topics prefetched (2 queries)."""
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("presenter_organisation", "presenter_person")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
        .order_by("position", "id")
    )


def _coming_meetings(net: Network) -> QuerySet:
    return Meeting.objects.filter(network=net).upcoming()


def agenda_context(meeting: Meeting, access: NetworkAccess) -> dict[str, Any]:
    """What ``meetings/_agenda_section.html`` shows on the meeting page (2 queries)."""
    items = agenda_items(meeting)
    total = sum(item.duration_minutes for item in items)
    length = services.meeting_minutes(meeting)
    return {
        "agenda": services.schedule(meeting, items),
        "agenda_total_minutes": total,
        "agenda_length_minutes": length,
        "agenda_overrun_minutes": max(0, total - length),
        "agenda_can_edit": access.is_facilitator,
        "agenda_can_offer": access.is_facilitator or bool(access.focal_org_ids),
    }


def _agenda_url(meeting: Meeting) -> str:
    return reverse("meetings:agenda", kwargs={"network": meeting.network.slug, "uid": meeting.uid})


# The agenda editor ---------------------------------------------------------------------------
def _render_editor(
    request: HttpRequest,
    net: Network,
    access: NetworkAccess,
    meeting: Meeting,
    form: AgendaItemForm,
    status: int = 200,
) -> HttpResponse:
    context = {"network": net, "access": access, "meeting": meeting, "form": form}
    context.update(agenda_context(meeting, access))
    return render(request, "meetings/agenda_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def agenda_edit(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """The agenda with its timing, move/edit/delete buttons and a form to add an item."""
    net, access = network_for(request, network)
    meeting = _meeting(net, access, uid)
    require(access.is_facilitator)
    form = AgendaItemForm(request.POST or None, network=net)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.add_agenda_item(
                meeting,
                form.service_data(),
                topics=form.cleaned_data["topics"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” is on the agenda.") % {"title": item.title})
            return redirect(_agenda_url(meeting))
    return _render_editor(request, net, access, meeting, form, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def agenda_item_edit(request: HttpRequest, network: str, uid: str, item: str) -> HttpResponse:
    net, access = network_for(request, network)
    meeting = _meeting(net, access, uid)
    require(access.is_facilitator)
    agenda_item = _item(meeting, item)
    form = AgendaItemForm.for_item(agenda_item, net, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_agenda_item(
                agenda_item,
                form.service_data(),
                topics=form.cleaned_data["topics"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The agenda item is saved."))
            return redirect(_agenda_url(meeting))
    return render(
        request,
        "meetings/agenda_item_form.html",
        {"network": net, "access": access, "meeting": meeting, "item": agenda_item, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def agenda_item_delete(request: HttpRequest, network: str, uid: str, item: str) -> HttpResponse:
    net, access = network_for(request, network)
    meeting = _meeting(net, access, uid)
    require(access.is_facilitator)
    agenda_item = _item(meeting, item)
    services.delete_agenda_item(agenda_item, acting_user=request.user)
    messages.success(request, _("“%(title)s” is off the agenda.") % {"title": agenda_item.title})
    return redirect(_agenda_url(meeting))


@require_POST
def agenda_item_move(request: HttpRequest, network: str, uid: str, item: str) -> HttpResponse:
    net, access = network_for(request, network)
    meeting = _meeting(net, access, uid)
    require(access.is_facilitator)
    agenda_item = _item(meeting, item)
    try:
        services.move_agenda_item(
            agenda_item, request.POST.get("direction", ""), acting_user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_agenda_url(meeting) + f"#item-{agenda_item.uid}")


@require_GET
def agenda_print(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """The agenda for paper: who presents what, when; no navigation when printed."""
    net, access = network_for(request, network)
    meeting = _meeting(net, access, uid)
    context = {"network": net, "access": access, "meeting": meeting}
    context.update(agenda_context(meeting, access))
    return render(request, "meetings/agenda_print.html", context)


# The builder ---------------------------------------------------------------------------------
def _suggestion_rows(suggestion: services.AgendaSuggestion) -> dict[str, Any]:
    """The plan with records instead of ids, for the template."""
    orgs = suggestion.organisations
    candidates = suggestion.candidates
    items = [
        {
            "planned": planned,
            "candidate": candidates[str(planned.id)],
            "serves": [orgs[slug] for slug in planned.serves],
        }
        for planned in suggestion.plan.items
    ]
    uncovered = [
        {
            "organisation": orgs[row.id],
            "reason": REASONS[row.reason_code],
            "items": [candidates[str(i)] for i in row.item_ids],
        }
        for row in suggestion.plan.uncovered
    ]
    return {"planned": items, "uncovered": uncovered}


@require_http_methods(["GET", "POST"])
def agenda_builder(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """Suggest the items that interest the most members; add them to the agenda (POST)."""
    net, access = network_for(request, network)
    meeting = _meeting(net, access, uid)
    require(access.is_facilitator)
    if request.method == "POST":
        try:
            added = services.add_suggested_items(
                meeting, request.POST.getlist("item"), acting_user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(
                reverse("meetings:agenda_builder", kwargs={"network": net.slug, "uid": meeting.uid})
            )
        messages.success(
            request,
            _("%(count)d items added to the agenda.") % {"count": len(added)}
            if added
            else _("These items were already on the agenda."),
        )
        return redirect(_agenda_url(meeting))

    length = services.meeting_minutes(meeting)
    data = request.GET if "items" in request.GET else {"items": 5, "length": length}
    form = BuilderForm(data, initial={"length": length})
    context: dict[str, Any] = {"network": net, "access": access, "meeting": meeting, "form": form}
    context.update(agenda_context(meeting, access))
    if form.is_valid():
        suggestion = services.suggest_agenda(
            meeting,
            max_items=form.cleaned_data["items"],
            length_minutes=form.cleaned_data["length"],
            method=form.cleaned_data["method"] or "auto",
        )
        plan = suggestion.plan
        context.update(_suggestion_rows(suggestion))
        context.update(
            {
                "plan": plan,
                "coverage_percent": round(plan.coverage * 100),
                "candidate_count": len(suggestion.candidates),
                "after_adding_minutes": context["agenda_total_minutes"] + plan.total_duration,
            }
        )
    return render(request, "meetings/agenda_builder.html", context)


# Offers --------------------------------------------------------------------------------------
def _offer_list_url(net: Network) -> str:
    return reverse("meetings:offer_list", kwargs={"network": net.slug})


@require_GET
def offer_list(request: HttpRequest, network: str) -> HttpResponse:
    """Members' offers with their votes; a decline's reason only for the offering
    organisation and facilitators."""
    net, access = _members_only(request, network)
    filters = OfferFilterForm(request.GET or None)
    offers = services.offers_for(net, request.user)
    if filters.is_valid() and filters.cleaned_data["status"]:
        offers = offers.filter(status=filters.cleaned_data["status"])
    meetings = list(_coming_meetings(net)) if access.is_facilitator else []
    rows = [
        {
            "offer": offer,
            "show_reason": access.can_edit_organisation(offer.organisation_id),
            "can_decide": access.is_facilitator and offer.status == OfferStatus.PROPOSED,
        }
        for offer in offers
    ]
    return render(
        request,
        "meetings/offer_list.html",
        {
            "network": net,
            "access": access,
            "rows": rows,
            "filters": filters,
            "coming_meetings": meetings,
            "can_offer": access.is_facilitator or bool(access.focal_org_ids),
        },
    )


@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest, network: str) -> HttpResponse:
    """A focal point offers an item for their organisation; facilitators for any member."""
    net, access = _members_only(request, network)
    require(access.is_facilitator or bool(access.focal_org_ids))
    initial = {}
    if request.GET.get("meeting"):
        initial["meeting"] = request.GET["meeting"]
    form = OfferForm(
        request.POST or None,
        initial=initial,
        network=net,
        access=access,
        meetings=_coming_meetings(net),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_item(
                net,
                form.service_data(),
                organisation=form.cleaned_data["organisation"],
                meeting=form.cleaned_data["meeting"],
                topics=form.cleaned_data["topics"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you: the facilitators will consider your offer."))
            return redirect(_offer_list_url(net))
    return render(
        request,
        "meetings/offer_form.html",
        {"network": net, "access": access, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def offer_vote(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """Vote for a proposed offer, or take the vote back."""
    net, access = _members_only(request, network)
    offer = _offer(net, uid)
    organisation = min(access.focal_org_ids) if access.focal_org_ids else None
    try:
        voted = services.toggle_vote(offer, organisation=organisation, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Your vote is counted.") if voted else _("Your vote is taken back.")
        )
    return redirect(_offer_list_url(net) + f"#offer-{offer.uid}")


@require_POST
def offer_accept(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    net, access = _members_only(request, network)
    require(access.is_facilitator)
    offer = _offer(net, uid)
    form = OfferAcceptForm(request.POST, meetings=_coming_meetings(net), offer=offer)
    if not form.is_valid():
        messages.error(request, _("Choose a coming meeting of the network."))
        return redirect(_offer_list_url(net) + f"#offer-{offer.uid}")
    meeting = form.cleaned_data["meeting"]
    try:
        services.accept_offer(offer, meeting=meeting, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_offer_list_url(net) + f"#offer-{offer.uid}")
    messages.success(
        request,
        _("“%(title)s” is on the agenda of %(meeting)s.")
        % {"title": offer.title, "meeting": meeting.title},
    )
    return redirect(_agenda_url(meeting))


@require_http_methods(["GET", "POST"])
def offer_decline(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """Decline an offer with a reason the offering organisation reads."""
    net, access = _members_only(request, network)
    require(access.is_facilitator)
    offer = _offer(net, uid)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decline_offer(
                offer, reason=form.cleaned_data["reason"], acting_user=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The offer is declined."))
            return redirect(_offer_list_url(net))
    return render(
        request,
        "meetings/offer_decline.html",
        {"network": net, "access": access, "offer": offer, "form": form},
        status=400 if form.errors else 200,
    )
