"""Network analysis from the network's own records: graphs, metrics, diagnostics, caching.

:func:`build_graph` reads the records of the chosen sources (see
:mod:`netweave.analysis.loader`) and projects them into one weighted graph;
:func:`analyse_network` computes every metric (:mod:`netweave.analysis.metrics`) and the
facilitator's diagnostics; :func:`get_analysis` serves them from the cache, computing
small networks at once and larger ones in a background task.

Choices, in one place:

- **Nodes.** At organisation level, every organisation whose membership of the network
  (applications aside) meets the time window, isolates included; records of
  organisations outside that set are left out. At person level, the people of those
  organisations plus everyone who appears in the chosen sources in the window (people
  who attended as individual members, for instance).
- **Events** of a node: the network meetings it attended in the window.
- **Engagement score** (0–1), over the 12 months up to the window's end (today when the
  window is open): with ``a`` = meetings attended / meetings held, ``c`` = min(1,
  contributions / 2), ``p`` = min(1, activity participations / 2), ``s`` = min(1,
  (survey ratings given + comments written) / 4) and ``r`` = 1 when the organisation has
  any record in those months (attendance, task group, activity, contribution, survey),
  engagement = (2a + c + p + s + r) / 6. At person level (attendance and task groups
  only) it is (2a + r) / 3.
- **Inactive**: nodes with no record at all in those 12 months (``r`` = 0).
- **Target sector mix** for under-representation: the steering committee's target mix
  (minimum seats per sector, turned into shares) when the network has a steering body
  with one, since the network itself has no such field; otherwise equal shares across
  the sectors present. A sector is under-represented when its share of the nodes is
  below its target share (below half of it for equal shares, which are no real target).
- **Betweenness** is exact up to ``ANALYSIS_EXACT_BETWEENNESS_MAX_NODES`` nodes (setting,
  default 1000) and sampled from ``ANALYSIS_BETWEENNESS_PIVOTS`` pivots beyond (default
  200); the result says which.
- **Layout**: igraph's Fruchterman–Reingold from fixed starting positions on a circle,
  so the same graph always gets the same map. Coordinates are scaled into 0…1.
- **Dense graphs**: beyond ``ANALYSIS_EDGE_LIST_MAX`` ties (default 20,000) the layout
  and ``edge_list`` keep the backbone, each node's 6 strongest ties, and
  ``edge_list_complete`` is false; every metric still uses every tie.
- **Survey disagreements** (organisation level, when the window holds a survey round):
  against the latest round in the window, pairs with a recorded tie (the chosen sources
  other than the survey; all record sources when the survey is chosen alone) that a
  respondent of the pair (an organisation that answered the round, naming ties or not)
  rated low (mean score at most 2) or did not name at all, and
  pairs rated high (mean score at least 4) with no recorded tie; the 50 strongest of
  each kind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db.models import F, Func, IntegerField, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from netweave.analysis import graphs, loader, metrics
from netweave.analysis.graphs import WeightedEdges
from netweave.analysis.loader import EVENTS, ORGANISATION, PERSON, SourceRows

logger = logging.getLogger("netweave.analysis")

SOURCES = tuple(loader.SOURCES)
LEVELS = (ORGANISATION, PERSON)
RECORD_SOURCES = (
    "attendance",
    "task_groups",
    "activities",
    "cofinancing",
    "relationships",
    "partnerships",
)

READY, QUEUED, RUNNING, FAILED = "ready", "queued", "running", "failed"

_CACHE_PREFIX = "netweave:analysis:v1"
_LAYOUT_BACKBONE_EDGES = 20_000
_LAYOUT_BACKBONE_TIES = 6
_LAYOUT_MIN_ITERATIONS = 50
_DISAGREEMENTS_TOP = 50
_INTRODUCTIONS_TOP = 20


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# ---------------------------------------------------------------------------------------
# Parameters


def _parse_date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(
            _("%(name)s must be a date written YYYY-MM-DD, not “%(value)s”.")
            % {"name": name, "value": value}
        ) from None


@dataclass(frozen=True)
class AnalysisParams:
    """What to analyse: the level, the sources with their weights and the time window."""

    level: str = ORGANISATION
    sources: tuple[tuple[str, float], ...] = (("attendance", 1.0),)
    since: dt.date | None = None
    until: dt.date | None = None

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValidationError(
                _("Unknown level “%(level)s”: choose organisation or person.")
                % {"level": self.level}
            )
        if not self.sources:
            raise ValidationError(_("Choose at least one graph source."))
        names = [name for name, _weight in self.sources]
        if len(set(names)) != len(names):
            raise ValidationError(_("Give each graph source once."))
        for name, weight in self.sources:
            if not (isinstance(weight, int | float) and math.isfinite(weight) and weight > 0):
                raise ValidationError(
                    _("The weight of %(source)s must be a positive number.") % {"source": name}
                )
        loader.check_sources(names, self.level)
        if self.since and self.until and self.since > self.until:
            raise ValidationError(_("The start of the time window comes after its end."))

    @classmethod
    def from_query(cls, data: Mapping[str, Any]) -> AnalysisParams:
        """From GET parameters or command-line options; see the module's contract.

        ``level=``, ``graph=`` (comma list of sources, each optionally ``source:weight``),
        ``since=``/``until=`` (YYYY-MM-DD) and ``year=YYYY`` (1 January to 31 December).
        """

        def get(key: str) -> str:
            value = data.get(key)
            return "" if value is None else str(value).strip()

        level = get("level") or ORGANISATION
        graph = get("graph")
        sources: list[tuple[str, float]] = []
        if graph:
            for part in graph.split(","):
                part = part.strip()
                if not part:
                    continue
                name, _sep, weight_text = part.partition(":")
                name = name.strip()
                weight = 1.0
                if weight_text.strip():
                    try:
                        weight = float(weight_text)
                    except ValueError:
                        raise ValidationError(
                            _("The weight of %(source)s must be a number, not “%(value)s”.")
                            % {"source": name, "value": weight_text}
                        ) from None
                sources.append((name, weight))
        if not sources:
            sources = [("attendance", 1.0)]
        since = _parse_date(get("since"), "since") if get("since") else None
        until = _parse_date(get("until"), "until") if get("until") else None
        year_text = get("year")
        if year_text:
            if since or until:
                raise ValidationError(_("Give either a year or since/until, not both."))
            if not (year_text.isdigit() and 1900 <= int(year_text) <= 2999):
                raise ValidationError(
                    _("The year must be written YYYY, not “%(value)s”.") % {"value": year_text}
                )
            since, until = dt.date(int(year_text), 1, 1), dt.date(int(year_text), 12, 31)
        return cls(level=level, sources=tuple(sources), since=since, until=until)

    @property
    def graph(self) -> str:
        """The sources as a comma list, weights shown when not 1."""
        return ",".join(
            name if weight == 1 else f"{name}:{weight:g}" for name, weight in self.sources
        )

    @property
    def source_names(self) -> tuple[str, ...]:
        return tuple(name for name, _weight in self.sources)

    def as_query(self) -> dict[str, str]:
        query = {"level": self.level, "graph": self.graph}
        if self.since:
            query["since"] = self.since.isoformat()
        if self.until:
            query["until"] = self.until.isoformat()
        return query

    def digest(self) -> str:
        text = json.dumps(self.as_query(), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:20]


# ---------------------------------------------------------------------------------------
# Loading


@dataclass
class _Loaded:
    """Everything read from the database for one analysis."""

    params: AnalysisParams
    rows: dict[str, SourceRows]
    periods: tuple[np.ndarray, np.ndarray, np.ndarray]
    nodes: np.ndarray
    edges: WeightedEdges
    info: dict[int, dict[str, Any]]
    person_orgs: tuple[np.ndarray, np.ndarray] = field(
        default_factory=lambda: (np.zeros(0, np.int64), np.zeros(0, np.int64))
    )


def _people_with_orgs(organisation_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(person ids, organisation ids) of the people of these organisations (1 query)."""
    from netweave.directory.models import Person

    if not len(organisation_ids):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    people, orgs = loader.int_columns(
        Person.objects.filter(organisation_id__in=organisation_ids.tolist()),
        "id",
        "organisation_id",
    )
    return people, orgs


