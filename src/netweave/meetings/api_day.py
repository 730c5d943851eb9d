"""API of the meeting day: attendance and check-in, minutes, decisions, action items.

Serializers validate; ``services/followup.py`` writes. The policy is the pages': these
records are read by users with a role in the meeting's network (minutes once published,
facilitators always); facilitators write them; focal points of an action item's owner
organisation change its status. Under the Chatham House rule no speaker is ever stored, so
none is ever returned.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from netweave.core.access import contact_networks, get_access, require
from netweave.core.api import (
    CachedNetworkListMixin,
    Pagination,
    network_filter,
    service_errors,
)
from netweave.directory.models import Organisation, Person
from netweave.meetings import services
from netweave.meetings.models import (
    ActionItem,
    ActionStatus,
    Attendance,
    Confidentiality,
    Decision,
    Meeting,
    Minutes,
    Statement,
)

STATUS_HELP = gettext_lazy("One of: %(values)s.") % {"values": ", ".join(ActionStatus.values)}


def _role_meetings(user: Any) -> QuerySet[Meeting]:
    """Meetings of networks in which the caller has a role (staff: all)."""
    return Meeting.objects.filter(network__in=contact_networks(user))


def _meeting(user: Any, uid: Any, field: str = "meeting") -> Meeting:
    meeting = _role_meetings(user).select_related("network").filter(uid=uid).first()
    if meeting is None:
        raise serializers.ValidationError({field: [_("No meeting with this uid.")]})
    return meeting


def _uid_param(params: Any, name: str = "meeting") -> uuid.UUID | None:
    """The query parameter ``name`` as a uid; a malformed one is a 400 that says so."""
    value = params.get(name)
    if not value:
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise serializers.ValidationError({name: [_("Enter a valid UUID.")]}) from None


# Attendance --------------------------------------------------------------------------------
class AttendanceSerializer(serializers.ModelSerializer):
    meeting = serializers.UUIDField(source="meeting.uid", read_only=True)
    person = serializers.UUIDField(source="person.uid", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    source = serializers.CharField(read_only=True)

    class Meta:
        model = Attendance
        fields = ["meeting", "person", "person_name", "organisation", "source", "invited",
                  "checked_in_at"]  # fmt: skip
        read_only_fields = fields


class CheckInSerializer(serializers.Serializer):
    meeting = serializers.UUIDField()
    person = serializers.UUIDField()


class AttendanceFilter(filters.FilterSet):
    """``?network=<slug>`` and ``?meeting=<uid>``; a malformed value is a 400 that says why."""

    network = network_filter(field_name="meeting__network")
    meeting = filters.UUIDFilter(field_name="meeting__uid", label=gettext_lazy("Meeting uid"))

    class Meta:
        model = Attendance
        fields: list[str] = []


class AttendanceViewSet(CachedNetworkListMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Who attended which meeting; facilitators check people in.

    Ordered by the meeting's start, then by person within a meeting: the database reads
    the meetings in order through their ``(network, start)`` index and each meeting's
    attendance through its meeting index, sorting one meeting's rows at a time, so a page
    costs the same whatever the size of the network.
    """

    serializer_class = AttendanceSerializer
    pagination_class = Pagination
    filterset_class = AttendanceFilter
    filter_backends = [filters.DjangoFilterBackend]

    def get_queryset(self) -> QuerySet:
        user = self.request.user
        if not user.is_authenticated:
            return Attendance.objects.none()
        queryset = Attendance.objects.filter(meeting__network__in=contact_networks(user))
        if not self._sees_everyone():
            # Facilitators see everyone; other members see people who agreed to be listed
            # and their own organisation's people, as in the attendance export.
            Role = Meeting._meta.apps.get_model("networks", "Role")
            facilitated = Role.objects.filter(user=user, kind="facilitator").values("network_id")
            focal = Role.objects.filter(user=user, kind="focal_point").values("organisation_id")
            queryset = queryset.filter(
                Q(meeting__network_id__in=facilitated)
                | Q(person__consent_listed=True)
                | Q(person__organisation_id__in=focal)
            )
        return queryset.select_related("meeting", "person", "organisation").order_by(
            "meeting__start", "meeting_id", "person__name", "pk"
        )

    def _sees_everyone(self) -> bool:
        """Staff, or a facilitator asking for a network they facilitate.

        Leaving the visibility condition out then is what lets the count and the page
        read only that network's meetings, instead of testing every row's person.
        """
        user = self.request.user
        if user.is_staff:
            return True
        slug = self.request.query_params.get("network")
        if not slug:
            return False
        Role = Meeting._meta.apps.get_model("networks", "Role")
        return Role.objects.filter(user=user, kind="facilitator", network__slug=slug).exists()

    @extend_schema(request=CheckInSerializer, responses=AttendanceSerializer)
    @action(detail=False, methods=["post"], url_path="check-in")
    def check_in(self, request: Request) -> Response:
        """Check a person in (facilitators); checking in twice changes nothing."""
        serializer = CheckInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        meeting = _meeting(request.user, serializer.validated_data["meeting"])
        require(get_access(request.user, meeting.network).is_facilitator)
        person = Person.objects.filter(uid=serializer.validated_data["person"]).first()
        if person is None:
            raise serializers.ValidationError({"person": [_("No person with this uid.")]})
        existing = Attendance.objects.filter(meeting=meeting, person=person).first()
        if existing is not None:
            return Response(AttendanceSerializer(existing).data)
        with service_errors():
            services.toggle_check_in(meeting, person, acting_user=request.user)
        attendance = Attendance.objects.select_related("meeting", "person", "organisation").get(
            meeting=meeting, person=person
        )
        return Response(AttendanceSerializer(attendance).data, status=status.HTTP_201_CREATED)


