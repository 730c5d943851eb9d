"""API of partnerships: serializers validate, the services in ``services.py`` write.

The policy is the pages' (``permissions.py``): partnerships are read by users with a role
in their network; facilitators manage them; focal points of partner organisations record
their placement and contributions; the partners' people answer health checks. Health
answers come out only as aggregates per dimension, and only for rounds with at least
``MIN_ANSWERS`` answers.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from netweave.core.access import contact_networks, facilitated_networks, get_access, require
from netweave.core.api import VisibleNetworkField, service_errors
from netweave.directory.models import Organisation
from netweave.partnerships import services
from netweave.partnerships.models import (
    DIMENSIONS,
    ArrangementType,
    ContributionKind,
    Direction,
    HealthCheckRound,
    Partner,
    PartnerContribution,
    PartnerRole,
    Partnership,
    PartnershipStatus,
)
from netweave.partnerships.permissions import can_act_for, can_manage, can_read


def inline_choice(choices: list[tuple[str, Any]], **kwargs: Any) -> serializers.ChoiceField:
    """A choice field described in the schema as a string listing its values.

    Fields named ``kind`` and ``status`` exist in other apps with other choices, and
    drf-spectacular warns when enum components collide by name; until the settings name
    them (ENUM_NAME_OVERRIDES), these are plain strings whose help text lists the values.
    """
    values = ", ".join(value for value, _label in choices)
    field_class = extend_schema_field({"type": "string", "description": f"One of: {values}."})(
        type("InlineChoiceField", (serializers.ChoiceField,), {})
    )
    return field_class(choices=choices, **kwargs)


# Arrangement types -------------------------------------------------------------------------
class ArrangementTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ArrangementType
        fields = [
            "slug",
            "name",
            "position",
            "description",
            "accountability",
            "risk",
            "accountability_level",
            "risk_level",
        ]
        read_only_fields = ["slug", "position"]


class ArrangementTypeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The spectrum network → joint venture; facilitators edit the installation's texts."""

    queryset = ArrangementType.objects.order_by("position")
    serializer_class = ArrangementTypeSerializer
    lookup_field = "slug"
    pagination_class = None

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        arrangement = self.get_object()
        require(facilitated_networks(request.user).exists())
        serializer = self.get_serializer(
            arrangement, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.update_arrangement_type(
                arrangement, dict(serializer.validated_data), acting_user=request.user
            )
        return Response(ArrangementTypeSerializer(arrangement).data)


# Partnerships ------------------------------------------------------------------------------
class ContributionSerializer(serializers.ModelSerializer):
    kind = inline_choice(ContributionKind.choices, read_only=True)

    class Meta:
        model = PartnerContribution
        fields = ["uid", "direction", "kind", "description"]
        read_only_fields = fields


class PartnerSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    sector = serializers.CharField(source="organisation.sector.slug", read_only=True)
    sphere = serializers.CharField(source="organisation.sector.sphere", read_only=True)
    contributions = ContributionSerializer(many=True, read_only=True)

    class Meta:
        model = Partner
        fields = [
            "uid",
            "organisation",
            "organisation_name",
            "sector",
            "sphere",
            "role",
            "contributions",
        ]
        read_only_fields = fields


class PartnershipSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    arrangement = serializers.SlugRelatedField(
        slug_field="slug", queryset=ArrangementType.objects.all()
    )
    accountability = serializers.CharField(source="arrangement.accountability", read_only=True)
    risk = serializers.CharField(source="arrangement.risk", read_only=True)
    has_agreement_file = serializers.SerializerMethodField()
    partners = PartnerSerializer(many=True, read_only=True)
    status = inline_choice(PartnershipStatus.choices, required=False)

    class Meta:
        model = Partnership
        fields = [
            "uid",
            "network",
            "name",
            "purpose",
            "arrangement",
            "accountability",
            "risk",
            "status",
            "start",
            "end",
            "agreement_url",
            "has_agreement_file",
            "divergence_threshold",
            "drop_threshold",
            "check_every_months",
            "partners",
            "created",
            "modified",
        ]
        read_only_fields = ["uid", "network", "created", "modified"]
        # Uniqueness and ordering of dates are the service's to check, with its messages.
        validators: list = []

    def get_has_agreement_file(self, obj: Partnership) -> bool:
        return bool(obj.agreement_file)


class PartnershipCreateSerializer(PartnershipSerializer):
    network = VisibleNetworkField()
    partner_organisations = serializers.ListField(
        child=serializers.SlugField(),
        required=False,
        write_only=True,
        help_text=gettext_lazy("Slugs of current member organisations of the network."),
    )

    class Meta(PartnershipSerializer.Meta):
        fields = [*PartnershipSerializer.Meta.fields, "partner_organisations"]
        read_only_fields = ["uid", "created", "modified"]


class PartnerAddSerializer(serializers.Serializer):
    organisation = serializers.SlugField(help_text=gettext_lazy("Slug of a member organisation."))
    role = serializers.ChoiceField(choices=PartnerRole.choices, default=PartnerRole.PARTNER)


class PartnerRefSerializer(serializers.Serializer):
    partner = serializers.UUIDField(help_text=gettext_lazy("uid of a partner you speak for."))


class ContributionAddSerializer(PartnerRefSerializer):
    direction = serializers.ChoiceField(choices=Direction.choices)
    kind = inline_choice(ContributionKind.choices)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)


