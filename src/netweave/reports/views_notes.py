"""Pages of a network's learning notes.

The network's facilitators write the notes; its facilitators, its steering committee and the
programme learning team read them (``reports.permissions``). Someone else with a role in the
network is refused (403); someone without one does not see that the notes exist (404).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from netweave.core.access import NetworkAccess, get_access, require
from netweave.core.signals import log_refusal
from netweave.networks.models import Network
from netweave.reports import notes as services
from netweave.reports.forms_notes import LearningNoteForm, apply_errors
from netweave.reports.models import LearningNote
from netweave.reports.permissions import can_read_notes, can_write_notes


def notes_network(
    request: HttpRequest, slug: str, *, write: bool = False
) -> tuple[Network, NetworkAccess]:
    """The network of the notes, if the user may read them (or write them, with ``write``).

    Programme staff read the notes of every network, including those they have no role in,
    so the network is looked up here rather than with ``network_for``.
    """
    try:
        network = Network.objects.get(slug=slug)
    except Network.DoesNotExist:
        raise Http404 from None
    access = get_access(request.user, network)
    readable = can_read_notes(access, request.user)
    if not readable and not access.has_role:
        log_refusal(request, 404, "learning notes not visible")
        raise Http404
    require(can_write_notes(access) if write else readable)
    return network, access


def _note(network: Network, pk: int) -> LearningNote:
    try:
        return (
            LearningNote.objects.select_related("network", "author")
            .prefetch_related("topics")
            .get(network=network, pk=pk)
        )
    except LearningNote.DoesNotExist:
        raise Http404 from None


def _context(network: Network, access: NetworkAccess, **extra: Any) -> dict[str, Any]:
    return {"network": network, "access": access, "can_write": can_write_notes(access), **extra}


@login_required
@require_GET
def note_list(request: HttpRequest, network: str) -> HttpResponse:
    """The network's learning notes, newest year first."""
    net, access = notes_network(request, network)
    notes = list(
        LearningNote.objects.filter(network=net).prefetch_related("topics").order_by("-year")
    )
    return render(request, "reports/notes/note_list.html", _context(net, access, notes=notes))


@login_required
@require_GET
def note_detail(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    net, access = notes_network(request, network)
    note = _note(net, pk)
    return render(request, "reports/notes/note_detail.html", _context(net, access, note=note))


def _data(form: LearningNoteForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


@login_required
@require_http_methods(["GET", "POST"])
def note_create(request: HttpRequest, network: str) -> HttpResponse:
    net, access = notes_network(request, network, write=True)
    form = LearningNoteForm(request.POST or None, initial={"year": services.last_year() - 1})
    if request.method == "POST" and form.is_valid():
        try:
            note = services.create_note(net, acting_user=request.user, **_data(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The learning note is saved."))
            return redirect("reports:note", network=net.slug, pk=note.pk)
    return render(
        request, "reports/notes/note_form.html", _context(net, access, form=form, note=None)
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_edit(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    net, access = notes_network(request, network, write=True)
    note = _note(net, pk)
    initial = {name: getattr(note, name) for name in services.NOTE_FIELDS}
    initial["topics"] = list(note.topics.all())
    form = LearningNoteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_note(note, _data(form), acting_user=request.user)
        except ValidationError as error:
            apply_errors(form, error)
            note = _note(net, pk)  # the refused values stay unsaved
        else:
            messages.success(request, _("The learning note is saved."))
            return redirect("reports:note", network=net.slug, pk=note.pk)
    return render(
        request, "reports/notes/note_form.html", _context(net, access, form=form, note=note)
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_delete(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    """Confirm (GET), then delete (POST)."""
    net, access = notes_network(request, network, write=True)
    note = _note(net, pk)
    if request.method == "POST":
        services.delete_note(note, acting_user=request.user)
        messages.success(request, _("The learning note is deleted."))
        return redirect("reports:notes", network=net.slug)
    return render(request, "reports/notes/note_delete.html", _context(net, access, note=note))
