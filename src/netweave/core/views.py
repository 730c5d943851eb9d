from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from netweave import __version__
from netweave.core import audit, exports
from netweave.core.access import network_for, visible_networks
from netweave.core.models import ExportLog


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The networks this user may open."""
    networks = visible_networks(request.user).order_by("name")
    return render(request, "core/home.html", {"networks": networks})


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    """What Netweave is, with no data of its own: the floor the page benchmark measures."""
    return render(request, "core/about.html", {"version": __version__})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the database status when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 — any database failure means "unhealthy"
        return JsonResponse(
            {"status": "error", "database": {"status": "error", "error": exc.__class__.__name__}},
            status=503,
        )
    return JsonResponse(
        {
            "status": "ok",
            "version": __version__,
            "database": {"status": "ok", "vendor": connection.vendor},
        }
    )


def _invited_user(uidb64: str, token: str) -> Any:
    """The user the link was made for, or None when the link is malformed, used or expired."""
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        user = get_user_model()._default_manager.get(pk=pk)
    except (TypeError, ValueError, OverflowError, ValidationError, ObjectDoesNotExist):
        return None
    if not user.is_active or not default_token_generator.check_token(user, token):
        return None
    return user


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Let an invited person choose a password through a one-time link, then sign them in.

    The token is Django's password-reset token, which covers the password hash and the
    last sign-in: setting the password spends the link.
    """
    user = _invited_user(uidb64, token)
    if user is None:
        return render(request, "core/accept_invitation.html", {"valid_link": False})
    form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
    roles = list(
        user.network_roles.select_related("network", "organisation").order_by("network__name")
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your password is set and you are signed in."))
        networks = {role.network_id: role.network for role in roles}
        return redirect(next(iter(networks.values())) if len(networks) == 1 else "core:home")
    return render(
        request,
        "core/accept_invitation.html",
        {"valid_link": True, "form": form, "invited": user, "roles": roles},
    )


@require_GET
def network_export(request: HttpRequest, network: str, kind: str, fmt: str) -> HttpResponse:
    """Any registered list of a network as CSV, XLSX or JSON, as the user may read it."""
    net, access = network_for(request, network)
    try:
        exports.get_export(kind)
        exports.check_format(fmt)
    except exports.UnknownExport:
        raise Http404 from None
    content = exports.export_dataset(kind, net, request.user, fmt, access=access)
    audit.record_export(
        net, user=request.user, kind=kind, fmt=fmt, filters=request.GET, request=request
    )
    response = HttpResponse(content, content_type=exports.FORMATS[fmt])
    filename = f"{net.slug}-{kind}-{timezone.localdate().isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


AUDIT_LENGTH = 100


@require_GET
def network_audit(request: HttpRequest, network: str) -> HttpResponse:
    """For facilitators: who downloaded the network's records, and the latest changes."""
    net, access = network_for(request, network, edit=True)
    export_logs = ExportLog.objects.filter(network=net).order_by("-created", "-id")[:AUDIT_LENGTH]
    return render(
        request,
        "core/audit.html",
        {
            "network": net,
            "access": access,
            "export_logs": export_logs,
            "changes": audit.recent_changes(net, limit=AUDIT_LENGTH),
        },
    )
