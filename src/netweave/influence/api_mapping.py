"""API of influence mapping: goals and their dated assessments.

Political data: read by facilitators and steering committee members of the goal's
network, written by its facilitators (``mapping.can_read`` / ``mapping.can_manage``).
Everyone else finds no goal at all.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from netweave.core.access import FACILITATOR, STEERING, get_access, require
from netweave.core.api import VisibleNetworkField, service_errors
from netweave.influence import mapping
from netweave.influence.models import InfluenceAssessment, InfluenceGoal
from netweave.networks.models import Network, Role


def mapping_networks(user: Any) -> QuerySet:
    """Networks whose influence maps the user may read."""
    if not user.is_authenticated:
        return Network.objects.none()
    if user.is_staff:
        return Network.objects.all()
    roles = Role.objects.filter(user=user, kind__in=[FACILITATOR, STEERING])
    return Network.objects.filter(id__in=roles.values("network_id"))


class InfluenceGoalSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    actors = serializers.IntegerField(read_only=True)
    last_assessed = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = InfluenceGoal
        fields = ["uid", "network", "title", "description", "active", "actors", "last_assessed"]
        read_only_fields = ["uid", "network", "actors", "last_assessed"]


class InfluenceGoalCreateSerializer(serializers.Serializer):
    network = VisibleNetworkField()
    title = serializers.CharField(max_length=250)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class InfluenceAssessmentSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = InfluenceAssessment
        fields = ["organisation", "assessed_on", "influence", "position", "note"]
        read_only_fields = fields


class AssessInSerializer(serializers.Serializer):
    organisation = serializers.SlugField(help_text="Slug of the organisation assessed.")
    # Integers of any size: the service refuses those out of range with its own message.
    influence = serializers.IntegerField(help_text="1 (little) to 5 (decisive).")
    position = serializers.IntegerField(help_text="-2 opposes, 0 undecided, 2 supports.")
    assessed_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class StanceSerializer(serializers.Serializer):
    organisation = serializers.CharField()
    influence = serializers.IntegerField()
    position = serializers.IntegerField()
    assessed_on = serializers.DateField()
    previous_influence = serializers.IntegerField(allow_null=True)
    previous_position = serializers.IntegerField(allow_null=True)
    previous_assessed_on = serializers.DateField(allow_null=True)
    moved = serializers.BooleanField()


AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, description="Stances as they were on this day (YYYY-MM-DD)."
)
NETWORK = OpenApiParameter("network", OpenApiTypes.STR, description="Slug of a network.")


@extend_schema_view(
    list=extend_schema(parameters=[NETWORK]),
    create=extend_schema(request=InfluenceGoalCreateSerializer, responses=InfluenceGoalSerializer),
)
class InfluenceGoalViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Influencing goals (facilitators and the steering committee read; facilitators write)."""

    serializer_class = InfluenceGoalSerializer
    lookup_field = "uid"

    def get_queryset(self) -> QuerySet:
        queryset = (
            InfluenceGoal.objects.filter(network__in=mapping_networks(self.request.user))
            .select_related("network")
            .annotate(
                actors=Count("assessments__organisation", distinct=True),
                last_assessed=Max("assessments__assessed_on"),
            )
            .order_by("network__name", "title")
        )
        network = self.request.query_params.get("network")
        if network:
            queryset = queryset.filter(network__slug=network)
        return queryset

    def _manage(self, goal: InfluenceGoal) -> None:
        require(mapping.can_manage(get_access(self.request.user, goal.network)))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = InfluenceGoalCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        network = data.pop("network")
        require(mapping.can_manage(get_access(request.user, network)))
        with service_errors():
            goal = mapping.create_goal(network, acting_user=request.user, **data)
        return Response(
            InfluenceGoalSerializer(self.get_queryset().get(pk=goal.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        goal = self.get_object()
        self._manage(goal)
        serializer = self.get_serializer(
            goal, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        data = {
            "title": goal.title,
            "description": goal.description,
            "active": goal.active,
            **serializer.validated_data,
        }
        with service_errors():
            mapping.update_goal(goal, acting_user=request.user, **data)
        return Response(InfluenceGoalSerializer(self.get_queryset().get(pk=goal.pk)).data)

    @extend_schema(methods=["get"], responses=InfluenceAssessmentSerializer(many=True))
    @extend_schema(
        methods=["post"], request=AssessInSerializer, responses=InfluenceAssessmentSerializer
    )
    @action(detail=True, methods=["get", "post"])
    def assessments(self, request: Request, uid: str | None = None) -> Response:
        """Every assessment of the goal (GET), or record one (POST, facilitators)."""
        goal = self.get_object()
        if request.method == "GET":
            items = (
                InfluenceAssessment.objects.filter(goal=goal)
                .select_related("organisation")
                .order_by("assessed_on", "organisation__name")
            )
            return Response(InfluenceAssessmentSerializer(items, many=True).data)
        self._manage(goal)
        serializer = AssessInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = (
            mapping.assessable_organisations(goal.network, request.user)
            .filter(slug=data.pop("organisation"))
            .first()
        )
        if organisation is None:
            raise serializers.ValidationError(
                {"organisation": [_("Not an organisation you may assess for this network.")]}
            )
        with service_errors():
            assessment, created = mapping.record_assessment(
                goal, organisation=organisation, acting_user=request.user, **data
            )
        return Response(
            InfluenceAssessmentSerializer(assessment).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(parameters=[AS_OF], responses=StanceSerializer(many=True))
    @action(detail=True, methods=["get"])
    def stances(self, request: Request, uid: str | None = None) -> Response:
        """Each organisation's current stance and the one before it (who moved)."""
        goal = self.get_object()
        as_of = None
        if request.query_params.get("as_of"):
            field = serializers.DateField()
            try:
                as_of = field.to_internal_value(request.query_params["as_of"])
            except serializers.ValidationError as error:
                raise serializers.ValidationError({"as_of": error.detail}) from None
        return Response(
            [
                {
                    "organisation": s.current.slug,
                    "influence": s.current.influence,
                    "position": s.current.position,
                    "assessed_on": s.current.assessed_on,
                    "previous_influence": s.previous.influence if s.previous else None,
                    "previous_position": s.previous.position if s.previous else None,
                    "previous_assessed_on": s.previous.assessed_on if s.previous else None,
                    "moved": s.moved,
                }
                for s in mapping.goal_stances(goal, as_of=as_of)
            ]
        )


ROUTES = [("influence-goals", InfluenceGoalViewSet, "influence-goal")]
