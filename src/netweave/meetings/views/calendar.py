"""The meeting calendar, meeting pages, invitations, registration and calendar feeds."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import uuid
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netweave.core import pagecache
from netweave.core.access import NetworkAccess, get_access, network_for, require
from netweave.directory.models import Person
from netweave.governance.models import Body, BodyKind, TaskGroup
from netweave.governance.services import meeting_quorum
from netweave.meetings import ics, services
from netweave.meetings.forms import (
    CalendarFilterForm,
    InvitationForm,
    MeetingForm,
    RegistrationForm,
    apply_service_errors,
)
from netweave.meetings.models import (
    Attendance,
    FeedToken,
    Invitation,
    Meeting,
    MeetingVisibility,
    Registration,
    Response,
)
from netweave.meetings.views.agenda import agenda_context
from netweave.meetings.views.day import followup_context
from netweave.networks.models import Network

PAGE_SIZE = 20


# Helpers -------------------------------------------------------------------------------------
def _meeting_or_404(network: Network, access: NetworkAccess, uid: uuid.UUID) -> Meeting:
    """A meeting of ``network`` the user may read; members-only meetings need a role."""
    meeting = get_object_or_404(
        Meeting.objects.select_related("host", "network", "task_group", "body"),
        network=network,
        uid=uid,
    )
    if not services.meeting_visible(meeting, access):
        raise Http404
    return meeting


def _feeds_person(request: HttpRequest, page: dict[str, Any]) -> Person | None:
    """The user's person, for the calendar feeds' addresses (its feed token watched)."""
    return pagecache.remember(page["page_key"], "feeds-person", lambda: _user_person(request.user))


def _user_person(user: Any) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).select_related("feed_token").first()


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _local(moment: dt.datetime | None, time_zone: str) -> dt.datetime | None:
    return moment.astimezone(ZoneInfo(time_zone)) if moment else None


# Calendar ------------------------------------------------------------------------------------
def _month_grid(meetings: QuerySet, month: dt.date) -> list[list[dict[str, Any]]]:
    """Weeks of ``month`` (Monday first), each day with its meetings on their own clock.

    Reads the meetings with one query: those overlapping the grid, a day either side for
    time zones.
    """
    weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    first, last = weeks[0][0], weeks[-1][-1]
    since = dt.datetime.combine(first - dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    until = dt.datetime.combine(last + dt.timedelta(days=2), dt.time.min, tzinfo=dt.UTC)
    by_day: dict[dt.date, list[Meeting]] = defaultdict(list)
    in_grid = services.with_clash_flag(meetings.filter(start__lt=until, end__gt=since))
    for meeting in in_grid.order_by("start", "pk"):
        meeting.local_start = _local(meeting.start, meeting.time_zone)
        by_day[meeting.local_start.date()].append(meeting)
    today = timezone.localdate()
    return [
        [
            {
                "date": day,
                "in_month": day.month == month.month,
                "today": day == today,
                "meetings": by_day.get(day, []),
            }
            for day in week
        ]
        for week in weeks
    ]


def _shift_month(month: dt.date, delta: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + delta
    return dt.date(index // 12, index % 12 + 1, 1)


@require_GET
def meeting_calendar(request: HttpRequest, network: str) -> HttpResponse:
    """The network's meetings: upcoming then past (pages of 20), or a month grid.

    The filters and the meetings are cached parts (``core.pagecache``): the view builds
    them lazily, so a page served from the cache reads no meeting. The list says which
    meetings are upcoming, so its key holds the meetings' clock; the calendar feeds (a
    form with a CSRF token, and secret addresses) stay live.
    """
    net, access = network_for(request, network)
    form = CalendarFilterForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    meetings = services.visible_meetings(net, access).select_related("host", "network")
    if kinds := data.get("kind"):
        meetings = meetings.filter(kind__in=kinds)
    context: dict[str, Any] = {
        "network": net,
        "access": access,
        "filter": form,
        "kinds": kinds or [],
        "members_only_hidden": not access.has_role,
    }
    if data.get("view") == "month" or data.get("month"):
        month = data.get("month") or timezone.localdate().replace(day=1)
        # the grid changes with the data and the day (today), both in every key
        page = pagecache.context(request, net)
        context.update(
            view="month",
            month=month,
            previous_month=_shift_month(month, -1),
            next_month=_shift_month(month, 1),
            weeks=pagecache.lazy(lambda: _month_grid(meetings, month)),
            person=_feeds_person(request, page),
            **page,
        )
        return render(request, "meetings/calendar_month.html", context)

    def listing() -> tuple[Any, list[Meeting]]:
        now = timezone.now()
        # Upcoming first, soonest first; then past, latest first: one ordered query.
        ordered = meetings.annotate(
            is_past=Case(
                When(end__lt=now, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            upcoming_start=Case(When(end__gte=now, then=F("start")), default=None),
        ).order_by("is_past", "upcoming_start", "-start", "pk")
        page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
        return page, services.flag_clashes(page.object_list)

    listed = pagecache.lazy(listing)
    # upcoming or past: the key changes when a meeting starts or ends
    page = pagecache.context(request, net, services.clock(net))
    context.update(
        view="list",
        page_obj=pagecache.lazy(lambda: listed[0]),
        meetings=pagecache.lazy(lambda: listed[1]),
        person=_feeds_person(request, page),
        **page,
    )
    return render(request, "meetings/calendar.html", context)


# Meetings ------------------------------------------------------------------------------------
def _warn_clashes(request: HttpRequest, meeting: Meeting) -> None:
    clashes = list(services.find_clashes(meeting))
    if clashes:
        messages.warning(
            request,
            _("Saved, but the venue is taken: room clash with %(meetings)s.")
            % {"meetings": "; ".join(str(m) for m in clashes)},
        )


def _planned_for(request: HttpRequest, net: Network) -> dict[str, Any]:
    """Initial values for a meeting planned from a task group's or a body's page.

    ``?task_group=<uid>`` or ``?body=<uid>``; a uid of another network is ignored.
    """
    initial: dict[str, Any] = {"time_zone": timezone.get_current_timezone_name()}
    try:
        if uid := request.GET.get("task_group"):
            group = TaskGroup.objects.filter(network=net, uid=uid).first()
            if group is not None:
                initial.update(task_group=group.uid, kind="task_group", title=group.name)
        elif uid := request.GET.get("body"):
            body = Body.objects.filter(network=net, uid=uid).first()
            if body is not None:
                initial.update(body=body.uid, title=body.name)
                if body.kind == BodyKind.STEERING:
                    initial["kind"] = "steering"
    except ValidationError:  # not a uid
        pass
    return initial


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, network: str) -> HttpResponse:
    """A facilitator plans a meeting."""
    net, access = network_for(request, network, edit=True)
    form = MeetingForm(request.POST or None, network=net, initial=_planned_for(request, net))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(net, form.service_data(), acting_user=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            _warn_clashes(request, meeting)
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "meetings/meeting_form.html",
        {"network": net, "access": access, "form": form, "meeting": None},
    )


@require_http_methods(["GET", "POST"])
def meeting_update(request: HttpRequest, network: str, uid: uuid.UUID) -> HttpResponse:
    """A facilitator changes a meeting."""
    net, access = network_for(request, network)
    meeting = _meeting_or_404(net, access, uid)
    require(access.is_facilitator)
    form = MeetingForm(request.POST or None, network=net, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(meeting, form.service_data(), acting_user=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
            meeting = _meeting_or_404(net, access, uid)  # the service changed the instance
        else:
            _warn_clashes(request, meeting)
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "meetings/meeting_form.html",
        {"network": net, "access": access, "form": form, "meeting": meeting},
    )


def _count(model: Any, **filters: Any) -> Coalesce:
    rows = (
        model.objects.filter(meeting=OuterRef("pk"), **filters)
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows[:1]), 0)


def _counts(meeting: Meeting) -> dict[str, int]:
    """Invited, registered by answer, attended: one query whatever the size."""
    answers = {answer: _count(Registration, response=answer) for answer in Response.values}
    return (
        Meeting.objects.filter(pk=meeting.pk)
        .values(
            invited=_count(Invitation),
            attended=_count(Attendance),
            uninvited=_count(Attendance, invited=False),
            **answers,
        )
        .get()
    )


def _registrations_shown(meeting: Meeting, access: NetworkAccess) -> QuerySet | None:
    """Registrations the user may list: all for facilitators, their own people for focal points."""
    if access.is_facilitator:
        registrations = Registration.objects.filter(meeting=meeting)
    elif access.focal_org_ids:
        registrations = Registration.objects.filter(
            meeting=meeting, person__organisation_id__in=access.focal_org_ids
        )
    else:
        return None
    return registrations.select_related("person__organisation").order_by("person__name", "pk")


def _registration_initial(user: Any, meeting: Meeting) -> dict[str, Any]:
    """The registration form's first values: the user's own person and answer (one query)."""
    answers = Registration.objects.filter(meeting=meeting, person=OuterRef("pk"))
    mine = (
        Person.objects.filter(user=user)
        .annotate(
            own_response=Subquery(answers.values("response")[:1]),
            own_needs=Subquery(answers.values("access_needs")[:1]),
        )
        .values("pk", "own_response", "own_needs")
        .first()
    )
    if mine is None:
        return {}
    initial: dict[str, Any] = {"person": mine["pk"]}
    if mine["own_response"] is not None:
        initial.update(response=mine["own_response"], access_needs=mine["own_needs"])
    return initial


def _own_registration(user: Any, meeting: Meeting) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(meeting=meeting, person__user=user).first()


def _sections(meeting: Meeting, access: NetworkAccess) -> dict[str, Any]:
    """The follow-up and agenda sections' context; the follow-up first, as it may add
    earlier meetings' open actions to the agenda."""
    context = followup_context(meeting, access)
    context.update(agenda_context(meeting, access))
    return context


