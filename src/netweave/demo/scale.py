"""Synthetic but realistic data at scale, for benchmarks: ``netweave seed-scale``.

Networks named ``<prefix>-1`` … ``<prefix>-N`` get member organisations from the seeded
sector taxonomy with interests, their people, a facilitator and focal points, meetings of
every type spread over the years, and attendance that is skewed the way real networks are:
a Zipf-like weight per person makes a few members come to almost everything and many come
once or twice. An attendee is always a person of an organisation whose membership was
running on the day of the meeting, and the attendance row names that organisation.

Rows are written in bulk: ``COPY`` on PostgreSQL, ``executemany`` on SQLite, with ids
reserved beforehand so related rows can point at them. Bulk writing skips model ``save()``,
signals and the change history (simple_history) on purpose: this is benchmark data, nobody
edited it, and a million historical rows would only slow the load.

The load runs in one transaction: it is written entirely or not at all. It refuses to run
into networks (or organisations, users) that carry its prefix already.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netweave.core.lib.text import normalize_name
from netweave.demo.data.names import INTL_FIRST, INTL_LAST, POSITIONS, TJ_FEMALE, TJ_MALE
from netweave.demo.data.topics import TOPICS
from netweave.directory.models import (
    Organisation,
    OrganisationInterest,
    Person,
    PersonInterest,
    Sector,
    Topic,
)
from netweave.directory.sectors import SECTORS, ensure_sectors
from netweave.meetings.models import Attendance, AttendanceSource, Meeting, MeetingKind
from netweave.networks.models import (
    Membership,
    MembershipStatus,
    Network,
    Representation,
    Role,
    RoleKind,
    SeatKind,
    Stage,
)

DEFAULT_PASSWORD = "netweave-scale"  # noqa: S105  (documented benchmark accounts)
YEARS = 8  # networks were launched this many years ago
TIME_ZONE = "Asia/Dushanbe"

# Share of organisations per sector: civil society and government dominate, as in the
# networks the seeds describe.
SECTOR_WEIGHTS = {
    "government": 14,
    "parliament": 2,
    "un-agency": 5,
    "donor": 5,
    "academia": 8,
    "international-ngo": 10,
    "civil-society": 25,
    "private-sector": 9,
    "media": 4,
    "womens-organisation": 5,
    "community-leaders": 4,
    "farmer-group": 4,
    "financial-services": 3,
    "other": 2,
}
ORG_KINDS = {
    "government": ("Ministry of", "Agency for", "Committee on", "State Service for"),
    "parliament": ("Parliamentary Committee on",),
    "un-agency": ("UN Programme for", "UN Office for"),
    "donor": ("Development Fund for", "Cooperation Office for"),
    "academia": ("Institute of", "University Centre for", "Research Institute for"),
    "international-ngo": ("International Alliance for", "Global Action for"),
    "civil-society": ("Association for", "Public Foundation for", "Civic Union for"),
    "private-sector": ("Company for", "Engineering Group for"),
    "media": ("Media Centre for", "Journalists' Network for"),
    "womens-organisation": ("Women's Union for", "Women's Initiative for"),
    "community-leaders": ("Council of Elders for", "Community Council for"),
    "farmer-group": ("Farmers' Cooperative for", "Growers' Association for"),
    "financial-services": ("Microfinance Fund for", "Savings Union for"),
    "other": ("Centre for", "Initiative for"),
}
FOCUSES = (
    "Water Supply",
    "Sanitation",
    "Hygiene",
    "Irrigation",
    "Food Security",
    "Nutrition",
    "Rural Development",
    "Climate Resilience",
    "Public Health",
    "Local Governance",
    "Women's Empowerment",
    "Education",
    "Energy",
    "Agriculture",
    "Environment",
    "Disaster Risk",
)
REGIONS = (
    "Dushanbe",
    "Khatlon",
    "Sughd",
    "Rasht",
    "Gorno-Badakhshan",
    "Kulob",
    "Bokhtar",
    "Khujand",
    "Istaravshan",
    "Panjakent",
    "Vahdat",
    "Hisor",
)
# Meeting types: (share of meetings, typical attendance, hours).
MEETING_KINDS = {
    MeetingKind.COFFEE: (15, 8, 1),
    MeetingKind.REGULAR: (30, 40, 3),
    MeetingKind.ROUNDTABLE: (10, 20, 2),
    MeetingKind.WORKSHOP: (15, 30, 6),
    MeetingKind.CONFERENCE: (3, 150, 8),
    MeetingKind.SPECIAL_EVENT: (5, 80, 4),
    MeetingKind.TASK_GROUP: (17, 10, 2),
    MeetingKind.STEERING: (5, 9, 2),
}
VENUES = ("Network office", "Ministry conference hall", "Hotel Serena", "Online", "UN House")
ZIPF_EXPONENT = 1.0
FUTURE_DAYS = 120  # meetings are planned up to this far ahead (without attendance yet)
BATCH = 5000


@dataclass
class ScaleResult:
    networks: list[str]
    counts: dict[str, int]
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    facilitator: str = ""
    focal_points: list[str] = field(default_factory=list)
    password: str = DEFAULT_PASSWORD


# Bulk writing --------------------------------------------------------------------------------
def _reserve_ids(model: type[models.Model], count: int) -> np.ndarray:
    """Ids for ``count`` new rows of ``model``, taken before the rows are written."""
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return np.array(sorted(row[0] for row in cursor.fetchall()), dtype=np.int64)
        # SQLite: the load holds the write lock (IMMEDIATE transaction), so max + 1 is ours.
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608
        start = cursor.fetchone()[0] + 1
    return np.arange(start, start + count, dtype=np.int64)


def _insert(model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write ``rows`` (values in the order of field ``names``) into ``model``'s table.

    Concrete fields not named get their model default, so a field added to the model later
    does not break the load. Returns the number of rows written.
    """
    fields = [model._meta.get_field(name) for name in names]
    named = {f.attname for f in fields}
    extra = [
        f
        for f in model._meta.concrete_fields
        if f.attname not in named and not (f.primary_key and f.name == "id")
    ]
    extra_values = tuple(f.get_default() for f in extra)
    for f, value in zip(extra, extra_values, strict=True):
        if value is None and not f.null:
            raise ValueError(f"{model.__name__}.{f.name} needs a value")
    columns = [f.column for f in fields] + [f.column for f in extra]
    table = connection.ops.quote_name(model._meta.db_table)
    column_sql = ", ".join(connection.ops.quote_name(c) for c in columns)
    written = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({column_sql}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *extra_values))
                    written += 1
        return written
    preps = [_db_prep(f) for f in fields + extra]
    sql = f"INSERT INTO {table} ({column_sql}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            values = (*row, *extra_values)
            batch.append(
                tuple(v if p is None else p(v) for v, p in zip(values, preps, strict=True))
            )
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def _db_prep(f: models.Field) -> Callable[[Any], Any] | None:
    if isinstance(f, models.DateTimeField | models.DateField | models.UUIDField):
        return lambda value: f.get_db_prep_value(value, connection, prepared=False)
    if isinstance(f, models.BooleanField):
        return lambda value: None if value is None else int(value)
    return None


