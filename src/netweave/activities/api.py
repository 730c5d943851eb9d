"""API of joint activities: serializers validate, ``services`` write, ``rules`` decide.

Activities are read wherever their network is readable; contributions, exchange rates
and the co-financing summary need a role in the network. Facilitators create and delete
activities and enter rates; a lead organisation's focal point edits its activity and
records its contributions.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from netweave.activities import rules, services, totals
from netweave.activities.models import (
    ActivityKind,
    ActivityOutput,
    ActivityStatus,
    Contribution,
    ContributionKind,
    ExchangeRate,
    JointActivity,
    Participation,
    ParticipationRole,
)
from netweave.core.access import contact_networks, get_access, require, visible_networks
from netweave.core.api import (
    ScopedSlugField,
    VisibleNetworkField,
    VisibleOrganisationField,
    service_errors,
)
from netweave.directory.models import Topic
from netweave.governance.api import visible_requests
from netweave.governance.models import TaskGroup
from netweave.networks.models import Network
from netweave.partnerships.api import inline_choice


# Serializers -----------------------------------------------------------------------------
class ActivityParticipationSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    role = inline_choice(ParticipationRole.choices, read_only=True)

    class Meta:
        model = Participation
        fields = ["organisation", "organisation_name", "role"]
        read_only_fields = fields


class ActivityOutputSerializer(serializers.ModelSerializer):
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = ActivityOutput
        fields = ["uid", "title", "url", "has_file"]
        read_only_fields = fields

    def get_has_file(self, obj: ActivityOutput) -> bool:
        return bool(obj.file)


@extend_schema_field(OpenApiTypes.UUID)
class VisibleRequestField(ScopedSlugField):
    """A member request, by uid, among those the caller may read."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "uid")
        kwargs.setdefault("help_text", "UID of a member request of the same network.")
        super().__init__(**kwargs)

    def scope(self, user: Any) -> QuerySet:
        return visible_requests(user)


class ActivitySerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    kind = inline_choice(ActivityKind.choices)
    status = inline_choice(ActivityStatus.choices, required=False)
    topics = serializers.SlugRelatedField(
        slug_field="slug", many=True, required=False, queryset=Topic.objects.all()
    )
    task_group = serializers.SlugRelatedField(
        slug_field="uid",
        required=False,
        allow_null=True,
        queryset=TaskGroup.objects.all(),
        help_text="UID of a task group of the same network.",
    )
    request = VisibleRequestField(required=False, allow_null=True)
    participations = ActivityParticipationSerializer(many=True, read_only=True)
    outputs = ActivityOutputSerializer(many=True, read_only=True)

    class Meta:
        model = JointActivity
        fields = [
            "uid",
            "network",
            "kind",
            "title",
            "description",
            "topics",
            "start",
            "end",
            "status",
            "task_group",
            "request",
            "participations",
            "outputs",
            "created",
            "modified",
        ]
        read_only_fields = ["uid", "network", "created", "modified"]


class ActivityCreateSerializer(ActivitySerializer):
    network = VisibleNetworkField()
    lead = VisibleOrganisationField(required=False, allow_null=True, write_only=True)

    class Meta(ActivitySerializer.Meta):
        fields = [*ActivitySerializer.Meta.fields, "lead"]
        read_only_fields = ["uid", "created", "modified"]


class ActivityContributionSerializer(serializers.ModelSerializer):
    activity = serializers.SlugRelatedField(
        slug_field="uid", queryset=JointActivity.objects.all(), help_text="UID of the activity."
    )
    organisation = VisibleOrganisationField()
    kind = inline_choice(ContributionKind.choices, required=False)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    currency = serializers.CharField(max_length=3, help_text="ISO 4217 code, e.g. EUR.")

    class Meta:
        model = Contribution
        fields = [
            "uid",
            "activity",
            "organisation",
            "kind",
            "amount",
            "currency",
            "year",
            "description",
        ]
        read_only_fields = ["uid"]


class ExchangeRateSerializer(serializers.ModelSerializer):
    network = VisibleNetworkField()
    currency = serializers.CharField(max_length=3, help_text="ISO 4217 code, e.g. EUR.")
    rate = serializers.DecimalField(max_digits=18, decimal_places=8)

    class Meta:
        model = ExchangeRate
        fields = ["id", "network", "year", "currency", "rate"]
        read_only_fields = ["id"]


class CofinancingTotalSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Slug of the organisation or sector.")
    name = serializers.CharField()
    converted = serializers.DecimalField(max_digits=20, decimal_places=2)
    not_converted = serializers.DictField(
        child=serializers.DecimalField(max_digits=20, decimal_places=2),
        help_text="Sums without an exchange rate, by currency.",
    )


class CofinancingSerializer(serializers.Serializer):
    network = serializers.CharField()
    currency = serializers.CharField()
    total = serializers.DecimalField(max_digits=20, decimal_places=2)
    not_converted = serializers.DictField(
        child=serializers.DecimalField(max_digits=20, decimal_places=2)
    )
    missing_rates = serializers.ListField(
        child=serializers.CharField(), help_text="Currency and year, e.g. 'CHF 2012'."
    )
    by_sector = CofinancingTotalSerializer(many=True)
    by_organisation = CofinancingTotalSerializer(many=True)


# Viewsets --------------------------------------------------------------------------------
NETWORK_PARAM = OpenApiParameter(
    "network", OpenApiTypes.STR, description="Slug of a network you may read."
)


