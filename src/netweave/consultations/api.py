"""API of consultations: consultations, their sections, comments and recommendations.

The policy is the pages' (``permissions.py``): a caller reads the consultations of the
networks where they have a role, as the pages show them; focal points comment for their
invited organisations; facilitators create consultations and recommendations. Serializers
validate, ``services.py`` writes.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from netweave.consultations import permissions, services
from netweave.consultations.feedback import feedback_download
from netweave.consultations.models import (
    Audience,
    Comment,
    CommentKind,
    Consultation,
    Endorsement,
    Recommendation,
    Section,
    Status,
)
from netweave.consultations.models import Response as OwnerResponse
from netweave.core.access import FACILITATOR, FOCAL_POINT, STEERING, get_access, require
from netweave.core.api import VisibleNetworkField, service_errors
from netweave.directory.models import Organisation
from netweave.networks.models import Role
from netweave.partnerships.api import inline_choice


def visible_consultations(user: Any) -> QuerySet:
    """Consultations the user may read, across networks, as ``permissions.can_see`` says."""
    if not user.is_authenticated:
        return Consultation.objects.none()
    if user.is_staff:
        return Consultation.objects.all()
    roles = list(Role.objects.filter(user=user).values_list("network_id", "kind"))
    everything = {net for net, kind in roles if kind in (FACILITATOR, STEERING)}
    focal = {net for net, kind in roles if kind == FOCAL_POINT}
    other = {net for net, _kind in roles}
    return Consultation.objects.filter(
        Q(network_id__in=everything)
        | (Q(network_id__in=focal) & ~Q(status=Status.DRAFT))
        | (Q(network_id__in=other) & Q(status=Status.PUBLISHED))
    )


def visible_comments(user: Any) -> QuerySet:
    """Comments the user may read, across networks, as ``permissions.can_see_all_comments``."""
    if not user.is_authenticated:
        return Comment.objects.none()
    if user.is_staff:
        return Comment.objects.all()
    roles = list(
        Role.objects.filter(user=user).values_list("network_id", "kind", "organisation_id")
    )
    everything = {net for net, kind, _org in roles if kind in (FACILITATOR, STEERING)}
    focal = {net for net, kind, _org in roles if kind == FOCAL_POINT}
    own = {org for _net, kind, org in roles if kind == FOCAL_POINT}
    other = {net for net, _kind, _org in roles}
    network = "section__consultation__network_id__in"
    consultation = "section__consultation__"
    condition = Q(**{network: everything}) | (
        Q(**{network: other}) & Q(**{f"{consultation}status": Status.PUBLISHED})
    )
    condition |= (
        Q(**{network: focal})
        & ~Q(**{f"{consultation}status": Status.DRAFT})
        & (
            Q(**{f"{consultation}open_discussion": True})
            | Q(**{f"{consultation}status": Status.CLOSED})
            | Q(**{f"{consultation}closes__lte": timezone.now()})
            | Q(organisation_id__in=own)
        )
    )
    return Comment.objects.filter(condition)


# Serializers -----------------------------------------------------------------------------
class SectionSerializer(serializers.ModelSerializer):
    consultation = serializers.SlugRelatedField(slug_field="uid", read_only=True)

    class Meta:
        model = Section
        fields = ["uid", "consultation", "position", "heading", "body"]
        read_only_fields = fields


class SectionInputSerializer(serializers.Serializer):
    heading = serializers.CharField(max_length=300)
    body = serializers.CharField(required=False, allow_blank=True, default="")


class ConsultationSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    owner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status = inline_choice(Status.choices, read_only=True)
    phase = serializers.SerializerMethodField()
    audience = inline_choice(Audience.choices, read_only=True)
    sectors = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    task_groups = serializers.SlugRelatedField(slug_field="uid", many=True, read_only=True)
    documents = serializers.SlugRelatedField(slug_field="uid", many=True, read_only=True)
    sections = SectionSerializer(many=True, read_only=True)

    class Meta:
        model = Consultation
        fields = [
            "uid",
            "network",
            "owner",
            "title",
            "description",
            "status",
            "phase",
            "opens",
            "closes",
            "time_zone",
            "audience",
            "sectors",
            "task_groups",
            "documents",
            "open_discussion",
            "sections",
            "published_at",
        ]
        read_only_fields = fields

    def get_phase(self, obj: Consultation) -> str:
        return obj.phase()


class ConsultationCreateSerializer(serializers.Serializer):
    network = VisibleNetworkField()
    owner = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        help_text=_("Slug of any organisation of the directory."),
    )
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    opens = serializers.DateTimeField()
    closes = serializers.DateTimeField()
    time_zone = serializers.CharField(default="UTC")
    audience = inline_choice(Audience.choices, default=Audience.ALL)
    sectors = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    task_groups = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        default=list,
        help_text=_("Uids of the network's task groups to invite (audience task_groups)."),
    )
    documents = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        default=list,
        help_text=_("Uids of the network's library documents under consultation."),
    )
    open_discussion = serializers.BooleanField(default=True)
    sections = SectionInputSerializer(many=True)


class CommentSerializer(serializers.ModelSerializer):
    section = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    consultation = serializers.SerializerMethodField()
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    kind = inline_choice(CommentKind.choices, read_only=True)
    endorsed_by = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "uid",
            "consultation",
            "section",
            "organisation",
            "kind",
            "text",
            "endorsed_by",
            "created",
            "modified",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.UUID)
    def get_consultation(self, obj: Comment) -> str:
        return str(obj.section.consultation.uid)

    def get_endorsed_by(self, obj: Comment) -> list[str]:
        return [e.organisation.slug for e in obj.endorsements.all()]


class CommentCreateSerializer(serializers.Serializer):
    section = serializers.UUIDField(help_text=_("Uid of a section of a consultation you see."))
    organisation = serializers.SlugField(help_text=_("Slug of the organisation you speak for."))
    kind = inline_choice(CommentKind.choices)
    text = serializers.CharField(allow_blank=True)


class SupportSerializer(serializers.Serializer):
    comments = serializers.IntegerField(source="comment_count")
    flagged = serializers.BooleanField()
    organisations = serializers.SerializerMethodField()
    sectors = serializers.SerializerMethodField()

    def get_organisations(self, obj: services.Support) -> list[str]:
        return [org.slug for org in obj.organisations]

    @extend_schema_field(
        {"type": "object", "additionalProperties": {"type": "integer"}, "description": "by slug"}
    )
    def get_sectors(self, obj: services.Support) -> dict[str, int]:
        return {sector.slug: count for sector, count in obj.sectors}


class DissentSerializer(serializers.Serializer):
    organisation = serializers.CharField(source="organisation.slug")
    note = serializers.CharField()


class RecommendationSerializer(serializers.ModelSerializer):
    consultation = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    section = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    comments = serializers.SlugRelatedField(slug_field="uid", many=True, read_only=True)
    response = inline_choice(OwnerResponse.choices, read_only=True)
    support = serializers.SerializerMethodField()
    dissents = DissentSerializer(many=True, read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "uid",
            "consultation",
            "section",
            "position",
            "text",
            "comments",
            "support",
            "dissents",
            "response",
            "response_note",
            "responded_at",
        ]
        read_only_fields = fields

    @extend_schema_field(SupportSerializer)
    def get_support(self, obj: Recommendation) -> dict[str, Any]:
        support = getattr(obj, "support", None) or services.support_for([obj.pk])[obj.pk]
        return SupportSerializer(support).data


class PublishSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        default=None,
        help_text=_("Introduction to the synthesis; left as it is when not given."),
    )


class EndorseSerializer(serializers.Serializer):
    organisation = serializers.SlugField(help_text=_("Slug of the organisation you speak for."))


class DissentInSerializer(serializers.Serializer):
    organisation = serializers.SlugField(help_text=_("Slug of an invited organisation."))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ResponseInSerializer(serializers.Serializer):
    response = inline_choice(OwnerResponse.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RecommendationCreateSerializer(serializers.Serializer):
    consultation = serializers.UUIDField()
    text = serializers.CharField(allow_blank=True)
    section = serializers.UUIDField(required=False, allow_null=True, default=None)
    comments = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)


def _by_uid(queryset: QuerySet, uids: list[Any], field: str) -> list[Any]:
    """The records of ``queryset`` with these uids; an unknown uid is a 400 on ``field``."""
    wanted = set(uids)
    found = list(queryset.filter(uid__in=wanted))
    if len(found) != len(wanted):
        raise serializers.ValidationError(
            {field: [_("Some of these uids are not records of this network.")]}
        )
    return found


def _organisation(slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise serializers.ValidationError({"organisation": [_("No organisation has that slug.")]})
    return organisation


_BINARY = {
    (200, "application/octet-stream"): OpenApiResponse(
        OpenApiTypes.BINARY, description=_("The coordinated feedback, as an attachment.")
    )
}


# Viewsets --------------------------------------------------------------------------------
def _consultation_param() -> OpenApiParameter:
    return OpenApiParameter(
        "consultation", OpenApiTypes.UUID, description=str(_("Uid of a consultation."))
    )


def _network_param() -> OpenApiParameter:
    return OpenApiParameter("network", OpenApiTypes.STR, description=str(_("Slug of a network.")))


@extend_schema(parameters=[_network_param()])
class ConsultationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Consultations the caller may read; facilitators create them (as drafts)."""

    queryset = Consultation.objects.none()  # the schema's model; get_queryset() reads
    serializer_class = ConsultationSerializer
    lookup_field = "uid"

    def get_queryset(self) -> QuerySet:
        queryset = (
            visible_consultations(self.request.user)
            .select_related("network", "owner")
            .prefetch_related("sectors", "task_groups", "documents", "sections__consultation")
            .order_by("-opens", "-id")
        )
        network = self.request.query_params.get("network")
        if network:
            queryset = queryset.filter(network__slug=network)
        return queryset

    @extend_schema(request=ConsultationCreateSerializer, responses={201: ConsultationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ConsultationCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        network = data.pop("network")
        require(permissions.can_run(get_access(request.user, network)))
        from netweave.directory.models import Sector

        data["sectors"] = list(Sector.objects.filter(slug__in=data.pop("sectors")))
        data["task_groups"] = _by_uid(
            network.task_groups.all(), data.pop("task_groups"), "task_groups"
        )
        data["documents"] = _by_uid(network.documents.all(), data.pop("documents"), "documents")
        data["sections"] = [dict(section) for section in data["sections"]]
        with service_errors():
            consultation = services.create_consultation(network, acting_user=request.user, **data)
        return Response(
            ConsultationSerializer(self.get_queryset().get(pk=consultation.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def _transition(self, service: Any, **kwargs: Any) -> Response:
        consultation = self.get_object()
        with service_errors():
            service(consultation, acting_user=self.request.user, **kwargs)
        return Response(ConsultationSerializer(self.get_queryset().get(pk=consultation.pk)).data)

    @extend_schema(request=None, responses={200: ConsultationSerializer})
    @action(detail=True, methods=["post"])
    def open(self, request: Request, uid: Any = None) -> Response:
        """Put a draft to the invited members (facilitators)."""
        return self._transition(services.open_consultation)

    @extend_schema(request=None, responses={200: ConsultationSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, uid: Any = None) -> Response:
        """Stop taking comments now (facilitators)."""
        return self._transition(services.close_consultation)

    @extend_schema(request=PublishSerializer, responses={200: ConsultationSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, uid: Any = None) -> Response:
        """Publish the synthesis of a closed consultation (facilitators)."""
        serializer = PublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._transition(services.publish_synthesis, note=serializer.validated_data["note"])

    def _feedback(self, ext: str) -> HttpResponse:
        consultation = self.get_object()
        access = get_access(self.request.user, consultation.network)
        if consultation.status == Status.DRAFT or not permissions.can_see_synthesis(
            access, consultation
        ):
            raise Http404
        return feedback_download(consultation, ext)

    @extend_schema(responses=_BINARY)
    @action(detail=True, methods=["get"], url_path="feedback-pdf")
    def feedback_pdf(self, request: Request, uid: Any = None) -> HttpResponse:
        """The coordinated feedback as PDF: recommendations, support by sector, annex."""
        return self._feedback("pdf")

    @extend_schema(responses=_BINARY)
    @action(detail=True, methods=["get"], url_path="feedback-docx")
    def feedback_docx(self, request: Request, uid: Any = None) -> HttpResponse:
        """The coordinated feedback as a Word document."""
        return self._feedback("docx")


@extend_schema(parameters=[_consultation_param()])
class SectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Sections of the consultations the caller may read."""

    queryset = Section.objects.none()  # the schema's model; get_queryset() reads
    serializer_class = SectionSerializer
    lookup_field = "uid"

    def get_queryset(self) -> QuerySet:
        queryset = Section.objects.filter(
            consultation__in=visible_consultations(self.request.user)
        ).select_related("consultation")
        consultation = self.request.query_params.get("consultation")
        if consultation:
            queryset = queryset.filter(consultation__uid=_uuid_or_none(consultation))
        return queryset.order_by("consultation_id", "position", "id")


def _uuid_or_none(value: str) -> Any:
    import uuid

    try:
        return uuid.UUID(value)
    except ValueError:
        return None


@extend_schema(parameters=[_consultation_param()])
class CommentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Comments the caller may read; focal points comment for their invited organisations."""

    queryset = Comment.objects.none()  # the schema's model; get_queryset() reads
    serializer_class = CommentSerializer
    lookup_field = "uid"

    def get_queryset(self) -> QuerySet:
        queryset = (
            visible_comments(self.request.user)
            .select_related("section__consultation", "organisation")
            .prefetch_related(
                Prefetch(
                    "endorsements", queryset=Endorsement.objects.select_related("organisation")
                )
            )
        )
        consultation = self.request.query_params.get("consultation")
        if consultation:
            queryset = queryset.filter(section__consultation__uid=_uuid_or_none(consultation))
        return queryset.order_by("section__consultation_id", "section__position", "created", "id")

    @extend_schema(request=CommentCreateSerializer, responses={201: CommentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = CommentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        section = (
            Section.objects.filter(
                uid=data["section"], consultation__in=visible_consultations(request.user)
            )
            .select_related("consultation__network")
            .first()
        )
        if section is None:
            raise serializers.ValidationError(
                {"section": [_("No section of a consultation you see has that uid.")]}
            )
        consultation = section.consultation
        access = get_access(request.user, consultation.network)
        organisation = Organisation.objects.filter(slug=data["organisation"]).first()
        if organisation is None:
            raise serializers.ValidationError(
                {"organisation": [_("No organisation has that slug.")]}
            )
        require(access.is_facilitator or organisation.pk in access.focal_org_ids)
        with service_errors():
            comment = services.add_comment(
                consultation,
                section=section,
                organisation=organisation,
                kind=data["kind"],
                text=data["text"],
                acting_user=request.user,
            )
        return Response(
            CommentSerializer(self.get_queryset().get(pk=comment.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=EndorseSerializer, responses={200: CommentSerializer})
    @action(detail=True, methods=["post", "delete"])
    def endorse(self, request: Request, uid: Any = None) -> Response:
        """POST: your organisation endorses the comment; DELETE: it withdraws the endorsement."""
        comment = self.get_object()
        consultation = comment.section.consultation
        access = get_access(request.user, consultation.network)
        # As on the page: focal points of invited organisations, for another's comment.
        endorsers = permissions.endorsing_organisations(
            access, consultation, services.invited_ids(consultation)
        )
        require(bool(endorsers - {comment.organisation_id}))
        serializer = EndorseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = _organisation(serializer.validated_data["organisation"])
        with service_errors():
            if request.method == "DELETE":
                services.withdraw_endorsement(
                    comment, organisation=organisation, acting_user=request.user
                )
            else:
                services.endorse_comment(
                    comment, organisation=organisation, acting_user=request.user
                )
        return Response(CommentSerializer(self.get_queryset().get(pk=comment.pk)).data)


@extend_schema(parameters=[_consultation_param()])
class RecommendationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Recommendations of syntheses the caller may read, with their support by sector."""

    queryset = Recommendation.objects.none()  # the schema's model; get_queryset() reads
    serializer_class = RecommendationSerializer
    lookup_field = "uid"

    def get_queryset(self) -> QuerySet:
        user = self.request.user
        consultations = visible_consultations(user)
        if not user.is_staff:
            running = Role.objects.filter(user=user, kind__in=[FACILITATOR, STEERING]).values(
                "network_id"
            )
            consultations = consultations.filter(
                Q(network_id__in=running) | Q(status=Status.PUBLISHED)
            )
        queryset = (
            Recommendation.objects.filter(consultation__in=consultations)
            .select_related("consultation", "section")
            .prefetch_related("comments", "dissents__organisation")
        )
        consultation = self.request.query_params.get("consultation")
        if consultation:
            queryset = queryset.filter(consultation__uid=_uuid_or_none(consultation))
        return queryset.order_by("consultation_id", "position", "id")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = list(page) if page is not None else list(self.get_queryset())
        support = services.support_for(rec.pk for rec in rows)
        for rec in rows:
            rec.support = support[rec.pk]
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(
        request=RecommendationCreateSerializer, responses={201: RecommendationSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = RecommendationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        consultation = (
            visible_consultations(request.user)
            .filter(uid=data["consultation"])
            .select_related("network")
            .first()
        )
        if consultation is None:
            raise serializers.ValidationError(
                {"consultation": [_("No consultation you see has that uid.")]}
            )
        require(permissions.can_run(get_access(request.user, consultation.network)))
        section = None
        if data["section"] is not None:
            section = consultation.sections.filter(uid=data["section"]).first()
            if section is None:
                raise serializers.ValidationError(
                    {"section": [_("This section is not part of this consultation.")]}
                )
        comments = list(
            Comment.objects.filter(section__consultation=consultation, uid__in=data["comments"])
        )
        if len(comments) != len(set(data["comments"])):
            raise serializers.ValidationError(
                {"comments": [_("Only comments made in this consultation can support it.")]}
            )
        with service_errors():
            recommendation = services.create_recommendation(
                consultation,
                text=data["text"],
                section=section,
                comments=comments,
                acting_user=request.user,
            )
        return Response(
            RecommendationSerializer(self.get_queryset().get(pk=recommendation.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=DissentInSerializer, responses={201: RecommendationSerializer})
    @action(detail=True, methods=["post"])
    def dissent(self, request: Request, uid: Any = None) -> Response:
        """Record that an invited organisation objects to the recommendation (facilitators)."""
        recommendation = self.get_object()
        network = recommendation.consultation.network
        require(permissions.can_run(get_access(request.user, network)))
        serializer = DissentInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = _organisation(serializer.validated_data["organisation"])
        with service_errors():
            services.record_dissent(
                recommendation,
                organisation=organisation,
                note=serializer.validated_data["note"],
                acting_user=request.user,
            )
        return Response(
            RecommendationSerializer(self.get_queryset().get(pk=recommendation.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ResponseInSerializer, responses={200: RecommendationSerializer})
    @action(detail=True, methods=["post"], url_path="response")
    def respond(self, request: Request, uid: Any = None) -> Response:
        """What the owner did with it: taken up, partly, not (owner's focal point, facilitator)."""
        recommendation = self.get_object()
        consultation = recommendation.consultation
        access = get_access(request.user, consultation.network)
        require(access.is_facilitator or consultation.owner_id in access.focal_org_ids)
        serializer = ResponseInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.record_response(
                recommendation,
                response=serializer.validated_data["response"],
                note=serializer.validated_data["note"],
                acting_user=request.user,
            )
        return Response(
            RecommendationSerializer(self.get_queryset().get(pk=recommendation.pk)).data
        )


# (prefix, viewset, basename) triples registered on the router in netweave/api.py.
ROUTES: list = [
    ("consultations", ConsultationViewSet, "consultation"),
    ("consultation-sections", SectionViewSet, "consultation-section"),
    ("consultation-comments", CommentViewSet, "consultation-comment"),
    ("consultation-recommendations", RecommendationViewSet, "consultation-recommendation"),
]
# Extra paths under /api/v1/ that are not router viewsets.
URLS: list = []
