"""The member directory: organisations and people of one network, their profiles and forms."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Model, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from netweave.core import audit, exports, pagecache
from netweave.core.access import NetworkAccess, get_access, network_for, require, visible_networks
from netweave.directory import privacy, services
from netweave.directory.exports import (
    contact_visible,
    organisation_dataset,
    person_dataset,
    visible_people,
)
from netweave.directory.filters import (
    DirectoryFilter,
    DirectoryPersonFilter,
    suggest_organisations,
    suggestion_options,
)
from netweave.directory.forms import (
    OrganisationCreateForm,
    OrganisationForm,
    PersonEraseForm,
    PersonForm,
    apply_service_errors,
)
from netweave.directory.models import Organisation, Person, Relationship, Topic
from netweave.networks.models import Membership, Network, Representation

PAGE_SIZE = 25
# The latest joint activities a profile lists; the rest are one click away.
PROFILE_ACTIVITIES = 10
HISTORY_LENGTH = 20
# Bookkeeping columns every save touches; the audit trail leaves them out.
HISTORY_NOISE = ("created", "modified")


# Helpers ---------------------------------------------------------------------------------
def _render_list(request: HttpRequest, template: str, partial: str, context: dict) -> HttpResponse:
    """The whole page, or only the results when htmx asks for them."""
    htmx = getattr(request, "htmx", None)
    only_results = bool(htmx) and not htmx.history_restore_request
    response = render(request, partial if only_results else template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _directory(
    network: Network, access: NetworkAccess, params: Any, *, topics: str | Prefetch = "topics"
) -> DirectoryFilter:
    """The directory filter over every organisation that ever belonged to ``network``."""
    return DirectoryFilter(
        params,
        queryset=Organisation.objects.for_directory(network).prefetch_related(topics),
        people=visible_people(network, access),
    )


def _address_maker(view_name: str, network: Network, **key: Any) -> Callable[[Any], str]:
    """A function from a slug or uid to the address of ``view_name`` in ``network``.

    One ``reverse()`` serves a whole list: a ``{% url %}`` per row took a tenth of the
    time a list page took to render.
    """
    ((name, marker),) = key.items()
    head, _, tail = reverse(view_name, kwargs={"network": network.slug, name: marker}).rpartition(
        str(marker)
    )
    return lambda value: f"{head}{value}{tail}"


def _person_visible(person: Person, access: NetworkAccess) -> bool:
    return person.consent_listed or access.can_edit_person(person)


def _organisation_or_404(network: Network, slug: str) -> Organisation:
    """An organisation that belongs or belonged to ``network``, with its latest membership."""
    return get_object_or_404(Organisation.objects.for_directory(network), slug=slug)


def _network_organisations(network: Network) -> QuerySet:
    return Organisation.objects.filter(
        id__in=Membership.objects.filter(network=network).values("organisation_id")
    ).order_by("name")


def _person_organisations(network: Network, access: NetworkAccess) -> QuerySet:
    """Organisations the user may put a person in: all members for a facilitator, else their own."""
    organisations = _network_organisations(network)
    if access.is_facilitator:
        return organisations
    return organisations.filter(pk__in=access.focal_org_ids)


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: Any
    kind: str
    changed: list[str]


def _audit_trail(instance: Model) -> list[HistoryEntry]:
    """The last changes of ``instance``, newest first, with the fields each one changed.

    Reads one more record than it shows, to know what the oldest shown record changed.
    """
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : HISTORY_LENGTH + 1
        ]
    )
    labels = {
        f.name: str(f.verbose_name)
        for f in type(instance)._meta.get_fields()
        if hasattr(f, "verbose_name")
    }
    entries = []
    for newer, older in zip(records, records[1:] + [None], strict=False):
        changed: list[str] = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older, excluded_fields=HISTORY_NOISE)
            changed = [labels.get(name, name) for name in sorted(delta.changed_fields)]
        entries.append(
            HistoryEntry(
                when=newer.history_date,
                who=newer.history_user,
                kind=newer.get_history_type_display(),
                changed=changed,
            )
        )
    return entries[:HISTORY_LENGTH]


@dataclass
class Seat:
    representation: Representation
    person_visible: bool

    @property
    def is_current(self) -> bool:
        end = self.representation.end
        return end is None or end > timezone.localdate()


# Organisations ---------------------------------------------------------------------------
@require_GET
def organisation_list(request: HttpRequest, network: str) -> HttpResponse:
    """The member directory: search, filters, sorting, pages of 25."""
    net, access = network_for(request, network)
    # Topics as a plain list: prefetching into each row's manager built a queryset per row.
    topics = Prefetch("topics", queryset=Topic.objects.order_by("name"), to_attr="topic_list")
    directory = pagecache.lazy(lambda: _directory(net, access, request.GET, topics=topics))

    def listing() -> tuple[Any, list[Organisation]]:
        page = Paginator(directory.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        organisations = list(page.object_list)
        address = _address_maker("directory:organisation_detail", net, slug="__key__")
        for org in organisations:
            org.address = address(org.slug)
        return page, organisations

    listed = pagecache.lazy(listing)
    context = {
        "network": net,
        "access": access,
        "filter": directory,
        "page_obj": pagecache.lazy(lambda: listed[0]),
        "organisations": pagecache.lazy(lambda: listed[1]),
        **pagecache.context(request, net),
    }
    return _render_list(
        request,
        "directory/organisation_list.html",
        "directory/_organisation_results.html",
        context,
    )


@require_GET
def organisation_export(request: HttpRequest, network: str, fmt: str) -> HttpResponse:
    """The current filter of the directory as a CSV, XLSX or JSON file."""
    net, access = network_for(request, network)
    if fmt not in exports.FORMATS:
        raise Http404
    organisations = _directory(net, access, request.GET).qs.iterator(chunk_size=1000)
    data = organisation_dataset(organisations, include_contacts=access.can_view_contacts)
    audit.record_export(
        net, user=request.user, kind="organisations", fmt=fmt, filters=request.GET, request=request
    )
    return _download(exports.render(data, fmt), net, "organisations", fmt)


def _download(content: bytes, network: Network, name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.FORMATS[fmt])
    filename = f"{network.slug}-{name}-{timezone.localdate().isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def organisation_detail(request: HttpRequest, network: str, slug: str) -> HttpResponse:
    """An organisation's profile in one network; contacts and history by role."""
    net, access = network_for(request, network)
    page = pagecache.context(request, net)
    org = pagecache.remember(
        page["page_key"], "organisation", lambda: _organisation_or_404(net, slug)
    )
    can_edit = access.can_edit_organisation(org)

    def profile() -> dict[str, Any]:
        people = org.people.order_by("name")
        if not can_edit:
            people = people.filter(consent_listed=True)
        people = list(people)
        person_address = _address_maker("directory:person_detail", net, uid=uuid.UUID(int=0))
        for person in people:
            person.address = person_address(person.uid)
        seats = [
            Seat(representation=r, person_visible=can_edit or r.person.consent_listed)
            for r in Representation.objects.filter(network=net, organisation=org)
            .select_related("person")
            .order_by("-start", "kind")
        ]
        # Joint activities by name: the directory does not import the apps built on it.
        participations = list(
            apps.get_model("activities", "Participation")
            .objects.filter(activity__network=net, organisation=org)
            .select_related("activity")
            .order_by(F("activity__start").desc(nulls_last=True), "activity__title", "pk")[
                : PROFILE_ACTIVITIES + 1
            ]
        )
        activity_address = _address_maker("activities:detail", net, uid=uuid.UUID(int=0))
        for participation in participations:
            participation.address = activity_address(participation.activity.uid)
        return {
            "current_seats": [seat for seat in seats if seat.is_current],
            "seats": seats,
            "people": [(person, contact_visible(person, access)) for person in people],
            "participations": participations[:PROFILE_ACTIVITIES],
            "more_activities": len(participations) > PROFILE_ACTIVITIES,
            "history": _audit_trail(org) if access.can_view_history else [],
        }

    relationships = (
        Relationship.objects.filter(network=net)
        .filter(Q(source=org) | Q(target=org))
        .select_related("source", "target")
        .order_by("kind", "source__name", "target__name")
    )
    context = {
        "network": net,
        "access": access,
        "organisation": org,
        "can_edit": can_edit,
        "interests": org.interests.select_related("topic").order_by("-level", "topic__name"),
        "memberships": org.memberships.filter(network=net).order_by("-joined", "-id"),
        "relationships": relationships,
        **pagecache.lazy_parts(
            profile,
            "current_seats",
            "seats",
            "people",
            "participations",
            "more_activities",
            "history",
        ),
        **page,
    }
    return render(request, "directory/organisation_detail.html", context)