def _universe(
    level: str,
    rows: Mapping[str, SourceRows],
    members: np.ndarray,
    person_orgs: tuple[np.ndarray, np.ndarray],
) -> np.ndarray:
    if level == ORGANISATION:
        return members
    people, orgs = person_orgs
    parts = [people[np.isin(orgs, members)]]
    for source in rows.values():
        parts.append(source.a)
        if source.kind != EVENTS:
            parts.append(source.b)
    return np.unique(np.concatenate(parts)) if parts else np.zeros(0, np.int64)


def _project(
    rows: Mapping[str, SourceRows], weights: Mapping[str, float], nodes: np.ndarray
) -> WeightedEdges:
    """One weighted graph on ``nodes`` from the rows of each source (rows of actors outside
    ``nodes`` are left out)."""
    parts: list[WeightedEdges] = []
    factors: list[float] = []
    for name, source in rows.items():
        if source.kind == EVENTS:
            keep = np.isin(source.a, nodes)
            part = graphs.project_bipartite((source.a[keep], source.b[keep]), nodes=nodes)
        else:
            keep = np.isin(source.a, nodes) & np.isin(source.b, nodes)
            part = graphs.edges_from_pairs(
                source.a[keep], source.b[keep], weight=source.weight[keep], nodes=nodes
            )
        parts.append(part)
        factors.append(weights[name])
    if len(parts) == 1 and factors[0] == 1:
        return parts[0]
    if not parts:
        return graphs.edges_from_pairs([], [], nodes=nodes)
    return graphs.merge_edges(parts, weights=factors)


