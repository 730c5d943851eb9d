"""Governance pages: member requests and their triage, task groups, deliverables, bodies.

Each view looks the network up with ``core.access.network_for`` (404 when the network is
not visible), applies ``permissions.py`` (403 to change what is visible) and writes through
``services.py``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netweave.core.access import NetworkAccess, network_for, require
from netweave.governance import permissions, services
from netweave.governance.forms import (
    BodyForm,
    CloseForm,
    DeliverableForm,
    DocumentForm,
    EndSeatForm,
    JoinForm,
    MemberPeopleForm,
    ReplaceSeatForm,
    RequestForm,
    SeatEditForm,
    SeatForm,
    TaskGroupForm,
    TriageForm,
    apply_errors,
)
from netweave.governance.models import (
    Body,
    Deliverable,
    DeliverableDocument,
    JoinStatus,
    RequestStatus,
    Seat,
    TaskGroup,
    TaskGroupJoinRequest,
    TaskGroupMember,
    TaskGroupStatus,
)
from netweave.meetings.models import Meeting
from netweave.meetings.services import visible_meetings
from netweave.networks.models import Network


def _get(queryset: Any, **lookup: Any) -> Any:
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValidationError):
        raise Http404 from None


def _requests_for(request: HttpRequest, network: str) -> tuple[Network, NetworkAccess]:
    """Member requests are for people with a role in the network; others find nothing."""
    net, access = network_for(request, network)
    if not (access.authenticated and access.has_role):
        raise Http404
    return net, access


def _visible_requests(net: Network, access: NetworkAccess):
    return permissions.visible_requests(net, access).select_related(
        "organisation", "topic", "task_group"
    )


# Member requests -------------------------------------------------------------------------
@require_GET
def request_list(request: HttpRequest, network: str) -> HttpResponse:
    """The queue (steering, facilitators) or one's own organisations' requests, with ages."""
    net, access = _requests_for(request, network)
    status = request.GET.get("status", "")
    requests = _visible_requests(net, access)
    if status in RequestStatus.values:
        requests = requests.filter(status=status)
    today = timezone.localdate()
    rows = [(item, item.age_days(today)) for item in requests]
    return render(
        request,
        "governance/request_list.html",
        {
            "network": net,
            "access": access,
            "rows": rows,
            "status": status,
            "statuses": RequestStatus.choices,
            "is_queue": permissions.can_triage(access),
            "can_raise": permissions.can_raise(access),
        },
    )


@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest, network: str) -> HttpResponse:
    """A focal point raises a need for their organisation (facilitators for any member)."""
    net, access = _requests_for(request, network)
    require(permissions.can_raise(access))
    org_ids = None if access.is_facilitator else access.focal_org_ids
    form = RequestForm(request.POST or None, network=net, org_ids=org_ids)
    if request.method == "POST" and form.is_valid():
        try:
            raised = services.raise_request(net, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Your request is raised; the steering committee will triage it.")
            )
            return redirect(raised)
    return render(
        request,
        "governance/request_form.html",
        {"network": net, "access": access, "form": form},
    )


@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """A request with its status and history; the steering committee triages it here."""
    net, access = _requests_for(request, network)
    item = _get(_visible_requests(net, access), uid=uid)
    can_triage = permissions.can_triage(access) and item.status == RequestStatus.OPEN
    form = None
    if can_triage:
        form = TriageForm(request.POST or None, network=net)
    if request.method == "POST":
        require(can_triage)
        if form.is_valid():
            try:
                services.triage_request(item, acting_user=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
                item = _get(_visible_requests(net, access), uid=uid)
            else:
                messages.success(request, _("The request is triaged."))
                return redirect(item)
    history = item.history.select_related("history_user").order_by("history_date")
    return render(
        request,
        "governance/request_detail.html",
        {
            "network": net,
            "access": access,
            "item": item,
            "age": item.age_days(),
            "history": history,
            "form": form,
            "activities": item.joint_activities.order_by("-start", "title"),
            "can_record_activity": access.is_facilitator,
        },
        status=400 if form is not None and form.errors else 200,
    )


# Task groups -----------------------------------------------------------------------------
@require_GET
def task_group_list(request: HttpRequest, network: str) -> HttpResponse:
    """The network's task groups with lead, status, members and open deliverables."""
    net, access = network_for(request, network)
    groups = (
        TaskGroup.objects.filter(network=net)
        .select_related("lead")
        .annotate(
            member_count=Count("members", distinct=True),
            open_deliverables=Count(
                "deliverables", filter=Q(deliverables__status="open"), distinct=True
            ),
        )
        .order_by("name")
    )
    return render(
        request,
        "governance/task_group_list.html",
        {
            "network": net,
            "access": access,
            "groups": groups,
            "can_form": permissions.can_triage(access),
        },
    )