@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest, network: str) -> HttpResponse:
    """A facilitator adds an organisation, which joins the network."""
    net, access = network_for(request, network, edit=True)
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.create_organisation(
                net,
                form.service_data(),
                joined=form.cleaned_data["joined"],
                topics=form.cleaned_data["topics"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect(org.get_absolute_url(net))
    return render(
        request,
        "directory/organisation_form.html",
        {"network": net, "access": access, "form": form, "organisation": None},
    )


@require_http_methods(["GET", "POST"])
def organisation_update(request: HttpRequest, network: str, slug: str) -> HttpResponse:
    """A facilitator, or the organisation's own focal point, edits its profile."""
    net, access = network_for(request, network)
    org = _organisation_or_404(net, slug)
    require(access.can_edit_organisation(org))
    form = OrganisationForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(
                org,
                form.service_data(),
                network=net,
                topics=form.cleaned_data["topics"],
                acting_user=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            org = _organisation_or_404(net, slug)  # the service changed the instance
        else:
            return redirect(org.get_absolute_url(net))
    return render(
        request,
        "directory/organisation_form.html",
        {"network": net, "access": access, "form": form, "organisation": org},
    )


# People ----------------------------------------------------------------------------------
@require_GET
def person_list(request: HttpRequest, network: str) -> HttpResponse:
    """People of the network's member organisations who agreed to be listed."""
    net, access = network_for(request, network)
    directory = pagecache.lazy(
        lambda: DirectoryPersonFilter(
            request.GET,
            queryset=visible_people(net, access).select_related("organisation__sector"),
            organisations=_network_organisations(net),
            suggest_url=reverse("directory:organisation_suggestions", kwargs={"network": net.slug}),
        )
    )

    def listing() -> tuple[Any, list[Person]]:
        page = Paginator(directory.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        people = list(page.object_list)
        person_address = _address_maker("directory:person_detail", net, uid=uuid.UUID(int=0))
        org_address = _address_maker("directory:organisation_detail", net, slug="__key__")
        for person in people:
            person.address = person_address(person.uid)
            if person.organisation:
                person.organisation.address = org_address(person.organisation.slug)
        return page, people

    listed = pagecache.lazy(listing)
    context = {
        "network": net,
        "access": access,
        "filter": directory,
        "page_obj": pagecache.lazy(lambda: listed[0]),
        "people": pagecache.lazy(lambda: listed[1]),
        "can_add": access.is_facilitator or bool(access.focal_org_ids),
        **pagecache.context(request, net),
    }
    return _render_list(
        request, "directory/person_list.html", "directory/_person_results.html", context
    )


@require_GET
def organisation_suggestions(request: HttpRequest, network: str) -> HttpResponse:
    """The ``<option>``s the people page's organisation field suggests for what was typed."""
    net, _access = network_for(request, network)
    found = suggest_organisations(_network_organisations(net), request.GET.get("organisation", ""))
    return HttpResponse(suggestion_options(found))


@require_GET
def person_export(request: HttpRequest, network: str, fmt: str) -> HttpResponse:
    """The current filter of the people page as a CSV, XLSX or JSON file."""
    net, access = network_for(request, network)
    if fmt not in exports.FORMATS:
        raise Http404
    directory = DirectoryPersonFilter(
        request.GET,
        queryset=visible_people(net, access)
        .select_related("organisation")
        .prefetch_related("topics"),
        organisations=_network_organisations(net),
    )
    data = person_dataset(directory.qs.iterator(chunk_size=1000), access)
    audit.record_export(
        net, user=request.user, kind="people", fmt=fmt, filters=request.GET, request=request
    )
    return _download(exports.render(data, fmt), net, "people", fmt)


def _person_or_404(network: Network, access: NetworkAccess, uid: uuid.UUID) -> Person:
    person = get_object_or_404(
        Person.objects.in_network(network).select_related("organisation__sector"), uid=uid
    )
    if not _person_visible(person, access):
        raise Http404
    return person


@require_GET
def person_detail(request: HttpRequest, network: str, uid: uuid.UUID) -> HttpResponse:
    """A person's profile: organisation, interests, seats; contacts and history by role."""
    net, access = network_for(request, network)
    page = pagecache.context(request, net)
    person = pagecache.remember(
        page["page_key"], "person", lambda: _person_or_404(net, access, uid)
    )
    context = {
        "network": net,
        "access": access,
        "person": person,
        "can_edit": access.can_edit_person(person),
        "show_contact": contact_visible(person, access),
        "interests": person.interests.select_related("topic").order_by("-level", "topic__name"),
        "seats": Representation.objects.filter(network=net, person=person)
        .select_related("organisation")
        .order_by("-start"),
        "history": pagecache.lazy(lambda: _audit_trail(person) if access.can_view_history else []),
        **page,
    }
    return render(request, "directory/person_detail.html", context)


@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest, network: str) -> HttpResponse:
    """A facilitator, or a focal point for their own organisations, adds a person."""
    net, access = network_for(request, network)
    require(access.is_facilitator or bool(access.focal_org_ids))
    organisations = _person_organisations(net, access)
    initial = {}
    if slug := request.GET.get("organisation"):
        chosen = organisations.filter(slug=slug).first()
        initial["organisation"] = chosen.pk if chosen else None
    form = PersonForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.create_person(
                form.service_data(),
                network=net,
                topics=form.cleaned_data["topics"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect(person.get_absolute_url(net))
    return render(
        request,
        "directory/person_form.html",
        {"network": net, "access": access, "form": form, "person": None},
    )


@require_http_methods(["GET", "POST"])
def person_update(request: HttpRequest, network: str, uid: uuid.UUID) -> HttpResponse:
    """A facilitator, or the focal point of the person's organisation, edits a person."""
    net, access = network_for(request, network)
    person = _person_or_404(net, access, uid)
    require(access.can_edit_person(person))
    form = PersonForm(
        request.POST or None, organisations=_person_organisations(net, access), person=person
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(
                person,
                form.service_data(),
                network=net,
                topics=form.cleaned_data["topics"],
                acting_user=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            person = _person_or_404(net, access, uid)  # the service changed the instance
        else:
            return redirect(person.get_absolute_url(net))
    return render(
        request,
        "directory/person_form.html",
        {"network": net, "access": access, "form": form, "person": person},
    )


# Installation-wide addresses -------------------------------------------------------------
@require_GET
def organisation_global(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's profile in the first network, by name, that the user may read."""
    org = get_object_or_404(Organisation, slug=slug)
    net = (
        visible_networks(request.user)
        .filter(id__in=Membership.objects.filter(organisation=org).values("network_id"))
        .order_by("name")
        .first()
    )
    if net is None:
        raise Http404
    return redirect(org.get_absolute_url(net))


@require_GET
def person_global(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """The person's profile in the first network, by name, where the user may see them."""
    person = get_object_or_404(Person, uid=uid)
    if person.organisation_id is None:
        raise Http404
    networks = (
        visible_networks(request.user)
        .filter(
            id__in=Membership.objects.filter(organisation_id=person.organisation_id).values(
                "network_id"
            )
        )
        .order_by("name")
    )
    for net in networks:
        if _person_visible(person, get_access(request.user, net)):
            return redirect(person.get_absolute_url(net))
    raise Http404


# Privacy ---------------------------------------------------------------------------------
def _privacy_person(request: HttpRequest, network: str, uid: uuid.UUID) -> tuple:
    """A person of the network, for a facilitator of the network only."""
    net, access = network_for(request, network)
    person = _person_or_404(net, access, uid)
    require(access.is_facilitator)
    return net, access, person


@require_GET
def person_personal_data(request: HttpRequest, network: str, uid: uuid.UUID) -> HttpResponse:
    """Everything held about a person, as a JSON file, for a facilitator answering a request."""
    net, _access, person = _privacy_person(request, network, uid)
    data = privacy.export_person_data(person, acting_user=request.user)
    audit.record_export(
        net,
        user=request.user,
        kind="personal-data",
        fmt="json",
        filters={"person": str(person.uid)},
        request=request,
    )
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    filename = f"{net.slug}-person-{person.uid}-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
def person_erase(request: HttpRequest, network: str, uid: uuid.UUID) -> HttpResponse:
    """Confirm, then anonymise a person for good."""
    net, access, person = _privacy_person(request, network, uid)
    form = PersonEraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = privacy.erase_person(
                person, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, gettext("The person's data has been erased."))
            return redirect(person.get_absolute_url(net))
    return render(
        request,
        "directory/person_erase.html",
        {"network": net, "access": access, "person": person, "form": form},
    )