def _network_filter(queryset: QuerySet, request: Request, field: str) -> QuerySet:
    slug = request.query_params.get("network")
    return queryset.filter(**{f"{field}__slug": slug}) if slug else queryset


@extend_schema_view(
    list=extend_schema(parameters=[NETWORK_PARAM]),
    create=extend_schema(request=ActivityCreateSerializer, responses=ActivitySerializer),
)
class JointActivityViewSet(viewsets.ModelViewSet):
    """Joint activities of the networks the caller may read."""

    serializer_class = ActivitySerializer
    lookup_field = "uid"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet:
        queryset = (
            JointActivity.objects.filter(network__in=visible_networks(self.request.user))
            .select_related("network", "task_group", "request")
            .prefetch_related(
                "topics",
                Prefetch(
                    "participations",
                    queryset=Participation.objects.select_related("organisation").order_by(
                        "role", "organisation__name"
                    ),
                ),
                "outputs",
            )
            .order_by("network__name", "-start", "title")
        )
        return _network_filter(queryset, self.request, "network")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ActivityCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        network = data.pop("network")
        require(rules.can_create(get_access(request.user, network)))
        with service_errors():
            activity = services.create_activity(network, acting_user=request.user, **data)
        activity = self.get_queryset().get(pk=activity.pk)
        return Response(
            ActivitySerializer(activity, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        activity = self.get_object()
        require(rules.can_edit(get_access(request.user, activity.network), activity))
        serializer = ActivitySerializer(
            activity,
            data=request.data,
            partial=kwargs.get("partial", False),
            context={"request": request},
        )
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.update_activity(
                activity, dict(serializer.validated_data), acting_user=request.user
            )
        activity = self.get_queryset().get(pk=activity.pk)
        return Response(ActivitySerializer(activity, context={"request": request}).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        activity = self.get_object()
        require(rules.can_create(get_access(request.user, activity.network)))
        services.delete_activity(activity, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(list=extend_schema(parameters=[NETWORK_PARAM]))
class ContributionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Contributions to joint activities, for people with a role in the network."""

    serializer_class = ActivityContributionSerializer
    lookup_field = "uid"

    def get_queryset(self) -> QuerySet:
        queryset = (
            Contribution.objects.filter(activity__network__in=contact_networks(self.request.user))
            .select_related("activity", "organisation")
            .order_by("activity__network_id", "year", "organisation__name", "id")
        )
        return _network_filter(queryset, self.request, "activity__network")

    def _activity(self, activity: JointActivity) -> JointActivity:
        access = get_access(self.request.user, activity.network)
        if not rules.can_view_money(access):
            raise serializers.ValidationError({"activity": ["Object does not exist."]})
        require(rules.can_edit(access, activity))
        return activity

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        activity = self._activity(data.pop("activity"))
        with service_errors():
            contribution = services.add_contribution(activity, acting_user=request.user, **data)
        return Response(self.get_serializer(contribution).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        contribution = self.get_object()
        self._activity(contribution.activity)
        services.remove_contribution(contribution, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(list=extend_schema(parameters=[NETWORK_PARAM]))
class ExchangeRateViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Exchange rates per year; facilitators enter them (posting again corrects a rate)."""

    serializer_class = ExchangeRateSerializer

    def get_queryset(self) -> QuerySet:
        queryset = (
            ExchangeRate.objects.filter(network__in=contact_networks(self.request.user))
            .select_related("network")
            .order_by("network__name", "-year", "currency")
        )
        return _network_filter(queryset, self.request, "network")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        network = data.pop("network")
        require(rules.can_manage_rates(get_access(request.user, network)))
        with service_errors():
            rate = services.set_exchange_rate(network, acting_user=request.user, **data)
        return Response(self.get_serializer(rate).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rate = self.get_object()
        require(rules.can_manage_rates(get_access(request.user, rate.network)))
        services.remove_exchange_rate(rate, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _rows(result: totals.Totals, key: str, name: str) -> list[dict[str, Any]]:
    return [
        {
            "key": row.extra[key],
            "name": row.extra[name],
            "converted": row.converted,
            "not_converted": row.not_converted,
        }
        for row in result.rows
    ]


class CofinancingViewSet(viewsets.ViewSet):
    """Co-financing totals of one network in its reporting currency."""

    serializer_class = CofinancingSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "network", OpenApiTypes.STR, required=True, description="Slug of the network."
            )
        ],
        responses=CofinancingSerializer,
    )
    def list(self, request: Request) -> Response:
        slug = request.query_params.get("network", "")
        network = Network.objects.filter(slug=slug).first()
        if network is None:
            raise Http404
        access = get_access(request.user, network)
        if not access.can_view:
            raise Http404
        require(rules.can_view_money(access))
        by_sector = totals.compute_totals(
            network,
            by=("organisation__sector_id",),
            labels=("organisation__sector__slug", "organisation__sector__name"),
        )
        by_organisation = totals.totals_by_organisation(network)
        return Response(
            CofinancingSerializer(
                {
                    "network": network.slug,
                    "currency": by_sector.currency,
                    "total": by_sector.overall.converted,
                    "not_converted": by_sector.overall.not_converted,
                    "missing_rates": [f"{c} {y}" for c, y in by_sector.missing_rates],
                    "by_sector": _rows(
                        by_sector, "organisation__sector__slug", "organisation__sector__name"
                    ),
                    "by_organisation": _rows(
                        by_organisation, "organisation__slug", "organisation__name"
                    ),
                }
            ).data
        )
