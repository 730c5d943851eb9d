"""API of meetings: meetings, registrations and invitations.

Serializers validate; ``meetings.services`` writes, exactly as the pages do. What the
caller may see is decided inside each list's query (subqueries on roles), never row by row.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from netweave.core.access import (
    facilitated_networks,
    focal_organisation_ids,
    get_access,
    require,
    visible_networks,
)
from netweave.core.api import (
    CachedNetworkListMixin,
    ScopedSlugField,
    VisibleNetworkField,
    network_filter,
    request_user,
    service_errors,
)
from netweave.directory.models import Organisation, Person, Sector
from netweave.governance.models import Body, TaskGroup
from netweave.meetings import services
from netweave.meetings.models import (
    Invitation,
    Meeting,
    MeetingKind,
    MeetingVisibility,
    Registration,
)
from netweave.meetings.models import Response as Answer


def described_choice(choices: list[tuple[str, Any]], **kwargs: Any) -> serializers.ChoiceField:
    """A choice field shown in the schema as a string listing its values.

    ``kind`` and ``visibility`` exist in other apps with other choices; drf-spectacular warns
    when enum components collide by name, so these stay plain strings in the schema.
    """
    values = ", ".join(value for value, _label in choices)
    field_class = extend_schema_field({"type": "string", "description": f"One of: {values}."})(
        type("DescribedChoiceField", (serializers.ChoiceField,), {})
    )
    return field_class(choices=choices, **kwargs)


# Who may see what ------------------------------------------------------------------------------
def visible_meetings(user: Any) -> QuerySet:
    """Meetings the caller may read: of visible networks; members-only ones need a role."""
    meetings = Meeting.objects.filter(network__in=visible_networks(user))
    if getattr(user, "is_staff", False):
        return meetings
    Role = apps.get_model("networks", "Role")
    has_role = Exists(Role.objects.filter(network_id=OuterRef("network_id"), user_id=user.pk))
    return meetings.filter(Q(visibility=MeetingVisibility.PUBLIC) | has_role)


def visible_registrations(user: Any, model: type = Registration) -> QuerySet:
    """Registrations (or invitations) the caller may list.

    Facilitators: of their networks' meetings; focal points: of their organisations'
    people; anyone: their own.
    """
    rows = model.objects.filter(meeting__in=visible_meetings(user))
    if getattr(user, "is_staff", False):
        return rows
    return rows.filter(
        Q(meeting__network__in=facilitated_networks(user))
        | Q(person__organisation_id__in=focal_organisation_ids(user))
        | Q(person__user_id=user.pk)
    )


@extend_schema_field(OpenApiTypes.UUID)
class VisibleMeetingField(serializers.SlugRelatedField):
    """A meeting, by uid, among those the caller may read."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "uid")
        kwargs.setdefault("help_text", _("Uid of a meeting you may read."))
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        return visible_meetings(request_user(self.context)).select_related("network")


@extend_schema_field(OpenApiTypes.UUID)
class VisibleGroupField(ScopedSlugField):
    """A task group or a body, by uid, among those of networks the caller may read.

    The meeting service then refuses one of another network than the meeting's.
    """

    def __init__(self, model: type, **kwargs: Any) -> None:
        self.model = model
        kwargs.setdefault("slug_field", "uid")
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def scope(self, user: Any) -> QuerySet:
        return self.model.objects.filter(network__in=visible_networks(user))


# Meetings --------------------------------------------------------------------------------------
class MeetingSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    host = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Slug of a member organisation of the meeting's network."),
    )
    kind = described_choice(MeetingKind.choices, required=False)
    visibility = described_choice(MeetingVisibility.choices, required=False)
    task_group = VisibleGroupField(
        TaskGroup, help_text=_("Uid of a task group of the meeting's network, or null.")
    )
    body = VisibleGroupField(
        Body,
        help_text=_(
            "Uid of a standing body of the meeting's network (such as the steering "
            "committee), or null."
        ),
    )
    room_clash = serializers.BooleanField(
        source="has_clash",
        read_only=True,
        default=False,
        help_text=_("Another meeting of the network uses the same venue at an overlapping time."),
    )

    class Meta:
        model = Meeting
        fields = ["uid", "network", *services.MEETING_FIELDS, "room_clash", "created", "modified"]
        read_only_fields = ["uid", "network", "room_clash", "created", "modified"]

    def service_data(self) -> dict[str, Any]:
        return {
            key: value
            for key, value in self.validated_data.items()
            if key in services.MEETING_FIELDS
        }


class MeetingCreateSerializer(MeetingSerializer):
    network = VisibleNetworkField(help_text=_("Slug of a network you facilitate."))


class MeetingFilter(filters.FilterSet):
    network = network_filter()
    kind = filters.MultipleChoiceFilter(choices=MeetingKind.choices)
    to = filters.DateFilter(
        field_name="start", lookup_expr="date__lte", label=_("Meetings starting by this day")
    )
    # ``from`` is a Python keyword, so it is put into the class namespace by name.
    locals()["from"] = filters.DateFilter(
        field_name="end", lookup_expr="date__gte", label=_("Meetings not over before this day")
    )

    class Meta:
        model = Meeting
        fields: list[str] = []


