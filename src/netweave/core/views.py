from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from netweave import __version__
from netweave.core.access import visible_networks


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The networks this user may open."""
    networks = visible_networks(request.user).order_by("name")
    return render(request, "core/home.html", {"networks": networks})


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


def accept_invitation(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    raise NotImplementedError
