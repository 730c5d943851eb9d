from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from netweave.directory.models import Organisation, Person, Relationship, Sector, Topic


def sector(slug: str = "civil-society") -> Sector:
    """Sectors are seeded by a migration; tests pick them by code."""
    return Sector.objects.get(slug=slug)


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    sector = factory.LazyFunction(sector)
    country = "TJ"
    email = factory.Sequence(lambda n: f"office{n}@example.org")
    phone = "+992 37 000 0000"
    website = factory.Sequence(lambda n: f"https://org{n}.example.org")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    position = "Programme officer"
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    consent_listed = True
    consent_contact = True


class RelationshipFactory(DjangoModelFactory):
    class Meta:
        model = Relationship

    source = factory.SubFactory(OrganisationFactory)
    target = factory.SubFactory(OrganisationFactory)
    kind = "partners_with"
