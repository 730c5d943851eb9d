"""API of a network's yearly report and of its template.

``GET /api/v1/networks/{slug}/reports/{year}/`` answers the computed report: its sections
with heading, text, figures (with how many records each was computed from, and the records
themselves with ``?records=1``), charts' data and extra tables.
``GET/PUT /api/v1/networks/{slug}/report-template/`` reads and replaces the template's
wording and sections (``services.save_template``: all of it or nothing).

Same rights as the pages: the network's facilitators and steering committee read; the
facilitators change the template; a caller without a role in the network gets 404, one
with another role 403.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from netweave.core.access import require
from netweave.core.api import service_errors
from netweave.reports import permissions, services
from netweave.reports.views import cached_report, report_access

# (prefix, viewset, basename) triples registered on the router in netweave/api.py.
ROUTES: list = []


def plain(value: Any) -> Any:
    """A value as JSON carries it: numbers as numbers, dates as ISO text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


@extend_schema_field(
    {"oneOf": [{"type": "number"}, {"type": "string"}], "nullable": True},
)
class ValueField(serializers.Field):
    """A figure's value or a table cell: a number, a text, or null."""

    def to_representation(self, value: Any) -> Any:
        return plain(value)


# The report ----------------------------------------------------------------------------------
class ReportRecordsSerializer(serializers.Serializer):
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=ValueField()))


class ReportFigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = ValueField()
    unit = serializers.CharField()
    note = serializers.CharField()
    records_count = serializers.SerializerMethodField(
        help_text="How many records the figure was computed from (null: not traceable)."
    )
    records = ReportRecordsSerializer(
        required=False, allow_null=True, help_text="Only with ?records=1."
    )

    def get_records_count(self, figure: Any) -> int | None:
        return len(figure.records.rows) if figure.records is not None else None

    def to_representation(self, figure: Any) -> dict[str, Any]:
        data = super().to_representation(figure)
        if not self.context.get("records"):
            data.pop("records", None)
        return data


class ReportChartSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=["bar", "hbar", "stacked", "line"])
    categories = serializers.ListField(child=serializers.CharField())
    series = serializers.DictField(
        child=serializers.ListField(child=serializers.FloatField()),
        help_text="One value per category, by series name.",
    )
    unit = serializers.CharField()


class ReportSectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    heading = serializers.CharField()
    text = serializers.CharField()
    figures = ReportFigureSerializer(many=True)
    charts = ReportChartSerializer(many=True)
    tables = ReportRecordsSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())


class ReportSerializer(serializers.Serializer):
    network = serializers.CharField(source="network.slug")
    year = serializers.IntegerField()
    title = serializers.CharField()
    introduction = serializers.CharField()
    closing = serializers.CharField()
    generated = serializers.DateTimeField()
    sections = ReportSectionSerializer(many=True)


class ReportView(APIView):
    @extend_schema(
        operation_id="network_report",
        tags=["reports"],
        parameters=[
            OpenApiParameter(
                "records",
                OpenApiTypes.BOOL,
                description="Include the records behind each figure.",
            )
        ],
        responses={200: ReportSerializer},
    )
    def get(self, request: Request, slug: str, year: int) -> Response:
        """The network's report of a year, computed from its records."""
        network, _access = report_access(request, slug)
        try:
            checked = services.check_year(network, year)
        except ValidationError as error:
            raise NotFound(" ".join(error.messages)) from None
        report = cached_report(network, checked)
        records = request.query_params.get("records", "").lower() in ("1", "true", "yes")
        return Response(ReportSerializer(report, context={"records": records}).data)


# The template --------------------------------------------------------------------------------
class ReportPlaceholderSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class ReportTemplateSectionSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=40)
    enabled = serializers.BooleanField(default=True)
    position = serializers.IntegerField(min_value=1, max_value=999)
    heading = serializers.CharField(max_length=200, allow_blank=True, default="")
    text = serializers.CharField(allow_blank=True, default="")
    default_heading = serializers.CharField(read_only=True)
    placeholders = ReportPlaceholderSerializer(many=True, read_only=True)


class ReportTemplateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True, default="")
    introduction = serializers.CharField(allow_blank=True, default="")
    closing = serializers.CharField(allow_blank=True, default="")
    sections = ReportTemplateSectionSerializer(many=True, required=False)


def template_data(template: Any) -> dict[str, Any]:
    rows = []
    for row in services.template_sections(template):
        section_type = row.pop("type")
        row["default_heading"] = str(section_type.heading)
        row["placeholders"] = [
            {"key": key, "label": str(label)} for key, label in section_type.figures.items()
        ]
        rows.append(row)
    return {
        "title": template.title if template else "",
        "introduction": template.introduction if template else "",
        "closing": template.closing if template else "",
        "sections": rows,
    }


class TemplateView(APIView):
    @extend_schema(
        operation_id="network_report_template",
        tags=["reports"],
        responses={200: ReportTemplateSerializer},
    )
    def get(self, request: Request, slug: str) -> Response:
        """The network's report template: every section, in the template's order."""
        network, _access = report_access(request, slug)
        return Response(ReportTemplateSerializer(template_data(services.template_of(network))).data)

    @extend_schema(
        operation_id="network_report_template_update",
        tags=["reports"],
        request=ReportTemplateSerializer,
        responses={200: ReportTemplateSerializer},
    )
    def put(self, request: Request, slug: str) -> Response:
        """Replace the wording; sections left out keep their settings. All or nothing."""
        network, access = report_access(request, slug)
        require(permissions.can_edit_template(access))
        serializer = ReportTemplateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        with service_errors():
            services.save_template(
                network,
                title=data["title"],
                introduction=data["introduction"],
                closing=data["closing"],
                sections=data.get("sections", []),
                acting_user=request.user,
            )
        return Response(ReportTemplateSerializer(template_data(services.template_of(network))).data)


# Extra paths under /api/v1/ that are not router viewsets.
URLS: list = [
    path("networks/<slug:slug>/reports/<int:year>/", ReportView.as_view(), name="network-report"),
    path(
        "networks/<slug:slug>/report-template/",
        TemplateView.as_view(),
        name="network-report-template",
    ),
]
