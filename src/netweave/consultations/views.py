"""Consultation pages: list, set-up, commenting, synthesis and the coordinated feedback.

Each view looks the network up with ``core.access.network_for`` (404 when the network is
not visible), applies ``permissions.py`` (404 for a consultation the user may not read, 403
to change what is visible) and writes through ``services.py``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netweave.consultations import permissions, services
from netweave.consultations.feedback import feedback_download
from netweave.consultations.forms import (
    CommentEditForm,
    CommentForm,
    ConsultationForm,
    DissentForm,
    PublishForm,
    RecommendationForm,
    ResponseForm,
    section_formset,
    sections_from,
)
from netweave.consultations.models import (
    Comment,
    CommentKind,
    Consultation,
    Phase,
    Recommendation,
    Response,
    Status,
)
from netweave.core.access import NetworkAccess, network_for, require
from netweave.core.forms import apply_service_errors
from netweave.directory.models import Organisation
from netweave.networks.models import Network


def _get(queryset: Any, **lookup: Any) -> Any:
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValidationError):
        raise Http404 from None


def _network(request: HttpRequest, network: str) -> tuple[Network, NetworkAccess]:
    """Consultations are for people with a role in the network; others find nothing."""
    net, access = network_for(request, network)
    if not permissions.can_read(access):
        raise Http404
    return net, access


def _consultation(net: Network, access: NetworkAccess, uid: Any) -> Consultation:
    consultation = _get(
        Consultation.objects.filter(network=net).select_related("owner__sector", "network"),
        uid=uid,
    )
    if not permissions.can_see(access, consultation):
        raise Http404
    return consultation


def _page(consultation: Consultation, anchor: str = "") -> str:
    return consultation.get_absolute_url() + (f"#{anchor}" if anchor else "")


# List and set-up -------------------------------------------------------------------------
@require_GET
def consultation_list(request: HttpRequest, network: str) -> HttpResponse:
    """The network's consultations the user may read, with their phase and comment counts."""
    net, access = _network(request, network)
    consultations = (
        Consultation.objects.filter(network=net)
        .visible_to(access)
        .select_related("owner")
        .annotate(
            section_count=Count("sections", distinct=True),
            comment_count=Count("sections__comments", distinct=True),
            recommendation_count=Count("recommendations", distinct=True),
        )
        .order_by("-opens", "-id")
    )
    return render(
        request,
        "consultations/consultation_list.html",
        {
            "network": net,
            "access": access,
            "consultations": consultations,
            "can_run": permissions.can_run(access),
        },
    )


def _save_consultation(
    request: HttpRequest, net: Network, consultation: Consultation | None
) -> tuple[Any, Any, Consultation | None]:
    form = ConsultationForm(request.POST or None, network=net, consultation=consultation)
    formset = section_formset(request.POST or None, consultation)
    if request.method != "POST" or not (form.is_valid() & formset.is_valid()):
        return form, formset, None
    data = dict(form.cleaned_data)
    try:
        if consultation is None:
            saved = services.create_consultation(
                net, sections=sections_from(formset), acting_user=request.user, **data
            )
        else:
            saved = services.update_consultation(
                consultation, sections=sections_from(formset), acting_user=request.user, **data
            )
    except ValidationError as error:
        section_errors = getattr(error, "error_dict", {}).pop("sections", None)
        if section_errors:
            for message in section_errors:
                form.add_error(None, message.messages)
        if not hasattr(error, "error_dict") or error.error_dict:
            apply_service_errors(form, error)
        return form, formset, None
    return form, formset, saved


