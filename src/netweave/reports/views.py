"""Pages of a network's yearly report: the years, the report, its downloads, its template.

The report is for the network's facilitators and steering committee
(``permissions.can_read_report``): someone without a role in the network is told nothing
(404), a focal point or observer is refused (403). The template is the facilitators'.

A built report is cached for a short while under the network's data version and the
template's modified time, so the page and the downloads that follow it do not compute
every figure again. Every kind of record a report counts is watched by the data version
(``networks.stats.watched_models``), so a change shows at once; a write that bypasses the signals
(raw SQL, a bulk update in a shell) shows after at most ``REPORT_TTL`` seconds.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from netweave.core import audit
from netweave.core.access import NetworkAccess, network_for, require
from netweave.core.signals import log_refusal
from netweave.networks.models import Network
from netweave.networks.stats import data_version
from netweave.reports import permissions, services
from netweave.reports import render as renderers
from netweave.reports.forms import (
    TemplateForm,
    section_formset,
    sections_from,
    template_initial,
)
from netweave.reports.models import ReportTemplate
from netweave.reports.report import Report

logger = logging.getLogger(__name__)

REPORT_TTL = 120  # seconds

FORMATS = ("html", "pdf", "xlsx")


# Who may do what -----------------------------------------------------------------------------
def report_access(request: Any, slug: str) -> tuple[Network, NetworkAccess]:
    """The network whose report the user may read: 404 without a role in it, 403 without rights."""
    network, access = network_for(request, slug)
    if not access.has_role:
        log_refusal(request, 404, "no role in the network")
        raise Http404
    require(permissions.can_read_report(access))
    return network, access


def template_access(request: Any, slug: str) -> tuple[Network, NetworkAccess]:
    network, access = report_access(request, slug)
    require(permissions.can_edit_template(access))
    return network, access


# The report, cached --------------------------------------------------------------------------
def cached_report(network: Network, year: int, *, wait: bool = True) -> Report:
    """``build_report`` for the network and year, from the cache while its data is unchanged.

    With ``wait=False`` (the page) a section still computing comes back pending, and a
    report with a pending section is not cached, so the next look gets the finished one.
    """
    stamp = (
        ReportTemplate.objects.filter(network=network).values_list("modified", flat=True).first()
    )
    key = ":".join(
        (
            "netweave:report",
            str(network.pk),
            str(year),
            data_version(network),
            stamp.isoformat() if stamp else "-",
            get_language() or "-",
        )
    )
    report = cache.get(key)
    if report is None:
        report = services.build_report(network, year, wait=wait)
        if report.pending:
            return report
        try:
            cache.set(key, report, REPORT_TTL)
        except Exception:  # a builder's value that does not pickle: serve it uncached
            logger.warning("report of %s %s not cached", network.slug, year, exc_info=True)
    return report


def _years_context(network: Network, access: NetworkAccess) -> dict[str, Any]:
    return {
        "network": network,
        "access": access,
        "years": services.report_years(network),
        "can_edit_template": permissions.can_edit_template(access),
    }


def _year_or_404(
    request: HttpRequest, network: Network, access: NetworkAccess, year: Any
) -> int | HttpResponse:
    """The year, or the page of years with the reason and status 404."""
    try:
        return services.check_year(network, year)
    except ValidationError as error:
        context = _years_context(network, access) | {"error": " ".join(error.messages)}
        return render(request, "reports/index.html", context, status=404)


# Pages ---------------------------------------------------------------------------------------
@login_required
@require_GET
def report_index(request: HttpRequest, network: str) -> HttpResponse:
    """The years a report can be read for, the template and the learning notes."""
    net, access = report_access(request, network)
    return render(request, "reports/index.html", _years_context(net, access))


@login_required
@require_GET
def report_detail(request: HttpRequest, network: str, year: int) -> HttpResponse:
    """The report of a year, with its downloads and the other years."""
    net, access = report_access(request, network)
    checked = _year_or_404(request, net, access, year)
    if isinstance(checked, HttpResponse):
        return checked
    context = _years_context(net, access) | {
        "year": checked,
        "report": cached_report(net, checked, wait=False),
        "formats": [
            ("pdf", _("Download PDF")),
            ("xlsx", _("Download XLSX")),
            ("html", _("Download HTML")),
        ],
    }
    return render(request, "reports/report.html", context)


@login_required
@require_GET
def report_download(request: HttpRequest, network: str, year: int, fmt: str) -> HttpResponse:
    """The report as a file: PDF, XLSX or a standalone HTML page; each download is audited."""
    net, access = report_access(request, network)
    if fmt not in FORMATS:
        raise Http404
    checked = _year_or_404(request, net, access, year)
    if isinstance(checked, HttpResponse):
        return checked
    report = cached_report(net, checked)
    content = renderers.render(report, fmt)
    audit.record_export(
        net,
        user=request.user,
        kind="report",
        fmt=fmt,
        filters={"year": checked},
        request=request,
    )
    response = HttpResponse(content, content_type=renderers.content_type(fmt))
    response["Content-Disposition"] = f'attachment; filename="{renderers.filename(report, fmt)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, network: str) -> HttpResponse:
    """The network's report wording and sections; saved whole or not at all."""
    net, access = template_access(request, network)
    template = services.template_of(net)
    form = TemplateForm(request.POST or None, initial=template_initial(template))
    formset = section_formset(request.POST or None, template)
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        try:
            services.save_template(
                net,
                **form.cleaned_data,
                sections=sections_from(formset),
                acting_user=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The report template is saved."))
            return redirect("reports:template", network=net.slug)
    return render(
        request,
        "reports/template_form.html",
        {
            "network": net,
            "access": access,
            "form": form,
            "formset": formset,
            "years": services.report_years(net),
        },
    )
