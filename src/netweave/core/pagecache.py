"""Rendered parts of network pages and API lists, cached under the network's data version.

A list or profile page spends most of its time in Python: building model instances and
rendering rows. What it shows changes only when the network's data does, so the parts that
read data are cached under a key made of the network's data version
(``core.versions``, new at every change), the user (a page shows what its
viewer may see, so nothing is shared between users), the language, the time zone, the
day, the address with its query, and anything else a page's content depends on (the
meetings' clock for pages that change when a meeting starts or ends).

Templates mark those parts with ``{% cached_part "name" %}`` (the ``netweave`` library),
which reads ``page_key`` from the context; the view puts a lazy context in, so a cached
part reads nothing. What depends on the request
itself (forms with a CSRF token, messages) stays outside the cached parts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django import template
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.template.base import FilterExpression
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from netweave.core.versions import TTL, data_version

CSRF_FIELD = 'name="csrfmiddlewaretoken"'


def page_key(request: Any, network: Any, *extra: Any) -> str:
    """The key of what ``request`` shows of ``network`` (or a network id), given ``extra``."""
    network_id = network if isinstance(network, int) else network.pk
    user = getattr(request, "user", None)
    parts = (
        network_id,
        data_version(network_id),
        user.pk if user is not None and user.is_authenticated else 0,
        get_language(),
        timezone.get_current_timezone_name(),
        timezone.localdate().isoformat(),
        request.get_host(),
        request.get_full_path(),
        *extra,
    )
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()
    return f"{network_id}:{digest}"


def context(request: Any, network: Any, *extra: Any) -> dict[str, Any]:
    """What a view puts in its context for its template's ``{% cached_part %}`` blocks."""
    return {"page_key": page_key(request, network, *extra)}


def lazy(build: Callable[[], Any]) -> Any:
    """``build()``, computed when a template first reads it: a cached part never does."""
    return SimpleLazyObject(build)


class CachedPartNode(template.Node):
    """``{% cached_part "name" %}…{% endcached_part %}``: the block, cached under ``page_key``.

    Without a ``page_key`` in the context the block is rendered every time, never cached
    under a key shared by other users. A block holding a CSRF token is not cached: the
    token belongs to the request.
    """

    def __init__(self, nodelist: template.NodeList, name: FilterExpression) -> None:
        self.nodelist = nodelist
        self.name = name

    def render(self, context: template.Context) -> str:
        page = context.get("page_key")
        if not page:
            return self.nodelist.render(context)
        key = f"netweave:part:{self.name.resolve(context)}:{page}"
        html = cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if CSRF_FIELD in html:
                if settings.DEBUG or settings.TESTING:
                    raise ImproperlyConfigured(f"{key}: a cached part holds a CSRF token")
                return html
            cache.set(key, html, TTL)
        return html


def cached_part(parser: template.base.Parser, token: template.base.Token) -> CachedPartNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the part's name")
    nodelist = parser.parse(("endcached_part",))
    parser.delete_first_token()
    return CachedPartNode(nodelist, parser.compile_filter(bits[1]))


def lazy_parts(build: Callable[[], dict[str, Any]], *names: str) -> dict[str, Any]:
    """``build()``'s entries ``names``, each lazy; ``build`` runs once, at the first read.

    A lazy None is not None: test a lazy entry for truth, never with ``is None``.
    """
    built = SimpleLazyObject(build)
    return {name: SimpleLazyObject(lambda name=name: built[name]) for name in names}


def remember(page: str, name: str, build: Callable[[], Any]) -> Any:
    """``build()``, kept under the page's key: the record a page is about, say, whose
    look-up (and 404) the page needs even when its parts come from the cache.
    """
    key = f"netweave:value:{name}:{page}"
    kept = cache.get(key)  # (value,): a None is kept too
    if kept is None:
        kept = (build(),)  # a 404 raised here is not kept
        cache.set(key, kept, TTL)
    return kept[0]