@require_http_methods(["GET", "POST"])
def consultation_create(request: HttpRequest, network: str) -> HttpResponse:
    """A facilitator drafts a consultation: details, invitation rule and sections."""
    net, access = _network(request, network)
    require(permissions.can_run(access))
    form, formset, saved = _save_consultation(request, net, None)
    if saved is not None:
        messages.success(request, _("The consultation is saved as a draft."))
        return redirect(saved)
    return render(
        request,
        "consultations/consultation_form.html",
        {"network": net, "access": access, "form": form, "formset": formset},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def consultation_edit(request: HttpRequest, network: str, uid: Any) -> HttpResponse:
    net, access = _network(request, network)
    consultation = _consultation(net, access, uid)
    require(permissions.can_run(access) and consultation.status != Status.PUBLISHED)
    form, formset, saved = _save_consultation(request, net, consultation)
    if saved is not None:
        messages.success(request, _("The consultation is saved."))
        return redirect(saved)
    return render(
        request,
        "consultations/consultation_form.html",
        {
            "network": net,
            "access": access,
            "form": form,
            "formset": formset,
            "consultation": consultation,
        },
        status=400 if request.method == "POST" else 200,
    )


def _transition(request: HttpRequest, network: str, uid: Any, action: Any, done: str) -> Any:
    net, access = _network(request, network)
    consultation = _consultation(net, access, uid)
    require(permissions.can_run(access))
    try:
        action(consultation, acting_user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return consultation


@require_POST
def consultation_open(request: HttpRequest, network: str, uid: Any) -> HttpResponse:
    consultation = _transition(
        request,
        network,
        uid,
        services.open_consultation,
        _("The consultation is open to the invited members."),
    )
    return redirect(consultation)


@require_POST
def consultation_close(request: HttpRequest, network: str, uid: Any) -> HttpResponse:
    consultation = _transition(
        request, network, uid, services.close_consultation, _("The consultation is closed.")
    )
    return redirect("consultations:synthesis", network=network, uid=consultation.uid)


# Detail and comments ---------------------------------------------------------------------
def _decorate_comments(
    sections: list[Any], access: NetworkAccess, consultation: Consultation, endorsers: set[int]
) -> None:
    """Mark what the user may do with each comment, without further queries."""
    is_open = consultation.phase() == Phase.OPEN
    names = {org.pk: org for org in Organisation.objects.filter(pk__in=endorsers)}
    for section in sections:
        for comment in section.comments.all():
            comment.may_edit = is_open and permissions.can_edit_comment(access, comment)
            endorsed_by = {e.organisation_id for e in comment.endorsements.all()}
            comment.endorse_as = (
                [
                    (names[org_id], org_id in endorsed_by)
                    for org_id in sorted(endorsers, key=lambda o: names[o].name)
                    if org_id != comment.organisation_id
                ]
                if is_open
                else []
            )


def _documents(consultation: Consultation) -> list[Any]:
    """Attached documents with the address to open each: its library page, or its link."""
    documents = list(consultation.documents.order_by("title"))
    for document in documents:
        try:
            document.href = document.get_absolute_url()
        except NoReverseMatch:
            document.href = document.url or ""
    return documents


def _detail_context(
    request: HttpRequest, net: Network, access: NetworkAccess, consultation: Consultation
) -> dict[str, Any]:
    invited = list(services.invited_organisations(consultation))
    invited_ids = {org.pk for org in invited}
    see_all = permissions.can_see_all_comments(access, consultation)
    own = set(access.focal_org_ids) if access.is_focal_point else set()
    if see_all:
        sections = list(services.sections_with_comments(consultation))
    elif own:
        sections = list(services.sections_with_comments(consultation, only_org_ids=own))
    else:
        sections = list(services.sections_with_comments(consultation, only_org_ids=set()))
    phase = consultation.phase()
    commenting = (
        [
            org
            for org in invited
            if org.pk in permissions.commenting_organisations(access, invited_ids)
        ]
        if phase == Phase.OPEN
        else []
    )
    endorsers = (
        permissions.endorsing_organisations(access, consultation, invited_ids) if see_all else set()
    )
    _decorate_comments(sections, access, consultation, endorsers)
    synthesis = permissions.can_see_synthesis(access, consultation) and phase != Phase.DRAFT
    recommendations = services.recommendations_of(consultation) if synthesis else []
    return {
        "network": net,
        "access": access,
        "consultation": consultation,
        "phase": phase,
        "invited": invited,
        "sections": sections,
        "documents": _documents(consultation),
        "see_all": see_all,
        "commenting": commenting,
        "kinds": CommentKind.choices,
        "can_run": permissions.can_run(access),
        "synthesis": synthesis,
        "recommendations": recommendations,
        "can_respond": permissions.can_respond(access, consultation),
        "responses": Response.choices,
        "is_invited": bool(invited_ids & set(access.focal_org_ids)),
    }


@require_GET
def consultation_detail(request: HttpRequest, network: str, uid: Any) -> HttpResponse:
    """Sections with the comments the user may read, a comment form per section while open."""
    net, access = _network(request, network)
    consultation = _consultation(net, access, uid)
    return render(
        request,
        "consultations/consultation_detail.html",
        _detail_context(request, net, access, consultation),
    )


@require_POST
def comment_create(request: HttpRequest, network: str, uid: Any) -> HttpResponse:
    """A focal point comments on one section for an invited organisation."""
    net, access = _network(request, network)
    consultation = _consultation(net, access, uid)
    invited_ids = services.invited_ids(consultation)
    org_ids = permissions.commenting_organisations(access, invited_ids)
    require(bool(org_ids) or access.is_focal_point)
    form = CommentForm(request.POST, consultation=consultation, org_ids=org_ids)
    if form.is_valid():
        try:
            comment = services.add_comment(
                consultation, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your comment is recorded."))
            return redirect(_page(consultation, f"comment-{comment.uid}"))
    context = _detail_context(request, net, access, consultation)
    context["comment_errors"] = [str(m) for errors in form.errors.values() for m in errors]
    context["error_section"] = request.POST.get("section", "")
    context["posted"] = {"text": request.POST.get("text", ""), "kind": request.POST.get("kind")}
    return render(request, "consultations/consultation_detail.html", context, status=400)


def _comment(consultation: Consultation, access: NetworkAccess, comment_uid: Any) -> Comment:
    comment = _get(
        Comment.objects.filter(section__consultation=consultation).select_related(
            "section__consultation__network", "organisation__sector"
        ),
        uid=comment_uid,
    )
    visible = permissions.can_see_all_comments(access, consultation) or (
        comment.organisation_id in access.focal_org_ids
    )
    if not visible:
        raise Http404
    return comment


@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, network: str, uid: Any, comment: Any) -> HttpResponse:
    """The commenting organisation (or a facilitator) changes a comment until the close."""
    net, access = _network(request, network)
    consultation = _consultation(net, access, uid)
    item = _comment(consultation, access, comment)
    require(permissions.can_edit_comment(access, item))
    form = CommentEditForm(request.POST or None, initial={"kind": item.kind, "text": item.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_comment(item, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The comment is changed."))
            return redirect(_page(consultation, f"comment-{item.uid}"))
    return render(
        request,
        "consultations/comment_form.html",
        {
            "network": net,
            "access": access,
            "consultation": consultation,
            "comment": item,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@require_POST
def comment_endorse(request: HttpRequest, network: str, uid: Any, comment: Any) -> HttpResponse:
    """Endorse another organisation's comment, or withdraw the endorsement (a toggle)."""
    net, access = _network(request, network)
    consultation = _consultation(net, access, uid)
    item = _comment(consultation, access, comment)
    invited_ids = services.invited_ids(consultation)
    endorsers = permissions.endorsing_organisations(access, consultation, invited_ids)
    require(bool(endorsers))
    organisation = Organisation.objects.filter(
        pk__in=endorsers, slug=request.POST.get("organisation", "")
    ).first()
    if organisation is None:
        raise PermissionDenied
    try:
        if item.endorsements.filter(organisation=organisation).exists():
            services.withdraw_endorsement(item, organisation=organisation, acting_user=request.user)
        else:
            services.endorse_comment(item, organisation=organisation, acting_user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    if request.htmx:
        sections = [
            section
            for section in services.sections_with_comments(consultation)
            if section.pk == item.section_id
        ]
        _decorate_comments(sections, access, consultation, endorsers)
        (fresh,) = [c for c in sections[0].comments.all() if c.pk == item.pk]
        return render(
            request,
            "consultations/_comment.html",
            {
                "network": net,
                "consultation": consultation,
                "comment": fresh,
                "see_all": True,
            },
        )
    return redirect(_page(consultation, f"comment-{item.uid}"))


# Synthesis -------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def synthesis(request: HttpRequest, network: str, uid: Any) -> HttpResponse:
    """The facilitator groups comments into recommendations and records dissent."""
    net, access = _network(request, network)
    consultation = _consultation(net, access, uid)
    require(permissions.can_run(access))
    if consultation.status == Status.DRAFT:
        raise Http404
    form = RecommendationForm(request.POST or None, consultation=consultation)
    if request.method == "POST":
        require(consultation.status != Status.PUBLISHED)
        if form.is_valid():
            try:
                services.create_recommendation(
                    consultation, acting_user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The recommendation is added."))
                return redirect("consultations:synthesis", network=network, uid=consultation.uid)
    invited = services.invited_organisations(consultation)
    recommendations = services.recommendations_of(consultation)
    return render(
        request,
        "consultations/synthesis.html",
        {
            "network": net,
            "access": access,
            "consultation": consultation,
            "phase": consultation.phase(),
            "form": form,
            "selected": set(request.POST.getlist("comments")),
            "sections": services.sections_with_comments(consultation),
            "recommendations": recommendations,
            "invited": list(invited),
            "publish_form": PublishForm(initial={"note": consultation.synthesis_note}),
        },
        status=400 if form.errors else 200,
    )


def _recommendation(consultation: Consultation, rec: Any) -> Recommendation:
    return _get(
        Recommendation.objects.filter(consultation=consultation).select_related(
            "consultation__network", "section"
        ),
        uid=rec,
    )


@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, network: str, uid: Any, rec: Any) -> HttpResponse:
    net, access = _network(request, network)
    consultation = _consultation(net, access, uid)
    require(permissions.can_run(access) and consultation.status != Status.PUBLISHED)
    recommendation = _recommendation(consultation, rec)
    initial = {
        "text": recommendation.text,
        "section": recommendation.section.uid if recommendation.section else None,
        "comments": [c.uid for c in recommendation.comments.all()],
    }
    form = RecommendationForm(request.POST or None, consultation=consultation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_recommendation(
                recommendation, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The recommendation is changed."))
            return redirect("consultations:synthesis", network=network, uid=consultation.uid)
    selected = {str(u) for u in (request.POST.getlist("comments") or initial["comments"])}
    return render(
        request,
        "consultations/recommendation_form.html",
        {
            "network": net,
            "access": access,
            "consultation": consultation,
            "recommendation": recommendation,
            "form": form,
            "selected": selected,
            "sections": services.sections_with_comments(consultation),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def recommendation_delete(request: HttpRequest, network: str, uid: Any, rec: Any) -> HttpResponse:
    net, access = _network(request, network)
    consultation = _consultation(net, access, uid)
    require(permissions.can_run(access))
    recommendation = _recommendation(consultation, rec)
    try:
        services.delete_recommendation(recommendation, acting_user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The recommendation is removed."))
    return redirect("consultations:synthesis", network=network, uid=consultation.uid)


@require_POST
def dissent_add(request: HttpRequest, network: str, uid: Any, rec: Any) -> HttpResponse:
    net, access = _network(request, network)
    consultation = _consultation(net, access, uid)
    require(permissions.can_run(access))
    recommendation = _recommendation(consultation, rec)
    form = DissentForm(request.POST, invited=services.invited_organisations(consultation))
    if form.is_valid():
        try:
            services.record_dissent(recommendation, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
    if form.errors:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        messages.success(request, _("The objection is recorded."))
    return redirect(
        reverse("consultations:synthesis", kwargs={"network": network, "uid": consultation.uid})
        + f"#rec-{recommendation.uid}"
    )


@require_POST
def consultation_publish(request: HttpRequest, network: str, uid: Any) -> HttpResponse:
    net, access = _network(request, network)
    consultation = _consultation(net, access, uid)
    require(permissions.can_run(access))
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        services.publish_synthesis(
            consultation, note=form.cleaned_data.get("note", ""), acting_user=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("consultations:synthesis", network=network, uid=consultation.uid)
    messages.success(request, _("The synthesis is published."))
    return redirect(consultation)


@require_POST
def response_record(request: HttpRequest, network: str, uid: Any, rec: Any) -> HttpResponse:
    """The owner's focal point (or a facilitator) records what became of a recommendation."""
    net, access = _network(request, network)
    consultation = _consultation(net, access, uid)
    require(permissions.can_respond(access, consultation))
    recommendation = _recommendation(consultation, rec)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.record_response(recommendation, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
    if form.errors:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        messages.success(request, _("The response is recorded."))
    return redirect(_page(consultation, f"rec-{recommendation.uid}"))


# The coordinated feedback ----------------------------------------------------------------
def _feedback_for(request: HttpRequest, network: str, uid: Any) -> tuple[Any, Any, Any]:
    net, access = _network(request, network)
    consultation = _consultation(net, access, uid)
    if consultation.status == Status.DRAFT or not permissions.can_see_synthesis(
        access, consultation
    ):
        raise Http404
    return net, access, consultation


@require_GET
def feedback_page(request: HttpRequest, network: str, uid: Any) -> HttpResponse:
    """The coordinated feedback as a printable page."""
    net, access, consultation = _feedback_for(request, network, uid)
    return render(
        request,
        "consultations/feedback.html",
        {
            "network": net,
            "access": access,
            "consultation": consultation,
            "doc": services.feedback(consultation),
        },
    )


@require_GET
def feedback_pdf_download(request: HttpRequest, network: str, uid: Any) -> HttpResponse:
    _net, _access, consultation = _feedback_for(request, network, uid)
    return feedback_download(consultation, "pdf")


@require_GET
def feedback_docx_download(request: HttpRequest, network: str, uid: Any) -> HttpResponse:
    _net, _access, consultation = _feedback_for(request, network, uid)
    return feedback_download(consultation, "docx")