# The load ------------------------------------------------------------------------------------
def _check_free(prefix: str, networks: int) -> list[str]:
    slugs = [f"{prefix}-{n}" for n in range(1, networks + 1)]
    taken = list(Network.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    if taken:
        raise ValidationError(
            _(
                "Network “%(slug)s” exists already: seed-scale only fills new networks. "
                "Choose another --prefix, or delete the network first."
            )
            % {"slug": taken[0]}
        )
    if Organisation.objects.filter(slug__startswith=f"{prefix}-org-").exists():
        raise ValidationError(
            _(
                "Organisations from an earlier seed-scale run with the prefix “%(prefix)s” "
                "exist: choose another --prefix."
            )
            % {"prefix": prefix}
        )
    if get_user_model().objects.filter(username__startswith=f"{prefix}-").exists():
        raise ValidationError(
            _("Users named “%(prefix)s-…” exist already: choose another --prefix.")
            % {"prefix": prefix}
        )
    return slugs


def _validate(orgs: int, people: int, meetings: int, attendance: int, networks: int) -> None:
    if networks < 1:
        raise ValidationError(_("At least one network is needed."))
    if orgs < networks:
        raise ValidationError(_("Every network needs at least one organisation."))
    if people < orgs:
        raise ValidationError(_("Give at least one person per organisation (--people ≥ --orgs)."))
    if min(meetings, attendance) < 0:
        raise ValidationError(_("Counts cannot be negative."))
    if attendance and not meetings:
        raise ValidationError(_("Attendance needs meetings."))


def _day(value: np.ndarray | int) -> Any:
    return dt.date.fromordinal(int(value))


def seed_scale(
    *,
    orgs: int,
    people: int,
    meetings: int,
    attendance: int,
    networks: int = 1,
    seed: int = 0,
    prefix: str = "scale",
    focal_points: int = 50,
    password: str = DEFAULT_PASSWORD,
    stdout: TextIO | None = None,
) -> ScaleResult:
    """Load synthetic networks; raises ValidationError (nothing written) on bad input."""
    _validate(orgs, people, meetings, attendance, networks)
    started = time.perf_counter()
    timings: dict[str, float] = {}
    mark = [started]

    def step(name: str) -> None:
        now = time.perf_counter()
        timings[name] = now - mark[0]
        mark[0] = now
        if stdout is not None:
            stdout.write(f"  {name}: {timings[name]:.1f} s")

    rng = np.random.default_rng(seed)
    with transaction.atomic():
        slugs = _check_free(prefix, networks)
        ensure_sectors()
        loader = _Loader(rng=rng, prefix=prefix, password=password)
        loader.topics()
        loader.networks(slugs)
        loader.organisations(orgs)
        step("organisations")
        loader.memberships()
        step("memberships")
        loader.people(people)
        step("people")
        loader.users(focal_points)
        step("users and roles")
        loader.meetings(meetings)
        step("meetings")
        loader.attendance(attendance)
        step("attendance")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Organisation, Person, Membership, Meeting, Attendance):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        step("analyze")
    from netweave.networks.stats import bump_data_version

    for network in loader.network_rows:
        bump_data_version(network)
    return ScaleResult(
        networks=slugs,
        counts=loader.counts,
        seconds=time.perf_counter() - started,
        timings=timings,
        facilitator=loader.facilitator_name,
        focal_points=loader.focal_names,
        password=password,
    )


