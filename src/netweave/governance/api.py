"""API of governance: member requests, task groups, deliverables, bodies.

The policy is the pages' (``permissions.py``); serializers validate, ``services.py`` writes.
Task groups, deliverables and bodies are read in every network the caller may read; member
requests by the steering committee and facilitators (all of a network's) and by focal
points (their organisations').
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from netweave.core.access import FACILITATOR, FOCAL_POINT, STEERING, get_access, require
from netweave.core.api import (
    NetworkScopedMixin,
    ScopedSlugField,
    VisibleNetworkField,
    VisibleOrganisationField,
    service_errors,
    visible_organisations,
)
from netweave.core.nul import FormParser, JSONParser, MultiPartParser
from netweave.directory.models import Person, Topic
from netweave.governance import permissions, services
from netweave.governance.models import (
    Body,
    BodyKind,
    Deliverable,
    DeliverableDocument,
    DeliverableStatus,
    MemberRequest,
    RequestStatus,
    Seat,
    TaskGroup,
    TaskGroupJoinRequest,
    TaskGroupMember,
    TaskGroupStatus,
    Urgency,
)
from netweave.networks.models import Membership, Role
from netweave.partnerships.api import inline_choice


# Member requests ---------------------------------------------------------------------------
class MemberRequestSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    task_group = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    urgency = inline_choice(Urgency.choices, read_only=True)
    status = inline_choice(RequestStatus.choices, read_only=True)
    age_days = serializers.SerializerMethodField()

    class Meta:
        model = MemberRequest
        fields = [
            "uid",
            "network",
            "organisation",
            "topic",
            "title",
            "description",
            "urgency",
            "status",
            "task_group",
            "answer",
            "decline_reason",
            "decided_at",
            "created",
            "age_days",
        ]
        read_only_fields = fields

    def get_age_days(self, obj: MemberRequest) -> int:
        return obj.age_days()


class RaiseRequestSerializer(serializers.Serializer):
    network = VisibleNetworkField()
    organisation = VisibleOrganisationField()
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    topic = serializers.SlugRelatedField(
        slug_field="slug", queryset=Topic.objects.all(), required=False, allow_null=True
    )
    urgency = inline_choice(Urgency.choices, default=Urgency.NORMAL)


class TriageSerializer(serializers.Serializer):
    decision = inline_choice([(d, d) for d in services.TRIAGE_DECISIONS])
    task_group = serializers.UUIDField(required=False, allow_null=True)
    name = serializers.CharField(required=False, allow_blank=True, default="")
    lead = VisibleOrganisationField(required=False, allow_null=True)
    terms_of_reference = serializers.CharField(required=False, allow_blank=True, default="")
    answer = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


def visible_requests(user: Any) -> QuerySet:
    """Requests the user may read: all of networks they triage in, their organisations' own."""
    if not user.is_authenticated:
        return MemberRequest.objects.none()
    if user.is_staff:
        return MemberRequest.objects.all()
    roles = Role.objects.filter(user=user)
    triage = roles.filter(kind__in=[FACILITATOR, STEERING]).values("network_id")
    focal = roles.filter(kind=FOCAL_POINT)
    condition = Q(network_id__in=triage)
    for network_id, org_id in focal.values_list("network_id", "organisation_id"):
        condition |= Q(network_id=network_id, organisation_id=org_id)
    return MemberRequest.objects.filter(condition)


def listed_people(user: Any) -> QuerySet:
    """People whose names the user may read: those who agreed to be listed, those of the
    organisations the user speaks for, and everyone in the networks the user facilitates.

    Lazy (subqueries only), so it costs no query of its own when used in a prefetch.
    """
    if not user.is_authenticated:
        return Person.objects.filter(consent_listed=True)
    if user.is_staff:
        return Person.objects.all()
    roles = Role.objects.filter(user=user)
    facilitated = Membership.objects.filter(
        network_id__in=roles.filter(kind=FACILITATOR).values("network_id")
    ).values("organisation_id")
    return Person.objects.filter(
        Q(consent_listed=True)
        | Q(organisation_id__in=roles.filter(kind=FOCAL_POINT).values("organisation_id"))
        | Q(organisation_id__in=facilitated)
    )


class MemberRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Needs raised by member organisations; focal points raise, the steering committee triages."""

    serializer_class = MemberRequestSerializer
    lookup_field = "uid"

    def get_queryset(self) -> QuerySet:
        queryset = visible_requests(self.request.user).select_related(
            "network", "organisation", "topic", "task_group"
        )
        network = self.request.query_params.get("network")
        if network:
            queryset = queryset.filter(network__slug=network)
        return queryset.order_by("-created", "-id")

    @extend_schema(request=RaiseRequestSerializer, responses=MemberRequestSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = RaiseRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        network = data.pop("network")
        require(permissions.can_raise(get_access(request.user, network)))
        with service_errors():
            raised = services.raise_request(network, acting_user=request.user, **data)
        return Response(MemberRequestSerializer(raised).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TriageSerializer, responses=MemberRequestSerializer)
    @action(detail=True, methods=["post"])
    def triage(self, request: Request, uid: Any = None) -> Response:
        item = self.get_object()
        require(permissions.can_triage(get_access(request.user, item.network)))
        serializer = TriageSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        group_uid = data.pop("task_group", None)
        group = None
        if group_uid is not None:
            group = TaskGroup.objects.filter(network=item.network, uid=group_uid).first()
            if group is None:
                raise serializers.ValidationError(
                    {"task_group": [_("No task group of this network has that uid.")]}
                )
        with service_errors():
            services.triage_request(item, task_group=group, acting_user=request.user, **data)
        return Response(MemberRequestSerializer(self.get_queryset().get(pk=item.pk)).data)


# Task groups and deliverables --------------------------------------------------------------
class DeliverableDocumentSerializer(serializers.ModelSerializer):
    file = serializers.SerializerMethodField()

    class Meta:
        model = DeliverableDocument
        fields = ["uid", "title", "file", "url", "created"]
        read_only_fields = fields

    def get_file(self, obj: DeliverableDocument) -> str:
        return obj.file_name


class DeliverableSerializer(serializers.ModelSerializer):
    task_group = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    documents = DeliverableDocumentSerializer(many=True, read_only=True)
    status = inline_choice(DeliverableStatus.choices, read_only=True)

    class Meta:
        model = Deliverable
        fields = ["uid", "task_group", "title", "due", "status", "documents"]
        read_only_fields = ["uid", "task_group", "status", "documents"]


class MemberSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    people = serializers.SlugRelatedField(slug_field="uid", many=True, read_only=True)

    class Meta:
        model = TaskGroupMember
        fields = ["organisation", "people", "joined"]
        read_only_fields = fields


class TaskGroupSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    lead = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    members = MemberSerializer(many=True, read_only=True)
    deliverables = DeliverableSerializer(many=True, read_only=True)
    status = inline_choice(TaskGroupStatus.choices, read_only=True)

    class Meta:
        model = TaskGroup
        fields = [
            "uid",
            "network",
            "name",
            "terms_of_reference",
            "topics",
            "lead",
            "status",
            "start",
            "end",
            "members",
            "deliverables",
        ]
        read_only_fields = fields


class TaskGroupWriteSerializer(serializers.Serializer):
    """A task group's terms, as ``services.update_task_group`` takes them."""

    name = serializers.CharField(max_length=200)
    terms_of_reference = serializers.CharField(required=False, allow_blank=True, default="")
    topics = serializers.SlugRelatedField(
        slug_field="slug", queryset=Topic.objects.all(), many=True, required=False, default=list
    )
    status = inline_choice(
        [(TaskGroupStatus.PROPOSED, "proposed"), (TaskGroupStatus.ACTIVE, "active")],
        default=TaskGroupStatus.ACTIVE,
    )
    start = serializers.DateField(required=False, allow_null=True, default=None)
    end = serializers.DateField(required=False, allow_null=True, default=None)


class TaskGroupCreateSerializer(TaskGroupWriteSerializer):
    network = VisibleNetworkField(help_text=_("Slug of a network you triage requests in."))
    lead = VisibleOrganisationField()


class JoinSerializer(serializers.Serializer):
    organisation = VisibleOrganisationField()


