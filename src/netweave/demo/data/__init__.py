"""The content of the demo networks: fictional, drawn from real network case studies.

Plain data only (no database); ``netweave.demo.services`` loads it through the same
services that users' input goes through. Every date is fixed, so two installations
show the same demo.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

DEMO_PASSWORD = "netweave-demo"  # noqa: S105 — published on purpose: demo accounts only


@dataclass(frozen=True)
class PersonSpec:
    """A person written out by hand; the others are drawn from the name pools."""

    name: str
    position: str
    email: str
    languages: str = "tg, ru, en"
    consent: bool = True


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    sector: str
    joined: dt.date
    domain: str
    description: str
    acronym: str = ""
    country: str = ""  # empty: the network's country
    region: str = ""
    topics: tuple[str, ...] = ()  # empty: drawn from the sector's usual topics
    showcase: str = ""
    left: dt.date | None = None
    people: tuple[PersonSpec, ...] = ()  # written out; more are drawn up to ``staff``
    staff: int | None = None  # how many people in all; None: 1–3 drawn
    handovers: tuple[dt.date, ...] = ()  # dates the representative's seat changed hands
    alternate: bool = False
    cyrillic: bool = False  # staff names written in Cyrillic


@dataclass(frozen=True)
class RelationshipSpec:
    source: str
    kind: str
    target: str
    start: dt.date
    strength: int = 3
    note: str = ""
    end: dt.date | None = None


@dataclass(frozen=True)
class MilestoneSpec:
    stage: str
    date: dt.date
    note: str


@dataclass(frozen=True)
class RoleSpec:
    username: str
    kind: str
    organisation: str | None = None  # an OrgSpec key, for focal points


@dataclass(frozen=True)
class NetworkSpec:
    slug: str
    name: str
    country: str
    aims: str
    sector_focus: str
    launched: dt.date
    visibility: str
    milestones: tuple[MilestoneSpec, ...]
    organisations: tuple[OrgSpec, ...]
    relationships: tuple[RelationshipSpec, ...]
    roles: tuple[RoleSpec, ...]
    # username → (organisation key, index of the person in that organisation)
    user_people: dict[str, tuple[str, int]] = field(default_factory=dict)
    names: str = "tj"  # which name pool staff are drawn from
    phone_prefix: str = "+992 37"
    languages: tuple[str, ...] = ("tg, ru", "tg, ru, en", "ru, en", "tg, ru")


@dataclass(frozen=True)
class UserSpec:
    username: str
    first_name: str
    last_name: str
    email: str
    is_staff: bool = False
    is_superuser: bool = False


USERS: tuple[UserSpec, ...] = (
    UserSpec(
        "admin",
        "Site",
        "Administrator",
        "admin@netweave.example.org",
        is_staff=True,
        is_superuser=True,
    ),
    UserSpec("facilitator", "Malika", "Nazarova", "m.nazarova@oasis.example.org"),
    UserSpec("steering", "Thomas", "Brunner", "t.brunner@hdca.example.ch"),
    UserSpec("focal", "Farrukh", "Saidov", "f.saidov@mewr.example.tj"),
    UserSpec("focal-ngo", "Zarina", "Qurbonova", "z.qurbonova@obipok.example.tj"),
    UserSpec("observer", "Claire", "Laurent", "c.laurent@grdb.example.org"),
    UserSpec("food-facilitator", "Anahit", "Petrosyan", "a.petrosyan@oasis.example.org"),
    # The installation's programme learning team: compares networks, has no role in any.
    UserSpec("programme", "Nodira", "Karimova", "n.karimova@programme.example.org"),
)


def networks() -> tuple[NetworkSpec, ...]:
    from netweave.demo.data.food import FOOD_SECURITY
    from netweave.demo.data.water import WATER_SANITATION

    return (WATER_SANITATION, FOOD_SECURITY)
