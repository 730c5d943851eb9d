"""API of agendas: agenda items, members' offers and votes, the builder's suggestion.

The policy is the pages': agenda items are read with their meeting (members see every
meeting of their network, everybody who may read the network sees its public meetings)
and written by the network's facilitators; offers are read and voted on by users with a
role in the network, made by focal points for their own organisation (facilitators for
any member) and accepted or declined by facilitators; a decline's reason reads as null
except for the offering organisation and facilitators. The suggestion is for facilitators.

Ids: meetings, agenda items, offers and people by uid, organisations, networks and topics
by slug. In a suggestion, organisations are slugs and candidates the uid of the offer or
action item behind them (``source`` says which).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from netweave.core.access import contact_networks, get_access, require, visible_networks
from netweave.core.api import VisibleNetworkField, VisibleOrganisationField, service_errors
from netweave.directory.api import TopicSlugsField, visible_people
from netweave.directory.models import Topic
from netweave.meetings import services
from netweave.meetings.models import (
    AgendaItem,
    AgendaItemKind,
    AgendaOffer,
    AgendaVote,
    Meeting,
    MeetingVisibility,
    OfferStatus,
)
from netweave.networks.models import Role


def inline_choice(choices: list[tuple[str, Any]], **kwargs: Any) -> serializers.ChoiceField:
    """A choice field described as a string listing its values (``kind`` and ``status``
    exist in other apps with other choices; enum components would collide by name)."""
    values = ", ".join(str(value) for value, _label in choices)
    field_class = extend_schema_field({"type": "string", "description": f"One of: {values}."})(
        type("AgendaChoiceField", (serializers.ChoiceField,), {})
    )
    return field_class(choices=choices, **kwargs)


def visible_meetings(user: Any) -> QuerySet:
    """Meetings the user may read: all of networks where they have a role, public ones of
    the other networks they may read."""
    meetings = Meeting.objects.filter(network__in=visible_networks(user))
    if user is not None and user.is_authenticated and user.is_staff:
        return meetings
    if user is None or not user.is_authenticated:
        return meetings.filter(visibility=MeetingVisibility.PUBLIC)
    member = Role.objects.filter(user=user, network=OuterRef("network"))
    return meetings.filter(Q(visibility=MeetingVisibility.PUBLIC) | Exists(member))


def _user(context: dict[str, Any]) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


@extend_schema_field(OpenApiTypes.UUID)
class VisibleMeetingField(serializers.SlugRelatedField):
    """A meeting, by uid, among those the caller may read."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("Uid of a meeting you may read."))
        super().__init__(slug_field="uid", **kwargs)

    def get_queryset(self) -> QuerySet:
        return visible_meetings(_user(self.context))