@extend_schema_view(
    create=extend_schema(request=MeetingCreateSerializer, responses=MeetingSerializer),
)
class MeetingViewSet(
    CachedNetworkListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Meetings the caller may read (members-only ones need a role); facilitators plan them.

    Filter with ``?network=``, ``?kind=``, ``?from=YYYY-MM-DD`` and ``?to=YYYY-MM-DD``.
    """

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    filter_backends = [filters.DjangoFilterBackend]
    lookup_field = "uid"

    def get_queryset(self) -> QuerySet:
        meetings = visible_meetings(self.request.user).select_related(
            "network", "host", "task_group", "body"
        )
        if self.action != "list":
            meetings = services.with_clash_flag(meetings)
        return meetings.order_by("start", "pk")

    def list_cache_extra(self, network: Any) -> tuple[Any, ...]:
        return (services.clock(network),)

    def paginate_queryset(self, queryset: QuerySet) -> list[Meeting] | None:
        # A list flags room clashes for its page only (one query), not for every meeting.
        page = super().paginate_queryset(queryset)
        return None if page is None else services.flag_clashes(page)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = MeetingCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        network = serializer.validated_data["network"]
        require(get_access(request.user, network).is_facilitator)
        with service_errors():
            meeting = services.create_meeting(
                network, serializer.service_data(), acting_user=request.user
            )
        meeting.has_clash = services.find_clashes(meeting).exists()
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        meeting = self.get_object()
        require(get_access(request.user, meeting.network).is_facilitator)
        serializer = MeetingSerializer(
            meeting,
            data=request.data,
            partial=kwargs.get("partial", False),
            context={"request": request},
        )
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.update_meeting(meeting, serializer.service_data(), acting_user=request.user)
        meeting.has_clash = services.find_clashes(meeting).exists()
        return Response(MeetingSerializer(meeting).data)


# Registrations ---------------------------------------------------------------------------------
class RegistrationSerializer(serializers.ModelSerializer):
    meeting = VisibleMeetingField()
    person = serializers.SlugRelatedField(
        slug_field="uid",
        queryset=Person.objects.all(),
        help_text=_(
            "Uid of the person: yourself, your organisation's people, or anyone for a facilitator."
        ),
    )
    person_name = serializers.CharField(source="person.name", read_only=True)
    response = serializers.ChoiceField(choices=Answer.choices)

    class Meta:
        model = Registration
        fields = ["meeting", "person", "person_name", "response", "access_needs", "modified"]
        read_only_fields = ["person_name", "modified"]
        # Registering again replaces the answer: the service updates, so no uniqueness check.
        validators: list = []


class RegistrationFilter(filters.FilterSet):
    meeting = filters.UUIDFilter(field_name="meeting__uid", label=_("Meeting uid"))

    class Meta:
        model = Registration
        fields: list[str] = []


class RegistrationViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Registrations: yes / no / maybe with access needs.

    A person registers themselves, a focal point the people of their organisation, a
    facilitator anyone; not after registration closed. Registering again replaces the answer.
    """

    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilter
    filter_backends = [filters.DjangoFilterBackend]

    def get_queryset(self) -> QuerySet:
        return (
            visible_registrations(self.request.user)
            .select_related("meeting", "person")
            .order_by("meeting__start", "person__name", "pk")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = RegistrationSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors():
            registration = services.register(
                data["meeting"],
                data["person"],
                response=data["response"],
                access_needs=data.get("access_needs", ""),
                acting_user=request.user,
            )
        return Response(
            RegistrationSerializer(registration, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


# Invitations -----------------------------------------------------------------------------------
class InvitationSerializer(serializers.ModelSerializer):
    meeting = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    person = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Invitation
        fields = ["meeting", "person", "person_name", "created", "sent_at", "reminded_at"]
        read_only_fields = fields


class InviteSerializer(serializers.Serializer):
    meeting = VisibleMeetingField()
    whole_network = serializers.BooleanField(
        default=False,
        help_text=_(
            "People of member organisations who agreed to be contacted and have an e-mail address."
        ),
    )
    sectors = serializers.SlugRelatedField(
        slug_field="slug", queryset=Sector.objects.all(), many=True, required=False
    )
    people = serializers.SlugRelatedField(
        slug_field="uid", queryset=Person.objects.all(), many=True, required=False
    )


class InviteResultSerializer(serializers.Serializer):
    invited = serializers.IntegerField()
    already = serializers.IntegerField()
    emailed = serializers.IntegerField()
    not_emailed = serializers.ListField(child=serializers.UUIDField())


class InvitationFilter(filters.FilterSet):
    meeting = filters.UUIDFilter(field_name="meeting__uid", label=_("Meeting uid"))

    class Meta:
        model = Invitation
        fields: list[str] = []


class InvitationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Invitations; facilitators invite with ``POST invitations/invite/``."""

    serializer_class = InvitationSerializer
    filterset_class = InvitationFilter
    filter_backends = [filters.DjangoFilterBackend]

    def get_queryset(self) -> QuerySet:
        return (
            visible_registrations(self.request.user, Invitation)
            .select_related("meeting", "person")
            .order_by("meeting__start", "person__name", "pk")
        )

    @extend_schema(request=InviteSerializer, responses=InviteResultSerializer)
    @action(detail=False, methods=["post"])
    def invite(self, request: Request) -> Response:
        """Invite the whole network, chosen sectors or chosen people; e-mail each once."""
        serializer = InviteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        meeting = data["meeting"]
        if not get_access(request.user, meeting.network).is_facilitator:
            raise PermissionDenied
        with service_errors():
            result = services.invite_people(
                meeting,
                whole_network=data["whole_network"],
                sectors=data.get("sectors", []),
                people=data.get("people", []),
                acting_user=request.user,
            )
        return Response(
            {
                "invited": result.invited,
                "already": result.already,
                "emailed": result.emailed,
                "not_emailed": [person.uid for person in result.not_emailed],
            },
            status=status.HTTP_201_CREATED,
        )