# Minutes -----------------------------------------------------------------------------------
class StatementSerializer(serializers.ModelSerializer):
    speaker_person = serializers.SerializerMethodField()
    speaker_organisation = serializers.SerializerMethodField()

    class Meta:
        model = Statement
        fields = ["position", "speaker_person", "speaker_organisation", "text"]
        read_only_fields = fields

    def _shown(self, obj: Statement) -> bool:
        return obj.meeting.confidentiality != Confidentiality.CHATHAM_HOUSE

    def get_speaker_person(self, obj: Statement) -> str | None:
        return obj.speaker_person.name if obj.speaker_person and self._shown(obj) else None

    def get_speaker_organisation(self, obj: Statement) -> str | None:
        org = obj.speaker_organisation
        return org.slug if org and self._shown(obj) else None


class DecisionSerializer(serializers.ModelSerializer):
    meeting = serializers.UUIDField(source="meeting.uid")

    class Meta:
        model = Decision
        fields = ["uid", "meeting", "position", "text", "created"]
        read_only_fields = ["uid", "position", "created"]


class MinutesSerializer(serializers.Serializer):
    meeting = serializers.UUIDField(read_only=True)
    confidentiality = serializers.CharField(read_only=True)
    text = serializers.CharField(allow_blank=True, help_text=gettext_lazy("Sanitised HTML."))
    published = serializers.BooleanField(default=False)
    statements = StatementSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)


def _minutes_data(meeting: Meeting, minutes: Minutes | None) -> dict[str, Any]:
    return MinutesSerializer(
        {
            "meeting": meeting.uid,
            "confidentiality": meeting.confidentiality,
            "text": minutes.text if minutes else "",
            "published": minutes.published if minutes else False,
            "statements": list(
                meeting.statements.select_related(
                    "meeting", "speaker_person", "speaker_organisation"
                )
            ),
            "decisions": list(meeting.decisions.select_related("meeting")),
        }
    ).data


class MinutesViewSet(viewsets.ViewSet):
    """The minutes of a meeting, by the meeting's uid: members read them once published,
    facilitators write them."""

    lookup_field = "meeting"
    lookup_value_regex = "[0-9a-f-]{36}"
    serializer_class = MinutesSerializer

    def _get(self, request: Request, meeting_uid: Any) -> tuple[Meeting, Any, Minutes | None]:
        try:
            meeting_uid = uuid.UUID(str(meeting_uid))
        except ValueError:  # the address pattern lets 36 hex digits without dashes through
            raise NotFound from None
        meeting = _role_meetings(request.user).select_related("network").filter(uid=meeting_uid)
        found = meeting.first()
        if found is None:
            raise NotFound
        access = get_access(request.user, found.network)
        return found, access, Minutes.objects.filter(meeting=found).first()

    @extend_schema(responses=MinutesSerializer)
    def retrieve(self, request: Request, meeting: Any = None) -> Response:
        found, access, minutes = self._get(request, meeting)
        if not access.is_facilitator and not (minutes and minutes.published):
            raise NotFound
        return Response(_minutes_data(found, minutes))

    @extend_schema(request=MinutesSerializer, responses=MinutesSerializer)
    def update(self, request: Request, meeting: Any = None) -> Response:
        found, access, _minutes = self._get(request, meeting)
        require(access.is_facilitator)
        serializer = MinutesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            minutes = services.save_minutes(
                found,
                text=serializer.validated_data["text"],
                published=serializer.validated_data["published"],
                acting_user=request.user,
            )
        return Response(_minutes_data(found, minutes))