class _Loader:
    """The steps of one load; numpy arrays carry what later steps need."""

    def __init__(self, *, rng: np.random.Generator, prefix: str, password: str) -> None:
        self.rng = rng
        self.prefix = prefix
        self.password = password
        self.now = timezone.now()
        self.today = timezone.localdate().toordinal()
        self.launched = self.today - int(YEARS * 365.25)
        self.counts: dict[str, int] = {}
        self.network_rows: list[Network] = []
        self.facilitator_name = ""
        self.focal_names: list[str] = []

    # Taxonomies and networks
    def topics(self) -> None:
        existing = set(Topic.objects.values_list("slug", flat=True))
        names = set(Topic.objects.values_list("name", flat=True))
        Topic.objects.bulk_create(
            [
                Topic(slug=slug, name=name, description=description)
                for slug, name, description in TOPICS
                if slug not in existing and name not in names
            ]
        )
        self.topic_ids = np.array(
            Topic.objects.order_by("id").values_list("id", flat=True), dtype=np.int64
        )
        sectors = dict(Sector.objects.values_list("slug", "id"))
        self.sector_slugs = [slug for slug, *_rest in SECTORS if slug in sectors]
        self.sector_ids = np.array([sectors[s] for s in self.sector_slugs], dtype=np.int64)
        weights = np.array([SECTOR_WEIGHTS.get(s, 1) for s in self.sector_slugs], dtype=float)
        self.sector_p = weights / weights.sum()

    def networks(self, slugs: list[str]) -> None:
        for number, slug in enumerate(slugs, start=1):
            network = Network.objects.create(
                slug=slug,
                name=_("Scale network %(number)s") % {"number": number},
                country="TJ",
                aims=_("Synthetic network for measuring Netweave at scale."),
                launched=_day(self.launched),
                stage=Stage.FORMAL,
            )
            self.network_rows.append(network)
        self.network_ids = np.array([n.pk for n in self.network_rows], dtype=np.int64)
        self.counts["networks"] = len(slugs)

    # Organisations and memberships
    def organisations(self, count: int) -> None:
        rng = self.rng
        ids = _reserve_ids(Organisation, count)
        sector_index = rng.choice(len(self.sector_ids), size=count, p=self.sector_p)
        focus = rng.integers(0, len(FOCUSES), count)
        region = rng.integers(0, len(REGIONS), count)
        kind_pick = rng.integers(0, 1000, count)
        seen: set[str] = set()
        now = self.now
        rows = []
        for n in range(count):
            slug = self.sector_slugs[sector_index[n]]
            kinds = ORG_KINDS.get(slug, ORG_KINDS["other"])
            name = f"{kinds[kind_pick[n] % len(kinds)]} {FOCUSES[focus[n]]}, {REGIONS[region[n]]}"
            if name in seen:
                name = f"{name} {n + 1}"
            seen.add(name)
            acronym = "".join(word[0] for word in name.split() if word[0].isupper())[:8]
            rows.append(
                (
                    int(ids[n]),
                    now,
                    now,
                    name,
                    normalize_name(name),
                    acronym,
                    f"{self.prefix}-org-{n + 1}",
                    int(self.sector_ids[sector_index[n]]),
                    "TJ",
                    REGIONS[region[n]],
                    f"https://org{n + 1}.example.org",
                    f"info@org{n + 1}.example.org",
                    _("Works on %(focus)s in %(region)s.")
                    % {"focus": FOCUSES[focus[n]].lower(), "region": REGIONS[region[n]]},
                )
            )
        self.counts["organisations"] = _insert(
            Organisation,
            (
                "id",
                "created",
                "modified",
                "name",
                "name_key",
                "acronym",
                "slug",
                "sector",
                "country",
                "region",
                "website",
                "email",
                "description",
            ),
            rows,
        )
        self.org_ids = ids
        self.org_sector = sector_index
        # Interests: one to four topics each, the focus-related first topics favoured.
        n_interests = rng.integers(1, 5, count)
        interest_rows = []
        for n in range(count):
            picks = rng.choice(len(self.topic_ids), size=min(n_interests[n], len(self.topic_ids)))
            for topic in set(picks.tolist()):
                interest_rows.append(
                    (int(ids[n]), int(self.topic_ids[topic]), int(rng.integers(1, 4)))
                )
        self.counts["organisation interests"] = _insert(
            OrganisationInterest, ("organisation", "topic", "level"), interest_rows
        )

    def memberships(self) -> None:
        """Each organisation joins one network; one in ten joins a second one too."""
        rng = self.rng
        count = len(self.org_ids)
        n_networks = len(self.network_ids)
        # Networks differ in size: weights between 1 and 3.
        weights = rng.uniform(1, 3, n_networks)
        first = np.arange(count) % n_networks if count <= n_networks * 2 else None
        if first is None:
            first = rng.choice(n_networks, size=count, p=weights / weights.sum())
            first[:n_networks] = np.arange(n_networks)  # none is left empty
        pairs = [(o, int(first[o])) for o in range(count)]
        if n_networks > 1:
            for o in np.flatnonzero(rng.random(count) < 0.1):
                second = (int(first[o]) + int(rng.integers(1, n_networks))) % n_networks
                pairs.append((int(o), second))
        span = self.today - 30 - self.launched
        m = len(pairs)
        # A third are founding members; the rest joined over the years.
        joined = self.launched + (rng.random(m) * span).astype(np.int64)
        joined[rng.random(m) < 0.33] = self.launched
        left = np.full(m, -1, dtype=np.int64)
        leaving = rng.random(m) < 0.05
        left[leaving] = joined[leaving] + (
            rng.random(int(leaving.sum())) * (self.today - joined[leaving])
        ).astype(np.int64)
        status = np.where(leaving, 3, 0)  # 0 active, 1 applicant, 2 suspended, 3 left
        roll = rng.random(m)
        status[(~leaving) & (roll < 0.01)] = 2
        recent = joined > self.today - 120
        status[(~leaving) & recent & (roll > 0.9)] = 1
        names = [
            MembershipStatus.ACTIVE,
            MembershipStatus.APPLICANT,
            MembershipStatus.SUSPENDED,
            MembershipStatus.LEFT,
        ]
        now = self.now
        rows = (
            (
                uuid.UUID(bytes=rng.bytes(16), version=4),
                int(self.network_ids[net]),
                int(self.org_ids[o]),
                str(names[status[i]]),
                _day(joined[i]),
                _day(left[i]) if left[i] >= 0 else None,
                now,
                now,
            )
            for i, (o, net) in enumerate(pairs)
        )
        self.counts["memberships"] = _insert(
            Membership,
            ("uid", "network", "organisation", "status", "joined", "left", "created", "modified"),
            rows,
        )
        self.member_org = np.array([o for o, _net in pairs], dtype=np.int64)  # org index
        self.member_net = np.array([net for _o, net in pairs], dtype=np.int64)
        self.member_joined = joined
        self.member_left = np.where(left >= 0, left, np.iinfo(np.int64).max)
        self.member_status = status

    # People, representatives, users
    def people(self, count: int) -> None:
        rng = self.rng
        n_orgs = len(self.org_ids)
        ids = _reserve_ids(Person, count)
        # Every organisation has someone; bigger ones have many (log-normal sizes).
        size = rng.lognormal(0, 1, n_orgs)
        extra = rng.choice(n_orgs, size=count - n_orgs, p=size / size.sum())
        person_org = np.concatenate([np.arange(n_orgs), extra])
        person_org.sort(kind="stable")
        firsts = INTL_FIRST + tuple(latin for latin, _c in TJ_MALE + TJ_FEMALE)
        lasts = INTL_LAST + ("Rahimov", "Karimova", "Nazarov", "Saidova", "Sharipov", "Yusupova")
        first = rng.integers(0, len(firsts), count)
        last = rng.integers(0, len(lasts), count)
        listed = rng.random(count) < 0.8
        contact = listed & (rng.random(count) < 0.7)
        consent_day = _day(self.today - 400)
        now = self.now
        rows = []
        for n in range(count):
            name = f"{firsts[first[n]]} {lasts[last[n]]}"
            positions = POSITIONS.get(self.sector_slugs[self.org_sector[person_org[n]]], ("",))
            rows.append(
                (
                    int(ids[n]),
                    uuid.UUID(bytes=rng.bytes(16), version=4),
                    now,
                    now,
                    name,
                    normalize_name(name),
                    int(self.org_ids[person_org[n]]),
                    positions[n % len(positions)],
                    f"{name.lower().replace(' ', '.').replace(chr(39), '')}.{n + 1}@example.org",
                    "tg, ru" if n % 3 else "en, ru",
                    bool(listed[n]),
                    bool(contact[n]),
                    consent_day if listed[n] else None,
                )
            )
        self.counts["people"] = _insert(
            Person,
            (
                "id",
                "uid",
                "created",
                "modified",
                "name",
                "name_key",
                "organisation",
                "position",
                "email",
                "languages",
                "consent_listed",
                "consent_contact",
                "consent_date",
            ),
            rows,
        )
        self.person_ids = ids
        self.person_org = person_org
        # Half of the people declare one to three interests.
        interest_rows = []
        for n in np.flatnonzero(rng.random(count) < 0.5):
            for topic in set(rng.choice(len(self.topic_ids), size=int(rng.integers(1, 4)))):
                interest_rows.append((int(ids[n]), int(self.topic_ids[topic]), 2))
        self.counts["person interests"] = _insert(
            PersonInterest, ("person", "topic", "level"), interest_rows
        )
        # The first person of each organisation represents it in each network it belongs to.
        first_person = np.searchsorted(person_org, np.arange(n_orgs))
        current = self.member_left == np.iinfo(np.int64).max
        rows_rep = (
            (
                int(self.network_ids[self.member_net[i]]),
                int(self.org_ids[self.member_org[i]]),
                int(ids[first_person[self.member_org[i]]]),
                str(SeatKind.REPRESENTATIVE),
                _day(self.member_joined[i]),
                None if current[i] else _day(self.member_left[i]),
                now,
                now,
            )
            for i in range(len(self.member_org))
        )
        self.counts["representations"] = _insert(
            Representation,
            ("network", "organisation", "person", "kind", "start", "end", "created", "modified"),
            rows_rep,
        )
        self.first_person = first_person

    def users(self, focal_points: int) -> None:
        """A facilitator of every network, and focal points of the first network's members."""
        User = get_user_model()
        hashed = make_password(self.password)
        facilitator = User.objects.create(
            username=f"{self.prefix}-facilitator", password=hashed, first_name="Scale"
        )
        self.facilitator_name = facilitator.username
        Role.objects.bulk_create(
            [
                Role(user=facilitator, network=network, kind=RoleKind.FACILITATOR)
                for network in self.network_rows
            ]
        )
        # Focal points: current, active members of the first network, one user each.
        candidates = np.flatnonzero(
            (self.member_net == 0)
            & (self.member_status == 0)
            & (self.member_left == np.iinfo(np.int64).max)
        )
        chosen = self.member_org[candidates[:focal_points]]
        users = User.objects.bulk_create(
            [
                User(username=f"{self.prefix}-focal-{n + 1}", password=hashed)
                for n in range(len(chosen))
            ]
        )
        Role.objects.bulk_create(
            [
                Role(
                    user=user,
                    network=self.network_rows[0],
                    kind=RoleKind.FOCAL_POINT,
                    organisation_id=int(self.org_ids[org]),
                )
                for user, org in zip(users, chosen, strict=True)
            ]
        )
        for user, org in zip(users, chosen, strict=True):
            Person.objects.filter(pk=int(self.person_ids[self.first_person[org]])).update(user=user)
        self.focal_names = [user.username for user in users]
        self.counts["users"] = 1 + len(users)

    # Meetings and attendance
    def meetings(self, count: int) -> None:
        rng = self.rng
        ids = _reserve_ids(Meeting, count)
        n_networks = len(self.network_ids)
        members = np.bincount(self.member_net, minlength=n_networks).astype(float)
        net = rng.choice(n_networks, size=count, p=members / members.sum())
        kinds = list(MEETING_KINDS)
        shares = np.array([MEETING_KINDS[k][0] for k in kinds], dtype=float)
        kind = rng.choice(len(kinds), size=count, p=shares / shares.sum())
        # More meetings as a network grows: day = launch + span * sqrt(u).
        first_day = self.launched + 30
        span = self.today + FUTURE_DAYS - first_day
        day = first_day + (np.sqrt(rng.random(count)) * span).astype(np.int64)
        hour = rng.integers(4, 11, count)  # 09:00–16:00 in Dushanbe (UTC+5)
        topic_names = [name for _slug, name, _d in TOPICS]
        host_pick = rng.random(count)
        by_network = [np.flatnonzero(self.member_net == n) for n in range(n_networks)]
        now = self.now
        rows = []
        start = np.empty(count, dtype=object)
        for n in range(count):
            k = kinds[kind[n]]
            begin = dt.datetime.combine(_day(day[n]), dt.time(int(hour[n])), tzinfo=dt.UTC)
            start[n] = begin
            hosts = by_network[net[n]]
            host = self.org_ids[self.member_org[hosts[int(host_pick[n] * len(hosts))]]]
            title = f"{k.label} — {topic_names[n % len(topic_names)]}"
            rows.append(
                (
                    int(ids[n]),
                    uuid.UUID(bytes=rng.bytes(16), version=4),
                    int(self.network_ids[net[n]]),
                    str(title),
                    str(k),
                    begin,
                    begin + dt.timedelta(hours=MEETING_KINDS[k][2]),
                    TIME_ZONE,
                    VENUES[n % len(VENUES)],
                    int(host),
                    "tg, ru",
                    now,
                    now,
                )
            )
        self.counts["meetings"] = _insert(
            Meeting,
            (
                "id",
                "uid",
                "network",
                "title",
                "kind",
                "start",
                "end",
                "time_zone",
                "venue",
                "host",
                "languages",
                "created",
                "modified",
            ),
            rows,
        )
        self.meeting_ids = ids
        self.meeting_net = net
        self.meeting_day = day
        self.meeting_start = start
        self.meeting_kind = kind
        self.meeting_typical = np.array([MEETING_KINDS[kinds[k]][1] for k in kind], dtype=float)

    def attendance(self, total: int) -> None:
        """``total`` attendance rows over past meetings, skewed by a Zipf weight per person."""
        rng = self.rng
        self.counts["attendance"] = 0
        if total == 0:
            return
        past = self.meeting_day < self.today
        n_networks = len(self.network_ids)
        # Per network: the (person, membership) pairs sorted by the day they became eligible.
        pools = []
        for n in range(n_networks):
            rows = np.flatnonzero(self.member_net == n)
            org_of_row = self.member_org[rows]
            # people of those organisations: person_org is sorted, so slices
            lo = np.searchsorted(self.person_org, org_of_row, side="left")
            hi = np.searchsorted(self.person_org, org_of_row, side="right")
            sizes = hi - lo
            person = np.concatenate([np.arange(a, b) for a, b in zip(lo, hi, strict=True)])
            joined = np.repeat(self.member_joined[rows], sizes)
            left = np.repeat(self.member_left[rows], sizes)
            order = np.argsort(joined, kind="stable")
            person, joined, left = person[order], joined[order], left[order]
            # Zipf weights over a random ranking of the pool.
            rank = rng.permutation(len(person)) + 1
            weight = 1.0 / rank.astype(float) ** ZIPF_EXPONENT
            pools.append((person, joined, left, np.cumsum(weight), np.sort(left)))
        # Eligible people at each past meeting, and the number each meeting gets.
        meetings = np.flatnonzero(past)
        if len(meetings) == 0:
            raise ValidationError(_("Attendance needs meetings in the past."))
        eligible = np.zeros(len(meetings), dtype=np.int64)
        for i, m in enumerate(meetings):
            _person, joined, _left, _cum, left_sorted = pools[self.meeting_net[m]]
            day = self.meeting_day[m]
            # left ≥ joined, so everyone who had left by then had joined by then
            gone = np.searchsorted(left_sorted, day, side="right")
            eligible[i] = np.searchsorted(joined, day, side="right") - gone
        capacity = eligible * 3 // 4  # nobody fills a room with everyone
        capacity = np.maximum(capacity, np.minimum(eligible, 1))
        if capacity.sum() < total:
            raise ValidationError(
                _(
                    "%(total)s attendance records do not fit: the past meetings can hold "
                    "%(capacity)s. Add people or meetings."
                )
                % {"total": total, "capacity": int(capacity.sum())}
            )
        typical = self.meeting_typical[meetings] * rng.lognormal(0, 0.4, len(meetings))
        sizes = _apportion(total, typical, capacity)
        meeting_col = np.repeat(self.meeting_ids[meetings], sizes)
        person_col = np.empty(total, dtype=np.int64)
        at = 0
        for i, m in enumerate(meetings):
            k = int(sizes[i])
            if k == 0:
                continue
            person, joined, left, cum, _left_sorted = pools[self.meeting_net[m]]
            end = np.searchsorted(joined, self.meeting_day[m], side="right")
            chosen = _weighted_sample(rng, cum[:end], left[:end], self.meeting_day[m], k)
            person_col[at : at + k] = person[chosen]
            at += k
        org_col = self.org_ids[self.person_org[person_col]]
        person_col = self.person_ids[person_col]
        checked = rng.random(total) < 0.7
        starts = np.repeat(self.meeting_start[meetings], sizes)
        minutes = rng.integers(-20, 30, total)
        check_in = str(AttendanceSource.CHECK_IN)
        imported = str(AttendanceSource.IMPORT)
        rows = (
            (
                int(meeting_col[i]),
                int(person_col[i]),
                int(org_col[i]),
                check_in if checked[i] else imported,
                True,
                starts[i] + dt.timedelta(minutes=int(minutes[i])) if checked[i] else None,
            )
            for i in range(total)
        )
        self.counts["attendance"] = _insert(
            Attendance,
            ("meeting", "person", "organisation", "source", "invited", "checked_in_at"),
            rows,
        )


