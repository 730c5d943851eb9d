"""The directory's exportable lists: organisations, people and relationships.

The directory pages export their current filter through the same row builders, so a page's
download and ``netweave export`` hold the same columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import tablib
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from netweave.core.access import NetworkAccess
from netweave.core.exports import dataset, iso, register
from netweave.directory.models import Organisation, Person, Relationship
from netweave.networks.models import Network

ORGANISATION_COLUMNS = (
    "name",
    "acronym",
    "sector",
    "country",
    "region",
    "website",
    "status",
    "joined",
    "left",
    "topics",
)
PERSON_COLUMNS = ("name", "organisation", "position", "languages", "topics")
CONTACT_COLUMNS = ("email", "phone")
CONSENT_COLUMNS = ("consent_listed", "consent_contact")
RELATIONSHIP_COLUMNS = ("source", "kind", "target", "start", "end", "strength", "note")
CHUNK = 1000


def visible_people(network: Network, access: NetworkAccess) -> QuerySet:
    """People of ``network`` this user may see listed: those who agreed, or all they edit."""
    people = Person.objects.in_network(network)
    if access.is_facilitator:
        return people
    return people.filter(Q(consent_listed=True) | Q(organisation_id__in=access.focal_org_ids))


def contact_visible(person: Person, access: NetworkAccess) -> bool:
    """A person's e-mail and phone: for members, and only when the person agreed."""
    return access.can_view_contacts and (person.consent_contact or access.is_facilitator)


def organisation_dataset(organisations: Iterable[Any], *, include_contacts: bool) -> tablib.Dataset:
    """Organisations from ``Organisation.objects.for_directory`` as rows.

    ``organisations`` must have ``topics`` prefetched and the sector selected.
    """
    columns = ORGANISATION_COLUMNS + (CONTACT_COLUMNS if include_contacts else ())

    def rows() -> Iterator[list[Any]]:
        for org in organisations:
            row = [
                org.name,
                org.acronym,
                gettext(org.sector.name),
                org.country,
                org.region,
                org.website,
                org.membership_status or "",
                iso(org.joined),
                iso(org.left),
                "; ".join(topic.name for topic in org.topics.all()),
            ]
            if include_contacts:
                row += [org.email, org.phone]
            yield row

    return dataset(columns, rows())


def person_dataset(people: Iterable[Person], access: NetworkAccess) -> tablib.Dataset:
    """People as rows; e-mail and phone only where ``contact_visible`` allows.

    ``people`` must have the organisation selected and ``topics`` prefetched.
    """
    contacts = access.can_view_contacts
    columns = PERSON_COLUMNS + (CONTACT_COLUMNS + CONSENT_COLUMNS if contacts else ())

    def rows() -> Iterator[list[Any]]:
        for person in people:
            row: list[Any] = [
                person.name,
                person.organisation.name if person.organisation else "",
                person.position,
                person.languages,
                "; ".join(topic.name for topic in person.topics.all()),
            ]
            if contacts:
                shown = contact_visible(person, access)
                row += [
                    person.email if shown else "",
                    person.phone if shown else "",
                    person.consent_listed,
                    person.consent_contact,
                ]
            yield row

    return dataset(columns, rows())


def organisations_export(network: Network, user: Any, access: NetworkAccess) -> tablib.Dataset:
    """Every organisation that ever belonged to the network, with its latest membership."""
    organisations = (
        Organisation.objects.for_directory(network)
        .prefetch_related("topics")
        .order_by("name", "pk")
        .iterator(chunk_size=CHUNK)
    )
    return organisation_dataset(organisations, include_contacts=access.can_view_contacts)


def people_export(network: Network, user: Any, access: NetworkAccess) -> tablib.Dataset:
    people = (
        visible_people(network, access)
        .select_related("organisation")
        .prefetch_related("topics")
        .order_by("name", "pk")
        .iterator(chunk_size=CHUNK)
    )
    return person_dataset(people, access)


def relationships_export(network: Network, user: Any, access: NetworkAccess) -> tablib.Dataset:
    relationships = (
        Relationship.objects.filter(network=network)
        .select_related("source", "target")
        .order_by("source__name", "kind", "target__name", "pk")
    )
    return dataset(
        RELATIONSHIP_COLUMNS,
        (
            [r.source.name, r.kind, r.target.name, iso(r.start), iso(r.end), r.strength, r.note]
            for r in relationships.iterator(chunk_size=CHUNK)
        ),
    )


register("organisations", label=_("Organisations"), app="directory", build=organisations_export)
register("people", label=_("People"), app="directory", build=people_export)
register("relationships", label=_("Relationships"), app="directory", build=relationships_export)
