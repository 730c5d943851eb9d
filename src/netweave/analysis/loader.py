"""Read the network's records into plain id arrays for the graph layer.

Each graph source is one loader function reading the database with a query or two, as
integer columns (no model instances, no per-row Python objects beyond the database
driver's tuples). A loader returns :class:`SourceRows`: either *event* incidences
(actor, event) that :func:`netweave.analysis.graphs.project_bipartite` turns into
co-occurrence ties, or *ties* between two actors with a weight. Every row carries the day
range during which it counts (``start``/``end`` as proleptic ordinals, open ends as
``OPEN_START``/``OPEN_END``), so one load serves the whole window and the per-year growth
without querying again.

Sources plug in through :data:`SOURCES`: register a :class:`Source` under a new name and
the services, the API and the command line accept it.

Time windows, per source:

- ``attendance``: the meeting's start date.
- ``task_groups``: the membership period, from the member's ``joined`` date (else the
  task group's start) to the task group's end.
- ``activities``: the activity's start and end dates.
- ``cofinancing``: the contribution's year (1 January to 31 December).
- ``relationships``: the relationship's start and end dates.
- ``partnerships``: the partnership's start and end dates.
- ``survey``: the survey round's year.

Open or missing dates count as unbounded on that side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ORGANISATION = "organisation"
PERSON = "person"

OPEN_START = np.iinfo(np.int64).min
OPEN_END = np.iinfo(np.int64).max

EVENTS = "events"
TIES = "ties"


@dataclass
class SourceRows:
    """What one source contributes, before projection.

    ``kind`` is :data:`EVENTS` (``a`` = actor ids, ``b`` = event ids; the tie weight is
    the number of shared events) or :data:`TIES` (``a``/``b`` = the two actors, ``weight``
    per row; repeated ties add up). ``start``/``end`` are day ordinals per row.
    """

    kind: str
    a: np.ndarray
    b: np.ndarray
    start: np.ndarray
    end: np.ndarray
    weight: np.ndarray | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.a)

    def mask(self, since: dt.date | None, until: dt.date | None) -> np.ndarray:
        """Rows whose day range meets the window."""
        keep = np.ones(len(self.a), dtype=bool)
        if until is not None:
            keep &= self.start <= until.toordinal()
        if since is not None:
            keep &= self.end >= since.toordinal()
        return keep

    def subset(self, keep: np.ndarray) -> SourceRows:
        return SourceRows(
            self.kind,
            self.a[keep],
            self.b[keep],
            self.start[keep],
            self.end[keep],
            None if self.weight is None else self.weight[keep],
            self.extra,
        )


Loader = Callable[..., SourceRows]


@dataclass(frozen=True)
class Source:
    """A graph source: its name, a label for people, the levels it serves and its loader.

    The loader is called as ``load(network, level=..., since=..., until=...)``.
    """

    name: str
    label: Any
    levels: tuple[str, ...]
    load: Loader


# ---------------------------------------------------------------------------------------
# Reading integer columns fast


def int_columns(qs: QuerySet, *fields: str) -> list[np.ndarray]:
    """The ``fields`` of ``qs`` as int64 arrays, read with one cursor round trip.

    NULLs become 0 (ids start at 1). Date fields must be given as ordinals by the caller
    (see :func:`_date_ordinals`); this reads raw values only.
    """
    values = qs.values_list(*fields)
    compiler = values.query.get_compiler(using=values.db)
    sql, params = compiler.as_sql()
    with connections[values.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return [np.zeros(0, dtype=np.int64) for _ in fields]
    try:
        array = np.array(rows, dtype=np.int64)
    except TypeError:  # a NULL somewhere
        array = np.array([[0 if v is None else v for v in row] for row in rows], dtype=np.int64)
    return [array[:, i].astype(np.int64) for i in range(len(fields))]


def _ordinal(value: Any, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return value.toordinal()


def _date_ordinals(values: list[Any], default: int) -> np.ndarray:
    return np.fromiter((_ordinal(v, default) for v in values), dtype=np.int64, count=len(values))


def _rows(qs: QuerySet, *fields: str) -> list[tuple]:
    return list(qs.values_list(*fields))


def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _period_filter(
    start: str, end: str, since: dt.date | None, until: dt.date | None, *, start_alt: str = ""
) -> Q:
    """Rows whose [start, end] period (open ends allowed) meets [since, until]."""
    condition = Q()
    if until is not None:
        starts = Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": until})
        if start_alt:
            starts = Q(**{f"{start}__lte": until}) | (
                Q(**{f"{start}__isnull": True})
                & (Q(**{f"{start_alt}__isnull": True}) | Q(**{f"{start_alt}__lte": until}))
            )
        condition &= starts
    if since is not None:
        condition &= Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": since})
    return condition


def _year_bounds(years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    start = np.array([dt.date(int(y), 1, 1).toordinal() for y in np.unique(years)], dtype=np.int64)
    end = np.array([dt.date(int(y), 12, 31).toordinal() for y in np.unique(years)], dtype=np.int64)
    unique = np.unique(years)
    position = np.searchsorted(unique, years)
    return start[position], end[position]


def _lookup(keys: np.ndarray, table_keys: np.ndarray, table_values: np.ndarray) -> np.ndarray:
    """``table_values`` at the positions of ``keys`` in the sorted ``table_keys``."""
    if len(keys) == 0:
        return np.zeros(0, dtype=table_values.dtype)
    return table_values[np.searchsorted(table_keys, keys)]


def _events(
    a: np.ndarray,
    b: np.ndarray,
    event_ids: np.ndarray,
    event_start: np.ndarray,
    event_end: np.ndarray,
) -> SourceRows:
    order = np.argsort(event_ids)
    event_ids, event_start, event_end = event_ids[order], event_start[order], event_end[order]
    known = np.isin(b, event_ids)
    a, b = a[known], b[known]
    return SourceRows(
        EVENTS,
        a,
        b,
        _lookup(b, event_ids, event_start),
        _lookup(b, event_ids, event_end),
    )


def _empty(kind: str) -> SourceRows:
    zero = np.zeros(0, dtype=np.int64)
    return SourceRows(kind, zero, zero, zero, zero, np.zeros(0) if kind == TIES else None)


# ---------------------------------------------------------------------------------------
# Sources


def load_attendance(network, *, level: str, since=None, until=None) -> SourceRows:
    """Co-attendance: who attended the network's meetings (2 queries)."""
    from netweave.meetings.models import Attendance, Meeting

    meetings = Meeting.objects.filter(network=network)
    if since is not None:
        meetings = meetings.filter(start__gte=day_start(since))
    if until is not None:
        meetings = meetings.filter(start__lt=day_start(until + dt.timedelta(days=1)))
    rows = _rows(meetings, "id", "start")
    if not rows:
        return _empty(EVENTS)
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    days = _date_ordinals([r[1] for r in rows], OPEN_START)
    actor = "organisation_id" if level == ORGANISATION else "person_id"
    attendance = Attendance.objects.filter(meeting__network=network)
    if since is not None:
        attendance = attendance.filter(meeting__start__gte=day_start(since))
    if until is not None:
        attendance = attendance.filter(meeting__start__lt=day_start(until + dt.timedelta(days=1)))
    if level == ORGANISATION:
        attendance = attendance.filter(organisation__isnull=False)
    a, b = int_columns(attendance, actor, "meeting_id")
    return _events(a, b, ids, days, days)


