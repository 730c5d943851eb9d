"""What bumps a network's data version, and the network home's cached counts.

The version itself is ``core.versions``. Every change to any record of the project's apps
(members, people, meetings, attendance, what a yearly report counts...) bumps the version
of the network(s) it belongs to, through the signals connected here; bulk writers, which
send none, call ``data_changed`` themselves. Anything derived from a network's data is
cached under its version, so a change makes the old entries unreachable at once and they
expire on their own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import get_language

from netweave.core.versions import (  # noqa: F401 (the names other apps use from here)
    GLOBAL,
    TTL,
    BumpOnCommit,
    bump,
    bump_data_version,
    data_changed,
    data_version,
    known_network_id,
    remember_network,
)
from netweave.networks.models import Membership, Network


@dataclass(frozen=True)
class HomeData:
    sectors: list[Any]
    growth: list[Any]
    people: int
    meetings: int


def home_data(network: Network, *, today: dt.date | None = None) -> HomeData:
    """The network home's counts and charts' data, cached per data version, day and language."""
    from netweave.directory.models import Person
    from netweave.networks import charts

    today = today or timezone.localdate()
    # Sector names are translated when read, hence the language in the key.
    key = f"netweave:home:{network.pk}:{data_version(network)}:{today.isoformat()}:{get_language()}"
    data = cache.get(key)
    if data is None:
        current = Membership.objects.current().filter(network=network).values("organisation_id")
        data = HomeData(
            sectors=charts.members_by_sector(network),
            growth=charts.membership_growth(network, today=today),
            people=Person.objects.filter(organisation_id__in=current).count(),
            meetings=network.meetings.count(),
        )
        cache.set(key, data, TTL)
    return data


# Invalidation ---------------------------------------------------------------------------------
# Every record of the project's own apps feeds some network's pages, counts, charts or
# reports, and cached pages show them all, so every save and delete bumps the version of
# the network(s) the record belongs to. Imports write in bulk, bypassing signals, but end
# with a save of their ImportRecord, which lands here too; other bulk writers call
# data_changed themselves or are caught by the TTL.

# Installation-wide records: shown in every network, so a change bumps them all. A role
# changes which networks its holder may see, and lists show those networks' slugs; so does
# a network's own change (its name, its slug).
GLOBAL_MODELS = (
    "directory.Sector",
    "directory.Topic",
    "partnerships.ArrangementType",
    "auth.User",
    "networks.Role",
    "networks.Network",
)

# Bookkeeping that no page shows as data: not watched.
UNWATCHED = (
    "core.ExportLog",
    "meetings.SentMessage",
    "partnerships.HealthReminder",
)

# The record a change belongs to, when it has no network of its own: a contribution is its
# activity's, a comment its section's, whose consultation is the network's. Tried in order.
PARENTS = (
    "meeting",
    "task_group",
    "activity",
    "deliverable",
    "section",
    "consultation",
    "indicator",
    "body",
    "offer",
    "partner",
    "partnership",
    "round",
    "goal",
    "comment",
    "recommendation",
    "template",
    "person",
)


def _networks_of(instance: Any) -> list[int | str]:
    """The networks whose data ``instance`` is part of (``GLOBAL`` for installation-wide)."""
    if instance._meta.label in GLOBAL_MODELS:
        return [GLOBAL]
    network_id = getattr(instance, "network_id", None)
    if instance._meta.label == "networks.Membership":
        # an organisation's networks are listed wherever it is shown
        return [network_id, *_networks_of(instance.organisation)]
    if network_id is not None:
        return [network_id]
    for parent_name in PARENTS:
        if getattr(instance, f"{parent_name}_id", None) is not None:
            try:
                return _networks_of(getattr(instance, parent_name))
            except ObjectDoesNotExist:  # deleted with it
                return []
    organisation_id = getattr(instance, "organisation_id", None)
    if instance._meta.label == "directory.Organisation":
        organisation_id = instance.pk
    if organisation_id is None:
        # a person of no organisation (a walk-in) shows in the meetings they came to
        return [GLOBAL] if instance._meta.label == "directory.Person" else []
    return list(
        Membership.objects.filter(organisation_id=organisation_id)
        .values_list("network_id", flat=True)
        .distinct()
    )


def watched_models() -> list[Any]:
    """The models whose changes bump a data version: the project's own, less bookkeeping."""
    from django.apps import apps

    models = [apps.get_model(label) for label in GLOBAL_MODELS]
    for model in apps.get_models():
        if (
            model.__module__.startswith("netweave.")
            and not model.__name__.startswith("Historical")
            and model._meta.label not in UNWATCHED
            and model not in models
        ):
            models.append(model)
    return models


def _changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures being loaded
    if kwargs.get("update_fields") == frozenset({"last_login"}):
        return  # signing in changes nothing shown
    bump(_networks_of(instance))


def _m2m_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        bump(_networks_of(instance))


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in watched_models():
        label = model._meta.label
        post_save.connect(_changed, sender=model, dispatch_uid=f"netweave-data-{label}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"netweave-data-{label}-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _m2m_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"netweave-data-{label}-{field.name}-m2m",
            )
