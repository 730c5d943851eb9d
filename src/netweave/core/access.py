"""The one permission policy of Netweave.

Every page, API endpoint, admin action and command asks this module who may see and
change what. Access is per network: a user's roles in a network are read once per request
(one query) and kept on the user object; a page's network and the roles in it are also
kept in the shared cache until a network, role or account changes.

Two answers for a refusal, on purpose:
- the record is not visible to the user at all → 404, so "forbidden" and "missing" look
  alike and ids cannot be probed;
- the record is visible but the user may not change it → 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from netweave.core import versions
from netweave.core.signals import current_request, log_refusal

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from netweave.directory.models import Organisation, Person
    from netweave.networks.models import Network

    AnyUser = AbstractBaseUser | AnonymousUser

FACILITATOR = "facilitator"
STEERING = "steering"
FOCAL_POINT = "focal_point"
OBSERVER = "observer"


@dataclass(frozen=True)
class NetworkAccess:
    """What one user may do in one network."""

    network: Network
    authenticated: bool = False
    is_staff: bool = False
    kinds: frozenset[str] = frozenset()
    focal_org_ids: frozenset[int] = field(default_factory=frozenset)

    # Reading -----------------------------------------------------------------------
    @property
    def has_role(self) -> bool:
        return self.is_staff or bool(self.kinds)

    @property
    def can_view(self) -> bool:
        return self.network.is_public or self.has_role

    @property
    def can_view_contacts(self) -> bool:
        """Contact details are for signed-in people with a role in the network."""
        return self.authenticated and self.has_role

    @property
    def can_view_history(self) -> bool:
        return self.is_facilitator

    @property
    def can_view_dashboards(self) -> bool:
        return self.is_facilitator or self.is_steering

    # Roles ---------------------------------------------------------------------------
    @property
    def is_facilitator(self) -> bool:
        return self.is_staff or FACILITATOR in self.kinds

    @property
    def is_steering(self) -> bool:
        return STEERING in self.kinds

    @property
    def is_focal_point(self) -> bool:
        return FOCAL_POINT in self.kinds

    # Changing ------------------------------------------------------------------------
    @property
    def can_edit_network(self) -> bool:
        return self.is_facilitator

    @property
    def can_manage_members(self) -> bool:
        return self.is_facilitator

    @property
    def can_manage_roles(self) -> bool:
        return self.is_facilitator

    def can_edit_organisation(self, organisation: Organisation | int | None) -> bool:
        if self.is_facilitator:
            return True
        org_id = getattr(organisation, "pk", organisation)
        return org_id is not None and org_id in self.focal_org_ids

    def can_edit_person(self, person: Person) -> bool:
        return self.can_edit_organisation(person.organisation_id)

    def can_edit_relationship(self, source_id: int, target_id: int) -> bool:
        return self.is_facilitator or source_id in self.focal_org_ids


def get_access(user: AnyUser | None, network: Network) -> NetworkAccess:
    """The user's access to ``network``, read with one query and cached on the user."""
    if user is None or not user.is_authenticated:
        return NetworkAccess(network=network)
    cache: dict[int, NetworkAccess] = user.__dict__.setdefault("_netweave_access", {})
    if network.pk in cache:
        return cache[network.pk]
    Role = apps.get_model("networks", "Role")
    rows = list(
        Role.objects.filter(user=user, network=network).values_list("kind", "organisation_id")
    )
    access = NetworkAccess(
        network=network,
        authenticated=True,
        is_staff=bool(user.is_staff),
        kinds=frozenset(kind for kind, _ in rows),
        focal_org_ids=frozenset(org for kind, org in rows if kind == FOCAL_POINT and org),
    )
    cache[network.pk] = access
    return access


def forget_access(user: Any) -> None:
    """Drop the cached roles (after a role change within the same request)."""
    if user is not None:
        user.__dict__.pop("_netweave_access", None)


def visible_networks(user: AnyUser | None) -> QuerySet:
    """Networks the user may read: public ones, and those the user has a role in."""
    Network = apps.get_model("networks", "Network")
    qs = Network.objects.all()
    if user is not None and user.is_authenticated and user.is_staff:
        return qs
    condition = Q(visibility="public")
    if user is not None and user.is_authenticated:
        condition |= Q(roles__user=user)
    return qs.filter(condition).distinct()


def contact_networks(user: AnyUser | None) -> QuerySet:
    """Networks in whose members the user may see contact details."""
    Network = apps.get_model("networks", "Network")
    if user is None or not user.is_authenticated:
        return Network.objects.none()
    if user.is_staff:
        return Network.objects.all()
    return Network.objects.filter(roles__user=user).distinct()


def facilitated_networks(user: AnyUser | None) -> QuerySet:
    Network = apps.get_model("networks", "Network")
    if user is None or not user.is_authenticated:
        return Network.objects.none()
    if user.is_staff:
        return Network.objects.all()
    return Network.objects.filter(roles__user=user, roles__kind=FACILITATOR).distinct()


def focal_organisation_ids(user: AnyUser | None) -> set[int]:
    """Organisations the user speaks for as a focal point, in any network."""
    if user is None or not user.is_authenticated:
        return set()
    Role = apps.get_model("networks", "Role")
    return set(
        Role.objects.filter(user=user, kind=FOCAL_POINT).values_list("organisation_id", flat=True)
    )


def _network_and_access(user: AnyUser | None, slug: str) -> tuple[Network, NetworkAccess]:
    """The network called ``slug`` and the user's access to it (404 if there is none).

    Kept in the shared cache under the installation-wide data version, which every change
    of a network, a role or an account bumps (``networks.stats.GLOBAL_MODELS``): a page
    seen again reads neither from the database.
    """
    user_id = user.pk if user is not None and user.is_authenticated else 0
    key = versions.installation_key(f"access:{user_id}", slug)
    found = cache.get(key)
    if found is not None:
        network, kinds, focal_org_ids = found
        access = NetworkAccess(
            network=network,
            authenticated=bool(user_id),
            is_staff=bool(user_id and user.is_staff),
            kinds=kinds,
            focal_org_ids=focal_org_ids,
        )
        if user_id:
            user.__dict__.setdefault("_netweave_access", {})[network.pk] = access
        return network, access
    Network = apps.get_model("networks", "Network")
    try:
        network = Network.objects.get(slug=slug)
    except Network.DoesNotExist:
        raise Http404 from None
    access = get_access(user, network)
    cache.set(key, (network, access.kinds, access.focal_org_ids), versions.TTL)
    return network, access


def network_for(request: Any, slug: str, *, edit: bool = False) -> tuple[Network, NetworkAccess]:
    """Look up a network by slug and check that the request's user may read it.

    A network the user may not read is missing (404). With ``edit=True`` the user must
    also be a facilitator of it (403 otherwise).
    """
    network, access = _network_and_access(request.user, slug)
    if not access.can_view:
        log_refusal(request, 404, "network not visible")
        raise Http404
    if edit and not access.can_edit_network:
        log_refusal(request, 403, "not a facilitator")
        raise PermissionDenied
    return network, access


def require(condition: bool) -> None:
    """Refuse with 403 unless ``condition`` holds."""
    if not condition:
        log_refusal(current_request(), 403)
        raise PermissionDenied
