"""NUL characters are bad input: refused with a 400 before they reach the database.

A NUL (0x00) character is never meaningful in Netweave's text, and PostgreSQL cannot
store or even compare it: a slug or uid holding one reached the database in a look-up
and failed there (a server error) instead of being refused as bad input. Django's and
DRF's text fields already refuse it; the middleware refuses it in any address (path or
query string) and the API's parsers in any field of any body, with a 400 that says why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

NUL = "\x00"


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_nul(item) for item in value)
    if hasattr(value, "lists"):  # a QueryDict of a form body
        return any(_holds_nul(key) or _holds_nul(items) for key, items in value.lists())
    return False


def _message() -> str:
    return _("Text may not contain NUL (0x00) characters.")


def refuse_nul(data: Any) -> Any:
    """``data`` unchanged, or a 400 if any of its text holds a NUL character."""
    if _holds_nul(getattr(data, "data", data)):
        raise ParseError(_message())
    return data


class RefuseNulMiddleware:
    """A 400 for an address whose path or query string holds a NUL character (JSON for
    the API), before any view reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _message()}, status=400)
            return HttpResponseBadRequest(_message(), content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        return refuse_nul(super().parse(stream, media_type, parser_context))


class FormParser(parsers.FormParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        return refuse_nul(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        return refuse_nul(super().parse(stream, media_type, parser_context))
