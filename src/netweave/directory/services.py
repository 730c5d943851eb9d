"""Writes that change organisations, people, interests and relationships."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from netweave.core.lib.text import normalize_name
from netweave.directory.models import (
    Organisation,
    OrganisationInterest,
    Person,
    PersonInterest,
    Relationship,
    Topic,
)
from netweave.networks.models import Membership, Network

ORGANISATION_FIELDS = (
    "name",
    "acronym",
    "sector",
    "country",
    "region",
    "website",
    "email",
    "phone",
    "address",
    "description",
    "showcase",
)
PERSON_FIELDS = (
    "name",
    "organisation",
    "position",
    "email",
    "phone",
    "languages",
    "consent_listed",
    "consent_contact",
    "consent_date",
)


def find_duplicate_organisation(
    network: Network, name: str, *, exclude: Organisation | None = None
) -> Organisation | None:
    """An organisation of ``network`` whose name equals ``name`` ignoring case, spaces and form."""
    qs = Organisation.objects.in_network(network).filter(name_key=normalize_name(name))
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.first()


def validate_organisation_name(
    network: Network, name: str, *, exclude: Organisation | None = None
) -> None:
    duplicate = find_duplicate_organisation(network, name, exclude=exclude)
    if duplicate is not None:
        raise ValidationError(
            {
                "name": _("“%(name)s” is already a member of this network as “%(existing)s”.")
                % {"name": name, "existing": duplicate.name}
            }
        )


# Path segments that are pages of their own (organisations/new/).
RESERVED_SLUGS = {"new", "export"}


def unique_slug(model: type, text: str, *, field: str = "slug", max_length: int = 100) -> str:
    base = (slugify(text, allow_unicode=False) or "item")[: max_length - 8].strip("-") or "item"
    candidate, n = base, 1
    while candidate in RESERVED_SLUGS or model.objects.filter(**{field: candidate}).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _apply(instance: Any, data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    for key in allowed:
        if key in data:
            setattr(instance, key, data[key])


def _user_or_none(user: Any) -> Any:
    return user if user is not None and user.is_authenticated else None


def check_version(instance: Any, expected: dt.datetime | None) -> None:
    """Refuse to save over a change made since ``expected`` (the form's opening time).

    Locks the row until the end of the transaction, so two saves cannot both pass.
    """
    if instance.pk is None or expected is None:
        return
    current = type(instance).objects.select_for_update().values_list("modified", flat=True)
    current = current.get(pk=instance.pk)
    if current != expected:
        raise ValidationError(
            _(
                "Someone else saved “%(name)s” at %(time)s, after you opened this form. "
                "Your changes were not saved, so that theirs are not lost: open the page "
                "again to see the current version, then make your changes once more."
            )
            % {
                "name": instance,
                "time": timezone.localtime(current).strftime("%H:%M:%S"),
            },
            code="conflict",
        )


def _full_clean(instance: Any) -> None:
    instance.full_clean(exclude=["slug", "name_key", "uid"], validate_unique=False)


@transaction.atomic
def create_organisation(
    network: Network,
    data: Mapping[str, Any],
    *,
    joined: dt.date | None = None,
    topics: Iterable[Topic] | None = None,
    acting_user: Any = None,
) -> Organisation:
    """Create an organisation and make it a member of ``network``."""
    from netweave.networks.services import add_member

    organisation = Organisation()
    _apply(organisation, data, ORGANISATION_FIELDS)
    _full_clean(organisation)
    validate_organisation_name(network, organisation.name)
    # Acronyms make the friendliest addresses (/organisations/oxfam/) when they say enough.
    slug_source = organisation.acronym if len(organisation.acronym) > 2 else organisation.name
    organisation.slug = unique_slug(Organisation, slug_source, max_length=120)
    organisation.save()
    add_member(network, organisation, joined=joined, acting_user=acting_user)
    if topics is not None:
        set_organisation_interests(organisation, topics, acting_user=acting_user)
    return organisation


@transaction.atomic
def update_organisation(
    organisation: Organisation,
    data: Mapping[str, Any],
    *,
    network: Network,
    topics: Iterable[Topic] | None = None,
    acting_user: Any = None,
    expected_version: dt.datetime | None = None,
) -> Organisation:
    """Change an organisation's profile.

    With ``expected_version`` (its ``modified`` time when the form was opened), a change
    saved by someone else in between is refused instead of overwritten.
    """
    check_version(organisation, expected_version)
    _apply(organisation, data, ORGANISATION_FIELDS)
    _full_clean(organisation)
    for membership_network in Network.objects.filter(
        memberships__organisation=organisation, memberships__left__isnull=True
    ).distinct():
        validate_organisation_name(membership_network, organisation.name, exclude=organisation)
    organisation.save()
    if topics is not None:
        set_organisation_interests(organisation, topics, acting_user=acting_user)
    return organisation


@transaction.atomic
def set_organisation_interests(
    organisation: Organisation, topics: Iterable[Topic], *, acting_user: Any = None
) -> None:
    wanted = {topic.pk for topic in topics}
    OrganisationInterest.objects.filter(organisation=organisation).exclude(
        topic_id__in=wanted
    ).delete()
    existing = set(
        OrganisationInterest.objects.filter(organisation=organisation).values_list(
            "topic_id", flat=True
        )
    )
    bulk_create_with_history(
        [OrganisationInterest(organisation=organisation, topic_id=pk) for pk in wanted - existing],
        OrganisationInterest,
        default_user=_user_or_none(acting_user),
    )


@transaction.atomic
def set_person_interests(
    person: Person, topics: Iterable[Topic], *, acting_user: Any = None
) -> None:
    wanted = {topic.pk for topic in topics}
    PersonInterest.objects.filter(person=person).exclude(topic_id__in=wanted).delete()
    existing = set(PersonInterest.objects.filter(person=person).values_list("topic_id", flat=True))
    bulk_create_with_history(
        [PersonInterest(person=person, topic_id=pk) for pk in wanted - existing],
        PersonInterest,
        default_user=_user_or_none(acting_user),
    )


@transaction.atomic
def link_person_to_user(person: Person, user: Any, *, acting_user: Any = None) -> Person:
    """Let the account ``user`` act as ``person`` of the directory.

    An account speaks for one person: one that already belongs to another person is
    refused. A person linked to another account moves to this one.
    """
    holder = Person.objects.select_for_update().filter(user=user).exclude(pk=person.pk).first()
    if holder is not None:
        raise ValidationError(
            {"user": _("This account already belongs to another person of the directory.")}
        )
    if person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user", "modified"])
    return person


def _validate_person(person: Person, network: Network | None) -> None:
    _full_clean(person)
    if network is not None and person.organisation_id is not None:
        in_network = Membership.objects.filter(
            network=network, organisation_id=person.organisation_id
        ).exists()
        if not in_network:
            raise ValidationError(
                {"organisation": _("Choose an organisation that belongs to this network.")}
            )
    if person.consent_date and person.consent_date > timezone.localdate():
        raise ValidationError(
            {
                "consent_date": _("The date %(date)s is in the future.")
                % {"date": person.consent_date}
            }
        )
    if (person.consent_listed or person.consent_contact) and not person.consent_date:
        person.consent_date = timezone.localdate()


@transaction.atomic
def create_person(
    data: Mapping[str, Any],
    *,
    network: Network | None = None,
    topics: Iterable[Topic] | None = None,
    acting_user: Any = None,
) -> Person:
    person = Person()
    _apply(person, data, PERSON_FIELDS)
    _validate_person(person, network)
    person.save()
    if topics is not None:
        set_person_interests(person, topics, acting_user=acting_user)
    return person


@transaction.atomic
def update_person(
    person: Person,
    data: Mapping[str, Any],
    *,
    network: Network | None = None,
    topics: Iterable[Topic] | None = None,
    acting_user: Any = None,
    expected_version: dt.datetime | None = None,
) -> Person:
    """Change a person; ``expected_version`` works as for ``update_organisation``."""
    check_version(person, expected_version)
    _apply(person, data, PERSON_FIELDS)
    _validate_person(person, network)
    person.save()
    if topics is not None:
        set_person_interests(person, topics, acting_user=acting_user)
    return person


@transaction.atomic
def declare_relationship(
    network: Network,
    *,
    source: Organisation,
    target: Organisation,
    kind: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    strength: int = 3,
    note: str = "",
    acting_user: Any = None,
) -> Relationship:
    members = set(
        Membership.objects.filter(network=network, organisation__in=[source, target]).values_list(
            "organisation_id", flat=True
        )
    )
    for field, org in (("source", source), ("target", target)):
        if org.pk not in members:
            raise ValidationError(
                {field: _("%(org)s is not a member of this network.") % {"org": org}}
            )
    if source.pk == target.pk:
        raise ValidationError(
            {"target": _("An organisation cannot have a relationship with itself.")}
        )
    if start and start > timezone.localdate():
        raise ValidationError({"start": _("The date %(date)s is in the future.") % {"date": start}})
    if start and end and end < start:
        raise ValidationError({"end": _("The end comes before the start.")})
    relationship = Relationship(
        network=network,
        source=source,
        target=target,
        kind=kind,
        start=start,
        end=end,
        strength=strength,
        note=note,
    )
    relationship.full_clean(validate_unique=False, validate_constraints=False)
    if (
        end is None
        and Relationship.objects.filter(
            network=network, source=source, target=target, kind=kind, end__isnull=True
        ).exists()
    ):
        raise ValidationError({"kind": _("This relationship is already recorded.")})
    relationship.save()
    return relationship


@transaction.atomic
def remove_relationship(relationship: Relationship, *, acting_user: Any = None) -> None:
    """Delete a declared relationship (its history keeps the record)."""
    relationship.delete()


# Topics ------------------------------------------------------------------------------------
TOPIC_FIELDS = ("name", "slug", "description")


def _save_topic(topic: Topic, data: Mapping[str, Any]) -> Topic:
    _apply(topic, data, TOPIC_FIELDS)
    topic.name = (topic.name or "").strip()
    if not topic.name:
        raise ValidationError({"name": _("A topic needs a name.")})
    if not topic.slug:
        topic.slug = unique_slug(Topic, topic.name, max_length=120)
    others = Topic.objects.exclude(pk=topic.pk)
    if others.filter(name__iexact=topic.name).exists():
        raise ValidationError({"name": _("A topic with this name exists.")})
    if others.filter(slug=topic.slug).exists():
        raise ValidationError({"slug": _("A topic with this slug exists.")})
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def create_topic(data: Mapping[str, Any], *, acting_user: Any = None) -> Topic:
    """Add a topic to the interest taxonomy; without a slug, one is made from the name.

    Names are unique ignoring case, slugs are unique.
    """
    return _save_topic(Topic(), data)


@transaction.atomic
def update_topic(topic: Topic, data: Mapping[str, Any], *, acting_user: Any = None) -> Topic:
    """Rename or re-describe a topic, with the same checks as ``create_topic``."""
    return _save_topic(topic, data)