class MemberPeopleSerializer(serializers.Serializer):
    organisation = VisibleOrganisationField(help_text=_("Slug of a member of the task group."))
    people = serializers.ListField(
        child=serializers.UUIDField(),
        allow_empty=True,
        help_text=_("Uids of the organisation's people it sends; empty: the whole organisation."),
    )


class DecideJoinSerializer(serializers.Serializer):
    join_request = serializers.UUIDField()
    accept = serializers.BooleanField()


class CloseSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(default=False)


@extend_schema_view(
    create=extend_schema(request=TaskGroupCreateSerializer, responses={201: TaskGroupSerializer}),
    update=extend_schema(request=TaskGroupWriteSerializer, responses=TaskGroupSerializer),
    partial_update=extend_schema(request=TaskGroupWriteSerializer, responses=TaskGroupSerializer),
)
class TaskGroupViewSet(
    NetworkScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Task groups of the networks the caller may read; leads run them.

    The steering committee and facilitators form task groups and approve proposed ones;
    leads edit their terms.
    """

    serializer_class = TaskGroupSerializer
    lookup_field = "uid"
    queryset = TaskGroup.objects.all()

    def get_queryset(self) -> QuerySet:
        deliverables = Deliverable.objects.prefetch_related("documents").select_related(
            "task_group"
        )
        queryset = (
            super()
            .get_queryset()
            .select_related("network", "lead")
            .prefetch_related(
                "topics",
                Prefetch(
                    "members",
                    queryset=TaskGroupMember.objects.select_related("organisation")
                    .prefetch_related(
                        # Unlisted people stay with those who edit their organisation.
                        Prefetch("people", queryset=listed_people(self.request.user))
                    )
                    .order_by("organisation__name"),
                ),
                Prefetch("deliverables", queryset=deliverables),
            )
            .order_by("network__name", "name")
        )
        network = self.request.query_params.get("network")
        if network:
            queryset = queryset.filter(network__slug=network)
        return queryset

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = TaskGroupCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        network = data.pop("network")
        require(permissions.can_triage(self.access_for(network)))
        with service_errors():
            group = services.create_task_group(network, acting_user=request.user, **data)
        return Response(
            TaskGroupSerializer(self.get_queryset().get(pk=group.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        group = self.get_object()
        access = self.access_for(group.network)
        require(permissions.can_run_group(access, group) or permissions.can_triage(access))
        current = {
            "name": group.name,
            "terms_of_reference": group.terms_of_reference,
            "topics": list(group.topics.all()),
            "status": group.status,
            "start": group.start,
            "end": group.end,
        }
        # A partial update (PATCH) validates only the fields given; the others stay.
        serializer = TaskGroupWriteSerializer(
            data=request.data, partial=kwargs.get("partial", False), context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.update_task_group(
                group, acting_user=request.user, **{**current, **serializer.validated_data}
            )
        return Response(TaskGroupSerializer(self.get_queryset().get(pk=group.pk)).data)

    def _run(self, group: TaskGroup) -> None:
        require(permissions.can_run_group(self.access_for(group.network), group))

    @extend_schema(request=JoinSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def join(self, request: Request, uid: Any = None) -> Response:
        """A focal point asks for their organisation to join."""
        group = self.get_object()
        serializer = JoinSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        organisation = serializer.validated_data["organisation"]
        require(self.access_for(group.network).can_edit_organisation(organisation))
        with service_errors():
            join = services.request_to_join(
                group, organisation=organisation, acting_user=request.user
            )
        return Response({"uid": str(join.uid), "status": join.status}, status=201)

    @extend_schema(request=MemberPeopleSerializer, responses=MemberSerializer)
    @action(detail=True, methods=["post"])
    def people(self, request: Request, uid: Any = None) -> Response:
        """A member organisation's focal point (or a facilitator) names the people it sends."""
        group = self.get_object()
        access = self.access_for(group.network)
        # Only those who speak for an organisation name its people: refused before the body.
        require(access.is_facilitator or bool(access.focal_org_ids))
        serializer = MemberPeopleSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        organisation = serializer.validated_data["organisation"]
        member = group.members.filter(organisation=organisation).first()
        if member is None:
            raise serializers.ValidationError(
                {"organisation": [_("%(org)s is not in the task group.") % {"org": organisation}]}
            )
        require(access.can_edit_organisation(organisation))
        uids = set(serializer.validated_data["people"])
        people = list(Person.objects.filter(organisation=organisation, uid__in=uids))
        if len(people) != len(uids):
            message = _("Some of these people do not work for %(org)s.") % {"org": organisation}
            raise serializers.ValidationError({"people": [message]})
        with service_errors():
            services.set_member_people(member, people=people, acting_user=request.user)
        return Response(MemberSerializer(member).data)

    @extend_schema(request=DecideJoinSerializer, responses={200: None})
    @action(detail=True, methods=["post"], url_path="decide-join")
    def decide_join(self, request: Request, uid: Any = None) -> Response:
        """The lead accepts or declines a request to join."""
        group = self.get_object()
        self._run(group)
        serializer = DecideJoinSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        join = TaskGroupJoinRequest.objects.filter(
            task_group=group, uid=serializer.validated_data["join_request"]
        ).first()
        if join is None:
            raise serializers.ValidationError(
                {"join_request": [_("No request to join this task group has that uid.")]}
            )
        with service_errors():
            services.decide_join_request(
                join, accept=serializer.validated_data["accept"], acting_user=request.user
            )
        return Response({"uid": str(join.uid), "status": join.status})

    @extend_schema(request=DeliverableSerializer, responses={201: DeliverableSerializer})
    @action(detail=True, methods=["post"])
    def deliverables(self, request: Request, uid: Any = None) -> Response:
        """The lead adds a deliverable."""
        group = self.get_object()
        self._run(group)
        serializer = DeliverableSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            deliverable = services.add_deliverable(
                group, acting_user=request.user, **serializer.validated_data
            )
        return Response(DeliverableSerializer(deliverable).data, status=201)

    @extend_schema(request=CloseSerializer, responses={200: None})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, uid: Any = None) -> Response:
        """Close the group; with open deliverables, 409 listing them unless ``confirm``."""
        group = self.get_object()
        self._run(group)
        serializer = CloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            still_open = services.close_task_group(
                group, confirm=serializer.validated_data["confirm"], acting_user=request.user
            )
        body = {
            "status": group.status,
            "open_deliverables": [str(d.uid) for d in still_open],
        }
        return Response(body, status=200 if group.status == "closed" else 409)


class FulfilSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, allow_null=True)
    url = serializers.URLField(required=False, allow_blank=True, default="")


class DeliverableViewSet(
    NetworkScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Deliverables of task groups in the networks the caller may read."""

    serializer_class = DeliverableSerializer
    lookup_field = "uid"
    network_field = "task_group__network"
    queryset = Deliverable.objects.all()
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self) -> QuerySet:
        queryset = (
            super()
            .get_queryset()
            .select_related("task_group__network", "task_group__lead")
            .prefetch_related("documents")
            .order_by("task_group__name", "due", "id")
        )
        group = self.request.query_params.get("task_group")
        if group:
            queryset = queryset.filter(task_group__uid=group)
        return queryset

    @extend_schema(request=FulfilSerializer, responses={201: DeliverableDocumentSerializer})
    @action(detail=True, methods=["post"])
    def fulfil(self, request: Request, uid: Any = None) -> Response:
        """The lead attaches the file or link that fulfils the deliverable."""
        deliverable = self.get_object()
        group = deliverable.task_group
        require(permissions.can_run_group(self.access_for(group.network), group))
        serializer = FulfilSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            document = services.fulfil_deliverable(
                deliverable, acting_user=request.user, **serializer.validated_data
            )
        return Response(DeliverableDocumentSerializer(document).data, status=201)


# Bodies --------------------------------------------------------------------------------------
class SeatSerializer(serializers.Serializer):
    uid = serializers.UUIDField(read_only=True)
    organisation = serializers.CharField(source="organisation.slug")
    sector = serializers.CharField(source="organisation.sector.slug")
    person = serializers.UUIDField(source="person.uid", allow_null=True, default=None)
    chair = serializers.BooleanField()
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)


class SectorBalanceSerializer(serializers.Serializer):
    slug = serializers.CharField()
    target = serializers.IntegerField()
    seats = serializers.IntegerField()
    met = serializers.BooleanField()


class BodySerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    kind = inline_choice(BodyKind.choices, read_only=True)
    sector_mix = serializers.DictField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text=_("Minimum seats per sector, by sector code."),
    )

    class Meta:
        model = Body
        fields = ["uid", "network", "name", "kind", "quorum", "sector_mix", "description"]
        read_only_fields = fields


class BodyWriteSerializer(serializers.Serializer):
    """A body's name, kind and rules, as ``services.update_body`` takes them."""

    name = serializers.CharField(max_length=200)
    kind = inline_choice(BodyKind.choices, default=BodyKind.OTHER)
    quorum = serializers.IntegerField(min_value=1, max_value=1000, default=1)
    sector_mix = serializers.DictField(
        child=serializers.IntegerField(min_value=0),
        required=False,
        default=dict,
        help_text=_('Minimum seats per sector, by sector code: {"government": 2}.'),
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")


class BodyCreateSerializer(BodyWriteSerializer):
    network = VisibleNetworkField(help_text=_("Slug of a network you facilitate."))


class BodyBalanceSerializer(serializers.Serializer):
    on = serializers.DateField()
    seats = SeatSerializer(many=True)
    quorum = serializers.IntegerField()
    quorum_possible = serializers.BooleanField()
    balanced = serializers.BooleanField()
    sectors = SectorBalanceSerializer(many=True)


@extend_schema_field(OpenApiTypes.UUID)
class VisiblePersonField(ScopedSlugField):
    """A person, by uid, of an organisation the caller may see."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "uid")
        kwargs.setdefault("help_text", _("Uid of a person of the seat holder."))
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def scope(self, user: Any) -> QuerySet:
        return Person.objects.filter(organisation__in=visible_organisations(user))


class AddSeatSerializer(serializers.Serializer):
    organisation = VisibleOrganisationField()
    person = VisiblePersonField()
    chair = serializers.BooleanField(default=False)
    start = serializers.DateField(required=False, allow_null=True, default=None)
    end = serializers.DateField(required=False, allow_null=True, default=None)


class UpdateSeatSerializer(serializers.Serializer):
    """Only the fields given change; the holder stays (replace it to change it)."""

    person = VisiblePersonField()
    chair = serializers.BooleanField(required=False)
    start = serializers.DateField(required=False, allow_null=True)
    end = serializers.DateField(required=False, allow_null=True)


class EndSeatSerializer(serializers.Serializer):
    on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("Last day; today by default.")
    )


class ReplaceSeatSerializer(serializers.Serializer):
    organisation = VisibleOrganisationField()
    person = VisiblePersonField()
    on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The day the new holder takes the seat; today by default."),
    )


SEAT_PARAMETER = OpenApiParameter(
    "seat", OpenApiTypes.UUID, OpenApiParameter.PATH, description=_("Uid of the seat.")
)


@extend_schema_view(
    create=extend_schema(request=BodyCreateSerializer, responses={201: BodySerializer}),
    update=extend_schema(request=BodyWriteSerializer, responses=BodySerializer),
    partial_update=extend_schema(request=BodyWriteSerializer, responses=BodySerializer),
)
class BodyViewSet(
    NetworkScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Standing bodies of the networks the caller may read, with today's balance.

    Facilitators create and change bodies and their seats.
    """

    serializer_class = BodySerializer
    lookup_field = "uid"
    queryset = Body.objects.all()

    def get_queryset(self) -> QuerySet:
        queryset = (
            super().get_queryset().select_related("network").order_by("network__name", "name")
        )
        network = self.request.query_params.get("network")
        if network:
            queryset = queryset.filter(network__slug=network)
        return queryset

    def _manage(self, body: Body) -> None:
        require(permissions.can_manage_bodies(self.access_for(body.network)))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = BodyCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        network = data.pop("network")
        require(permissions.can_manage_bodies(self.access_for(network)))
        with service_errors():
            body = services.create_body(network, acting_user=request.user, **data)
        return Response(BodySerializer(body).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = self.get_object()
        self._manage(body)
        current = {
            "name": body.name,
            "kind": body.kind,
            "quorum": body.quorum,
            "sector_mix": body.sector_mix,
            "description": body.description,
        }
        # A partial update (PATCH) validates only the fields given; the others stay.
        serializer = BodyWriteSerializer(
            data=request.data, partial=kwargs.get("partial", False), context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        given = serializer.validated_data
        with service_errors():
            services.update_body(body, acting_user=request.user, **{**current, **given})
        return Response(BodySerializer(body).data)

    @extend_schema(responses=BodyBalanceSerializer)
    @action(detail=True, methods=["get"])
    def balance(self, request: Request, uid: Any = None) -> Response:
        """Seats held today, chair, quorum and sector balance."""
        body = self.get_object()
        return Response(BodyBalanceSerializer(services.body_balance(body)).data)

    @extend_schema(methods=["GET"], responses=SeatSerializer(many=True))
    @extend_schema(methods=["POST"], request=AddSeatSerializer, responses={201: SeatSerializer})
    @action(detail=True, methods=["get", "post"])
    def seats(self, request: Request, uid: Any = None) -> Response:
        """Every seat of the body, past and future terms included; facilitators add seats."""
        body = self.get_object()
        if request.method == "GET":
            seats = body.seats.select_related("organisation__sector", "person").order_by(
                "-chair", "organisation__name", "start", "id"
            )
            return Response(SeatSerializer(seats, many=True).data)
        self._manage(body)
        serializer = AddSeatSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        with service_errors():
            seat = services.add_seat(body, acting_user=request.user, **serializer.validated_data)
        return Response(SeatSerializer(seat).data, status=status.HTTP_201_CREATED)

    def _seat(self, body: Body, seat: str) -> Seat:
        found = (
            Seat.objects.filter(body=body, uid=seat)
            .select_related("organisation__sector", "person", "body__network")
            .first()
            if _is_uuid(seat)
            else None
        )
        if found is None:
            raise NotFound
        return found

    @extend_schema(
        request=UpdateSeatSerializer, responses=SeatSerializer, parameters=[SEAT_PARAMETER]
    )
    @action(detail=True, methods=["patch"], url_path=r"seats/(?P<seat>[^/.]+)")
    def update_seat(self, request: Request, uid: Any = None, seat: str = "") -> Response:
        """Change the person, the chair or the term of a seat."""
        body = self.get_object()
        self._manage(body)
        item = self._seat(body, seat)
        serializer = UpdateSeatSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        values = {"person": item.person, "chair": item.chair, "start": item.start, "end": item.end}
        values.update(serializer.validated_data)
        with service_errors():
            services.update_seat(item, acting_user=request.user, **values)
        return Response(SeatSerializer(item).data)

    @extend_schema(request=EndSeatSerializer, responses=SeatSerializer, parameters=[SEAT_PARAMETER])
    @action(detail=True, methods=["post"], url_path=r"seats/(?P<seat>[^/.]+)/end")
    def end_seat(self, request: Request, uid: Any = None, seat: str = "") -> Response:
        """End a seat's term (today by default)."""
        body = self.get_object()
        self._manage(body)
        item = self._seat(body, seat)
        serializer = EndSeatSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.end_seat(item, on=serializer.validated_data["on"], acting_user=request.user)
        return Response(SeatSerializer(item).data)

    @extend_schema(
        request=ReplaceSeatSerializer,
        responses={201: SeatSerializer},
        parameters=[SEAT_PARAMETER],
    )
    @action(detail=True, methods=["post"], url_path=r"seats/(?P<seat>[^/.]+)/replace")
    def replace_seat(self, request: Request, uid: Any = None, seat: str = "") -> Response:
        """Another member organisation takes the seat for the rest of the term."""
        body = self.get_object()
        self._manage(body)
        item = self._seat(body, seat)
        serializer = ReplaceSeatSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        with service_errors():
            new = services.replace_seat(item, acting_user=request.user, **serializer.validated_data)
        return Response(SeatSerializer(new).data, status=status.HTTP_201_CREATED)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


__all__ = [
    "BodyViewSet",
    "DeliverableViewSet",
    "MemberRequestViewSet",
    "TaskGroupViewSet",
]
