"""API of the library: documents, their search, upload and download.

Reading follows the pages' rule (``search.visibility_filter``); a document the caller may
not read is missing (404). Writing follows ``permissions.py`` through ``services.py``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from netweave.activities.models import JointActivity
from netweave.core.access import get_access, require
from netweave.core.api import VisibleNetworkField, VisibleOrganisationField, service_errors
from netweave.core.nul import FormParser, JSONParser, MultiPartParser
from netweave.directory.models import Topic
from netweave.governance.models import TaskGroup
from netweave.library import permissions, services
from netweave.library.models import Document, DocumentKind, TextStatus, Visibility
from netweave.library.search import search_documents
from netweave.library.uploads import LimitedUploadHandler, refused_upload
from netweave.library.views import file_response
from netweave.meetings.models import Meeting
from netweave.networks.models import Network
from netweave.partnerships.api import inline_choice


class DocumentSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    author_organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    task_group = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    kind = inline_choice(DocumentKind.choices, read_only=True)
    visibility = inline_choice(Visibility.choices, read_only=True)
    text_status = inline_choice(TextStatus.choices, read_only=True)
    file_name = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()
    rank = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "uid",
            "network",
            "title",
            "description",
            "kind",
            "language",
            "topics",
            "author_organisation",
            "date",
            "visibility",
            "task_group",
            "url",
            "file_name",
            "content_type",
            "size",
            "sha256",
            "text_status",
            "download",
            "rank",
            "created",
        ]
        read_only_fields = fields

    def get_file_name(self, obj: Document) -> str:
        return obj.download_name if obj.file else ""

    def get_download(self, obj: Document) -> str | None:
        """Where the file downloads (with the same credentials); none for a link."""
        if not obj.file:
            return None
        path = reverse("api:document-download", kwargs={"uid": obj.uid})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_rank(self, obj: Document) -> float | None:
        """How well the document matches ``q`` (higher is better); null without ``q``."""
        return getattr(obj, "rank", None)


class DocumentDetailSerializer(DocumentSerializer):
    meetings = serializers.SlugRelatedField(slug_field="uid", many=True, read_only=True)
    task_groups = serializers.SlugRelatedField(slug_field="uid", many=True, read_only=True)
    activities = serializers.SlugRelatedField(slug_field="uid", many=True, read_only=True)

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "meetings", "task_groups", "activities"]
        read_only_fields = fields


class DocumentWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    kind = inline_choice(DocumentKind.choices, default=DocumentKind.OTHER)
    language = serializers.CharField(required=False, allow_blank=True, default="", max_length=12)
    topics = serializers.SlugRelatedField(
        slug_field="slug", queryset=Topic.objects.all(), many=True, required=False
    )
    author_organisation = VisibleOrganisationField(required=False, allow_null=True)
    date = serializers.DateField(required=False, allow_null=True)
    visibility = inline_choice(Visibility.choices, default=Visibility.NETWORK)
    task_group = serializers.UUIDField(required=False, allow_null=True)
    url = serializers.URLField(required=False, allow_blank=True, default="", max_length=500)
    meetings = serializers.ListField(child=serializers.UUIDField(), required=False)
    task_groups = serializers.ListField(child=serializers.UUIDField(), required=False)
    activities = serializers.ListField(child=serializers.UUIDField(), required=False)


class DocumentCreateSerializer(DocumentWriteSerializer):
    network = VisibleNetworkField()
    file = serializers.FileField(required=False, allow_null=True)


class DocumentUpdateSerializer(DocumentWriteSerializer):
    file = serializers.FileField(required=False, allow_null=True)


_RELATED = {
    "task_group": (TaskGroup, _("No task group of this network has that uid.")),
    "task_groups": (TaskGroup, _("No task group of this network has that uid.")),
    "meetings": (Meeting, _("No meeting of this network has that uid.")),
    "activities": (JointActivity, _("No joint activity of this network has that uid.")),
}


def _resolve(network: Network, data: dict[str, Any]) -> dict[str, Any]:
    """Turn the uids of task groups, meetings and activities into this network's records."""
    for name, (model, message) in _RELATED.items():
        if name not in data:
            continue
        value = data[name]
        if value is None:
            continue
        uids = value if isinstance(value, list) else [value]
        found = {obj.uid: obj for obj in model.objects.filter(network=network, uid__in=uids)}
        if len(found) != len(set(uids)):
            raise serializers.ValidationError({name: [message]})
        data[name] = [found[uid] for uid in uids] if isinstance(value, list) else found[value]
    return data