def _apportion(total: int, weights: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Integers proportional to ``weights``, each ≤ ``capacity``, summing to ``total``."""
    sizes = np.zeros(len(weights), dtype=np.int64)
    weights = weights.astype(float).copy()
    remaining = total
    while remaining > 0:
        room = capacity - sizes
        open_ = room > 0
        w = np.where(open_, weights, 0.0)
        if w.sum() == 0:
            w = open_.astype(float)
        share = np.minimum(np.floor(w / w.sum() * remaining).astype(np.int64), room)
        if share.sum() == 0:
            # Hand out the last few one by one to the meetings with the most weight.
            for i in np.argsort(-w)[:remaining]:
                if room[i] > 0:
                    share[i] = 1
        sizes += share
        remaining = total - int(sizes.sum())
    return sizes


def _weighted_sample(
    rng: np.random.Generator, cum: np.ndarray, left: np.ndarray, day: int, k: int
) -> np.ndarray:
    """``k`` distinct indexes drawn with the weights whose running sum is ``cum``,
    skipping those whose membership had ended by ``day``."""
    chosen: list[int] = []
    seen: set[int] = set()
    total = cum[-1]
    for _round in range(50):
        draws = np.searchsorted(cum, rng.random(2 * (k - len(chosen)) + 8) * total, side="right")
        for index in draws.tolist():
            if index in seen or left[index] <= day:
                continue
            seen.add(index)
            chosen.append(index)
            if len(chosen) == k:
                return np.array(chosen, dtype=np.int64)
    # The heavy members are all in: fill up uniformly from the rest.
    rest = np.array([i for i in range(len(cum)) if i not in seen and left[i] > day], dtype=np.int64)
    fill = rng.choice(rest, size=k - len(chosen), replace=False)
    return np.concatenate([np.array(chosen, dtype=np.int64), fill])


# The pages a benchmark measures on seeded data -----------------------------------------------
# Router prefixes of the API list endpoints measured with ?network=<slug>.
API_LISTS = ("organisations", "people", "memberships", "meetings", "attendance", "relationships")


def bench_pages(slug: str) -> list[tuple[str, str]]:
    """(name, address) of the pages to measure in the seeded network ``slug``.

    The floor comes first: ``/about/`` renders the base layout and reads no data. The
    organisation, person and meeting are the busiest ones: most people, most attendance.
    """
    from django.db.models import Count

    network = Network.objects.get(slug=slug)
    members = Membership.objects.filter(network=network).values("organisation_id")
    organisation = (
        Organisation.objects.filter(id__in=members)
        .annotate(staff=Count("people"))
        .order_by("-staff", "pk")
        .values_list("slug", flat=True)
        .first()
    )
    meeting = (
        Meeting.objects.filter(network=network, start__lt=timezone.now())
        .annotate(present=Count("attendance"))
        .order_by("-present", "pk")
        .values_list("uid", flat=True)
        .first()
    )
    person = (
        Attendance.objects.filter(meeting__network=network)
        .values("person__uid")
        .annotate(times=Count("id"))
        .order_by("-times", "person__uid")
        .values_list("person__uid", flat=True)
        .first()
    )
    sector = (
        Organisation.objects.filter(id__in=members)
        .values("sector__slug")
        .annotate(n=Count("id"))
        .order_by("-n", "sector__slug")
        .values_list("sector__slug", flat=True)
        .first()
    )
    base = f"/networks/{slug}"
    pages = [
        ("floor (about)", "/about/"),
        ("network home", f"{base}/"),
        ("directory", f"{base}/organisations/"),
        ("directory filtered, page 2", f"{base}/organisations/?sector={sector}&page=2"),
        ("directory search", f"{base}/organisations/?q=water"),
        ("people", f"{base}/people/?page=2"),
        ("organisation", f"{base}/organisations/{organisation}/"),
        ("meetings list", f"{base}/meetings/?view=list"),
        ("meetings month", f"{base}/meetings/"),
    ]
    if meeting:
        pages.append(("meeting", f"{base}/meetings/{meeting}/"))
    if person:
        pages.append(("person", f"{base}/people/{person}/"))
    pages += [(f"API {prefix}", f"/api/v1/{prefix}/?network={slug}") for prefix in API_LISTS]
    return pages