def load_task_groups(network, *, level: str, since=None, until=None) -> SourceRows:
    """Co-membership of task groups, over each membership period (1 query).

    At person level the people an organisation sends to the group are linked; a member
    organisation that names nobody adds no person.
    """
    from netweave.governance.models import TaskGroupMember

    if level == ORGANISATION:
        qs = TaskGroupMember.objects.filter(task_group__network=network).filter(
            _period_filter("joined", "task_group__end", since, until, start_alt="task_group__start")
        )
        actor = "organisation_id"
        prefix = ""
    else:
        qs = TaskGroupMember.people.through.objects.filter(
            taskgroupmember__task_group__network=network
        ).filter(
            _period_filter(
                "taskgroupmember__joined",
                "taskgroupmember__task_group__end",
                since,
                until,
                start_alt="taskgroupmember__task_group__start",
            )
        )
        actor = "person_id"
        prefix = "taskgroupmember__"
    rows = _rows(
        qs,
        actor,
        f"{prefix}task_group_id",
        f"{prefix}joined",
        f"{prefix}task_group__start",
        f"{prefix}task_group__end",
    )
    if not rows:
        return _empty(EVENTS)
    n = len(rows)
    a = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
    b = np.fromiter((r[1] for r in rows), dtype=np.int64, count=n)
    start = _date_ordinals([r[2] if r[2] is not None else r[3] for r in rows], OPEN_START)
    end = _date_ordinals([r[4] for r in rows], OPEN_END)
    return SourceRows(EVENTS, a, b, start, end)


def load_activities(network, *, level: str, since=None, until=None) -> SourceRows:
    """Joint activities: organisations taking part in the same activity (2 queries)."""
    from netweave.activities.models import JointActivity, Participation

    window = _period_filter("start", "end", since, until)
    rows = _rows(JointActivity.objects.filter(network=network).filter(window), "id", "start", "end")
    if not rows:
        return _empty(EVENTS)
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    start = _date_ordinals([r[1] for r in rows], OPEN_START)
    end = _date_ordinals([r[2] for r in rows], OPEN_END)
    a, b = int_columns(
        Participation.objects.filter(activity__network=network).filter(
            _period_filter("activity__start", "activity__end", since, until)
        ),
        "organisation_id",
        "activity_id",
    )
    return _events(a, b, ids, start, end)