def _load(network, params: AnalysisParams, *, with_people: bool = True) -> _Loaded:
    rows = {
        name: loader.load_source(
            name, network, level=params.level, since=params.since, until=params.until
        )
        for name in params.source_names
    }
    periods = loader.member_periods(network)
    members = loader.members_in(periods, params.since, params.until)
    person_orgs = (
        _people_with_orgs(np.unique(periods[0]))
        if params.level == PERSON
        else (np.zeros(0, np.int64), np.zeros(0, np.int64))
    )
    nodes = _universe(params.level, rows, members, person_orgs)
    edges = _project(rows, dict(params.sources), nodes)
    info = _node_info(network, params.level, nodes) if with_people else {}
    return _Loaded(params, rows, periods, nodes, edges, info, person_orgs)


def _node_info(network, level: str, nodes: np.ndarray) -> dict[int, dict[str, Any]]:
    if level == ORGANISATION:
        info = loader.organisation_info(nodes)
        placeholder = "slug-placeholder-0"
        pattern = reverse(
            "directory:organisation_detail",
            kwargs={"network": network.slug, "slug": placeholder},
        )
        for item in info.values():
            item["url"] = pattern.replace(placeholder, item.pop("slug"))
    else:
        info = loader.person_info(nodes)
        placeholder = "00000000-0000-0000-0000-000000000000"
        pattern = reverse(
            "directory:person_detail", kwargs={"network": network.slug, "uid": placeholder}
        )
        for item in info.values():
            item["url"] = pattern.replace(placeholder, item.pop("uid"))
    return info


def build_graph(network, params: AnalysisParams) -> tuple[WeightedEdges, dict[int, dict]]:
    """The weighted graph of the chosen sources in the window, and node information
    ``{id: {"label", "sector", "sector_name", "url"}}`` for every node, isolates included.

    Node ids are Organisation ids or Person ids. The projections are sparse matrix
    products (see :mod:`netweave.analysis.graphs`).
    """
    loaded = _load(network, params)
    return loaded.edges, loaded.info


# ---------------------------------------------------------------------------------------
# Data version


def _count(qs) -> Subquery:
    return Subquery(
        qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1],
        output_field=IntegerField(),
    )


def _max(qs, column: str, output=None) -> Subquery:
    return Subquery(
        qs.order_by().annotate(m=Func(F(column), function="MAX")).values("m")[:1],
        output_field=output or IntegerField(),
    )


def data_state(network) -> tuple[str, int]:
    """A version string of the network's analysed records, and their row count, in one
    query.

    The version changes when any source row of the network is added, changed or deleted:
    per table it combines the row count, the highest id and the latest ``modified``
    time, or, for tables without ``modified``, the latest entry of the table's history
    (every change made through the services is recorded there).
    """
    from django.db.models import DateTimeField

    from netweave.activities.models import Contribution, JointActivity, Participation
    from netweave.directory.models import Organisation, OrganisationInterest, Person, Sector
    from netweave.governance.models import Body, TaskGroup, TaskGroupMember
    from netweave.meetings.models import Attendance, Meeting
    from netweave.networks.models import Membership, Network
    from netweave.partnerships.models import Partner, Partnership
    from netweave.surveys.models import SurveyResponse, SurveyRound, TieRating

    when = DateTimeField()
    # Inside a subquery of the network row, so the network is two levels out.
    member_orgs = Membership.objects.filter(network=OuterRef(OuterRef("pk"))).values(
        "organisation_id"
    )
    through = TaskGroupMember.people.through
    tables = {
        "memberships": Membership.objects.filter(network=OuterRef("pk")),
        "organisations": Organisation.objects.filter(id__in=member_orgs),
        "people": Person.objects.filter(organisation_id__in=member_orgs),
        "meetings": Meeting.objects.filter(network=OuterRef("pk")),
        "attendance": Attendance.objects.filter(meeting__network=OuterRef("pk")),
        "task_groups": TaskGroup.objects.filter(network=OuterRef("pk")),
        "task_group_members": TaskGroupMember.objects.filter(task_group__network=OuterRef("pk")),
        "task_group_people": through.objects.filter(
            taskgroupmember__task_group__network=OuterRef("pk")
        ),
        "activities": JointActivity.objects.filter(network=OuterRef("pk")),
        "participations": Participation.objects.filter(activity__network=OuterRef("pk")),
        "contributions": Contribution.objects.filter(activity__network=OuterRef("pk")),
        "relationships": Network.objects.none(),  # replaced below
        "partnerships": Partnership.objects.filter(network=OuterRef("pk")),
        "partners": Partner.objects.filter(partnership__network=OuterRef("pk")),
        "survey_rounds": SurveyRound.objects.filter(network=OuterRef("pk")),
        "survey_responses": SurveyResponse.objects.filter(round__network=OuterRef("pk")),
        "tie_ratings": TieRating.objects.filter(round__network=OuterRef("pk")),
        "bodies": Body.objects.filter(network=OuterRef("pk")),
    }
    from netweave.directory.models import Relationship

    tables["relationships"] = Relationship.objects.filter(network=OuterRef("pk"))
    annotations: dict[str, Any] = {}
    for name, qs in tables.items():
        annotations[f"{name}_n"] = _count(qs)
        annotations[f"{name}_id"] = _max(qs, "pk")
        if any(f.name == "modified" for f in qs.model._meta.get_fields()):
            annotations[f"{name}_mod"] = _max(qs, "modified", when)
    histories = {
        "attendance_h": Attendance.history.filter(meeting__network=OuterRef("pk")),
        "task_group_members_h": TaskGroupMember.history.filter(task_group__network=OuterRef("pk")),
        "participations_h": Participation.history.filter(activity__network=OuterRef("pk")),
        "interests_h": OrganisationInterest.history.filter(organisation_id__in=member_orgs),
        "sectors_h": Sector.history.all(),
    }
    for name, qs in histories.items():
        annotations[name] = _max(qs, "history_id")
    row = Network.objects.filter(pk=network.pk).annotate(**annotations).values(*annotations).first()
    if row is None:
        return "0", 0
    text = json.dumps(row, sort_keys=True, default=str)
    version = hashlib.sha256(text.encode()).hexdigest()[:16]
    size = sum(
        row[f"{name}_n"] or 0
        for name in (
            "attendance",
            "task_group_members",
            "task_group_people",
            "participations",
            "contributions",
            "relationships",
            "partners",
            "tie_ratings",
        )
    ) + (row["memberships_n"] or 0)
    return version, size


