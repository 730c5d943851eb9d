"""Library pages: search and filters, a document's page, upload and edit, attach, download."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netweave.activities.models import JointActivity
from netweave.core.access import NetworkAccess, network_for, require
from netweave.core.forms import apply_service_errors
from netweave.directory.models import Topic
from netweave.governance.models import TaskGroup
from netweave.library import permissions, services
from netweave.library.forms import AttachForm, DocumentForm, SearchForm
from netweave.library.models import Document
from netweave.library.search import search_documents, snippets, visibility_filter
from netweave.library.uploads import limit_uploads, refused_upload
from netweave.meetings.models import Meeting
from netweave.networks.models import Network

PAGE_SIZE = 25


def _document(net: Network, access: NetworkAccess, uid: Any) -> Document:
    """A document of ``net`` that ``access`` may read, or 404 (forbidden looks like missing)."""
    document = (
        Document.objects.filter(network=net, uid=uid)
        .filter(visibility_filter(access))
        .select_related("network", "author_organisation", "task_group", "added_by")
        .first()
    )
    if document is None:
        raise Http404
    return document


def _apply_refused_upload(request: HttpRequest, form: DocumentForm) -> None:
    refused = refused_upload(request)
    if refused is not None:
        size = refused.get("size") or int(request.META.get("CONTENT_LENGTH") or 0) or None
        form.add_error("file", services.too_large_message(size))


# The list --------------------------------------------------------------------------------
@require_GET
def document_list(request: HttpRequest, network: str) -> HttpResponse:
    """Search over titles, descriptions and the files' text, with filters; pages of 25."""
    net, access = network_for(request, network)
    form = SearchForm(request.GET or None, network=net)
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    documents = search_documents(
        net, query, access=access, filters=form.filters()
    ).prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "network": net,
        "access": access,
        "form": form,
        "query": query,
        "page_obj": page,
        "documents": page.object_list,
        "snippets": snippets(page.object_list, query),
        "can_add": permissions.can_add(access),
    }
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not htmx.history_restore_request
    response = render(
        request,
        "library/_document_results.html" if partial else "library/document_list.html",
        context,
    )
    patch_vary_headers(response, ("HX-Request",))
    return response


