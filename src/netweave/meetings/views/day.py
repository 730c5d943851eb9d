"""The meeting day and its follow-up: check-in, minutes, decisions, action items, the board.

Each view looks the meeting up through ``_meeting`` (404 when the user may not see it) and
refuses changes with 403: facilitators run the check-in and write the minutes; members read
published minutes; facilitators and the owner organisation's focal points move action items.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netweave.core.access import NetworkAccess, network_for, require
from netweave.directory.models import Person
from netweave.meetings import services
from netweave.meetings.forms_day import (
    ActionItemForm,
    ActionStatusForm,
    DecisionForm,
    MinutesForm,
    StatementForm,
    WalkInForm,
    network_people,
)
from netweave.meetings.models import (
    OPEN_ACTION_STATUSES,
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    Confidentiality,
    Meeting,
    Minutes,
    Registration,
    Response,
)
from netweave.networks.forms import apply_errors, member_organisations
from netweave.networks.models import Network

CHECKIN_LIMIT = 200
SEARCH_LIMIT = 30
CLOSED_LIMIT = 30


# Access ------------------------------------------------------------------------------------


def can_read_minutes(minutes: Minutes | None, access: NetworkAccess) -> bool:
    """Facilitators read minutes while writing them; members once they are published."""
    if access.is_facilitator:
        return True
    return minutes is not None and minutes.published and access.has_role


def _meeting(
    request: HttpRequest, network: str, uid: Any, *, run: bool = False
) -> tuple[Network, NetworkAccess, Meeting]:
    """The meeting, if the user may see it (404); with ``run=True`` only for facilitators (403)."""
    net, access = network_for(request, network)
    meeting = Meeting.objects.select_related("network", "host").filter(network=net, uid=uid).first()
    if meeting is None or not services.meeting_visible(meeting, access):
        raise Http404
    if run:
        require(access.is_facilitator)
    return net, access, meeting


def _back(request: HttpRequest, default: str) -> str:
    """Where a form came from, when it is a page of this site."""
    target = request.POST.get("next", "")
    on_site = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if on_site else default


# The meeting page --------------------------------------------------------------------------


def followup_context(meeting: Meeting, access: NetworkAccess) -> dict[str, Any]:
    """What the meeting page shows of the day and its follow-up, under ``followup``.

    Facilitators opening the page also bring the open actions of earlier meetings onto
    this meeting's agenda (``sync_follow_ups``); call this before the agenda is read.
    """
    if access.is_facilitator:
        services.sync_follow_ups(meeting)
    context: dict[str, Any] = {
        "attendance_count": meeting.attendance.count(),
        "can_run": access.is_facilitator,
    }
    if access.is_facilitator:
        context["uninvited"] = list(
            Attendance.objects.filter(meeting=meeting, invited=False)
            .select_related("person", "organisation")
            .order_by("person__name")[:50]
        )
    if access.has_role:
        minutes = Minutes.objects.filter(meeting=meeting).first()
        if can_read_minutes(minutes, access):
            context["minutes"] = minutes
        context["decisions"] = list(meeting.decisions.all())
        context["actions"] = list(_actions(meeting.action_items.all()))
        context["follow_ups"] = list(
            AgendaItem.objects.filter(meeting=meeting, action_item__isnull=False)
            .select_related("action_item__meeting")
            .order_by("position", "pk")
        )
    return {"followup": context}


def _actions(queryset: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    return queryset.select_related(
        "meeting", "owner_person", "owner_organisation", "decision"
    ).order_by("due", "pk")


# Check-in ----------------------------------------------------------------------------------


def _render_checkin_row(request: HttpRequest, meeting: Meeting, person_id: int) -> HttpResponse:
    person = services.checkin_people(meeting).filter(pk=person_id).first()
    response = render(
        request,
        "meetings/checkin_row.html",
        {"network": meeting.network, "meeting": meeting, "person": person},
    )
    return response


@require_GET
def checkin(request: HttpRequest, network: str, uid: Any) -> HttpResponse:
    """The check-in list on the day: search, and a tick per expected person."""
    net, access, meeting = _meeting(request, network, uid, run=True)
    search = request.GET.get("q", "").strip()[:100]
    people = list(services.checkin_people(meeting, search=search)[: CHECKIN_LIMIT + 1])
    present = Attendance.objects.filter(meeting=meeting).values("person_id")
    context = {
        "network": net,
        "access": access,
        "meeting": meeting,
        "people": people[:CHECKIN_LIMIT],
        "more": len(people) > CHECKIN_LIMIT,
        "search": search,
        "present_count": meeting.attendance.count(),
        "pending_yes": Registration.objects.filter(meeting=meeting, response=Response.YES)
        .exclude(person_id__in=present)
        .count(),
    }
    htmx = getattr(request, "htmx", None)
    template = "meetings/checkin.html"
    if htmx and not htmx.history_restore_request:
        template = "meetings/checkin_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _checkin_url(net: Network, meeting: Meeting, search: str = "") -> str:
    url = reverse("meetings:checkin", kwargs={"network": net.slug, "uid": meeting.uid})
    return f"{url}?{urlencode({'q': search})}" if search else url


@require_POST
def checkin_toggle(request: HttpRequest, network: str, uid: Any, person: Any) -> HttpResponse:
    """Tick or untick one person; with htmx only their row comes back."""
    net, _access, meeting = _meeting(request, network, uid, run=True)
    person_obj = get_object_or_404(Person, uid=person)
    try:
        present = services.toggle_check_in(meeting, person_obj, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_checkin_url(net, meeting))
    if getattr(request, "htmx", None):
        return _render_checkin_row(request, meeting, person_obj.pk)
    if present:
        messages.success(request, _("%(name)s is checked in.") % {"name": person_obj.name})
    else:
        messages.success(
            request, _("%(name)s is no longer checked in.") % {"name": person_obj.name}
        )
    default = _checkin_url(net, meeting, request.POST.get("q", "")) + f"#person-{person_obj.uid}"
    return redirect(_back(request, default))


@require_POST
def checkin_registered(request: HttpRequest, network: str, uid: Any) -> HttpResponse:
    """Check in everyone who registered "yes", in one go."""
    net, _access, meeting = _meeting(request, network, uid, run=True)
    count = services.check_in_registered(meeting, acting_user=request.user)
    messages.success(
        request, _("%(count)d people registered “yes” are checked in.") % {"count": count}
    )
    return redirect(_checkin_url(net, meeting))


@require_http_methods(["GET", "POST"])
def checkin_add(request: HttpRequest, network: str, uid: Any) -> HttpResponse:
    """Check in someone who was not expected: find them in the network, or add them."""
    net, access, meeting = _meeting(request, network, uid, run=True)
    form = WalkInForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.check_in_walk_in(
                meeting,
                name=form.cleaned_data["name"],
                organisation=form.cleaned_data["organisation"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is checked in, flagged as not invited.") % {"name": person.name},
            )
            return redirect(_checkin_url(net, meeting))
    search = request.GET.get("q", "").strip()[:100]
    found: list[Person] = []
    if search:
        present = Attendance.objects.filter(meeting=meeting).values("person_id")
        found = list(
            network_people(meeting)
            .exclude(pk__in=present)
            .filter(
                Q(name__icontains=search)
                | Q(organisation__name__icontains=search)
                | Q(organisation__acronym__icontains=search)
            )[:SEARCH_LIMIT]
        )
    return render(
        request,
        "meetings/checkin_add.html",
        {
            "network": net,
            "access": access,
            "meeting": meeting,
            "form": form,
            "search": search,
            "found": found,
        },
        status=400 if form.errors else 200,
    )


# Minutes -----------------------------------------------------------------------------------


def _render_minutes(
    request: HttpRequest,
    net: Network,
    access: NetworkAccess,
    meeting: Meeting,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    minutes = Minutes.objects.filter(meeting=meeting).first()
    readable = can_read_minutes(minutes, access)
    chatham = meeting.confidentiality == Confidentiality.CHATHAM_HOUSE
    context: dict[str, Any] = {
        "network": net,
        "access": access,
        "meeting": meeting,
        "minutes": minutes if readable else None,
        "chatham_house": chatham,
        "statements": list(
            meeting.statements.select_related("speaker_person", "speaker_organisation")
        )
        if readable
        else [],
        "decisions": list(meeting.decisions.all()),
        "actions": list(_actions(meeting.action_items.all())),
        "today": timezone.localdate(),
        "can_run": access.is_facilitator,
    }
    if access.is_facilitator:
        forms = forms or {}
        context["minutes_form"] = forms.get("minutes") or MinutesForm(
            initial={
                "text": minutes.text if minutes else "",
                "published": minutes.published if minutes else False,
            }
        )
        context["statement_form"] = forms.get("statement") or StatementForm(meeting=meeting)
        context["decision_form"] = forms.get("decision") or DecisionForm()
        context["action_form"] = forms.get("action") or ActionItemForm(meeting=meeting)
    return render(request, "meetings/minutes.html", context, status=status)


def _minutes_url(net: Network, meeting: Meeting, anchor: str = "") -> str:
    url = reverse("meetings:minutes", kwargs={"network": net.slug, "uid": meeting.uid})
    return f"{url}#{anchor}" if anchor else url


@require_http_methods(["GET", "POST"])
def minutes(request: HttpRequest, network: str, uid: Any) -> HttpResponse:
    """The minutes: facilitators write them; members read them once published."""
    net, access, meeting = _meeting(request, network, uid)
    if not access.has_role:
        raise Http404
    if request.method == "GET":
        return _render_minutes(request, net, access, meeting)
    require(access.is_facilitator)
    form = MinutesForm(request.POST)
    if form.is_valid():
        services.save_minutes(
            meeting,
            text=form.cleaned_data["text"],
            published=form.cleaned_data["published"],
            acting_user=request.user,
        )
        messages.success(request, _("The minutes are saved."))
        return redirect(_minutes_url(net, meeting))
    return _render_minutes(request, net, access, meeting, forms={"minutes": form}, status=400)


@require_POST
def statement_add(request: HttpRequest, network: str, uid: Any) -> HttpResponse:
    net, access, meeting = _meeting(request, network, uid, run=True)
    form = StatementForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.add_statement(meeting, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The statement is recorded."))
            return redirect(_minutes_url(net, meeting, "statements"))
    return _render_minutes(request, net, access, meeting, forms={"statement": form}, status=400)


@require_POST
def statement_remove(request: HttpRequest, network: str, uid: Any) -> HttpResponse:
    net, _access, meeting = _meeting(request, network, uid, run=True)
    try:
        position = int(request.POST.get("position", ""))
    except ValueError:
        raise Http404 from None
    statement = get_object_or_404(meeting.statements, position=position)
    services.remove_statement(statement, acting_user=request.user)
    messages.success(request, _("The statement is removed."))
    return redirect(_minutes_url(net, meeting, "statements"))


@require_POST
def decision_add(request: HttpRequest, network: str, uid: Any) -> HttpResponse:
    net, access, meeting = _meeting(request, network, uid, run=True)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.add_decision(meeting, text=form.cleaned_data["text"], acting_user=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect(_minutes_url(net, meeting, "decisions"))
    return _render_minutes(request, net, access, meeting, forms={"decision": form}, status=400)


@require_POST
def decision_remove(request: HttpRequest, network: str, uid: Any, decision: Any) -> HttpResponse:
    net, _access, meeting = _meeting(request, network, uid, run=True)
    found = get_object_or_404(meeting.decisions, uid=decision)
    services.remove_decision(found, acting_user=request.user)
    messages.success(request, _("The decision is removed."))
    return redirect(_minutes_url(net, meeting, "decisions"))


@require_POST
def action_add(request: HttpRequest, network: str, uid: Any) -> HttpResponse:
    net, access, meeting = _meeting(request, network, uid, run=True)
    form = ActionItemForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.create_action_item(meeting, form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The action item is recorded."))
            return redirect(_minutes_url(net, meeting, "actions"))
    return _render_minutes(request, net, access, meeting, forms={"action": form}, status=400)


@require_GET
def minutes_export(request: HttpRequest, network: str, uid: Any, fmt: str) -> HttpResponse:
    """The minutes as plain text or HTML, to those who may read them; Chatham House holds."""
    _net, access, meeting = _meeting(request, network, uid)
    if not access.has_role or fmt not in ("txt", "html"):
        raise Http404
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if not can_read_minutes(minutes, access):
        raise Http404
    body = services.minutes_export(meeting, fmt="html" if fmt == "html" else "text")
    content_type = "text/html" if fmt == "html" else "text/plain"
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    filename = f"minutes-{meeting.start:%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# The action-item board ---------------------------------------------------------------------


@require_GET
def action_board(request: HttpRequest, network: str) -> HttpResponse:
    """Action items by status, for members; filter by organisation and overdue."""
    net, access = network_for(request, network)
    if not access.has_role:
        raise Http404
    organisations = list(member_organisations(net))
    slug = request.GET.get("organisation", "")
    organisation = next((o for o in organisations if o.slug == slug), None)
    overdue = request.GET.get("overdue") == "1"
    today = timezone.localdate()
    items = ActionItem.objects.filter(network=net)
    if organisation is not None:
        items = items.filter(
            Q(owner_organisation=organisation) | Q(owner_person__organisation=organisation)
        )
    if overdue:
        items = items.overdue(today)
    open_items = list(_actions(items.filter(status__in=OPEN_ACTION_STATUSES)))
    closed_items = list(
        _actions(items.exclude(status__in=OPEN_ACTION_STATUSES)).order_by(
            "-completed_at", "-modified", "-pk"
        )[:CLOSED_LIMIT]
    )
    columns = []
    for status, label in ActionStatus.choices:
        pool = open_items if status in OPEN_ACTION_STATUSES else closed_items
        cards = [item for item in pool if item.status == status]
        for card in cards:
            card.may_update = services.may_update_action(access, card)
            card.is_overdue = card.status in OPEN_ACTION_STATUSES and card.due and card.due < today
        columns.append({"status": status, "label": label, "items": cards})
    return render(
        request,
        "meetings/action_board.html",
        {
            "network": net,
            "access": access,
            "columns": columns,
            "organisations": organisations,
            "organisation": organisation,
            "overdue": overdue,
            "closed_limit": CLOSED_LIMIT,
            "status_choices": ActionStatus.choices,
            "today": today,
        },
    )


@require_POST
def action_status(request: HttpRequest, network: str, action: Any) -> HttpResponse:
    """Move an action item: facilitators, and focal points of the owner organisation."""
    net, access = network_for(request, network)
    if not access.has_role:
        raise Http404
    item = get_object_or_404(
        ActionItem.objects.select_related("owner_person"), network=net, uid=action
    )
    require(services.may_update_action(access, item))
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.set_action_status(item, form.cleaned_data["status"], acting_user=request.user)
        messages.success(
            request,
            _("“%(title)s” is now %(status)s.")
            % {"title": item.title, "status": item.get_status_display().lower()},
        )
    else:
        messages.error(request, _("Choose a status."))
    default = reverse("meetings:action_board", kwargs={"network": net.slug})
    return redirect(_back(request, default))