class PlacementSerializer(PartnerRefSerializer):
    # Range is the service's to check, so page and API refuse with one message.
    placed_on = serializers.DateField(required=False)
    service_policy = serializers.DecimalField(max_digits=6, decimal_places=3)
    regulation_innovation = serializers.DecimalField(max_digits=6, decimal_places=3)
    target_service_policy = serializers.DecimalField(
        max_digits=6, decimal_places=3, required=False, allow_null=True
    )
    target_regulation_innovation = serializers.DecimalField(
        max_digits=6, decimal_places=3, required=False, allow_null=True
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class RoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = HealthCheckRound
        fields = ["uid", "opens", "closes", "due"]
        read_only_fields = ["uid"]
        extra_kwargs = {"due": {"required": False}}


class AnswerSerializer(serializers.Serializer):
    round = serializers.UUIDField()
    # Integers of any size: the service refuses those outside 1–5 with its own message.
    trust = serializers.IntegerField()
    value = serializers.IntegerField()
    communication = serializers.IntegerField()
    equity = serializers.IntegerField()
    purpose = serializers.IntegerField()
    comments = serializers.CharField(required=False, allow_blank=True)


class PlotPointSerializer(serializers.Serializer):
    partner = serializers.CharField()
    placed_on = serializers.DateField()
    x = serializers.FloatField()
    y = serializers.FloatField()
    target_x = serializers.FloatField(allow_null=True)
    target_y = serializers.FloatField(allow_null=True)
    distance = serializers.FloatField()
    flagged = serializers.BooleanField()


class PlotSerializer(serializers.Serializer):
    threshold = serializers.FloatField()
    average = serializers.ListField(child=serializers.FloatField(), allow_null=True)
    points = PlotPointSerializer(many=True)


class RoundScoresSerializer(serializers.Serializer):
    uid = serializers.UUIDField()
    opens = serializers.DateField()
    closes = serializers.DateField()
    answers = serializers.IntegerField()
    shown = serializers.BooleanField()
    means = serializers.DictField(child=serializers.FloatField(allow_null=True))
    drops = serializers.DictField(child=serializers.FloatField())


@extend_schema_view(
    create=extend_schema(request=PartnershipCreateSerializer, responses=PartnershipSerializer),
)
class PartnershipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Partnerships of the networks in which the caller has a role."""

    serializer_class = PartnershipSerializer
    lookup_field = "uid"

    def get_queryset(self) -> QuerySet:
        partners = Partner.objects.select_related("organisation__sector").prefetch_related(
            Prefetch("contributions", queryset=PartnerContribution.objects.order_by("kind", "id"))
        )
        queryset = (
            Partnership.objects.filter(network__in=contact_networks(self.request.user))
            .select_related("network", "arrangement")
            .prefetch_related(
                Prefetch("partners", queryset=partners.order_by("organisation__name"))
            )
            .order_by("network__name", "name")
        )
        network = self.request.query_params.get("network")
        if network:
            queryset = queryset.filter(network__slug=network)
        return queryset

    def _access(self, partnership: Partnership) -> Any:
        access = get_access(self.request.user, partnership.network)
        if not can_read(access):  # pragma: no cover - the queryset already scopes
            raise PermissionDenied
        return access

    def _partner(self, partnership: Partnership, uid: Any, access: Any) -> Partner:
        partner = partnership.partners.filter(uid=uid).select_related("organisation").first()
        if partner is None:
            raise serializers.ValidationError(
                {"partner": [_("Not a partner of this partnership.")]}
            )
        require(can_act_for(access, partner.organisation_id))
        return partner

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = PartnershipCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        network = data.pop("network")
        require(can_manage(get_access(request.user, network)))
        slugs = data.pop("partner_organisations", [])
        organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
        missing = [slug for slug in slugs if slug not in organisations]
        if missing:
            raise serializers.ValidationError(
                {
                    "partner_organisations": [
                        _("%(slug)s is not an organisation of this network.") % {"slug": slug}
                        for slug in missing
                    ]
                }
            )
        with service_errors():
            partnership = services.create_partnership(
                network,
                acting_user=request.user,
                partners=[(organisations[slug], PartnerRole.PARTNER) for slug in slugs],
                **data,
            )
        return Response(
            PartnershipSerializer(self.get_queryset().get(pk=partnership.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partnership = self.get_object()
        require(can_manage(self._access(partnership)))
        serializer = self.get_serializer(
            partnership, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.update_partnership(
                partnership, dict(serializer.validated_data), acting_user=request.user
            )
        return Response(PartnershipSerializer(self.get_queryset().get(pk=partnership.pk)).data)

    @extend_schema(responses=PlotSerializer)
    @action(detail=True, methods=["get"])
    def plot(self, request: Request, uid: str | None = None) -> Response:
        """Every partner's latest placement, the average, and who diverges beyond the threshold."""
        summary = services.plot_summary(self.get_object())
        return Response(
            {
                "threshold": summary.threshold,
                "average": list(summary.average) if summary.average else None,
                "points": [
                    {
                        "partner": p.point.label,
                        "placed_on": p.point.placed_on,
                        "x": p.point.x,
                        "y": p.point.y,
                        "target_x": p.point.target_x,
                        "target_y": p.point.target_y,
                        "distance": p.distance,
                        "flagged": p.flagged,
                    }
                    for p in summary.points
                ],
            }
        )

    @extend_schema(responses=RoundScoresSerializer(many=True))
    @action(detail=True, methods=["get"])
    def health(self, request: Request, uid: str | None = None) -> Response:
        """Rounds with their answer counts; means per dimension only with ≥ 3 answers."""
        trend = services.health_trend(self.get_object())
        return Response(
            [
                {
                    "uid": r.uid,
                    "opens": r.opens,
                    "closes": r.closes,
                    "answers": r.answers,
                    "shown": r.shown,
                    "means": r.means if r.shown else dict.fromkeys(DIMENSIONS),
                    "drops": r.drops,
                }
                for r in trend
            ]
        )

    @extend_schema(request=PartnerAddSerializer, responses=PartnerSerializer)
    @action(detail=True, methods=["post"])
    def partners(self, request: Request, uid: str | None = None) -> Response:
        """Add a partner organisation (facilitators)."""
        partnership = self.get_object()
        require(can_manage(self._access(partnership)))
        serializer = PartnerAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = Organisation.objects.filter(
            slug=serializer.validated_data["organisation"]
        ).first()
        if organisation is None:
            raise serializers.ValidationError(
                {"organisation": [_("Not an organisation of this network.")]}
            )
        with service_errors():
            partner = services.add_partner(
                partnership,
                organisation,
                role=serializer.validated_data["role"],
                acting_user=request.user,
            )
        return Response(PartnerSerializer(partner).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ContributionAddSerializer, responses=ContributionSerializer)
    @action(detail=True, methods=["post"])
    def contributions(self, request: Request, uid: str | None = None) -> Response:
        """Record what a partner brings or expects to gain (its focal points, facilitators)."""
        partnership = self.get_object()
        access = self._access(partnership)
        serializer = ContributionAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        partner = self._partner(partnership, data.pop("partner"), access)
        with service_errors():
            item = services.add_contribution(partner, acting_user=request.user, **data)
        return Response(ContributionSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlacementSerializer, responses=PlotSerializer)
    @action(detail=True, methods=["post"])
    def placements(self, request: Request, uid: str | None = None) -> Response:
        """A partner places the partnership on both axes (−1 to 1); answers the new plot."""
        partnership = self.get_object()
        access = self._access(partnership)
        serializer = PlacementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        partner = self._partner(partnership, data.pop("partner"), access)
        with service_errors():
            services.record_placement(partner, acting_user=request.user, **data)
        response = self.plot(request, uid)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=RoundSerializer, responses=RoundSerializer)
    @action(detail=True, methods=["post"])
    def rounds(self, request: Request, uid: str | None = None) -> Response:
        """Schedule a health check round (facilitators)."""
        partnership = self.get_object()
        require(can_manage(self._access(partnership)))
        serializer = RoundSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            health_round = services.open_health_round(
                partnership, acting_user=request.user, **serializer.validated_data
            )
        return Response(RoundSerializer(health_round).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AnswerSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, uid: str | None = None) -> Response:
        """Answer an open health check round, once. The answer is never shown back."""
        partnership = self.get_object()
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        health_round = partnership.rounds.filter(uid=data.pop("round")).first()
        if health_round is None:
            raise serializers.ValidationError({"round": [_("Not a round of this partnership.")]})
        require(services.may_answer(partnership, request.user))
        comments = data.pop("comments", "")
        with service_errors():
            services.answer_health_check(
                health_round, acting_user=request.user, scores=data, comments=comments
            )
        return Response(status=status.HTTP_201_CREATED)
