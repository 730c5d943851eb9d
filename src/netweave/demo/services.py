"""Load the demo networks through the same services that users' input goes through.

The load is idempotent: a demo network that exists is left alone, a demo user that exists
keeps its password and flags, and organisations and people are found by name before they
are created, so a second run changes nothing and duplicates nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import time
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from netweave.core.lib.text import normalize_name
from netweave.demo.activities import load_activities
from netweave.demo.consultations import load_consultations
from netweave.demo.data import (
    DEMO_PASSWORD,
    USERS,
    NetworkSpec,
    OrgSpec,
    networks,
)
from netweave.demo.data.names import (
    AM_FEMALE,
    AM_MALE,
    AM_SURNAMES,
    INTERNATIONAL_SECTORS,
    INTL_FIRST,
    INTL_LAST,
    POSITIONS,
    POSITIONS_RU,
    TJ_FEMALE,
    TJ_MALE,
    TJ_SURNAMES,
)
from netweave.demo.data.topics import FOOD_TOPICS_BY_SECTOR, TOPICS, WATER_TOPICS_BY_SECTOR
from netweave.demo.governance import load_task_groups
from netweave.demo.influence import load_influence
from netweave.demo.influence_map import load_influence_map
from netweave.demo.library import load_library
from netweave.demo.meetings import load_meetings, load_next_meeting
from netweave.demo.partnerships import load_partnerships
from netweave.demo.reports import load_reports
from netweave.demo.surveys import load_surveys
from netweave.directory.models import Organisation, Person, Sector, Topic
from netweave.directory.services import (
    create_organisation,
    create_person,
    create_topic,
    declare_relationship,
    link_person_to_user,
    set_organisation_interests,
)
from netweave.networks.models import Membership, Network, Role, SeatKind
from netweave.networks.services import (
    add_member,
    assign_role,
    create_network,
    end_membership,
    hand_over_seat,
    record_milestone,
)

SEED = 2009


@dataclass
class DemoUser:
    username: str
    password: str  # empty when the account existed before with a password of its own
    roles: list[str] = field(default_factory=list)


@dataclass
class DemoResult:
    created: list[str]
    skipped: list[str]
    users: list[DemoUser]
    seconds: float


def load_demo(*, stdout: TextIO | None = None) -> DemoResult:
    """Create the demo networks and users that do not exist yet, in one transaction."""
    started = time.perf_counter()

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    created: list[str] = []
    skipped: list[str] = []
    with transaction.atomic():
        topics = _ensure_topics()
        users, fresh = _ensure_users()
        for spec in networks():
            if Network.objects.filter(slug=spec.slug).exists():
                say(_("Network %(slug)s exists; left as it is.") % {"slug": spec.slug})
                skipped.append(spec.slug)
                existing = Network.objects.get(slug=spec.slug)
                load_partnerships(existing)  # adds only what is missing
                load_task_groups(existing)
                load_activities(existing)
                load_meetings(existing)  # likewise
                load_next_meeting(existing)
                continue
            counts = _load_network(spec, topics=topics, users=users)
            say(
                _(
                    "Network %(slug)s loaded: %(orgs)d organisations, %(people)d people, "
                    "%(ties)d relationships."
                )
                % {"slug": spec.slug, **counts}
            )
            created.append(spec.slug)
        load_library()  # the water network's documents, once its work exists
        load_surveys()  # the water network's survey rounds of 2014 and 2015
        load_influence_map()  # the water network's tariff methodology goal
        load_influence()  # the water network's outcomes and M&E indicators
        load_consultations()  # the bank's poverty diagnostic consultation of July 2015
        load_reports()  # the water network's report template, learning notes, learning team
        described = _describe_users(users, fresh)
    return DemoResult(
        created=created,
        skipped=skipped,
        users=described,
        seconds=time.perf_counter() - started,
    )


# Topics and users -------------------------------------------------------------------------


def _ensure_topics() -> dict[str, Topic]:
    topics = {}
    for slug, name, description in TOPICS:
        # A topic that exists stays as it is, also one a user added under the same name.
        topic = (
            Topic.objects.filter(slug=slug).first()
            or Topic.objects.filter(name__iexact=name).first()
            or create_topic({"slug": slug, "name": name, "description": description})
        )
        topics[slug] = topic
    return topics


def _ensure_users() -> tuple[dict[str, Any], set[str]]:
    """The demo accounts; an account that exists keeps its password and its flags."""
    User = get_user_model()
    users, fresh = {}, set()
    for spec in USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(
                username=spec.username,
                first_name=spec.first_name,
                last_name=spec.last_name,
                email=spec.email,
                is_staff=spec.is_staff,
                is_superuser=spec.is_superuser,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            fresh.add(spec.username)
        users[spec.username] = user
    return users, fresh


def _describe_users(users: dict[str, Any], fresh: set[str]) -> list[DemoUser]:
    roles = (
        Role.objects.filter(user__in=users.values())
        .select_related("network", "organisation")
        .order_by("network__slug", "kind")
    )
    by_user: dict[int, list[str]] = {}
    for role in roles:
        if role.organisation_id:
            text = _("%(role)s of %(org)s in %(network)s") % {
                "role": role.get_kind_display(),
                "org": role.organisation.display_name,
                "network": role.network.slug,
            }
        else:
            text = _("%(role)s in %(network)s") % {
                "role": role.get_kind_display(),
                "network": role.network.slug,
            }
        by_user.setdefault(role.user_id, []).append(text)
    described = []
    for username, user in users.items():
        lines = []
        if user.is_superuser:
            lines.append(_("site administrator (superuser)"))
        elif user.is_staff:
            lines.append(_("staff"))
        lines.extend(by_user.get(user.pk, []))
        lines.extend(group.name for group in user.groups.all())
        known = username in fresh or user.check_password(DEMO_PASSWORD)
        described.append(DemoUser(username, DEMO_PASSWORD if known else "", lines))
    return described


# One network ------------------------------------------------------------------------------


def _load_network(
    spec: NetworkSpec, *, topics: dict[str, Topic], users: dict[str, Any]
) -> dict[str, int]:
    network = create_network(
        slug=spec.slug,
        name=spec.name,
        country=spec.country,
        aims=spec.aims,
        sector_focus=spec.sector_focus,
        launched=spec.launched,
        visibility=spec.visibility,
    )
    for milestone in spec.milestones:
        record_milestone(network, stage=milestone.stage, date=milestone.date, note=milestone.note)
    # One generator per network, so a network drawn alone comes out the same.
    rng = random.Random(SEED)  # noqa: S311 — draws demo data, not secrets
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    pools = FOOD_TOPICS_BY_SECTOR if spec.names == "am" else WATER_TOPICS_BY_SECTOR
    namer = _Namer(spec, rng)
    organisations: dict[str, Organisation] = {}
    staff: dict[str, list[Person]] = {}
    for org_spec in spec.organisations:
        topic_slugs = list(org_spec.topics) or rng.sample(
            pools[org_spec.sector], min(len(pools[org_spec.sector]), rng.randint(2, 3))
        )
        org_topics = [topics[slug] for slug in topic_slugs]
        organisation = _add_organisation(network, spec, org_spec, sectors, org_topics, rng)
        people = _add_people(network, spec, org_spec, organisation, org_topics, namer, rng)
        _give_seats(network, org_spec, organisation, people, rng)
        if org_spec.left:
            membership = Membership.objects.get(
                network=network, organisation=organisation, left__isnull=True
            )
            end_membership(membership, left=org_spec.left)
        organisations[org_spec.key] = organisation
        staff[org_spec.key] = people
    for tie in spec.relationships:
        declare_relationship(
            network,
            source=organisations[tie.source],
            target=organisations[tie.target],
            kind=tie.kind,
            start=tie.start,
            end=tie.end,
            strength=tie.strength,
            note=tie.note,
        )
    for role in spec.roles:
        organisation = organisations[role.organisation] if role.organisation else None
        assign_role(network, users[role.username], role.kind, organisation=organisation)
    for username, (org_key, index) in spec.user_people.items():
        _link_person(staff[org_key][index], users[username])
    load_partnerships(network)
    load_task_groups(network)
    load_activities(network)
    load_meetings(network)
    load_next_meeting(network)
    return {
        "orgs": len(organisations),
        "people": sum(len(people) for people in staff.values()),
        "ties": len(spec.relationships),
    }


def _add_organisation(
    network: Network,
    spec: NetworkSpec,
    org_spec: OrgSpec,
    sectors: dict[str, Sector],
    org_topics: list[Topic],
    rng: random.Random,
) -> Organisation:
    phone = (
        f"{spec.phone_prefix} {rng.randint(200, 299)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    )
    # An organisation may already be in the directory through another network.
    existing = Organisation.objects.filter(name_key=normalize_name(org_spec.name)).first()
    if existing is not None:
        add_member(network, existing, joined=org_spec.joined)
        set_organisation_interests(existing, {*existing.topics.all(), *org_topics})
        return existing
    data = {
        "name": org_spec.name,
        "acronym": org_spec.acronym,
        "sector": sectors[org_spec.sector],
        "country": org_spec.country or spec.country,
        "region": org_spec.region,
        "website": f"https://{org_spec.domain}",
        "email": f"info@{org_spec.domain}",
        "phone": phone,
        "description": org_spec.description,
        "showcase": org_spec.showcase,
    }
    return create_organisation(network, data, joined=org_spec.joined, topics=org_topics)


def _add_people(
    network: Network,
    spec: NetworkSpec,
    org_spec: OrgSpec,
    organisation: Organisation,
    org_topics: list[Topic],
    namer: _Namer,
    rng: random.Random,
) -> list[Person]:
    count = org_spec.staff if org_spec.staff is not None else rng.choice((1, 2, 2, 3, 3))
    count = max(
        count, len(org_spec.people), len(org_spec.handovers) + 1, 2 if org_spec.alternate else 1
    )
    people = []
    for index in range(count):
        if index < len(org_spec.people):
            written = org_spec.people[index]
            data = {
                "name": written.name,
                "position": written.position,
                "email": written.email,
                "languages": written.languages,
                "consent_listed": written.consent,
                "consent_contact": written.consent,
                "consent_date": org_spec.joined if written.consent else None,
            }
        else:
            data = namer.person(org_spec, index)
        data["organisation"] = organisation
        data["phone"] = (
            f"{spec.phone_prefix} {rng.randint(200, 299)} "
            f"{rng.randint(10, 99)} {rng.randint(10, 99)}"
        )
        person_topics = rng.sample(org_topics, min(len(org_topics), rng.randint(1, 2)))
        existing = Person.objects.filter(
            organisation=organisation, name_key=normalize_name(data["name"])
        ).first()
        people.append(existing or create_person(data, network=network, topics=person_topics))
    return people


def _give_seats(
    network: Network,
    org_spec: OrgSpec,
    organisation: Organisation,
    people: list[Person],
    rng: random.Random,
) -> None:
    """The representative's seat passes down the list to ``people[0]``, today's holder."""
    extra_alternate = rng.random() < 0.2
    dates = (org_spec.joined, *org_spec.handovers)
    holders = list(reversed(people[: len(dates)]))
    for person, day in zip(holders, dates, strict=True):
        hand_over_seat(network, organisation, person=person, kind=SeatKind.REPRESENTATIVE, date=day)
    if len(people) > 1 and (org_spec.alternate or extra_alternate):
        hand_over_seat(
            network, organisation, person=people[1], kind=SeatKind.ALTERNATE, date=dates[-1]
        )


def _link_person(person: Person, user: Any) -> None:
    """Let a demo account act as a person of the directory, unless either is linked already."""
    if person.user_id is None and not Person.objects.filter(user=user).exists():
        link_person_to_user(person, user)


# Names ------------------------------------------------------------------------------------


class _Namer:
    """Draws staff names, unique within a network, and their e-mail addresses."""

    def __init__(self, spec: NetworkSpec, rng: random.Random) -> None:
        self.spec = spec
        self.rng = rng
        self.used: set[str] = {normalize_name(p.name) for o in spec.organisations for p in o.people}

    def person(self, org_spec: OrgSpec, index: int) -> dict[str, Any]:
        rng = self.rng
        international = org_spec.sector in INTERNATIONAL_SECTORS and rng.random() < 0.3
        while True:
            name, latin = self._draw(international, org_spec.cyrillic)
            if normalize_name(name) not in self.used:
                break
        self.used.add(normalize_name(name))
        if org_spec.cyrillic:
            position = POSITIONS_RU[index % len(POSITIONS_RU)]
            languages = "ru, tg"
        else:
            position = POSITIONS[org_spec.sector][index % 3]
            languages = "en, ru" if international else rng.choice(self.spec.languages)
        draw = rng.random()
        listed, contact = (
            (True, True) if draw < 0.86 else (True, False) if draw < 0.93 else (False, False)
        )
        consented = org_spec.joined + dt.timedelta(days=rng.randint(0, 60))
        local = re.sub(r"[^a-z.]", "", latin.lower().replace(" ", "."))
        return {
            "name": name,
            "position": position,
            "email": f"{local}@{org_spec.domain}",
            "languages": languages,
            "consent_listed": listed,
            "consent_contact": contact,
            "consent_date": consented if listed else None,
        }

    def _draw(self, international: bool, cyrillic: bool) -> tuple[str, str]:
        """A (display name, Latin spelling) pair."""
        rng = self.rng
        if international:
            name = f"{rng.choice(INTL_FIRST)} {rng.choice(INTL_LAST)}"
            return name, name
        if self.spec.names == "am":
            first = rng.choice(AM_FEMALE if rng.random() < 0.5 else AM_MALE)
            name = f"{first} {rng.choice(AM_SURNAMES)}"
            return name, name
        female = rng.random() < 0.45
        first = rng.choice(TJ_FEMALE if female else TJ_MALE)
        last = rng.choice(TJ_SURNAMES)
        if female:
            last = (last[0] + "a", last[1] + "а")
        latin = f"{first[0]} {last[0]}"
        return (f"{first[1]} {last[1]}" if cyrillic else latin), latin
