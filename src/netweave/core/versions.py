"""A network's data version: an opaque string, new at every change of the network's data.

Anything derived from a network's data (counts, analyses, reports, rendered parts of pages,
API lists) is cached under the version, so a change makes the old entries unreachable at
once and they expire on their own. A version is the network's own and the installation's
(``GLOBAL``: sectors, topics, accounts, roles, networks themselves), joined. What bumps
which version is ``networks.stats``; this module only keeps them, in the cache every
process shares.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction

# Derived entries live this long at most, so writes that bypass signals and loaders (a raw
# SQL fix, a bulk update in a shell) show within the hour.
TTL = 3600


GLOBAL = "global"


def _version_key(network_id: int | str) -> str:
    return f"netweave:data-version:{network_id}"


def _version(network_id: int | str) -> str:
    key = _version_key(network_id)
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        # add, not set: another process may have just created one
        if not cache.add(key, version, None):
            version = cache.get(key) or version
    return version


def data_version(network: Any) -> str:
    """The current data version of ``network`` (a network or its id; an opaque string).

    It changes when the network's own records change and when an installation-wide one
    does (a sector, a topic, an account's name), since its pages show those too.
    """
    network_id = network if isinstance(network, int) else network.pk
    keys = (_version_key(network_id), _version_key(GLOBAL))
    found = cache.get_many(keys)  # one round trip to a shared cache
    own = found.get(keys[0]) or _version(network_id)
    return f"{own}.{found.get(keys[1]) or _version(GLOBAL)}"


def installation_key(name: str, value: str) -> str:
    """A cache key for ``value`` (hashed: it may come from an address, any characters at
    all) under the installation-wide version."""
    digest = hashlib.blake2b(value.encode(errors="replace"), digest_size=16).hexdigest()
    return f"netweave:{name}:{_version(GLOBAL)}:{digest}"


def _network_id_key(slug: str) -> str:
    return installation_key("network-id", slug)


def known_network_id(slug: str) -> int | None:
    """The id of the network called ``slug``, if a request has read it lately; else None.

    Kept under the installation-wide version, which a network's own change bumps
    (``networks.stats.GLOBAL_MODELS``), so a renamed slug is never taken for its old network.
    """
    return cache.get(_network_id_key(slug))


def remember_network(network: Any) -> None:
    cache.set(_network_id_key(network.slug), network.pk, TTL)


def bump_data_version(network: Any) -> None:
    """Mark ``network``'s data as changed: every cached result derived from it is stale.

    ``GLOBAL`` marks every network's data as changed.
    """
    network_id = network if isinstance(network, int | str) else network.pk
    cache.set(_version_key(network_id), uuid.uuid4().hex, None)


class BumpOnCommit:
    """Bumps the networks a transaction changed, once more when it commits.

    A page read between a change and its commit would otherwise be cached, with the old
    data, under the new version. One per transaction (and savepoint), whatever it changed.
    """

    def __init__(self) -> None:
        self.network_ids: set[int | str] = set()

    def __call__(self) -> None:
        for network_id in self.network_ids:
            bump_data_version(network_id)


def bump(network_ids: list[int | str]) -> None:
    for network_id in network_ids:
        bump_data_version(network_id)
    connection = transaction.get_connection()
    if not network_ids or not connection.in_atomic_block:
        return
    savepoints = set(connection.savepoint_ids)
    for registered_in, callback, _robust in connection.run_on_commit:
        if isinstance(callback, BumpOnCommit) and registered_in == savepoints:
            callback.network_ids.update(network_ids)
            return
    callback = BumpOnCommit()
    callback.network_ids.update(network_ids)
    transaction.on_commit(callback)


def data_changed(*network_ids: int | str) -> None:
    """For bulk writes, which send no signals: bump now and again when the change commits."""
    bump(list(network_ids))