@require_http_methods(["GET", "POST"])
def task_group_create(request: HttpRequest, network: str) -> HttpResponse:
    """The steering committee or a facilitator forms a task group directly."""
    net, access = network_for(request, network)
    require(permissions.can_triage(access))
    form = TaskGroupForm(request.POST or None, network=net)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_task_group(net, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The task group is formed."))
            return redirect(group)
    return render(
        request,
        "governance/task_group_form.html",
        {"network": net, "access": access, "form": form, "group": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def task_group_update(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """The lead (or a facilitator) edits the terms; the steering committee approves."""
    net, access = network_for(request, network)
    group = _group(net, uid)
    require(
        (permissions.can_run_group(access, group) or permissions.can_triage(access))
        and group.status != TaskGroupStatus.CLOSED
    )
    form = TaskGroupForm(request.POST or None, network=net, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_task_group(group, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
            group = _group(net, uid)
        else:
            messages.success(request, _("The task group is saved."))
            return redirect(group)
    return render(
        request,
        "governance/task_group_form.html",
        {"network": net, "access": access, "form": form, "group": group},
        status=400 if form.errors else 200,
    )


def _split_meetings(meetings: Any) -> tuple[list[Meeting], list[Meeting]]:
    """Meetings (in order of start) that are not over yet, and those that are."""
    now = timezone.now()
    upcoming, past = [], []
    for meeting in meetings:
        (upcoming if meeting.end >= now else past).append(meeting)
    return upcoming, past


def _group(net: Network, uid: str) -> TaskGroup:
    return _get(TaskGroup.objects.filter(network=net).select_related("lead", "network"), uid=uid)


@require_GET
def task_group_detail(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """Terms, lead, members and people, deliverables with documents, requests to join."""
    net, access = network_for(request, network)
    group = _group(net, uid)
    members = (
        TaskGroupMember.objects.filter(task_group=group)
        .select_related("organisation__sector")
        .prefetch_related(
            Prefetch("people", queryset=permissions.listed_people(access).order_by("name"))
        )
        .order_by("organisation__name")
    )
    deliverables = group.deliverables.prefetch_related(
        Prefetch("documents", queryset=DeliverableDocument.objects.order_by("created", "id"))
    )
    runs = permissions.can_run_group(access, group)
    joins = (
        list(group.join_requests.filter(status=JoinStatus.PENDING).select_related("organisation"))
        if runs
        else []
    )
    members = list(members)
    open_group = group.status != TaskGroupStatus.CLOSED
    for member in members:
        member.can_name_people = open_group and access.can_edit_organisation(member.organisation_id)
    in_group = {m.organisation_id for m in members}
    may_join = [org for org in access.focal_org_ids if org not in in_group]
    upcoming, past = _split_meetings(
        visible_meetings(net, access).filter(task_group=group).order_by("start", "pk")
    )
    return render(
        request,
        "governance/task_group_detail.html",
        {
            "network": net,
            "access": access,
            "group": group,
            "members": members,
            "upcoming_meetings": upcoming,
            "past_meetings": past[::-1],
            "deliverables": deliverables,
            "topics": group.topics.all(),
            "joins": joins,
            "runs": runs and group.status != TaskGroupStatus.CLOSED,
            "can_edit": (runs or permissions.can_triage(access))
            and group.status != TaskGroupStatus.CLOSED,
            "can_join": bool(may_join) and group.status != TaskGroupStatus.CLOSED,
            "join_form": JoinForm(network=net, org_ids=may_join) if may_join else None,
            "deliverable_form": DeliverableForm(),
        },
    )


@require_POST
def task_group_join(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """A focal point asks for their organisation to join the task group."""
    net, access = network_for(request, network)
    group = _group(net, uid)
    require(bool(access.focal_org_ids) or access.is_facilitator)
    org_ids = None if access.is_facilitator else access.focal_org_ids
    form = JoinForm(request.POST, network=net, org_ids=org_ids)
    if form.is_valid():
        try:
            services.request_to_join(group, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
    if form.errors:
        for message in form.errors.get("organisation", []) + form.non_field_errors():
            messages.error(request, message)
    else:
        messages.success(request, _("Your request to join is sent to the lead."))
    return redirect(group)


@require_http_methods(["GET", "POST"])
def member_people(request: HttpRequest, network: str, uid: str, organisation: str) -> HttpResponse:
    """A member organisation's focal point (or a facilitator) names the people it sends."""
    net, access = network_for(request, network)
    group = _group(net, uid)
    member = _get(
        TaskGroupMember.objects.filter(task_group=group).select_related("organisation"),
        organisation__slug=organisation,
    )
    require(
        access.can_edit_organisation(member.organisation_id)
        and group.status != TaskGroupStatus.CLOSED
    )
    form = MemberPeopleForm(
        request.POST or None,
        organisation=member.organisation,
        initial={"people": list(member.people.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_member_people(member, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The people in the task group are saved."))
            return redirect(group)
    return render(
        request,
        "governance/member_people.html",
        {"network": net, "access": access, "group": group, "member": member, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def join_decide(request: HttpRequest, network: str, uid: str, join: str) -> HttpResponse:
    """The lead's focal point (or a facilitator) accepts or declines a request to join."""
    net, access = network_for(request, network)
    group = _group(net, uid)
    require(permissions.can_run_group(access, group))
    join_request = _get(
        TaskGroupJoinRequest.objects.filter(task_group=group).select_related("organisation"),
        uid=join,
    )
    try:
        services.decide_join_request(
            join_request, accept=request.POST.get("accept") == "1", acting_user=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The request to join is decided."))
    return redirect(group)


@require_http_methods(["GET", "POST"])
def deliverable_add(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """The lead (or a facilitator) adds a deliverable with its due date."""
    net, access = network_for(request, network)
    group = _group(net, uid)
    require(permissions.can_run_group(access, group))
    form = DeliverableForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_deliverable(group, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The deliverable is added."))
            return redirect(group)
    return render(
        request,
        "governance/deliverable_form.html",
        {"network": net, "access": access, "group": group, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def deliverable_fulfil(
    request: HttpRequest, network: str, uid: str, deliverable: str
) -> HttpResponse:
    """The lead (or a facilitator) uploads or links the document that fulfils a deliverable."""
    net, access = network_for(request, network)
    group = _group(net, uid)
    require(permissions.can_run_group(access, group))
    item = _get(Deliverable.objects.filter(task_group=group), uid=deliverable)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.fulfil_deliverable(item, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The document is attached; the deliverable is done."))
            return redirect(group)
    return render(
        request,
        "governance/deliverable_fulfil.html",
        {"network": net, "access": access, "group": group, "deliverable": item, "form": form},
        status=400 if form.errors else 200,
    )


@require_GET
def document_download(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """A deliverable's uploaded file, to those who may read the task group."""
    net, _access = network_for(request, network)
    document = _get(
        DeliverableDocument.objects.filter(deliverable__task_group__network=net), uid=uid
    )
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=document.file_name)


@require_http_methods(["GET", "POST"])
def task_group_close(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """Close a task group; open deliverables are listed and must be confirmed."""
    net, access = network_for(request, network)
    group = _group(net, uid)
    require(permissions.can_run_group(access, group))
    form = CloseForm(request.POST if request.method == "POST" else None)
    still_open = list(group.deliverables.filter(status="open"))
    if request.method == "POST" and form.is_valid():
        try:
            still_open = services.close_task_group(
                group, confirm=form.cleaned_data["confirm"], acting_user=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if group.status == TaskGroupStatus.CLOSED:
                messages.success(request, _("The task group is closed."))
                return redirect(group)
            form.add_error(
                "confirm", _("Deliverables are still open: confirm to close the task group anyway.")
            )
    return render(
        request,
        "governance/task_group_close.html",
        {
            "network": net,
            "access": access,
            "group": group,
            "form": form,
            "still_open": still_open,
        },
        status=400 if form.errors else 200,
    )


# Bodies ----------------------------------------------------------------------------------
@require_GET
def body_list(request: HttpRequest, network: str) -> HttpResponse:
    """The network's standing bodies with their quorum and number of seats held today."""
    net, access = network_for(request, network)
    today = timezone.localdate()
    current = Q(seats__start__isnull=True) | Q(seats__start__lte=today)
    current &= Q(seats__end__isnull=True) | Q(seats__end__gte=today)
    bodies = (
        Body.objects.filter(network=net)
        .annotate(seat_count=Count("seats", filter=current, distinct=True))
        .order_by("kind", "name")
    )
    return render(
        request,
        "governance/body_list.html",
        {
            "network": net,
            "access": access,
            "bodies": bodies,
            "manages": permissions.can_manage_bodies(access),
        },
    )


def _body(net: Network, uid: str) -> Body:
    return _get(Body.objects.filter(network=net).select_related("network"), uid=uid)


@require_GET
def body_detail(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """Seats, chair, quorum and sector balance today; every term; its meetings' quorum."""
    net, access = network_for(request, network)
    body = _body(net, uid)
    balance = services.body_balance(body)
    terms = list(
        body.seats.select_related("organisation__sector", "person").order_by(
            "-chair", "organisation__name", "start", "id"
        )
    )
    for seat in [*balance.seats, *terms]:
        # Names of people who have not agreed to be listed stay with those who edit them.
        seat.person_shown = permissions.person_listed(access, seat.person)
    meetings = visible_meetings(net, access).filter(body=body).order_by("-start", "-pk")
    quorums = services.meetings_quorum(body, meetings)
    return render(
        request,
        "governance/body_detail.html",
        {
            "network": net,
            "access": access,
            "body": body,
            "balance": balance,
            "terms": terms,
            "today": timezone.localdate(),
            "quorums": quorums,
            "manages": permissions.can_manage_bodies(access),
        },
    )


@require_http_methods(["GET", "POST"])
def body_create(request: HttpRequest, network: str) -> HttpResponse:
    """A facilitator records a standing body with its quorum and target sector mix."""
    net, access = network_for(request, network)
    require(permissions.can_manage_bodies(access))
    form = BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            body = services.create_body(net, acting_user=request.user, **form.service_data())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The body is recorded; now give it its seats."))
            return redirect(body)
    return render(
        request,
        "governance/body_form.html",
        {"network": net, "access": access, "form": form, "body": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def body_update(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """A facilitator changes a body's name, kind, rules or description."""
    net, access = network_for(request, network)
    body = _body(net, uid)
    require(permissions.can_manage_bodies(access))
    form = BodyForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_body(body, acting_user=request.user, **form.service_data())
        except ValidationError as error:
            apply_errors(form, error)
            body = _body(net, uid)
        else:
            messages.success(request, _("The body is saved."))
            return redirect(body)
    return render(
        request,
        "governance/body_form.html",
        {"network": net, "access": access, "form": form, "body": body},
        status=400 if form.errors else 200,
    )


def _seat(body: Body, uid: str) -> Seat:
    return _get(
        Seat.objects.filter(body=body).select_related("organisation", "person", "body__network"),
        uid=uid,
    )


def _seat_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    form: Any,
) -> HttpResponse:
    return render(
        request,
        f"governance/{template}",
        {**context, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def seat_add(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """A facilitator gives a member organisation a seat for a term."""
    net, access = network_for(request, network)
    body = _body(net, uid)
    require(permissions.can_manage_bodies(access))
    form = SeatForm(request.POST or None, network=net)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_seat(body, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The seat is added."))
            return redirect(body)
    context = {"network": net, "access": access, "body": body, "seat": None, "action": "add"}
    return _seat_page(request, "seat_form.html", context, form)


@require_http_methods(["GET", "POST"])
def seat_update(request: HttpRequest, network: str, uid: str, seat: str) -> HttpResponse:
    """A facilitator changes who sits for the holder, the chair or the term."""
    net, access = network_for(request, network)
    body = _body(net, uid)
    require(permissions.can_manage_bodies(access))
    item = _seat(body, seat)
    form = SeatEditForm(request.POST or None, seat=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_seat(item, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
            item = _seat(body, seat)
        else:
            messages.success(request, _("The seat is saved."))
            return redirect(body)
    context = {"network": net, "access": access, "body": body, "seat": item, "action": "edit"}
    return _seat_page(request, "seat_form.html", context, form)


@require_http_methods(["GET", "POST"])
def seat_end(request: HttpRequest, network: str, uid: str, seat: str) -> HttpResponse:
    """A facilitator ends a seat's term (today by default)."""
    net, access = network_for(request, network)
    body = _body(net, uid)
    require(permissions.can_manage_bodies(access))
    item = _seat(body, seat)
    form = EndSeatForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_seat(item, on=form.cleaned_data["on"], acting_user=request.user)
        except ValidationError as error:
            apply_errors(form, _as_field(error, "end", "on"))
            item = _seat(body, seat)
        else:
            messages.success(request, _("The term is ended."))
            return redirect(body)
    context = {"network": net, "access": access, "body": body, "seat": item, "action": "end"}
    return _seat_page(request, "seat_form.html", context, form)


@require_http_methods(["GET", "POST"])
def seat_replace(request: HttpRequest, network: str, uid: str, seat: str) -> HttpResponse:
    """A facilitator gives the seat to another member for the rest of the term."""
    net, access = network_for(request, network)
    body = _body(net, uid)
    require(permissions.can_manage_bodies(access))
    item = _seat(body, seat)
    form = ReplaceSeatForm(request.POST or None, network=net, seat=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.replace_seat(item, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, _as_field(error, "start", "on"))
            item = _seat(body, seat)
        else:
            messages.success(request, _("The seat has a new holder."))
            return redirect(body)
    context = {"network": net, "access": access, "body": body, "seat": item, "action": "replace"}
    return _seat_page(request, "seat_form.html", context, form)


def _as_field(error: ValidationError, name: str, field: str) -> ValidationError:
    """The service's messages about ``name`` shown on the form's ``field``."""
    if not hasattr(error, "error_dict") or name not in error.error_dict:
        return error
    messages_by_field = dict(error.message_dict)
    messages_by_field.setdefault(field, []).extend(messages_by_field.pop(name))
    return ValidationError(messages_by_field)