FILTER_PARAMETERS = [
    OpenApiParameter("network", str, description=_("Slug of a network you may read.")),
    OpenApiParameter(
        "q", str, description=_("Words to find in titles, descriptions and the files' text.")
    ),
    OpenApiParameter("kind", str, enum=DocumentKind.values),
    OpenApiParameter("topic", str, description=_("Slug of a topic.")),
    OpenApiParameter("language", str, description=_("ISO 639 code, such as en or ru.")),
    OpenApiParameter("organisation", str, description=_("Slug of the author organisation.")),
    OpenApiParameter("year", int, description=_("Year of the document's date.")),
]


@extend_schema(parameters=FILTER_PARAMETERS)
class DocumentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The library's documents the caller may read, searched and filtered like the pages."""

    serializer_class = DocumentSerializer
    lookup_field = "uid"
    filter_backends: list = []
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        # The size limit must be in place before anything (authentication's CSRF check
        # included) reads the body.
        if request.method in ("POST", "PATCH"):
            request.upload_handlers.insert(0, LimitedUploadHandler(request))
        return super().initialize_request(request, *args, **kwargs)

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "retrieve":
            return DocumentDetailSerializer
        return DocumentSerializer

    def _network(self) -> Network | None:
        slug = self.request.query_params.get("network")
        if not slug:
            return None
        network = Network.objects.filter(slug=slug).first()
        if network is None or not get_access(self.request.user, network).can_view:
            raise NotFound(_("No network you may read has that slug."))
        return network

    def get_queryset(self) -> QuerySet:
        params = self.request.query_params
        if self.action == "list":
            network = self._network()
            documents = search_documents(
                network, params.get("q", ""), user=self.request.user, filters=params
            )
        else:
            documents = search_documents(None, "", user=self.request.user)
        documents = documents.prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("slug"))
        ).select_related("task_group")
        if self.action == "retrieve":
            documents = documents.prefetch_related("meetings", "task_groups", "activities")
        return documents

    def _refuse_large(self, request: Request) -> None:
        request.data  # noqa: B018 — parse the body now, through the size-limiting handler
        if refused_upload(request._request) is not None:
            size = int(request.META.get("CONTENT_LENGTH") or 0) or None
            raise serializers.ValidationError({"file": [services.too_large_message(size)]})

    @extend_schema(
        parameters=[],
        request={"multipart/form-data": DocumentCreateSerializer},
        responses={201: DocumentDetailSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Upload a file (multipart) or add a link."""
        self._refuse_large(request)
        serializer = DocumentCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        network = data.pop("network")
        require(permissions.can_add(get_access(request.user, network)))
        data = _resolve(network, data)
        with service_errors():
            document = services.add_document(network, acting_user=request.user, **data)
        return Response(
            DocumentDetailSerializer(document, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        parameters=[],
        request={"multipart/form-data": DocumentUpdateSerializer},
        responses={200: DocumentDetailSerializer},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change some fields, or replace the file."""
        document = self.get_object()
        if not permissions.can_edit(get_access(request.user, document.network), document):
            raise PermissionDenied
        self._refuse_large(request)
        serializer = DocumentUpdateSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = _resolve(document.network, dict(serializer.validated_data))
        file = data.pop("file", None)
        with service_errors():
            services.update_document(document, acting_user=request.user, file=file, **data)
        document = self.get_queryset().get(pk=document.pk)
        return Response(DocumentDetailSerializer(document, context={"request": request}).data)

    @extend_schema(exclude=True)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(parameters=[])
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        document = self.get_object()
        if not permissions.can_edit(get_access(request.user, document.network), document):
            raise PermissionDenied
        services.delete_document(document, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(parameters=[])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        parameters=[],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description=_("The file, as an attachment.")
            )
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, uid: Any = None) -> HttpResponse:
        """The stored file, sent as an attachment with the same safe headers as the pages."""
        return file_response(self.get_object())


ROUTES: list = [("documents", DocumentViewSet, "document")]
URLS: list = []