def load_cofinancing(network, *, level: str, since=None, until=None) -> SourceRows:
    """Co-financing: organisations contributing to the same activity, by contribution
    year (1 query). A contributor counts once per activity and year."""
    from netweave.activities.models import Contribution

    qs = Contribution.objects.filter(activity__network=network)
    if since is not None:
        qs = qs.filter(year__gte=since.year)
    if until is not None:
        qs = qs.filter(year__lte=until.year)
    a, b, years = int_columns(qs, "organisation_id", "activity_id", "year")
    if not len(a):
        return _empty(EVENTS)
    start, end = _year_bounds(years)
    # The same activity financed in two years is two occasions of co-financing.
    events = b * 10000 + years
    return SourceRows(EVENTS, a, events, start, end)


def load_relationships(network, *, level: str, since=None, until=None) -> SourceRows:
    """Declared relationships, direction dropped, each weighing its strength / 5 (1 query)."""
    from netweave.directory.models import Relationship

    rows = _rows(
        Relationship.objects.filter(network=network).filter(
            _period_filter("start", "end", since, until)
        ),
        "source_id",
        "target_id",
        "strength",
        "start",
        "end",
    )
    if not rows:
        return _empty(TIES)
    n = len(rows)
    return SourceRows(
        TIES,
        np.fromiter((r[0] for r in rows), dtype=np.int64, count=n),
        np.fromiter((r[1] for r in rows), dtype=np.int64, count=n),
        _date_ordinals([r[3] for r in rows], OPEN_START),
        _date_ordinals([r[4] for r in rows], OPEN_END),
        np.fromiter((r[2] / 5 for r in rows), dtype=np.float64, count=n),
    )


def load_partnerships(network, *, level: str, since=None, until=None) -> SourceRows:
    """Partnerships: partners of the same partnership, over its dates (1 query)."""
    from netweave.partnerships.models import Partner

    rows = _rows(
        Partner.objects.filter(partnership__network=network).filter(
            _period_filter("partnership__start", "partnership__end", since, until)
        ),
        "organisation_id",
        "partnership_id",
        "partnership__start",
        "partnership__end",
    )
    if not rows:
        return _empty(EVENTS)
    n = len(rows)
    return SourceRows(
        EVENTS,
        np.fromiter((r[0] for r in rows), dtype=np.int64, count=n),
        np.fromiter((r[1] for r in rows), dtype=np.int64, count=n),
        _date_ordinals([r[2] for r in rows], OPEN_START),
        _date_ordinals([r[3] for r in rows], OPEN_END),
    )


def survey_score(frequency: np.ndarray, trust: np.ndarray, value: np.ndarray) -> np.ndarray:
    """A rated tie's strength: the mean of its three 1–5 scores, over 5 (0.2 … 1)."""
    return (frequency + trust + value) / 15


def load_survey(network, *, level: str, since=None, until=None) -> SourceRows:
    """Survey ties: each rating weighs :func:`survey_score`; ratings in both directions
    and over several rounds add up (1 query). ``extra["score"]`` keeps the mean 1–5
    score of each rating and ``extra["round"]`` its round's year."""
    from netweave.surveys.models import TieRating

    qs = TieRating.objects.filter(round__network=network)
    if since is not None:
        qs = qs.filter(round__year__gte=since.year)
    if until is not None:
        qs = qs.filter(round__year__lte=until.year)
    a, b, frequency, trust, value, years = int_columns(
        qs, "rater_id", "rated_id", "frequency", "trust", "value", "round__year"
    )
    if not len(a):
        rows = _empty(TIES)
        rows.extra = {"score": np.zeros(0), "year": np.zeros(0, dtype=np.int64)}
        return rows
    start, end = _year_bounds(years)
    weight = survey_score(frequency, trust, value)
    return SourceRows(TIES, a, b, start, end, weight, {"score": weight * 5, "year": years})


SOURCES: dict[str, Source] = {
    "attendance": Source(
        "attendance", _("co-attendance at meetings"), (ORGANISATION, PERSON), load_attendance
    ),
    "task_groups": Source(
        "task_groups", _("co-membership of task groups"), (ORGANISATION, PERSON), load_task_groups
    ),
    "activities": Source("activities", _("joint activities"), (ORGANISATION,), load_activities),
    "cofinancing": Source("cofinancing", _("co-financing"), (ORGANISATION,), load_cofinancing),
    "relationships": Source(
        "relationships", _("declared relationships"), (ORGANISATION,), load_relationships
    ),
    "partnerships": Source("partnerships", _("partnerships"), (ORGANISATION,), load_partnerships),
    "survey": Source("survey", _("network survey ties"), (ORGANISATION,), load_survey),
}


