"""API of outcomes and indicators: serializers validate, ``services`` write.

Both are read by people with a role in the network; the facilitator records outcomes,
defines indicators and enters values. Linked meetings, task groups, activities and
documents are given by uid and must belong to the outcome's network. An outcome dated
before the network existed is recorded, and the answer carries the warning in
``warnings``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from netweave.core.access import contact_networks, get_access, require
from netweave.core.api import (
    VisibleNetworkField,
    VisibleOrganisationField,
    api_validation_error,
    service_errors,
)
from netweave.influence import indicators as registry
from netweave.influence import services
from netweave.influence.models import (
    Indicator,
    IndicatorSource,
    IndicatorValue,
    Outcome,
    OutcomeKind,
    Substantiation,
)
from netweave.networks.models import Network
from netweave.partnerships.api import inline_choice

# Outcome link fields: (app, model, label).
LINKS = {
    "evidence_documents": ("library", "Document"),
    "meetings": ("meetings", "Meeting"),
    "task_groups": ("governance", "TaskGroup"),
    "activities": ("activities", "JointActivity"),
    "consultations": ("consultations", "Consultation"),
}


def _readable(user: Any) -> QuerySet:
    """Networks whose outcomes and indicators the user may read: those with a role."""
    return contact_networks(user)


def _network_param(queryset: QuerySet, request: Request) -> QuerySet:
    network = request.query_params.get("network")
    return queryset.filter(network__slug=network) if network else queryset


NETWORK_PARAM = OpenApiParameter("network", str, description="Slug of a network.")


# Outcomes ------------------------------------------------------------------------------------
class OutcomeSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    kind = inline_choice(OutcomeKind.choices, read_only=True)
    substantiation = inline_choice(Substantiation.choices, read_only=True)
    actor = serializers.CharField(read_only=True)
    actor_organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    evidence_documents = serializers.SlugRelatedField(slug_field="uid", many=True, read_only=True)
    meetings = serializers.SlugRelatedField(slug_field="uid", many=True, read_only=True)
    task_groups = serializers.SlugRelatedField(slug_field="uid", many=True, read_only=True)
    activities = serializers.SlugRelatedField(slug_field="uid", many=True, read_only=True)
    consultations = serializers.SlugRelatedField(slug_field="uid", many=True, read_only=True)

    class Meta:
        model = Outcome
        fields = [
            "uid",
            "network",
            "title",
            "description",
            "kind",
            "actor",
            "actor_organisation",
            "actor_name",
            "date",
            "place",
            "significance",
            "contribution",
            "evidence_documents",
            "evidence_note",
            "substantiation",
            "substantiated_by",
            "substantiated_on",
            "substantiation_note",
            "meetings",
            "task_groups",
            "activities",
            "consultations",
            "created",
            "modified",
        ]
        read_only_fields = fields


class OutcomeResultSerializer(OutcomeSerializer):
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(OutcomeSerializer.Meta):
        fields = [*OutcomeSerializer.Meta.fields, "warnings"]
        read_only_fields = fields


def _uids(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(child=serializers.UUIDField(), required=False, **kwargs)


class OutcomeWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=250)
    description = serializers.CharField()
    kind = inline_choice(OutcomeKind.choices)
    actor_organisation = VisibleOrganisationField(required=False, allow_null=True)
    actor_name = serializers.CharField(max_length=250, required=False, allow_blank=True)
    date = serializers.DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    significance = serializers.CharField(required=False, allow_blank=True)
    contribution = serializers.CharField(required=False, allow_blank=True)
    evidence_documents = _uids(help_text="UIDs of library documents of the same network.")
    evidence_note = serializers.CharField(required=False, allow_blank=True)
    substantiation = inline_choice(Substantiation.choices, required=False)
    substantiated_by = serializers.CharField(max_length=250, required=False, allow_blank=True)
    substantiated_on = serializers.DateField(required=False, allow_null=True)
    substantiation_note = serializers.CharField(required=False, allow_blank=True)
    meetings = _uids(help_text="UIDs of meetings of the same network.")
    task_groups = _uids(help_text="UIDs of task groups of the same network.")
    activities = _uids(help_text="UIDs of joint activities of the same network.")
    consultations = _uids(help_text="UIDs of consultations of the same network.")


class OutcomeCreateSerializer(OutcomeWriteSerializer):
    network = VisibleNetworkField()


def _resolve_links(network: Network, data: dict[str, Any]) -> dict[str, Any]:
    """Replace the uid lists of ``data`` by the records of ``network`` they name."""
    errors: dict[str, list[str]] = {}
    for name, (app, model_name) in LINKS.items():
        if name not in data:
            continue
        uids = list(dict.fromkeys(data[name]))
        model = apps.get_model(app, model_name)
        found = {obj.uid: obj for obj in model.objects.filter(network=network, uid__in=uids)}
        missing = [str(uid) for uid in uids if uid not in found]
        if missing:
            errors[name] = [
                _("No %(kind)s of this network has the uid %(uid)s.")
                % {"kind": model._meta.verbose_name, "uid": missing[0]}
            ]
        data[name] = [found[uid] for uid in uids if uid in found]
    if errors:
        raise serializers.ValidationError(errors)
    return data


def _result(outcome: Outcome) -> dict[str, Any]:
    outcome = Outcome.objects.select_related("network", "actor_organisation").get(pk=outcome.pk)
    result = OutcomeSerializer(outcome).data
    result["warnings"] = services.outcome_warnings(outcome.network, outcome.date)
    return result


@extend_schema_view(
    list=extend_schema(
        parameters=[
            NETWORK_PARAM,
            OpenApiParameter("kind", str, description="Kind of change."),
            OpenApiParameter("year", int, description="Year of the change."),
            OpenApiParameter("substantiation", str, description="pending, yes or no."),
        ]
    )
)
class OutcomeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Outcomes of the networks where the caller has a role; facilitators record them."""

    serializer_class = OutcomeSerializer
    lookup_field = "uid"

    def get_queryset(self) -> QuerySet:
        queryset = (
            Outcome.objects.filter(network__in=_readable(self.request.user))
            .select_related("network", "actor_organisation")
            .prefetch_related(*LINKS)
            .order_by("-date", "title", "id")
        )
        queryset = _network_param(queryset, self.request)
        params = self.request.query_params
        if params.get("kind"):
            queryset = queryset.filter(kind=params["kind"])
        year = params.get("year", "")
        if year:
            if not (year.isdigit() and 1 <= int(year) <= 9999):
                raise serializers.ValidationError({"year": _("Give a year between 1 and 9999.")})
            queryset = queryset.filter(date__year=int(year))
        if params.get("substantiation"):
            queryset = queryset.filter(substantiation=params["substantiation"])
        return queryset

    @extend_schema(request=OutcomeCreateSerializer, responses={201: OutcomeResultSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = OutcomeCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        network = data.pop("network")
        require(get_access(request.user, network).is_facilitator)
        data = _resolve_links(network, data)
        with service_errors():
            outcome = services.record_outcome(
                network, acting_user=request.user, confirm=True, **data
            )
        return Response(_result(outcome), status=status.HTTP_201_CREATED)

    @extend_schema(request=OutcomeWriteSerializer, responses={200: OutcomeResultSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        outcome = self.get_object()
        require(get_access(request.user, outcome.network).is_facilitator)
        serializer = OutcomeWriteSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = _resolve_links(outcome.network, dict(serializer.validated_data))
        with service_errors():
            services.update_outcome(outcome, data, acting_user=request.user, confirm=True)
        return Response(_result(outcome))


# Indicators ----------------------------------------------------------------------------------
class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    target = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    source = serializers.CharField()
    note = serializers.CharField()


class TargetSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1950, max_value=2100)
    value = serializers.DecimalField(max_digits=14, decimal_places=2)


class IndicatorSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    source = inline_choice(IndicatorSource.choices, read_only=True)
    computation = inline_choice(
        [("", ""), *registry.choices()], read_only=True, help_text="Computed indicators: what."
    )
    definition = serializers.SerializerMethodField()
    years = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "uid",
            "network",
            "name",
            "description",
            "definition",
            "unit",
            "source",
            "computation",
            "baseline_value",
            "baseline_year",
            "years",
        ]
        read_only_fields = fields

    def get_definition(self, obj: Indicator) -> str:
        item = registry.REGISTRY.get(obj.computation) if obj.is_computed else None
        return item.definition if item else obj.description

    @extend_schema_field(YearSerializer(many=True))
    def get_years(self, obj: Indicator) -> list[dict[str, Any]]:
        series = self.context.get("series", {}).get(obj.pk)
        if series is None:
            (series,) = services.indicator_series(obj.network, [obj])
        return YearSerializer(series.rows, many=True).data


class IndicatorWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    unit = serializers.CharField(max_length=40, required=False, allow_blank=True)
    source = inline_choice(IndicatorSource.choices, required=False)
    computation = inline_choice([("", ""), *registry.choices()], required=False)
    baseline_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    baseline_year = serializers.IntegerField(
        min_value=1950, max_value=2100, required=False, allow_null=True
    )
    targets = TargetSerializer(many=True, required=False)


class IndicatorCreateSerializer(IndicatorWriteSerializer):
    network = VisibleNetworkField()


class ValueSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    source = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ValueResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorValue
        fields = ["uid", "year", "value", "source", "note"]
        read_only_fields = fields


def _targets(data: dict[str, Any]) -> list[tuple[int, Any]] | None:
    targets = data.pop("targets", None)
    return None if targets is None else [(t["year"], t["value"]) for t in targets]


@extend_schema_view(list=extend_schema(parameters=[NETWORK_PARAM]))
class IndicatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """M&E indicators with their values and targets by year, computed or entered."""

    serializer_class = IndicatorSerializer
    lookup_field = "uid"

    def get_queryset(self) -> QuerySet:
        queryset = (
            Indicator.objects.filter(network__in=_readable(self.request.user))
            .select_related("network")
            .prefetch_related(
                "targets",
                Prefetch("entries", queryset=IndicatorValue.objects.order_by("year")),
            )
            .order_by("network__name", "name")
        )
        return _network_param(queryset, self.request)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["series"] = getattr(self, "_series", {})
        return context

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        by_network: dict[int, list[Indicator]] = defaultdict(list)
        for indicator in rows:
            by_network[indicator.network_id].append(indicator)
        self._series = {
            series.indicator.pk: series
            for items in by_network.values()
            for series in services.indicator_series(items[0].network, items)
        }
        return page

    @extend_schema(request=IndicatorCreateSerializer, responses={201: IndicatorSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = IndicatorCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        network = data.pop("network")
        require(get_access(request.user, network).is_facilitator)
        targets = _targets(data)
        with service_errors():
            indicator = services.create_indicator(
                network, acting_user=request.user, targets=targets, **data
            )
        return Response(self._one(indicator), status=status.HTTP_201_CREATED)

    @extend_schema(request=IndicatorWriteSerializer, responses={200: IndicatorSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        indicator = self.get_object()
        require(get_access(request.user, indicator.network).is_facilitator)
        serializer = IndicatorWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        targets = _targets(data)
        with service_errors():
            services.update_indicator(indicator, data, acting_user=request.user, targets=targets)
        return Response(self._one(indicator))

    @extend_schema(request=ValueSerializer, responses={201: ValueResultSerializer})
    @action(detail=True, methods=["post"])
    def values(self, request: Request, uid: Any = None) -> Response:
        """Enter the value of an entered indicator for one year (one value a year)."""
        indicator = self.get_object()
        require(get_access(request.user, indicator.network).is_facilitator)
        serializer = ValueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            entry = services.record_indicator_value(
                indicator, acting_user=request.user, **serializer.validated_data
            )
        except ValidationError as error:
            raise api_validation_error(error) from None
        return Response(ValueResultSerializer(entry).data, status=status.HTTP_201_CREATED)

    def _one(self, indicator: Indicator) -> dict[str, Any]:
        fresh = self.get_queryset().get(pk=indicator.pk)
        return IndicatorSerializer(fresh, context=self.get_serializer_context()).data


ROUTES = [
    ("outcomes", OutcomeViewSet, "outcome"),
    ("indicators", IndicatorViewSet, "indicator"),
]