def _detail_context(
    request: HttpRequest,
    net: Network,
    access: NetworkAccess,
    meeting: Meeting,
    form: RegistrationForm | None = None,
    page: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What the meeting page shows.

    All but the registration form is shown in cached parts (``core.pagecache``) and built
    lazily here, so a page served from the cache reads only what the form needs. The form
    (a CSRF token; a bound form's errors) is rendered live. Whether registration is open
    depends on the time: the key holds the meetings' clock.
    """
    is_open = services.registration_open(meeting)
    if form is None and is_open:
        form = RegistrationForm(people=services.registrable_people(meeting, request.user))
        field = form.fields["person"]
        # The people, read once: whether there is anyone to register, and the widget's
        # options (which the widget would otherwise read twice).
        field.widget.choices = list(iter(field.choices))  # iter: no COUNT query first
        if field.widget.choices:
            form.initial = _registration_initial(request.user, meeting)
        else:
            form = None
    elif form is not None and not form.fields["person"].queryset.exists():
        form = None
    sections = pagecache.lazy(lambda: _sections(meeting, access))
    context = {
        "network": net,
        "access": access,
        "meeting": meeting,
        "same_day": _local(meeting.start, meeting.time_zone).date()
        == _local(meeting.end, meeting.time_zone).date(),
        "viewer_start": timezone.localtime(meeting.start),
        "viewer_end": timezone.localtime(meeting.end),
        "viewer_time_zone": timezone.get_current_timezone_name(),
        "clashes": pagecache.lazy(
            lambda: list(services.find_clashes(meeting).select_related("network"))
        ),
        "counts": pagecache.lazy(lambda: _counts(meeting)),
        "registration_open": is_open,
        "registration_form": form,
        "own_registration": pagecache.lazy(lambda: _own_registration(request.user, meeting)),
        # a queryset, read by the cached part only; None when the user may list none
        "registrations": _registrations_shown(meeting, access),
        "is_members_only": meeting.visibility == MeetingVisibility.MEMBERS,
        # the agenda and follow-up sections' context, passed to their includes
        "sections": sections,
        **(page or _detail_page(request, net)),
    }
    if meeting.body_id is not None:
        context["quorum"] = pagecache.lazy(lambda: meeting_quorum(meeting.body, meeting))
    return context


def _detail_page(request: HttpRequest, net: Network) -> dict[str, Any]:
    # whether registration is open: the key changes when a meeting starts or closes it
    return pagecache.context(request, net, services.clock(net))


@require_GET
def meeting_detail(request: HttpRequest, network: str, uid: uuid.UUID) -> HttpResponse:
    """The meeting page: when and where on both clocks, who comes, agenda and follow-up."""
    net, access = network_for(request, network)
    page = _detail_page(request, net)
    # the meeting, for the page's title and its 404, kept with the page's parts
    meeting = pagecache.remember(
        page["page_key"], "meeting", lambda: _meeting_or_404(net, access, uid)
    )
    return render(
        request,
        "meetings/meeting_detail.html",
        _detail_context(request, net, access, meeting, page=page),
    )


@require_GET
def meeting_event(request: HttpRequest, network: str, uid: uuid.UUID) -> HttpResponse:
    """The meeting as an .ics file, for anyone who may read the meeting."""
    net, access = network_for(request, network)
    meeting = _meeting_or_404(net, access, uid)
    return _ics_response(ics.meeting_ics(meeting), f"meeting-{meeting.uid}.ics")


# Invitations ---------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def meeting_invite(request: HttpRequest, network: str, uid: uuid.UUID) -> HttpResponse:
    """A facilitator invites the network, sectors or chosen people; each is e-mailed once."""
    net, access = network_for(request, network)
    meeting = _meeting_or_404(net, access, uid)
    require(access.is_facilitator)
    people = services.invitable_people(net).select_related("organisation").order_by("name", "pk")
    form = InvitationForm(
        request.POST or None,
        people=people,
        task_groups=TaskGroup.objects.filter(network=net).exclude(status="closed"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.invite_people(
                meeting, **form.service_kwargs(), acting_user=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(invited)s newly invited, %(already)s invited before; "
                    "%(emailed)s e-mail(s) sent."
                )
                % {"invited": result.invited, "already": result.already, "emailed": result.emailed},
            )
            if result.not_emailed:
                messages.warning(
                    request,
                    ngettext(
                        "Not e-mailed (no address or no consent to be contacted): %(names)s.",
                        "Not e-mailed (no address or no consent to be contacted): %(names)s.",
                        len(result.not_emailed),
                    )
                    % {"names": ", ".join(p.name for p in result.not_emailed)},
                )
            return redirect(meeting.get_absolute_url())
    invited = (
        Invitation.objects.filter(meeting=meeting)
        .select_related("person__organisation")
        .order_by("person__name", "pk")
    )
    return render(
        request,
        "meetings/meeting_invite.html",
        {"network": net, "access": access, "meeting": meeting, "form": form, "invited": invited},
    )


# Registration --------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def meeting_register(request: HttpRequest, network: str, uid: uuid.UUID) -> HttpResponse:
    """A person registers themselves; a focal point their people; a facilitator anyone."""
    net, access = network_for(request, network)
    meeting = _meeting_or_404(net, access, uid)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    people = services.registrable_people(meeting, request.user)
    require(people.exists())
    form = RegistrationForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register(
                meeting,
                form.cleaned_data["person"],
                response=form.cleaned_data["response"],
                access_needs=form.cleaned_data["access_needs"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(person)s registered: %(answer)s.")
                % {
                    "person": registration.person.name,
                    "answer": registration.get_response_display(),
                },
            )
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "meetings/registration_form.html",
        {
            "network": net,
            "access": access,
            "meeting": meeting,
            "form": form,
            "registration_open": services.registration_open(meeting),
        },
    )


# Calendar feeds ------------------------------------------------------------------------------
@require_GET
def network_feed(request: HttpRequest, network: str) -> HttpResponse:
    """The network's meetings as a calendar feed.

    Public meetings for anyone who may read the network; all meetings with the person token
    (``?token=``) of a member of the network, or for a signed-in user with a role.
    """
    net = get_object_or_404(Network, slug=network)
    access = get_access(request.user, net)
    member_token = False
    if token := request.GET.get("token"):
        feed = FeedToken.objects.filter(token=token).select_related("person").first()
        if feed is None:
            raise Http404
        member_token = services.feed_member_networks(feed.person).filter(pk=net.pk).exists()
    if not (access.can_view or member_token):
        raise Http404
    meetings = Meeting.objects.filter(network=net)
    if not (access.has_role or member_token):
        meetings = meetings.filter(visibility=MeetingVisibility.PUBLIC)
    meetings = meetings.select_related("network").order_by("start", "pk")
    return _ics_response(
        ics.feed(meetings.iterator(chunk_size=500), name=net.name), f"{net.slug}.ics"
    )


@require_GET
def person_feed(request: HttpRequest, network: str, token: str) -> HttpResponse:
    """A person's meetings in the network (invited or registered, not declined), by secret."""
    net = get_object_or_404(Network, slug=network)
    feed = get_object_or_404(FeedToken.objects.select_related("person"), token=token)
    person = feed.person
    declined = Registration.objects.filter(person=person, response=Response.NO).values("meeting_id")
    meetings = (
        Meeting.objects.filter(network=net)
        .filter(
            Q(pk__in=Invitation.objects.filter(person=person).values("meeting_id"))
            | Q(pk__in=Registration.objects.filter(person=person).values("meeting_id"))
        )
        .exclude(pk__in=declined)
        .select_related("network")
        .order_by("start", "pk")
    )
    name = _("%(network)s: meetings of %(person)s") % {"network": net.name, "person": person.name}
    return _ics_response(
        ics.feed(meetings.iterator(chunk_size=500), name=name), f"{net.slug}-mine.ics"
    )


@require_POST
def feed_reset(request: HttpRequest, network: str) -> HttpResponse:
    """A signed-in person gets a (new) secret feed address; the old one stops working."""
    net, access = network_for(request, network)
    person = _user_person(request.user)
    if person is None:
        raise Http404
    services.reset_feed_token(person, acting_user=request.user)
    messages.success(request, _("Your calendar feed has a new address."))
    return redirect(reverse("meetings:calendar", kwargs={"network": net.slug}) + "#feeds")
