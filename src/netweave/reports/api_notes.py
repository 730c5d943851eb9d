"""API of learning notes and of the programme's comparison of networks.

Learning notes: programme staff read every note; others read the notes of the networks where
they are a facilitator or on the steering committee. A network's facilitators write its notes;
the network is given by slug on creation and stays with the note. The author is the caller.

The comparison (``programme/comparison/``) is for programme staff, like its page.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from netweave.core.access import FACILITATOR, STEERING, get_access, require, visible_networks
from netweave.core.api import ScopedSlugField, service_errors
from netweave.directory.models import Topic
from netweave.networks.models import Network
from netweave.reports import comparison
from netweave.reports import notes as services
from netweave.reports.models import LearningNote
from netweave.reports.permissions import can_write_notes, is_programme_staff


def readable_notes(user: Any) -> QuerySet:
    """The notes ``user`` may read: all for programme staff, else those of the networks where
    the user is a facilitator or on the steering committee."""
    notes = LearningNote.objects.all()
    if is_programme_staff(user):
        return notes
    if user is None or not user.is_authenticated:
        return notes.none()
    networks = Network.objects.filter(
        roles__user=user, roles__kind__in=[FACILITATOR, STEERING]
    ).values("pk")
    return notes.filter(network__in=networks)


# Learning notes ------------------------------------------------------------------------------
class LearningNoteSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    author = serializers.SerializerMethodField(help_text="Name of the note's author.")

    class Meta:
        model = LearningNote
        fields = [
            "id",
            "network",
            "year",
            "title",
            "context",
            "what_worked",
            "what_did_not",
            "lessons",
            "recommendations",
            "topics",
            "author",
            "created",
            "modified",
        ]
        read_only_fields = fields

    def get_author(self, obj: LearningNote) -> str:
        author = obj.author
        return (author.get_full_name() or author.get_username()) if author else ""


class LearningNoteWriteSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    context = serializers.CharField(required=False, allow_blank=True)
    what_worked = serializers.CharField(required=False, allow_blank=True)
    what_did_not = serializers.CharField(required=False, allow_blank=True)
    lessons = serializers.CharField()
    recommendations = serializers.CharField(required=False, allow_blank=True)
    topics = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        required=False,
        queryset=Topic.objects.all(),
        help_text="Slugs of topics.",
    )


class NotesNetworkField(ScopedSlugField):
    """A network by slug, among those whose notes the caller may read (or may see at all)."""

    def scope(self, user: Any) -> QuerySet:
        return Network.objects.all() if is_programme_staff(user) else visible_networks(user)


class LearningNoteCreateSerializer(LearningNoteWriteSerializer):
    network = NotesNetworkField(help_text="Slug of a network you facilitate.")


NOTE_PARAMETERS = [
    OpenApiParameter("q", str, description="Words that must all occur in the note."),
    OpenApiParameter("network", str, description="Slug of a network."),
    OpenApiParameter("year", int, description="Year of the note."),
    OpenApiParameter("topic", str, description="Slug of a topic."),
]


@extend_schema_view(
    list=extend_schema(parameters=NOTE_PARAMETERS),
    retrieve=extend_schema(),
    destroy=extend_schema(),
)
class LearningNoteViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Learning notes: one per network and year, written by the network's facilitators."""

    serializer_class = LearningNoteSerializer
    filter_backends: list = []  # the filters below, shared with the programme's search page
    queryset = LearningNote.objects.none()

    def get_queryset(self) -> QuerySet:
        notes = (
            readable_notes(self.request.user)
            .select_related("network", "author")
            .prefetch_related("topics")
            .order_by("-year", "network__name", "id")
        )
        if self.action != "list":
            return notes
        params = self.request.query_params
        if params.get("network"):
            notes = notes.filter(network__slug=params["network"])
        year = params.get("year", "")
        if year:
            if not (year.isascii() and year.isdigit() and 1 <= int(year) <= 9999):
                raise serializers.ValidationError({"year": _("Give a year between 1 and 9999.")})
            notes = notes.filter(year=int(year))
        if params.get("topic"):
            notes = notes.filter(topics__slug=params["topic"])
        return services.search_notes(notes, params.get("q"))

    def _fresh(self, note: LearningNote) -> dict[str, Any]:
        fresh = (
            LearningNote.objects.select_related("network", "author")
            .prefetch_related("topics")
            .get(pk=note.pk)
        )
        return LearningNoteSerializer(fresh).data

    @extend_schema(request=LearningNoteCreateSerializer, responses={201: LearningNoteSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = LearningNoteCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        network = data.pop("network")
        require(can_write_notes(get_access(request.user, network)))
        with service_errors():
            note = services.create_note(network, acting_user=request.user, **data)
        return Response(self._fresh(note), status=status.HTTP_201_CREATED)

    def _update(self, request: Request, *, partial: bool) -> Response:
        note = self.get_object()
        require(can_write_notes(get_access(request.user, note.network)))
        given = request.data.get("network") if hasattr(request.data, "get") else None
        if given not in (None, "", note.network.slug):
            raise serializers.ValidationError(
                {"network": [_("A note stays with its network: write a new note there instead.")]}
            )
        serializer = LearningNoteWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.update_note(note, dict(serializer.validated_data), acting_user=request.user)
        return Response(self._fresh(note))

    @extend_schema(request=LearningNoteWriteSerializer, responses={200: LearningNoteSerializer})
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._update(request, partial=False)

    @extend_schema(request=LearningNoteWriteSerializer, responses={200: LearningNoteSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._update(request, partial=True)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        note = self.get_object()
        require(can_write_notes(get_access(request.user, note.network)))
        services.delete_note(note, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# The comparison ------------------------------------------------------------------------------
class YearValueSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=14, decimal_places=1)


class NetworkValuesSerializer(serializers.Serializer):
    network = serializers.CharField(help_text="Slug of the network.")
    name = serializers.CharField()
    values = YearValueSerializer(many=True)


class IndicatorComparisonSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    definition = serializers.CharField()
    networks = NetworkValuesSerializer(many=True)


class AlignedMilestoneSerializer(serializers.Serializer):
    stage = serializers.CharField()
    date = serializers.DateField()
    years_since = serializers.DecimalField(
        max_digits=5, decimal_places=1, help_text="Years since the network's first milestone."
    )
    year_number = serializers.IntegerField(
        help_text="1 for the twelve months from the first milestone, 2 for the next, …"
    )


class AlignedTimelineSerializer(serializers.Serializer):
    network = serializers.CharField(help_text="Slug of the network.")
    name = serializers.CharField()
    origin = serializers.DateField(allow_null=True, help_text="Date of the first milestone.")
    milestones = AlignedMilestoneSerializer(many=True)


class ComparisonSerializer(serializers.Serializer):
    years = serializers.ListField(child=serializers.IntegerField())
    indicators = IndicatorComparisonSerializer(many=True)
    timelines = AlignedTimelineSerializer(many=True)


def comparison_data(networks: list[Network], years: list[int]) -> dict[str, Any]:
    """The comparison as plain data, in the shape of ``ComparisonSerializer``."""
    indicators = [
        {
            "key": item.key,
            "label": str(item.label),
            "unit": str(item.unit),
            "definition": item.definition,
            "networks": [
                {
                    "network": row.network.slug,
                    "name": row.network.name,
                    "values": [
                        {"year": year, "value": value}
                        for year, value in zip(item.years, row.values, strict=True)
                    ],
                }
                for row in item.rows
            ],
        }
        for item in comparison.compare_indicators(networks, years)
    ]
    timelines = [
        {
            "network": timeline.network.slug,
            "name": timeline.network.name,
            "origin": timeline.origin,
            "milestones": [
                {
                    "stage": m.stage,
                    "date": m.date,
                    "years_since": m.years_since,
                    "year_number": m.year_number,
                }
                for m in timeline.milestones
            ],
        }
        for timeline in comparison.aligned_timelines(networks)
    ]
    return {"years": years, "indicators": indicators, "timelines": timelines}


@extend_schema(
    operation_id="programme_comparison",
    tags=["programme"],
    parameters=[
        OpenApiParameter(
            "since", OpenApiTypes.INT, description="First year (default: four years ago)."
        ),
        OpenApiParameter("until", OpenApiTypes.INT, description="Last year (default: this year)."),
    ],
    responses={200: ComparisonSerializer},
)
@api_view(["GET"])
def programme_comparison(request: Request) -> Response:
    """Every network's computed indicators by year and its stage timeline, aligned."""
    require(is_programme_staff(request.user))
    params = request.query_params
    with service_errors():
        years = comparison.check_years(params.get("since"), params.get("until"))
    networks = list(Network.objects.order_by("name"))
    return Response(ComparisonSerializer(comparison_data(networks, years)).data)


ROUTES: list = [("learning-notes", LearningNoteViewSet, "learning-note")]
URLS: list = [
    path("programme/comparison/", programme_comparison, name="programme-comparison"),
]
