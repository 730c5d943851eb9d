"""API of networks and memberships: serializers validate, the services in ``services.py`` write."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response

from netweave.core.access import get_access, require, visible_networks
from netweave.core.api import (
    CachedNetworkListMixin,
    NetworkScopedMixin,
    VisibleNetworkField,
    VisibleOrganisationField,
    network_filter,
    service_errors,
)
from netweave.networks import services
from netweave.networks.models import Membership, MembershipStatus, Network


# Networks ----------------------------------------------------------------------------------
class NetworkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Network
        fields = [
            "slug",
            "name",
            "aims",
            "country",
            "sector_focus",
            "launched",
            "stage",
            "visibility",
            "created",
            "modified",
        ]
        # The stage follows the dated milestones (services.record_milestone).
        read_only_fields = ["slug", "stage", "created", "modified"]


class NetworkCreateSerializer(NetworkSerializer):
    # The service checks the slug's form and that it is free, with its own messages.
    slug = serializers.CharField(max_length=80)

    class Meta(NetworkSerializer.Meta):
        read_only_fields = ["stage", "created", "modified"]


class NetworkViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Networks the caller may read. Staff create them; a network's facilitators edit it."""

    lookup_field = "slug"
    filter_backends = [OrderingFilter]
    ordering_fields = ["name", "slug", "launched", "created"]
    ordering = ["name"]

    def get_queryset(self) -> QuerySet:
        return visible_networks(self.request.user).order_by("name")

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return NetworkCreateSerializer if self.action == "create" else NetworkSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(bool(request.user.is_staff))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            network = services.create_network(**serializer.validated_data, acting_user=request.user)
        return Response(NetworkSerializer(network).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        network = self.get_object()
        require(get_access(request.user, network).can_edit_network)
        serializer = self.get_serializer(
            network, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.update_network(
                network, dict(serializer.validated_data), acting_user=request.user
            )
        return Response(NetworkSerializer(network).data)


# Memberships -------------------------------------------------------------------------------
class MembershipSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "uid",
            "network",
            "organisation",
            "organisation_name",
            "status",
            "joined",
            "left",
            "created",
            "modified",
        ]
        read_only_fields = fields


class MembershipCreateSerializer(serializers.Serializer):
    network = VisibleNetworkField()
    organisation = VisibleOrganisationField()
    status = serializers.ChoiceField(
        choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    joined = serializers.DateField(required=False, help_text=gettext_lazy("Default: today."))

    def validate_status(self, value: str) -> str:
        if value == MembershipStatus.LEFT:
            raise serializers.ValidationError(_("A new membership cannot start as “left”."))
        return value


class MembershipUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MembershipStatus.choices, required=False)
    joined = serializers.DateField(required=False)
    left = serializers.DateField(
        required=False, help_text=gettext_lazy("Ends the membership on this day.")
    )


class MembershipFilter(filters.FilterSet):
    network = network_filter()
    organisation = filters.CharFilter(
        field_name="organisation__slug", label=gettext_lazy("Organisation")
    )
    status = filters.MultipleChoiceFilter(choices=MembershipStatus.choices)

    class Meta:
        model = Membership
        fields: list[str] = []


@extend_schema_view(
    update=extend_schema(request=MembershipUpdateSerializer, responses=MembershipSerializer),
    partial_update=extend_schema(
        request=MembershipUpdateSerializer, responses=MembershipSerializer
    ),
    create=extend_schema(request=MembershipCreateSerializer, responses=MembershipSerializer),
)
class MembershipViewSet(
    CachedNetworkListMixin,
    NetworkScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Membership periods in the networks the caller may read; facilitators change them."""

    queryset = Membership.objects.select_related("network", "organisation").order_by(
        "network__name", "organisation__name", "joined", "id"
    )
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    filter_backends = [filters.DjangoFilterBackend]
    lookup_field = "uid"  # typed as a uuid in the schema; a malformed one is a 404

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = MembershipCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        require(self.access_for(data["network"]).can_manage_members)
        with service_errors():
            membership = services.add_member(
                data["network"],
                data["organisation"],
                joined=data.get("joined"),
                status=data["status"],
                acting_user=request.user,
            )
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        membership = self.get_object()
        require(self.access_for(membership.network).can_manage_members)
        serializer = MembershipUpdateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors(), transaction.atomic():
            wanted_status = data.get("status")
            ending = "left" in data or wanted_status == MembershipStatus.LEFT
            if "joined" in data or (wanted_status and not ending):
                services.change_membership(
                    membership,
                    joined=data.get("joined"),
                    status=None if ending else wanted_status,
                    acting_user=request.user,
                )
            if ending:
                services.end_membership(membership, left=data.get("left"), acting_user=request.user)
        return Response(MembershipSerializer(membership).data)
