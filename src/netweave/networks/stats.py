"""Per-network data version and the network home's cached counts.

Every change to a network's members, people, meetings, attendance, or to what its
yearly report counts (task groups, requests, activities, consultations, outcomes,
indicators) gets a new data version (``bump_data_version``, called from signals and from
bulk loaders that bypass them); anything derived from that data is cached under the
version, so a change makes the old entries unreachable at once and they expire on their own.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import get_language

from netweave.networks.models import Membership, Network

# Derived entries live this long at most, so writes that bypass signals and loaders (a raw
# SQL fix, a bulk update in a shell) show within the hour.
TTL = 3600


def _version_key(network_id: int) -> str:
    return f"netweave:data-version:{network_id}"


def data_version(network: Network | int) -> str:
    """The current data version of ``network`` (an opaque string)."""
    network_id = network if isinstance(network, int) else network.pk
    key = _version_key(network_id)
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        # add, not set: another process may have just created one
        if not cache.add(key, version, None):
            version = cache.get(key) or version
    return version


def bump_data_version(network: Network | int) -> None:
    """Mark ``network``'s data as changed: every cached result derived from it is stale."""
    network_id = network if isinstance(network, int) else network.pk
    cache.set(_version_key(network_id), uuid.uuid4().hex, None)


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
# Models whose rows feed a network's counts, charts and analyses, and how a row finds its
# network(s). Imports write in bulk, bypassing signals, but end with a save of their
# ImportRecord, which lands here too; other bulk writers call bump_data_version themselves
# or are caught by the TTL.
def _networks_of(instance: Any) -> list[int]:
    network_id = getattr(instance, "network_id", None)
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
        return []
    return list(
        Membership.objects.filter(organisation_id=organisation_id)
        .values_list("network_id", flat=True)
        .distinct()
    )


# The record a change belongs to, when it has no network of its own: a contribution is its
# activity's, a comment its section's, whose consultation is the network's.
PARENTS = (
    "meeting",
    "task_group",
    "activity",
    "deliverable",
    "section",
    "consultation",
    "indicator",
)

# Named by label, not imported: the apps that own them depend on this one, not the reverse.
WATCHED = (
    "networks.Membership",
    "networks.Network",
    "networks.StageMilestone",
    "directory.Organisation",
    "directory.Person",
    "directory.Relationship",
    "meetings.Meeting",
    "meetings.Attendance",
    "meetings.Registration",
    "imports.ImportRecord",
    # what the yearly report counts, so a cached report is stale the moment they change
    "governance.TaskGroup",
    "governance.Deliverable",
    "governance.DeliverableDocument",
    "governance.MemberRequest",
    "activities.JointActivity",
    "activities.Participation",
    "activities.Contribution",
    "activities.ExchangeRate",
    "consultations.Consultation",
    "consultations.Comment",
    "consultations.Recommendation",
    "influence.Outcome",
    "influence.Indicator",
    "influence.IndicatorValue",
)


def _changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures being loaded
    for network_id in _networks_of(instance):
        bump_data_version(network_id)


def connect_signals() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    for label in WATCHED:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        post_save.connect(_changed, sender=model, dispatch_uid=f"netweave-data-{label}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"netweave-data-{label}-delete")
