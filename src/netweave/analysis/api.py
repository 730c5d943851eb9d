"""API of analysis: the network analysis JSON and the progress of its computation.

``GET /api/v1/networks/{slug}/analysis/`` answers the analysis of DESIGN.md (200) when it
is ready, or 202 with its status and progress while a background computation runs;
``?wait=1`` computes it inside the request instead. ``.../analysis/status/`` answers the
status alone, for polling.

Who may read it: the facilitators and the steering committee of the network (and site
staff), like the dashboards (``access.can_view_dashboards``). The analysis ranks every
member organisation and shows who is inactive or isolated, which is the secretariat's
working material rather than something every focal point or observer should read about
the others, so focal points and observers are refused (403); callers who cannot see the
network at all get 404.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from netweave.analysis import services
from netweave.core.access import network_for, require
from netweave.core.api import service_errors

# (prefix, viewset, basename) triples registered on the router in netweave/api.py.
ROUTES: list = []

_PARAMETERS = [
    OpenApiParameter(
        "level",
        OpenApiTypes.STR,
        enum=list(services.LEVELS),
        description="Nodes are organisations (default) or people.",
    ),
    OpenApiParameter(
        "graph",
        OpenApiTypes.STR,
        description=(
            "Comma list of graph sources, each optionally with a weight (source:weight): "
            + ", ".join(services.SOURCES)
            + ". Default: attendance."
        ),
    ),
    OpenApiParameter("since", OpenApiTypes.DATE, description="Start of the time window."),
    OpenApiParameter("until", OpenApiTypes.DATE, description="End of the time window."),
    OpenApiParameter("year", OpenApiTypes.INT, description="Shorthand for one calendar year."),
]

_STATUS = inline_serializer(
    "AnalysisStatus",
    fields={
        "status": serializers.CharField(help_text="ready, queued, running or failed"),
        "progress": serializers.FloatField(),
        "error": serializers.CharField(),
    },
)


def _params(request: Request) -> services.AnalysisParams:
    with service_errors():
        return services.AnalysisParams.from_query(request.query_params)


def _status_body(state: services.AnalysisState) -> dict:
    return {"status": state.status, "progress": state.progress, "error": state.error}


def _status_code(state: services.AnalysisState) -> int:
    if state.status == services.READY:
        return status.HTTP_200_OK
    if state.status == services.FAILED:
        return status.HTTP_503_SERVICE_UNAVAILABLE
    return status.HTTP_202_ACCEPTED


@extend_schema(
    operation_id="network_analysis",
    tags=["analysis"],
    parameters=[
        *_PARAMETERS,
        OpenApiParameter(
            "wait", OpenApiTypes.BOOL, description="Compute inside the request if not cached."
        ),
    ],
    responses={200: OpenApiTypes.OBJECT, 202: _STATUS, 503: _STATUS},
)
@api_view(["GET"])
def network_analysis(request: Request, slug: str) -> Response:
    """The network analysis: nodes with their metrics, network metrics and diagnostics."""
    network, access = network_for(request, slug)
    require(access.can_view_dashboards)
    params = _params(request)
    wait = request.query_params.get("wait", "").lower() in ("1", "true", "yes")
    with service_errors():
        state = services.get_analysis(network, params, background=not wait)
    if state.status == services.READY:
        return Response(state.result)
    return Response(_status_body(state), status=_status_code(state))


@extend_schema(
    operation_id="network_analysis_status",
    tags=["analysis"],
    parameters=_PARAMETERS,
    responses={200: _STATUS, 202: _STATUS, 503: _STATUS},
)
@api_view(["GET"])
def network_analysis_status(request: Request, slug: str) -> Response:
    """Whether the analysis is ready, queued or running, and how far it has got."""
    network, access = network_for(request, slug)
    require(access.can_view_dashboards)
    params = _params(request)
    with service_errors():
        state = services.get_analysis(network, params)
    return Response(_status_body(state), status=_status_code(state))


# Extra paths under /api/v1/ that are not router viewsets.
URLS: list = [
    path("networks/<slug:slug>/analysis/", network_analysis, name="network-analysis"),
    path(
        "networks/<slug:slug>/analysis/status/",
        network_analysis_status,
        name="network-analysis-status",
    ),
]
