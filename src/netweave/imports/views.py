"""Import pages: upload → check (in the background) → preview and mapping → confirm → undo.

Only facilitators import. The file is checked and imported by the task worker; the page
shows progress by polling (htmx, or a refresh without JavaScript).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from netweave.core.access import network_for
from netweave.core.forms import apply_service_errors as _form_errors
from netweave.core.lib.normalise import SectorMapper
from netweave.directory.models import Sector
from netweave.imports import services
from netweave.imports.forms import ConfirmForm, OptionsForm, UploadForm
from netweave.imports.models import ImportRecord, ImportStatus, RowOutcome
from netweave.imports.tasks import plan_import_task
from netweave.networks.models import Network

BUSY = (ImportStatus.UPLOADED, ImportStatus.PLANNING, ImportStatus.APPLYING)
REPORT_PAGE = 100


def _report_page(record: ImportRecord, page: str | None):
    report = Paginator(record.report or [], REPORT_PAGE).get_page(page)
    labels = dict(RowOutcome.choices)
    report.object_list = [
        {**row, "label": labels.get(row.get("outcome"), row.get("outcome"))}
        for row in report.object_list
    ]
    return report


def _record_or_404(network: Network, uid: uuid.UUID) -> ImportRecord:
    record = (
        ImportRecord.objects.filter(network=network, uid=uid).select_related("created_by").first()
    )
    if record is None:
        raise Http404
    return record


def _enqueue_plan(record: ImportRecord) -> None:
    transaction.on_commit(lambda: plan_import_task.enqueue(record.pk))


@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest, network: str) -> HttpResponse:
    """The network's imports, newest first, and the upload form."""
    net, access = network_for(request, network, edit=True)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = services.create_import(
                net,
                kind=form.cleaned_data["kind"],
                file_name=upload.name,
                data=upload,
                options=form.options(),
                acting_user=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            _enqueue_plan(record)
            return redirect("imports:detail", network=net.slug, uid=record.uid)
    records = ImportRecord.objects.filter(network=net).select_related("created_by")[:50]
    spellings = SectorMapper().by_slug()
    sectors = [(sector, spellings.get(sector.slug, [])) for sector in Sector.objects.all()]
    return render(
        request,
        "imports/import_list.html",
        {"network": net, "access": access, "form": form, "records": records, "sectors": sectors},
        status=400 if form.errors else 200,
    )


def import_detail(request: HttpRequest, network: str, uid: uuid.UUID) -> HttpResponse:
    """Progress while busy; then the row-by-row preview, the mapping step and the confirmation."""
    net, access = network_for(request, network, edit=True)
    record = _record_or_404(net, uid)
    report = _report_page(record, request.GET.get("page"))
    context = {
        "network": net,
        "access": access,
        "record": record,
        "busy": record.status in BUSY,
        "report": report,
        "options_form": OptionsForm(record=record),
        "confirm_form": ConfirmForm(),
    }
    return render(request, "imports/import_detail.html", context)


@require_POST
def import_options(request: HttpRequest, network: str, uid: uuid.UUID) -> HttpResponse:
    """Map unknown columns, add sector spellings or choose the date order, then check again."""
    net, access = network_for(request, network, edit=True)
    record = _record_or_404(net, uid)
    form = OptionsForm(request.POST, record=record)
    if form.is_valid():
        try:
            services.set_import_options(record, form.options(), acting_user=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            _enqueue_plan(record)
            return redirect("imports:detail", network=net.slug, uid=record.uid)
    report = _report_page(record, "1")
    context = {
        "network": net,
        "access": access,
        "record": record,
        "busy": False,
        "report": report,
        "options_form": form,
        "confirm_form": ConfirmForm(),
    }
    return render(request, "imports/import_detail.html", context, status=400)


@require_POST
def import_confirm(request: HttpRequest, network: str, uid: uuid.UUID) -> HttpResponse:
    """Import the checked file in the background."""
    net, access = network_for(request, network, edit=True)
    record = _record_or_404(net, uid)
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        services.queue_import(
            record,
            acting_user=request.user,
            skip_invalid=form.cleaned_data.get("skip_invalid", False),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("imports:detail", network=net.slug, uid=record.uid)


@require_POST
def import_undo(request: HttpRequest, network: str, uid: uuid.UUID) -> HttpResponse:
    net, access = network_for(request, network, edit=True)
    record = _record_or_404(net, uid)
    try:
        services.undo_import(record, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The import was undone."))
    return redirect("imports:detail", network=net.slug, uid=record.uid)


@require_POST
def import_discard(request: HttpRequest, network: str, uid: uuid.UUID) -> HttpResponse:
    net, access = network_for(request, network, edit=True)
    record = _record_or_404(net, uid)
    try:
        services.discard_import(record, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("imports:detail", network=net.slug, uid=record.uid)
    messages.success(request, _("The uploaded file was discarded."))
    return redirect("imports:list", network=net.slug)