# One document ----------------------------------------------------------------------------
def _render_detail(
    request: HttpRequest,
    net: Network,
    access: NetworkAccess,
    document: Document,
    *,
    attach_form: AttachForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_edit = permissions.can_edit(access, document)
    context = {
        "network": net,
        "access": access,
        "document": document,
        "topics": document.topics.order_by("name"),
        "meetings": document.meetings.select_related("network").order_by("-start"),
        "task_groups": document.task_groups.select_related("network").order_by("name"),
        "activities": document.activities.select_related("network").order_by("title"),
        # Consultations and outcomes attach documents from their own pages; each is listed
        # as far as the reader may see it there (outcomes: people with a role).
        "consultations": document.consultations.visible_to(access)
        .select_related("network")
        .order_by("-opens"),
        "outcomes": (
            document.outcomes.select_related("network").order_by("-date")
            if access.authenticated and access.has_role
            else document.outcomes.none()
        ),
        "can_edit": can_edit,
        "attach_form": (attach_form or AttachForm(network=net)) if can_edit else None,
    }
    return render(request, "library/document_detail.html", context, status=status)


@require_GET
def document_detail(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """Metadata, where the document is attached, the download or the link."""
    net, access = network_for(request, network)
    return _render_detail(request, net, access, _document(net, access, uid))


@require_GET
def document_download(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """The stored file, to those who may read the document, always as a download."""
    net, access = network_for(request, network)
    document = _document(net, access, uid)
    return file_response(document)


def file_response(document: Document) -> HttpResponse:
    """The file as an attachment that no browser renders or runs (shared with the API)."""
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.download_name,
        content_type=document.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


# Adding and changing ---------------------------------------------------------------------
def _initial_attachments(request: HttpRequest) -> dict[str, str]:
    """ "Add a document" from a meeting, task group or activity page preselects it."""
    initial = {}
    for param, field in (
        ("meeting", "meeting"),
        ("task_group", "attach_task_group"),
        ("activity", "activity"),
    ):
        if request.GET.get(param):
            initial[field] = request.GET[param]
    return initial


# The library's size limit must be in place before the body is read, and the CSRF check
# reads the body: so the check runs inside, after the limit (Django's documented pattern).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def document_create(request: HttpRequest, network: str) -> HttpResponse:
    limit_uploads(request)
    return _document_create(request, network)


@csrf_protect
def _document_create(request: HttpRequest, network: str) -> HttpResponse:
    """Upload a file or add a link (facilitators; focal points for their organisation)."""
    net, access = network_for(request, network)
    require(permissions.can_add(access))
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES, network=net, access=access)
        _apply_refused_upload(request, form)
    else:
        form = DocumentForm(network=net, access=access, initial=_initial_attachments(request))
    if request.method == "POST" and form.is_valid():
        try:
            document = services.add_document(net, acting_user=request.user, **form.service_fields())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            _say_text_status(request, document)
            messages.success(request, _("The document is in the library."))
            return redirect(document)
    return render(
        request,
        "library/document_form.html",
        {"network": net, "access": access, "form": form, "document": None},
        status=400 if form.errors else 200,
    )


def _say_text_status(request: HttpRequest, document: Document) -> None:
    if document.text_status == "failed":
        messages.warning(
            request,
            _(
                "The file is kept, but its text could not be read (the file may be damaged or "
                "protected), so search finds it by its title and description only."
            ),
        )
    elif document.text_status == "empty":
        messages.warning(
            request,
            _(
                "No text was found in the file (a scanned PDF holds only images), so search "
                "finds it by its title and description only."
            ),
        )
    elif document.text_status == "pending":
        messages.info(request, _("The file's text is being read for search; this takes a while."))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    limit_uploads(request)
    return _document_edit(request, network, uid)


@csrf_protect
def _document_edit(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """Change the description, who may read it, or replace the file."""
    net, access = network_for(request, network)
    document = _document(net, access, uid)
    require(permissions.can_edit(access, document))
    if request.method == "POST":
        form = DocumentForm(
            request.POST, request.FILES, network=net, access=access, editing=document
        )
        _apply_refused_upload(request, form)
    else:
        form = DocumentForm(
            network=net,
            access=access,
            editing=document,
            initial={
                "title": document.title,
                "description": document.description,
                "kind": document.kind,
                "language": document.language,
                "date": document.date,
                "author_organisation": document.author_organisation,
                "topics": list(document.topics.all()),
                "visibility": document.visibility,
                "task_group": document.task_group,
                "url": document.url,
            },
        )
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        new_file = form.cleaned_data.get("file")
        try:
            services.update_document(
                document, acting_user=request.user, file=new_file or None, **fields
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if new_file:
                _say_text_status(request, document)
            messages.success(request, _("The document is saved."))
            return redirect(document)
    return render(
        request,
        "library/document_form.html",
        {"network": net, "access": access, "form": form, "document": document},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def document_delete(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """Confirm, then delete the document and its file."""
    net, access = network_for(request, network)
    document = _document(net, access, uid)
    require(permissions.can_edit(access, document))
    if request.method == "POST":
        services.delete_document(document, acting_user=request.user)
        messages.success(request, _("The document is deleted."))
        return redirect("library:list", network=net.slug)
    return render(
        request,
        "library/document_delete.html",
        {"network": net, "access": access, "document": document},
    )


# Attachments -----------------------------------------------------------------------------
@require_POST
def document_attach(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """Attach the document to a meeting, task group or joint activity of the network."""
    net, access = network_for(request, network)
    document = _document(net, access, uid)
    require(permissions.can_edit(access, document))
    form = AttachForm(request.POST, network=net)
    if form.is_valid():
        try:
            services.attach_document(document, form.target(), acting_user=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The document is attached."))
            return redirect(document)
    return _render_detail(request, net, access, document, attach_form=form, status=400)


_TARGETS = {"meeting": Meeting, "task_group": TaskGroup, "activity": JointActivity}


@require_POST
def document_detach(request: HttpRequest, network: str, uid: str) -> HttpResponse:
    """Take the document off a meeting, task group or joint activity."""
    net, access = network_for(request, network)
    document = _document(net, access, uid)
    require(permissions.can_edit(access, document))
    model = _TARGETS.get(request.POST.get("kind", ""))
    target = None
    if model is not None:
        try:
            target = model.objects.filter(network=net, uid=request.POST.get("uid", "")).first()
        except ValidationError:  # not a uuid
            target = None
    if target is None:
        raise Http404
    services.detach_document(document, target, acting_user=request.user)
    messages.success(request, _("The document is detached."))
    return redirect(document)