# Decisions ---------------------------------------------------------------------------------
class DecisionViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Decisions of meetings in the caller's networks; facilitators record them."""

    serializer_class = DecisionSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet:
        queryset = Decision.objects.filter(meeting__in=_role_meetings(self.request.user))
        meeting = _uid_param(self.request.query_params)
        if meeting:
            queryset = queryset.filter(meeting__uid=meeting)
        return queryset.select_related("meeting").order_by("meeting__start", "position", "pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        meeting = _meeting(request.user, serializer.validated_data["meeting"]["uid"])
        require(get_access(request.user, meeting.network).is_facilitator)
        with service_errors():
            decision = services.add_decision(
                meeting, text=serializer.validated_data["text"], acting_user=request.user
            )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


# Action items ------------------------------------------------------------------------------
class ActionItemSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    meeting = serializers.UUIDField(source="meeting.uid", required=False)
    decision = serializers.UUIDField(source="decision.uid", required=False, allow_null=True)
    owner_person = serializers.UUIDField(source="owner_person.uid", required=False, allow_null=True)
    owner_organisation = serializers.SlugField(
        source="owner_organisation.slug", required=False, allow_null=True
    )
    status = serializers.CharField(required=False, help_text=STATUS_HELP)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = ["uid", "network", "meeting", "decision", "title", "description",
                  "owner_person", "owner_organisation", "due", "status", "completed_at",
                  "overdue"]  # fmt: skip
        read_only_fields = ["uid", "network", "completed_at"]

    def get_overdue(self, obj: ActionItem) -> bool:
        open_ = obj.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
        return bool(open_ and obj.due and obj.due < timezone.localdate())


def _resolve_action_data(data: dict[str, Any], meeting: Meeting | None) -> dict[str, Any]:
    """Turn uids and slugs into rows; unknown ones are field errors."""
    out: dict[str, Any] = {}
    for key in ("title", "description", "due", "status"):
        if key in data:
            out[key] = data[key]
    if "owner_person" in data:
        uid = (data["owner_person"] or {}).get("uid")
        out["owner_person"] = Person.objects.filter(uid=uid).first() if uid else None
        if uid and out["owner_person"] is None:
            raise serializers.ValidationError({"owner_person": [_("No person with this uid.")]})
    if "owner_organisation" in data:
        slug = (data["owner_organisation"] or {}).get("slug")
        out["owner_organisation"] = Organisation.objects.filter(slug=slug).first() if slug else None
        if slug and out["owner_organisation"] is None:
            raise serializers.ValidationError(
                {"owner_organisation": [_("No organisation with this slug.")]}
            )
    if "decision" in data:
        uid = (data["decision"] or {}).get("uid")
        decision = Decision.objects.filter(uid=uid, meeting=meeting).first() if uid else None
        if uid and decision is None:
            raise serializers.ValidationError(
                {"decision": [_("Choose a decision of the same meeting.")]}
            )
        out["decision"] = decision
    return out


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("network", OpenApiTypes.STR, description="Network slug."),
            OpenApiParameter("organisation", OpenApiTypes.STR, description="Owner's slug."),
            OpenApiParameter("meeting", OpenApiTypes.UUID, description="Meeting uid."),
            OpenApiParameter("status", OpenApiTypes.STR, description=str(STATUS_HELP)),
            OpenApiParameter("overdue", OpenApiTypes.BOOL, description="Only overdue items."),
        ]
    )
)
class ActionItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Action items of the caller's networks. Facilitators record and edit them; focal
    points of the owner organisation change their status."""

    serializer_class = ActionItemSerializer
    pagination_class = Pagination
    lookup_field = "uid"

    def get_queryset(self) -> QuerySet:
        queryset = ActionItem.objects.filter(network__in=contact_networks(self.request.user))
        params = self.request.query_params
        if params.get("network"):
            queryset = queryset.filter(network__slug=params["network"])
        if params.get("organisation"):
            slug = params["organisation"]
            queryset = queryset.filter(
                Q(owner_organisation__slug=slug) | Q(owner_person__organisation__slug=slug)
            )
        meeting = _uid_param(params)
        if meeting:
            queryset = queryset.filter(meeting__uid=meeting)
        if params.get("status"):
            queryset = queryset.filter(status=params["status"])
        if params.get("overdue") in ("1", "true"):
            queryset = queryset.overdue()
        return queryset.select_related(
            "network", "meeting", "decision", "owner_person__organisation", "owner_organisation"
        ).order_by("due", "pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        given = serializer.validated_data.get("meeting") or {}
        if not given.get("uid"):
            raise serializers.ValidationError({"meeting": [_("Give the meeting's uid.")]})
        meeting = _meeting(request.user, given["uid"])
        require(get_access(request.user, meeting.network).is_facilitator)
        data = _resolve_action_data(serializer.validated_data, meeting)
        with service_errors():
            action_item = services.create_action_item(meeting, data, acting_user=request.user)
        return Response(ActionItemSerializer(action_item).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self.get_object()
        access = get_access(request.user, item.network)
        require(services.may_update_action(access, item))
        serializer = self.get_serializer(item, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = _resolve_action_data(serializer.validated_data, item.meeting)
        if not access.is_facilitator and set(data) - {"status"}:
            # Focal points move their organisation's items; the rest is the secretariat's.
            raise serializers.ValidationError(
                {"status": [_("You may change only the status of this action item.")]}
            )
        with service_errors():
            item = services.update_action_item(item, data, acting_user=request.user)
        return Response(ActionItemSerializer(item).data)