def data_version(network) -> str:
    return data_state(network)[0]


# ---------------------------------------------------------------------------------------
# Node extras


def _per_node(nodes: np.ndarray, actors: np.ndarray) -> np.ndarray:
    """How many rows of ``actors`` fall on each node."""
    keep = np.isin(actors, nodes)
    return np.bincount(np.searchsorted(nodes, actors[keep]), minlength=len(nodes))


def _distinct_events(nodes: np.ndarray, rows: SourceRows) -> np.ndarray:
    """How many distinct events each node took part in."""
    keep = np.isin(rows.a, nodes)
    if not np.any(keep):
        return np.zeros(len(nodes), dtype=np.int64)
    event_ids, events = np.unique(rows.b[keep], return_inverse=True)
    actors = np.searchsorted(nodes, rows.a[keep])
    pairs = np.unique(actors * len(event_ids) + events.reshape(-1))
    return np.bincount(pairs // len(event_ids), minlength=len(nodes))


def _reference_day(params: AnalysisParams) -> dt.date:
    today = timezone.localdate()
    return min(params.until, today) if params.until else today


def _recent(network, params: AnalysisParams, nodes: np.ndarray) -> dict[str, np.ndarray]:
    """Per node counts over the 12 months up to the reference day."""
    end = _reference_day(params)
    start = end - dt.timedelta(days=365)
    level = params.level
    attendance = loader.load_attendance(network, level=level, since=start, until=end)
    task_groups = loader.load_task_groups(network, level=level, since=start, until=end)
    from netweave.meetings.models import Meeting

    held = Meeting.objects.filter(
        network=network,
        start__gte=loader.day_start(start),
        start__lt=loader.day_start(end + dt.timedelta(days=1)),
    ).count()
    counts = {
        "attended": _distinct_events(nodes, attendance),
        "held": np.full(len(nodes), held),
        "task_groups": _per_node(nodes, task_groups.a),
    }
    if level == ORGANISATION:
        from netweave.surveys.models import TieRating

        activities = loader.load_activities(network, level=level, since=start, until=end)
        cofinancing = loader.load_cofinancing(network, level=level, since=start, until=end)
        survey = loader.load_survey(network, level=level, since=start, until=end)
        (commenters,) = loader.int_columns(
            TieRating.objects.filter(
                round__network=network, round__year__gte=start.year, round__year__lte=end.year
            ).exclude(comment=""),
            "rater_id",
        )
        counts["participations"] = _per_node(nodes, activities.a)
        counts["contributions"] = _per_node(nodes, cofinancing.a)
        counts["survey"] = _per_node(nodes, survey.a) + _per_node(nodes, commenters)
    return counts


def engagement_scores(level: str, counts: Mapping[str, np.ndarray]) -> np.ndarray:
    """The engagement score of each node from its recent counts (see the module doc)."""
    held = counts["held"].astype(float)
    rate = np.divide(counts["attended"], held, out=np.zeros(len(held)), where=held > 0).clip(0, 1)
    active = counts["attended"] + counts["task_groups"]
    if level == ORGANISATION:
        active = active + counts["participations"] + counts["contributions"] + counts["survey"]
        recent = (active > 0).astype(float)
        return (
            2 * rate
            + np.minimum(1, counts["contributions"] / 2)
            + np.minimum(1, counts["participations"] / 2)
            + np.minimum(1, counts["survey"] / 4)
            + recent
        ) / 6
    recent = (active > 0).astype(float)
    return (2 * rate + recent) / 3


def backbone(edges: WeightedEdges, ties: int = _LAYOUT_BACKBONE_TIES) -> np.ndarray:
    """Positions (in edge order) of the edges among each node's ``ties`` strongest (ties
    broken by edge order)."""
    n, m = edges.n_nodes, edges.n_edges
    ends = np.concatenate([edges.src_index, edges.dst_index])
    edge_ids = np.concatenate([np.arange(m), np.arange(m)])
    order = np.argsort(ends, kind="stable")
    ends, edge_ids = ends[order], edge_ids[order]
    starts = np.searchsorted(ends, np.arange(n + 1))
    weights = edges.weight[edge_ids]
    chosen = []
    for node in range(n):
        low, high = starts[node], starts[node + 1]
        if high - low <= ties:
            chosen.append(edge_ids[low:high])
            continue
        row = weights[low:high]
        best = np.lexsort((edge_ids[low:high], -row))[:ties]
        chosen.append(edge_ids[low:high][best])
    return np.unique(np.concatenate(chosen)) if chosen else np.zeros(0, dtype=np.int64)


def layout(edges: WeightedEdges, *, seed: int = 0, keep: np.ndarray | None = None) -> np.ndarray:
    """Deterministic map positions in 0…1, one row (x, y) per node; ``keep`` restricts
    the ties that pull nodes together (the backbone of a dense graph)."""
    import igraph as ig

    n = edges.n_nodes
    if n == 0:
        return np.zeros((0, 2))
    if n == 1:
        return np.array([[0.5, 0.5]])
    src, dst = edges.src_index, edges.dst_index
    if keep is not None:
        src, dst = src[keep], dst[keep]
    graph = ig.Graph(n=n, edges=np.column_stack([src, dst]).tolist())
    angles = 2 * np.pi * np.arange(n) / n
    start = np.column_stack([np.cos(angles), np.sin(angles)]).tolist()
    # Each iteration costs about n² steps: fewer iterations on large graphs keep the
    # layout within a second or so.
    iterations = max(_LAYOUT_MIN_ITERATIONS, min(300, int(300 * (500 / n) ** 2)))
    with metrics._igraph_seed(seed):
        positions = np.asarray(
            graph.layout_fruchterman_reingold(seed=start, niter=iterations).coords, dtype=float
        )
    low, high = positions.min(axis=0), positions.max(axis=0)
    span = np.where(high - low > 0, high - low, 1.0)
    return np.round((positions - low) / span, 6)


# ---------------------------------------------------------------------------------------
# Network-level extras


def _tie_count(rows: Mapping[str, SourceRows], nodes: np.ndarray) -> int:
    """How many pairs of ``nodes`` the rows tie together (the edge count of their graph),
    from the sparse products alone."""
    import scipy.sparse as sp

    n = len(nodes)
    total = sp.csr_array((n, n))
    if not any(len(source) for source in rows.values()):
        return 0
    for source in rows.values():
        if source.kind == EVENTS:
            keep = np.isin(source.a, nodes)
            actors, events = source.a[keep], source.b[keep]
            if not len(actors):
                continue
            event_ids, column = np.unique(events, return_inverse=True)
            incidence = sp.csr_array(
                (np.ones(len(actors)), (np.searchsorted(nodes, actors), column.reshape(-1))),
                shape=(n, len(event_ids)),
            )
            total = total + incidence @ incidence.T
        else:
            keep = np.isin(source.a, nodes) & np.isin(source.b, nodes) & (source.a != source.b)
            a = np.searchsorted(nodes, source.a[keep])
            b = np.searchsorted(nodes, source.b[keep])
            total = total + sp.csr_array(
                (np.ones(2 * len(a)), (np.concatenate([a, b]), np.concatenate([b, a]))),
                shape=(n, n),
            )
    # The sums are of positive counts, so the stored entries are the ties (both ways) and
    # the diagonal.
    return int((total.nnz - np.count_nonzero(total.diagonal())) // 2)


def _growth(
    network, loaded: _Loaded, progress: Callable[[float], None] | None = None
) -> list[dict[str, int]]:
    """Members and ties per calendar year of the window, from the rows already read."""
    params = loaded.params
    orgs, joined, last = loaded.periods
    today = timezone.localdate()
    first_days = [joined[joined > loader.OPEN_START].min()] if len(joined) else []
    for rows in loaded.rows.values():
        bounded = rows.start[rows.start > loader.OPEN_START]
        if len(bounded):
            first_days.append(bounded.min())
    if params.since:
        first_year = params.since.year
    elif first_days:
        first_year = dt.date.fromordinal(int(min(first_days))).year
    else:
        first_year = today.year
    last_year = (params.until or today).year
    if last_year - first_year > 60:
        first_year = last_year - 60
    result = []
    years = range(first_year, last_year + 1)
    for position, year in enumerate(years):
        since = max(dt.date(year, 1, 1), params.since or dt.date.min)
        until = min(dt.date(year, 12, 31), params.until or dt.date.max)
        members = loader.members_in(loaded.periods, since, until)
        rows = {name: r.subset(r.mask(since, until)) for name, r in loaded.rows.items()}
        nodes = _universe(params.level, rows, members, loaded.person_orgs)
        result.append(
            {
                "year": year,
                "members": len(members),
                "nodes": len(nodes),
                "ties": _tie_count(rows, nodes),
            }
        )
        if progress:
            progress((position + 1) / len(years))
    return result


def _target_mix(network, shares: Mapping[str, float]) -> tuple[dict[str, float], str]:
    from netweave.governance.models import Body, BodyKind

    body = (
        Body.objects.filter(network=network, kind=BodyKind.STEERING)
        .exclude(sector_mix={})
        .order_by("id")
        .first()
    )
    if body is not None and isinstance(body.sector_mix, dict):
        mix = {
            str(k): float(v)
            for k, v in body.sector_mix.items()
            if isinstance(v, int | float) and v > 0
        }
        total = sum(mix.values())
        if total > 0:
            return {k: v / total for k, v in mix.items()}, "steering"
    if not shares:
        return {}, "equal"
    return {k: 1 / len(shares) for k in shares}, "equal"


def _under_represented(network, info: Mapping[int, Mapping[str, Any]], nodes) -> list[dict]:
    sectors = [info.get(node, {}).get("sector") for node in nodes.tolist()]
    known = [s for s in sectors if s]
    names = {
        item["sector"]: item.get("sector_name") for item in info.values() if item.get("sector")
    }
    shares = {s: known.count(s) / len(known) for s in sorted(set(known))} if known else {}
    target, basis = _target_mix(network, shares)
    if basis == "steering":
        from netweave.directory.models import Sector

        names.update(dict(Sector.objects.filter(slug__in=list(target)).values_list("slug", "name")))
    factor = 0.5 if basis == "equal" else 1.0
    result = []
    for sector, goal in sorted(target.items()):
        share = shares.get(sector, 0.0)
        if share < goal * factor - 1e-12:
            result.append(
                {
                    "sector": sector,
                    "sector_name": names.get(sector) or sector,
                    "share": share,
                    "target": goal,
                    "basis": basis,
                }
            )
    return result


def _pair_keys(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    low, high = np.minimum(a, b), np.maximum(a, b)
    return low * (1 << 31) + high


def _survey_disagreements(network, loaded: _Loaded) -> list[dict[str, Any]] | None:
    params = loaded.params
    if params.level != ORGANISATION:
        return None
    survey = loaded.rows.get("survey")
    if survey is None:
        survey = loader.load_survey(
            network, level=ORGANISATION, since=params.since, until=params.until
        )
    if not len(survey):
        return None
    years = survey.extra["year"]
    latest = years == years.max()
    a, b, score = survey.a[latest], survey.b[latest], survey.extra["score"][latest]
    nodes = loaded.nodes
    inside = np.isin(a, nodes) & np.isin(b, nodes)
    a, b, score = a[inside], b[inside], score[inside]
    # Who answered the round, also those who named no tie at all (1 query).
    from netweave.surveys.models import SurveyResponse

    (answered,) = loader.int_columns(
        SurveyResponse.objects.filter(round__network=network, round__year=int(years.max())),
        "organisation_id",
    )
    respondents = np.unique(np.concatenate([a, answered]))
    keys = _pair_keys(a, b)
    pair_keys, inverse = np.unique(keys, return_inverse=True)
    perceived = np.bincount(inverse, weights=score) / np.bincount(inverse)

    record_names = [n for n in params.source_names if n != "survey"] or list(RECORD_SOURCES)
    rows = {
        name: loaded.rows[name]
        if name in loaded.rows
        else loader.load_source(
            name, network, level=ORGANISATION, since=params.since, until=params.until
        )
        for name in record_names
    }
    weights = {name: dict(params.sources).get(name, 1.0) for name in record_names}
    recorded = _project(rows, weights, nodes)
    recorded_keys = _pair_keys(recorded.src, recorded.dst)

    result: list[dict[str, Any]] = []
    # Recorded ties that a respondent of the pair rated low or did not name.
    asked = np.isin(recorded.src, respondents) | np.isin(recorded.dst, respondents)
    position = np.searchsorted(pair_keys, recorded_keys)
    position = np.minimum(position, max(len(pair_keys) - 1, 0))
    rated = (pair_keys[position] == recorded_keys) if len(pair_keys) else np.zeros_like(asked)
    score_of = np.where(rated, perceived[position] if len(pair_keys) else 0, np.nan)
    low = asked & (~rated | (score_of <= 2))
    order = np.argsort(-recorded.weight[low], kind="stable")[:_DISAGREEMENTS_TOP]
    for i in np.flatnonzero(low)[order].tolist():
        result.append(
            {
                "a": int(recorded.src[i]),
                "b": int(recorded.dst[i]),
                "recorded": float(recorded.weight[i]),
                "perceived": None if np.isnan(score_of[i]) else float(score_of[i]),
                "kind": "recorded_not_perceived",
            }
        )
    # Pairs rated high with no recorded tie.
    high = (perceived >= 4) & ~np.isin(pair_keys, recorded_keys)
    order = np.argsort(-perceived[high], kind="stable")[:_DISAGREEMENTS_TOP]
    for i in np.flatnonzero(high)[order].tolist():
        key = int(pair_keys[i])
        result.append(
            {
                "a": key >> 31,
                "b": key & ((1 << 31) - 1),
                "recorded": 0.0,
                "perceived": float(perceived[i]),
                "kind": "perceived_not_recorded",
            }
        )
    return result


# ---------------------------------------------------------------------------------------
# The whole analysis


def analyse_network(
    network,
    params: AnalysisParams,
    *,
    progress: Callable[[float], None] | None = None,
    version: str | None = None,
) -> dict[str, Any]:
    """The full analysis of ``network`` with ``params``, computed now.

    Returns the analysis JSON of DESIGN.md with the extra fields of the analysis
    contract (see the module docstring for the choices behind them). ``progress``, if
    given, is called with the share done (0…1) as the work proceeds.
    """

    def step(value: float) -> None:
        if progress:
            progress(value)

    if version is None:
        version = data_version(network)
    loaded = _load(network, params)
    edges, info, nodes = loaded.edges, loaded.info, loaded.nodes
    step(0.2)
    level = params.level
    interests = loader.interests_of(nodes, level)
    result = metrics.analyse(
        edges,
        info,
        level=level,
        graph=params.graph,
        network=network.slug,
        seed=0,
        interests=interests,
        top_gaps=_INTRODUCTIONS_TOP,
        exact_betweenness_max_nodes=_setting("ANALYSIS_EXACT_BETWEENNESS_MAX_NODES", 1000),
        betweenness_pivots=_setting("ANALYSIS_BETWEENNESS_PIVOTS", 200),
    )
    step(0.6)

    attendance = loaded.rows.get("attendance")
    if attendance is None:
        attendance = loader.load_attendance(
            network, level=level, since=params.since, until=params.until
        )
    events = _distinct_events(nodes, attendance)
    recent = _recent(network, params, nodes)
    engagement = engagement_scores(level, recent)
    active = recent["attended"] + recent["task_groups"]
    if level == ORGANISATION:
        active = active + recent["participations"] + recent["contributions"] + recent["survey"]
    # A dense graph is drawn, and listed, by its backbone: each node's strongest ties.
    dense = edges.n_edges > _setting("ANALYSIS_EDGE_LIST_MAX", _LAYOUT_BACKBONE_EDGES)
    shown = backbone(edges) if dense else None
    positions = layout(edges, keep=shown)
    step(0.7)

    for index, node in enumerate(result["nodes"]):
        extra = info.get(node["id"], {})
        node["events"] = int(events[index])
        node["sector_name"] = extra.get("sector_name")
        node["url"] = extra.get("url", "")
        if level == PERSON:
            node["organisation"] = extra.get("organisation")
        node["engagement"] = float(engagement[index])
        node["x"], node["y"] = float(positions[index, 0]), float(positions[index, 1])

    labels = {node: item.get("label", str(node)) for node, item in info.items()}
    assortativity = result.pop("assortativity")
    ei = result.pop("ei_index")
    gaps = result.pop("interest_gaps", [])
    result["sector_mixing"] = {"assortativity": assortativity, "ei_index": ei}
    result["betweenness_samples"] = result.pop("betweenness_pivots")
    listed = slice(None) if shown is None else shown
    result["edge_list"] = [
        {"source": s, "target": t, "weight": w}
        for s, t, w in zip(
            edges.src[listed].tolist(),
            edges.dst[listed].tolist(),
            edges.weight[listed].tolist(),
            strict=True,
        )
    ]
    result["edge_list_complete"] = shown is None
    result["growth"] = _growth(network, loaded, lambda share: step(0.7 + 0.25 * share))
    result["diagnostics"] = {
        "isolates": result.pop("isolates"),
        "inactive": nodes[active == 0].tolist(),
        "under_represented": _under_represented(network, info, nodes),
        "single_broker": [
            {"id": item["id"], "broker": item["via"]} for item in result.pop("dependants")
        ],
        "introductions": [
            {
                "a": gap["a"],
                "b": gap["b"],
                "a_label": labels.get(gap["a"], str(gap["a"])),
                "b_label": labels.get(gap["b"], str(gap["b"])),
                "shared_topics": gap["shared"],
                "jaccard": gap["jaccard"],
            }
            for gap in gaps
        ],
    }
    disagreements = _survey_disagreements(network, loaded)
    if disagreements is not None:
        for item in disagreements:
            item["a_label"] = labels.get(item["a"], str(item["a"]))
            item["b_label"] = labels.get(item["b"], str(item["b"]))
        result["survey_disagreements"] = disagreements
    result["reference_day"] = _reference_day(params).isoformat()
    result["params"] = params.as_query()
    result["data_version"] = version
    step(1.0)
    return result


# ---------------------------------------------------------------------------------------
# Cache and background work


@dataclass
class AnalysisState:
    status: str  # "ready" | "queued" | "running" | "failed"
    result: dict | None  # analyse_network output when ready
    progress: float  # 0..1
    error: str = ""

    @property
    def ready(self) -> bool:
        return self.status == READY


_file_cache = None


def analysis_cache():
    """The cache holding analyses and their progress.

    A cache alias ``analysis`` when configured; otherwise the default cache, except that
    a per-process memory cache cannot be shared with the task worker, so with queued
    background work the results go to files in the data directory instead.
    """
    global _file_cache
    if "analysis" in settings.CACHES:
        return caches["analysis"]
    default = caches["default"]
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(default, LocMemCache) and not backend.endswith("ImmediateBackend"):
        if _file_cache is None:
            from django.core.cache.backends.filebased import FileBasedCache

            location = settings.DATA_DIR / "cache" / "analysis"
            _file_cache = FileBasedCache(str(location), {"TIMEOUT": None})
        return _file_cache
    return default


def _keys(network, params: AnalysisParams, version: str) -> tuple[str, str]:
    base = f"{_CACHE_PREFIX}:{network.pk}:{params.digest()}:{version}"
    return base, f"{base}:state"


def _result_seconds() -> int:
    return _setting("ANALYSIS_CACHE_SECONDS", 7 * 24 * 3600)


def run_analysis(network, params: AnalysisParams, version: str) -> dict[str, Any]:
    """Compute and cache the analysis, keeping its progress in the cache (the task's
    body). Stored under the version asked for and the version actually read."""
    cache = analysis_cache()
    key, state_key = _keys(network, params, version)
    state_seconds = _setting("ANALYSIS_STATE_SECONDS", 3600)

    def progress(share: float) -> None:
        cache.set(state_key, {"status": RUNNING, "progress": round(share, 3)}, state_seconds)

    progress(0.0)
    try:
        current = data_version(network)
        result = analyse_network(network, params, progress=progress, version=current)
    except Exception as error:
        message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        cache.set(state_key, {"status": FAILED, "progress": 0.0, "error": message}, 300)
        raise
    cache.set(key, result, _result_seconds())
    if current != version:
        cache.set(_keys(network, params, current)[0], result, _result_seconds())
    cache.set(state_key, {"status": READY, "progress": 1.0}, state_seconds)
    return result


def get_analysis(network, params: AnalysisParams, *, background: bool = True) -> AnalysisState:
    """The analysis from the cache (per network, parameters and data version).

    On a miss, networks whose analysed records stay under ``ANALYSIS_INLINE_MAX_ROWS``
    (default 20,000) are computed at once; larger ones are queued as a background task and
    the state says queued or running, with progress. ``background=False`` always
    computes at once.
    """
    cache = analysis_cache()
    version, size = data_state(network)
    key, state_key = _keys(network, params, version)
    result = cache.get(key)
    if result is not None:
        return AnalysisState(READY, result, 1.0)
    if not background or size <= _setting("ANALYSIS_INLINE_MAX_ROWS", 20_000):
        result = analyse_network(network, params, version=version)
        cache.set(key, result, _result_seconds())
        return AnalysisState(READY, result, 1.0)
    state = cache.get(state_key)
    if state is None:
        queued = {"status": QUEUED, "progress": 0.0}
        if cache.add(state_key, queued, _setting("ANALYSIS_STATE_SECONDS", 3600)):
            from netweave.analysis.tasks import analyse_network_task

            try:
                analyse_network_task.enqueue(network.pk, params.as_query(), version)
            except Exception as error:  # the queue itself is down
                logger.exception("could not queue the analysis of %s", network.slug)
                cache.set(state_key, {"status": FAILED, "progress": 0.0, "error": str(error)}, 60)
            result = cache.get(key)
            if result is not None:
                return AnalysisState(READY, result, 1.0)
        state = cache.get(state_key) or queued
    if state.get("status") == READY:
        # Finished, but the result is gone (evicted): compute again next time.
        cache.delete(state_key)
        state = {"status": QUEUED, "progress": 0.0}
    return AnalysisState(
        state.get("status", QUEUED),
        None,
        float(state.get("progress", 0.0)),
        state.get("error", ""),
    )


__all__ = [
    "LEVELS",
    "SOURCES",
    "AnalysisParams",
    "AnalysisState",
    "analyse_network",
    "build_graph",
    "data_state",
    "data_version",
    "get_analysis",
]