@extend_schema_field(OpenApiTypes.UUID)
class VisiblePersonField(serializers.SlugRelatedField):
    """A person, by uid, among those the caller may see."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("Uid of a person you may see."))
        super().__init__(slug_field="uid", **kwargs)

    def get_queryset(self) -> QuerySet:
        return visible_people(_user(self.context))


# Agenda items ------------------------------------------------------------------------------
class AgendaItemSerializer(serializers.ModelSerializer):
    meeting = VisibleMeetingField()
    kind = inline_choice(AgendaItemKind.choices, required=False)
    topics = TopicSlugsField(many=True, required=False)
    presenter_organisation = VisibleOrganisationField(required=False, allow_null=True)
    presenter_person = VisiblePersonField(required=False, allow_null=True)
    offer = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    action_item = serializers.SlugRelatedField(slug_field="uid", read_only=True)

    class Meta:
        model = AgendaItem
        fields = [
            "uid",
            "meeting",
            "position",
            "title",
            "description",
            "kind",
            "topics",
            "presenter_organisation",
            "presenter_person",
            "duration_minutes",
            "offer",
            "action_item",
            "created",
            "modified",
        ]
        read_only_fields = ["uid", "position", "offer", "action_item", "created", "modified"]

    def service_data(self) -> dict[str, Any]:
        return {
            key: value
            for key, value in self.validated_data.items()
            if key in services.AGENDA_ITEM_FIELDS
        }


class AgendaItemUpdateSerializer(AgendaItemSerializer):
    meeting = serializers.SlugRelatedField(slug_field="uid", read_only=True)


class MoveSerializer(serializers.Serializer):
    direction = inline_choice([("up", "up"), ("down", "down")])


class AgendaItemFilter(filters.FilterSet):
    meeting = filters.UUIDFilter(field_name="meeting__uid", help_text=_("Uid of a meeting."))

    class Meta:
        model = AgendaItem
        fields: list[str] = []


class AgendaItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Items of the agendas of the meetings you may read, in running order; the
    network's facilitators add, change, move and remove them."""

    lookup_field = "uid"
    filterset_class = AgendaItemFilter
    filter_backends = [filters.DjangoFilterBackend]

    def get_queryset(self) -> QuerySet:
        return (
            AgendaItem.objects.filter(meeting__in=visible_meetings(self.request.user))
            .select_related(
                "meeting__network", "presenter_organisation", "presenter_person", "offer"
            )
            .select_related("action_item")
            .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
            .order_by("meeting__start", "meeting_id", "position", "id")
        )

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action in ("update", "partial_update"):
            return AgendaItemUpdateSerializer
        if self.action == "move":
            return MoveSerializer
        return AgendaItemSerializer

    def _facilitates(self, meeting: Meeting) -> None:
        require(get_access(self.request.user, meeting.network).is_facilitator)

    def _read(self, item: AgendaItem) -> dict[str, Any]:
        fresh = self.get_queryset().get(pk=item.pk)
        return AgendaItemSerializer(fresh, context=self.get_serializer_context()).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        meeting = serializer.validated_data["meeting"]
        self._facilitates(meeting)
        with service_errors():
            item = services.add_agenda_item(
                meeting,
                serializer.service_data(),
                topics=serializer.validated_data.get("topics"),
                acting_user=request.user,
            )
        return Response(self._read(item), status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self.get_object()
        self._facilitates(item.meeting)
        serializer = self.get_serializer(
            item, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.update_agenda_item(
                item,
                serializer.service_data(),
                topics=serializer.validated_data.get("topics"),
                acting_user=request.user,
            )
        return Response(self._read(item))

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self.get_object()
        self._facilitates(item.meeting)
        services.delete_agenda_item(item, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=MoveSerializer, responses=AgendaItemSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, uid: str | None = None) -> Response:
        """Swap the item with the one above (``up``) or below (``down``)."""
        item = self.get_object()
        self._facilitates(item.meeting)
        serializer = MoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.move_agenda_item(
                item, serializer.validated_data["direction"], acting_user=request.user
            )
        return Response(self._read(item))


# Offers ------------------------------------------------------------------------------------
class AgendaOfferSerializer(serializers.ModelSerializer):
    network = VisibleNetworkField()
    meeting = VisibleMeetingField(
        required=False,
        allow_null=True,
        help_text=_("Uid of a coming meeting; empty for the next suitable meeting."),
    )
    organisation = VisibleOrganisationField(help_text=_("Slug of the offering member."))
    person = VisiblePersonField(required=False, allow_null=True)
    kind = inline_choice(AgendaItemKind.choices, required=False)
    status = inline_choice(OfferStatus.choices, read_only=True)
    topics = TopicSlugsField(many=True, required=False)
    urgency = serializers.IntegerField(
        min_value=0, max_value=3, required=False, help_text=_("0 (can wait) to 3 (urgent).")
    )
    decline_reason = serializers.SerializerMethodField(
        help_text=_("For the offering organisation and facilitators; else null.")
    )
    vote_count = serializers.IntegerField(read_only=True)
    voted = serializers.BooleanField(read_only=True, help_text=_("Whether you voted for it."))

    class Meta:
        model = AgendaOffer
        fields = [
            "uid",
            "network",
            "meeting",
            "organisation",
            "person",
            "kind",
            "title",
            "description",
            "topics",
            "duration_minutes",
            "urgency",
            "status",
            "decline_reason",
            "vote_count",
            "voted",
            "created",
        ]
        read_only_fields = ["uid", "status", "created"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_decline_reason(self, offer: AgendaOffer) -> str | None:
        access = get_access(_user(self.context), offer.network)
        if access.can_edit_organisation(offer.organisation_id):
            return offer.decline_reason
        return None


class OfferFilter(filters.FilterSet):
    network = filters.CharFilter(field_name="network__slug", help_text=_("Slug of a network."))
    meeting = filters.UUIDFilter(field_name="meeting__uid", help_text=_("Uid of a meeting."))
    status = filters.MultipleChoiceFilter(choices=OfferStatus.choices)

    class Meta:
        model = AgendaOffer
        fields: list[str] = []


class AcceptSerializer(serializers.Serializer):
    meeting = VisibleMeetingField(
        required=False, help_text=_("Uid of the meeting; default: the one the offer names.")
    )


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text=_("Why; the offering organisation reads it."))


class VoteSerializer(serializers.Serializer):
    voted = serializers.BooleanField(read_only=True)
    vote_count = serializers.IntegerField(read_only=True)


class AgendaOfferViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Members' offers of agenda items in the networks where you have a role, with their
    votes. Focal points offer for their organisation, facilitators for any member;
    facilitators accept or decline; everybody with a role votes (``vote`` toggles)."""

    lookup_field = "uid"
    serializer_class = AgendaOfferSerializer
    filterset_class = OfferFilter
    filter_backends = [filters.DjangoFilterBackend]

    def get_queryset(self) -> QuerySet:
        user = self.request.user
        # The schema generator asks as an anonymous user, whose pk is None.
        votes = AgendaVote.objects.filter(offer=OuterRef("pk"), voter_id=user.pk)
        return (
            AgendaOffer.objects.filter(network__in=contact_networks(user))
            .select_related("network", "meeting", "organisation", "person")
            .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
            .annotate(vote_count=Count("votes", distinct=True), voted=Exists(votes))
            .order_by("-created", "-pk")
        )

    def _read(self, offer: AgendaOffer) -> dict[str, Any]:
        fresh = self.get_queryset().get(pk=offer.pk)
        return AgendaOfferSerializer(fresh, context=self.get_serializer_context()).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        network = data.pop("network")
        organisation = data.pop("organisation")
        access = get_access(request.user, network)
        require(access.has_role and access.can_edit_organisation(organisation))
        with service_errors():
            offer = services.offer_item(
                network,
                {key: data[key] for key in services.OFFER_FIELDS if key in data},
                organisation=organisation,
                meeting=data.get("meeting"),
                topics=data.get("topics"),
                acting_user=request.user,
            )
        return Response(self._read(offer), status=status.HTTP_201_CREATED)

    @extend_schema(request=AcceptSerializer, responses=AgendaItemSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, uid: str | None = None) -> Response:
        """Put the offer on a meeting's agenda; returns the new agenda item."""
        offer = self.get_object()
        require(get_access(request.user, offer.network).is_facilitator)
        serializer = AcceptSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        with service_errors():
            item = services.accept_offer(
                offer, meeting=serializer.validated_data.get("meeting"), acting_user=request.user
            )
        return Response(
            AgendaItemSerializer(item, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=DeclineSerializer, responses=AgendaOfferSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, uid: str | None = None) -> Response:
        """Decline the offer with a reason."""
        offer = self.get_object()
        require(get_access(request.user, offer.network).is_facilitator)
        serializer = DeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.decline_offer(
                offer, reason=serializer.validated_data["reason"], acting_user=request.user
            )
        return Response(self._read(offer))

    @extend_schema(request=None, responses=VoteSerializer)
    @action(detail=True, methods=["post"])
    def vote(self, request: Request, uid: str | None = None) -> Response:
        """Vote for a proposed offer, or take your vote back."""
        offer = self.get_object()
        access = get_access(request.user, offer.network)
        organisation = min(access.focal_org_ids) if access.focal_org_ids else None
        with service_errors():
            voted = services.toggle_vote(offer, organisation=organisation, acting_user=request.user)
        return Response(
            {"voted": voted, "vote_count": AgendaVote.objects.filter(offer=offer).count()}
        )


# The builder -------------------------------------------------------------------------------
class AgendaSuggestionViewSet(viewsets.GenericViewSet):
    """The agenda builder's suggestion for a meeting, for the network's facilitators."""

    queryset = Meeting.objects.none()
    lookup_field = "uid"
    lookup_url_kwarg = "meeting_uid"
    pagination_class = None
    filter_backends: list[Any] = []

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "items", int, description="At most this many items (default 5).", required=False
            ),
            OpenApiParameter(
                "length",
                int,
                description="Minutes available (default: the meeting's length).",
                required=False,
            ),
            OpenApiParameter(
                "method",
                str,
                enum=["auto", "exact", "greedy"],
                description="Optimiser (default auto).",
                required=False,
            ),
        ],
        responses={200: OpenApiTypes.OBJECT},
        description=(
            "`{items: [{id, title, kind, source, duration, urgency, start_minute, serves, "
            "serves_count, interest_weight}], covered: [slug], uncovered: [{id, reason_code, "
            "reason, items}], coverage, covered_count, total, method, proved_optimal, ...}`; "
            "organisations by slug, items by the uid of their offer or action item."
        ),
    )
    def retrieve(self, request: Request, meeting_uid: str | None = None) -> Response:
        try:
            meeting = visible_meetings(request.user).select_related("network").get(uid=meeting_uid)
        except (Meeting.DoesNotExist, DjangoValidationError):
            raise NotFound from None
        require(get_access(request.user, meeting.network).is_facilitator)
        params = _SuggestionParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        with service_errors():
            suggestion = services.suggest_agenda(
                meeting,
                max_items=params.validated_data.get("items", 5),
                length_minutes=params.validated_data.get("length"),
                method=params.validated_data.get("method", "auto"),
            )
        return Response(suggestion.as_dict())


class _SuggestionParams(serializers.Serializer):
    items = serializers.IntegerField(min_value=0, max_value=200, required=False)
    length = serializers.IntegerField(min_value=0, max_value=7 * 24 * 60, required=False)
    method = serializers.ChoiceField(choices=["auto", "exact", "greedy"], required=False)
