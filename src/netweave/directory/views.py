from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def organisation_list(request: HttpRequest, network: str) -> HttpResponse:
    raise NotImplementedError


def organisation_detail(request: HttpRequest, network: str, slug: str) -> HttpResponse:
    raise NotImplementedError


def person_list(request: HttpRequest, network: str) -> HttpResponse:
    raise NotImplementedError


def person_detail(request: HttpRequest, network: str, uid) -> HttpResponse:
    raise NotImplementedError


def organisation_global(request: HttpRequest, slug: str) -> HttpResponse:
    raise NotImplementedError


def person_global(request: HttpRequest, uid) -> HttpResponse:
    raise NotImplementedError