def register_source(source: Source) -> None:
    """Plug a new graph source in (or replace one) under ``source.name``."""
    SOURCES[source.name] = source


def check_sources(names, level: str) -> None:
    """Raise ValidationError for an unknown source or one not available at ``level``."""
    unknown = [name for name in names if name not in SOURCES]
    if unknown:
        raise ValidationError(
            _("Unknown graph source: %(names)s. Choose from: %(choices)s.")
            % {"names": ", ".join(unknown), "choices": ", ".join(SOURCES)}
        )
    unavailable = [name for name in names if level not in SOURCES[name].levels]
    if unavailable:
        available = [name for name, source in SOURCES.items() if level in source.levels]
        raise ValidationError(
            _(
                "Not available at %(level)s level: %(names)s. At that level the graph can "
                "be built from: %(choices)s."
            )
            % {
                "level": level,
                "names": ", ".join(unavailable),
                "choices": ", ".join(available),
            }
        )


def load_source(name: str, network, *, level: str, since=None, until=None) -> SourceRows:
    check_sources([name], level)
    return SOURCES[name].load(network, level=level, since=since, until=until)


# ---------------------------------------------------------------------------------------
# Nodes and their attributes


def member_periods(network) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(organisation ids, joined, left) of every membership period of the network that was
    more than an application, as day ordinals; an open period ends at ``OPEN_END``."""
    from netweave.networks.models import Membership, MembershipStatus

    rows = _rows(
        Membership.objects.filter(network=network).exclude(status=MembershipStatus.APPLICANT),
        "organisation_id",
        "joined",
        "left",
    )
    n = len(rows)
    orgs = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
    joined = _date_ordinals([r[1] for r in rows], OPEN_START)
    # ``left`` is the first day outside the network.
    left = _date_ordinals([r[2] for r in rows], OPEN_END)
    left = np.where(left == OPEN_END, OPEN_END, left - 1)
    return orgs, joined, left


def members_in(
    periods: tuple[np.ndarray, np.ndarray, np.ndarray],
    since: dt.date | None,
    until: dt.date | None,
) -> np.ndarray:
    """Sorted unique ids of the organisations whose membership meets the window."""
    orgs, joined, last = periods
    keep = np.ones(len(orgs), dtype=bool)
    if until is not None:
        keep &= joined <= until.toordinal()
    if since is not None:
        keep &= last >= since.toordinal()
    return np.unique(orgs[keep])


def people_of(organisation_ids: np.ndarray) -> np.ndarray:
    """Ids of the people of the given organisations (1 query)."""
    from netweave.directory.models import Person

    if not len(organisation_ids):
        return np.zeros(0, dtype=np.int64)
    (ids,) = int_columns(Person.objects.filter(organisation_id__in=organisation_ids.tolist()), "id")
    return np.unique(ids)


def organisation_info(ids: np.ndarray) -> dict[int, dict[str, Any]]:
    """{id: {label, sector, sector_name, slug}} for organisations (1 query)."""
    from netweave.directory.models import Organisation

    rows = _rows(
        Organisation.objects.filter(id__in=ids.tolist()),
        "id",
        "name",
        "acronym",
        "slug",
        "sector__slug",
        "sector__name",
    )
    return {
        r[0]: {
            "label": r[2] or r[1],
            "name": r[1],
            "slug": r[3],
            "sector": r[4],
            "sector_name": r[5],
        }
        for r in rows
    }


def person_info(ids: np.ndarray) -> dict[int, dict[str, Any]]:
    """{id: {label, sector, sector_name, uid, organisation}} for people (1 query); a
    person's sector is their organisation's."""
    from netweave.directory.models import Person

    rows = _rows(
        Person.objects.filter(id__in=ids.tolist()),
        "id",
        "name",
        "uid",
        "organisation_id",
        "organisation__sector__slug",
        "organisation__sector__name",
    )
    return {
        r[0]: {
            "label": r[1],
            "name": r[1],
            "uid": str(r[2]),
            "organisation": r[3],
            "sector": r[4],
            "sector_name": r[5],
        }
        for r in rows
    }


def interests_of(ids: np.ndarray, level: str) -> dict[int, list[str]]:
    """Declared interests (topic names) per organisation or person (1 query)."""
    from netweave.directory.models import OrganisationInterest, PersonInterest

    if level == ORGANISATION:
        qs = OrganisationInterest.objects.filter(organisation_id__in=ids.tolist())
        rows = _rows(qs, "organisation_id", "topic__name")
    else:
        qs = PersonInterest.objects.filter(person_id__in=ids.tolist())
        rows = _rows(qs, "person_id", "topic__name")
    result: dict[int, list[str]] = {}
    for actor, topic in rows:
        result.setdefault(actor, []).append(topic)
    return result
