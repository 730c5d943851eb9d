"""Shared pieces of the REST API: service errors, slug fields scoped to the caller, a mixin.

The permission policy itself stays in ``core.access``; these pieces only apply it to DRF.
Refusals follow the same two answers as the pages: a record the caller may not see is
missing (404; in a request body: "does not exist", 400), a record the caller sees but may
not change is forbidden (403).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings

from netweave.core import pagecache
from netweave.core.access import NetworkAccess, get_access, visible_networks
from netweave.core.versions import known_network_id, remember_network


# Service errors --------------------------------------------------------------------------
def api_validation_error(error: DjangoValidationError) -> serializers.ValidationError:
    """The DRF 400 that carries a service's ``ValidationError`` messages, by field."""
    if hasattr(error, "error_dict"):
        detail: dict[str, Any] = {
            (api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key): messages
            for key, messages in error.message_dict.items()
        }
    else:
        detail = {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
    return serializers.ValidationError(detail)


@contextmanager
def service_errors() -> Iterator[None]:
    """Run a service call; its ``ValidationError`` becomes a 400 with the field messages."""
    try:
        yield
    except DjangoValidationError as error:
        raise api_validation_error(error) from None


# Fields ----------------------------------------------------------------------------------
def request_user(context: dict[str, Any]) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


@extend_schema_field(OpenApiTypes.STR)
class ScopedSlugField(serializers.SlugRelatedField):
    """A foreign key given by slug, looked up only among what the caller may see.

    A slug outside that scope reads as one that does not exist, so ids cannot be probed.
    Subclasses say what the caller may see in ``scope(user)``.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)

    def scope(self, user: Any) -> QuerySet:  # pragma: no cover - always overridden
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        return self.scope(request_user(self.context))


class VisibleNetworkField(ScopedSlugField):
    """A network, by slug, among those the caller may read."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("Slug of a network you may read."))
        super().__init__(**kwargs)

    def scope(self, user: Any) -> QuerySet:
        return visible_networks(user)


def visible_organisations(user: Any) -> QuerySet:
    """Organisations with a membership (current or past) of a network the user may read."""
    Organisation = apps.get_model("directory", "Organisation")
    Membership = apps.get_model("networks", "Membership")
    in_visible = Membership.objects.filter(network__in=visible_networks(user))
    return Organisation.objects.filter(id__in=in_visible.values("organisation_id"))


class VisibleOrganisationField(ScopedSlugField):
    """An organisation, by slug, among those the caller may see."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("Slug of an organisation you may see."))
        super().__init__(**kwargs)

    def scope(self, user: Any) -> QuerySet:
        return visible_organisations(user)


# Filters ---------------------------------------------------------------------------------
def _visible_networks_of(request: Any) -> QuerySet:
    return visible_networks(getattr(request, "user", None))


class NetworkChoiceField(filter_fields.ModelChoiceField):
    """A network by slug; one found is remembered for ``CachedNetworkListMixin``'s key."""

    def clean(self, value: Any) -> Any:
        network = super().clean(value)
        if network is not None:
            remember_network(network)
        return network


class NetworkChoiceFilter(filters.ModelChoiceFilter):
    field_class = NetworkChoiceField


def network_filter(**kwargs: Any) -> filters.ModelChoiceFilter:
    """``?network=<slug>`` among the networks the caller may read (others: 400)."""
    kwargs.setdefault("label", _("Network"))
    kwargs.setdefault("help_text", _("Slug of a network you may read."))
    return NetworkChoiceFilter(queryset=_visible_networks_of, to_field_name="slug", **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class SlugsFilter(filters.ModelMultipleChoiceFilter):
    """Taxonomy entries by slug, any of several: ``?sector=ngo&sector=un-agency``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(**kwargs)


# Viewsets --------------------------------------------------------------------------------
class NetworkScopedMixin:
    """For records that carry a ``network``: only those of networks the caller may read.

    ``access_for(network)`` gives the caller's ``NetworkAccess`` there (one query per
    network, cached on the user), so a view's checks read like the pages' checks.
    """

    network_field = "network"
    request: Any

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()  # type: ignore[misc]
        return queryset.filter(**{f"{self.network_field}__in": visible_networks(self.request.user)})

    def access_for(self, network: Any) -> NetworkAccess:
        return get_access(self.request.user, network)


class CachedNetworkListMixin:
    """List answers filtered to one network (``?network=<slug>``), cached like the pages.

    The serialised page is kept under ``core.pagecache.page_key``: the network's data
    version, the caller, the language, the day and the whole address with its query, and
    whatever ``list_cache_extra`` adds. A network the caller may not read, or none, is
    answered the usual way (a 400 from the filter, or the list across networks).
    """

    request: Any

    def list_cache_extra(self, network: Any) -> tuple[Any, ...]:
        return ()

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # Not checked here: a network the caller may not read is refused by the filter, and
        # a refusal is not cached; the caller's roles are part of the data version. A slug
        # not seen lately is answered uncached (the filter remembers it for next time).
        slug = request.query_params.get("network")
        network = known_network_id(slug) if slug else None
        if network is None:
            return super().list(request, *args, **kwargs)  # type: ignore[misc]
        key = "netweave:api-list:" + pagecache.page_key(
            request, network, request.accepted_renderer.format, *self.list_cache_extra(network)
        )
        data = cache.get(key)
        if data is not None:
            return Response(data)
        response = super().list(request, *args, **kwargs)  # type: ignore[misc]
        if response.status_code == 200:
            cache.set(key, response.data, pagecache.TTL)
        return response


class Pagination(PageNumberPagination):
    """Fifty a page; callers may ask for up to 500 with ``?page_size=``."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
