"""Agenda builder: choose a meeting's agenda so that as many member organisations as
possible find at least one item that interests them. Plain data in, plain data out; no
Django (the ``netweave agenda suggest`` command and the meeting pages load the candidates
and interests and call :func:`build_agenda`).

The problem
-----------
Candidates ``i`` have a duration ``d_i`` (minutes, >= 1) and an urgency ``u_i`` in [0, 1];
organisations ``o`` declare interests (topic -> weight 1..3, as ``InterestLevel``).

- Item ``i`` *serves* organisation ``o`` when they share a topic, or when ``o`` is in the
  item's explicit ``organisations`` set (the two are combined: an item may have topics
  and explicit organisations). Explicit ids that are not among the organisations passed
  in are ignored (a guest organisation is not a member to cover).
- The weight ``w(i, o)`` of a served pair is the largest weight ``o`` gives to a topic it
  shares with ``i``; an explicitly named organisation counts ``EXPLICIT_WEIGHT`` (3, as a
  core priority: somebody named it on purpose).
- A plan is a set ``S`` of at most ``k`` items with ``sum(d_i) <= L``. It is ranked
  lexicographically by

  1. coverage ``C(S)``: the number of organisations served by at least one item of ``S``;
  2. interest weight ``W(S) = sum over i in S, o served by i of w(i, o)`` (an organisation
     served by two chosen items counts twice: the second item is still worth its time
     to that organisation);
  3. urgency ``U(S) = sum over i in S of u_i``.

Items that serve nobody and have urgency 0 can add nothing to any of the three and are
never chosen. Items longer than the meeting are never chosen and are listed in
``too_long``.

Exact method: two MILPs in sequence
-----------------------------------
Variables: ``x_i`` binary (item chosen) and ``y_g`` continuous in [0, 1], one per *class*
of organisations that are served by exactly the same candidate items (organisations of a
class are covered together, so a class of ``c_g`` organisations counts ``c_g`` times).
Constraints: ``y_g <= sum of x_i over the items serving class g``, ``sum d_i x_i <= L``
and ``sum x_i <= k``. ``y`` need not be integer: for integral ``x`` the right-hand side
is an integer, so ``sum c_g y_g`` never exceeds the true coverage and reaches it at the
optimum.

1. maximise ``C = sum c_g y_g`` -> ``C*``;
2. add ``C >= C* - 1/2`` and maximise ``W + U / (U_max + 1)``, where ``U_max`` is the sum
   of the ``k`` largest urgencies (so ``0 <= U <= U_max``).

Why stage 2 is lexicographic: ``W`` is an integer and ``0 <= U / (U_max + 1) < 1``, so
for plans with ``W1 > W2``: ``W1 + U1/(U_max+1) >= W1 >= W2 + 1 > W2 + U2/(U_max+1)``.
A plan with a smaller ``W`` is therefore worse by more than ``1/(U_max + 1)``, which is
far above HiGHS's absolute gap of 1e-6 (``U_max <= k``), and among plans with the best
``W`` the larger ``U`` wins. Both stages run with a relative gap of 0, so a stage reported
optimal is optimal: ``C`` and ``W`` exactly, ``U`` within ``1e-6 · (U_max + 1)``
(``SOLVER_ABSOLUTE_GAP``). ``C`` is an integer, so the bound carried into stage 2 sits half
a unit below the optimum and no solver tolerance can cut off an optimal plan or admit a
worse one. The plan's objective values are always recomputed from the chosen items,
never read back from the solver. The coverage stage keeps its own weighting-free
objective because a single objective ``C·M + W + ...`` would need ``M`` above the largest
possible ``W`` (~1e6 at 200 × 2,000), where the solver's feasibility tolerances on ``y``
would be multiplied by ``M``.

Cost. Maximum coverage is NP-hard and its LP relaxation is weak when the interests are
spread evenly, so the solve time depends much more on the structure than on the size.
Measured with 200 candidates × 2,000 organisations, 40 topics, 1-3 topics per item,
1-5 interests per organisation, k = 4..8, 90-180 minutes: with topic popularity
skewed as in real networks (Zipf, exponent 1) both stages prove optimality in 1.5-3 s;
with perfectly uniform random topics HiGHS finds the optimum or close to it quickly but
may not close the last few per cent of the bound within ``time_limit``. Then the plan is
marked ``proved_optimal = False`` and ``coverage_bound`` says how far it can be from the
optimum at most.

Greedy method
-------------
Used when ``method="greedy"``, when ``method="auto"`` and the model is larger than
``EXACT_MAX_ITEMS`` candidates or ``EXACT_MAX_NONZEROS`` item–class pairs, and when the
exact solve hits its time limit without proving optimality (then the better of the
solver's best plan and the greedy plan is returned, with ``proved_optimal`` false).
Greedy returns the best (by the same lexicographic order) of three plans:

a. *plain greedy*: repeatedly add the item with the largest marginal coverage (ties: more
   interest weight, then more urgency, then earlier in the input) among those that still
   fit in both the remaining minutes and the remaining item count;
b. *ratio greedy*: the same, ranking by marginal coverage per minute;
c. the best single item.

Guarantees for the coverage ``C`` (for the classic budgeted maximum coverage problem):

- cardinality only (the length constraint cannot bind, i.e. any ``k`` fitting items fit
  in ``L`` minutes together): (a) is the greedy of Nemhauser, Wolsey and Fisher (1978) for
  a monotone submodular function under a cardinality constraint, so
  ``C >= (1 - 1/e) · C*`` (~0.632);
- length only (``k`` at least the number of candidates): (b) together with (c) is the
  modified greedy of Khuller, Moss and Naor (1999), so ``C >= ½ (1 - 1/e) · C*``
  (~0.316). Their ``(1 - 1/e)`` bound for a knapsack needs partial enumeration of all
  triples of items first (also Sviridenko 2004), which this does not do;
- both constraints binding: no constant factor is claimed; the greedy is a heuristic
  there, which is why the exact method runs whenever the size allows.

Edge cases
----------
No organisations: coverage is 0 of 0, reported as 1.0 (nobody is left out). No
candidates, ``max_items == 0`` or ``length_minutes == 0``: an empty agenda, trivially
optimal. An organisation without interests that no candidate names explicitly is
uncovered with reason ``no_interests_declared``; one that no candidate serves gets
``no_interest``; one whose serving candidates were not chosen gets ``did_not_fit`` with
those candidates' ids. Reason texts are plain English with a stable ``reason_code`` for
translation by the caller.
"""

from __future__ import annotations

import math
import time
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

__all__ = [
    "EXPLICIT_WEIGHT",
    "REASON_DID_NOT_FIT",
    "REASON_NO_INTEREST",
    "REASON_NO_INTERESTS_DECLARED",
    "AgendaPlan",
    "CandidateItem",
    "MemberOrganisation",
    "PlannedItem",
    "UncoveredOrganisation",
    "build_agenda",
]

Id = int | str
Method = Literal["auto", "exact", "greedy"]

MIN_WEIGHT = 1
MAX_WEIGHT = 3
EXPLICIT_WEIGHT = MAX_WEIGHT
# Beyond these sizes `method="auto"` goes straight to greedy.
EXACT_MAX_ITEMS = 1000
EXACT_MAX_NONZEROS = 2_000_000
# HiGHS's default absolute MIP gap; see "Exact method" in the module docstring.
SOLVER_ABSOLUTE_GAP = 1e-6

REASON_NO_INTERESTS_DECLARED = "no_interests_declared"
REASON_NO_INTEREST = "no_interest"
REASON_DID_NOT_FIT = "did_not_fit"
REASON_TEXTS = {
    REASON_NO_INTERESTS_DECLARED: "no interests declared",
    REASON_NO_INTEREST: "no interest matches any candidate",
    REASON_DID_NOT_FIT: "matching items did not fit",
}

FALLBACK_SIZE = "size"
FALLBACK_TIME_LIMIT = "time_limit"


def _is_int(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


@dataclass(frozen=True)
class CandidateItem:
    """A possible agenda item: a showcase, presentation, discussion, decision, etc."""

    id: Id
    duration: int
    urgency: float = 0.0
    topics: Collection[Hashable] = frozenset()
    organisations: Collection[Id] = frozenset()
    kind: str = ""
    source: str = ""
    title: str = ""

    def __post_init__(self) -> None:
        if not _is_int(self.duration) or self.duration < 1:
            raise ValueError(f"item {self.id!r}: duration must be a whole number of minutes >= 1")
        if not isinstance(self.urgency, int | float) or not 0.0 <= self.urgency <= 1.0:
            raise ValueError(f"item {self.id!r}: urgency must be between 0 and 1")
        object.__setattr__(self, "urgency", float(self.urgency))
        object.__setattr__(self, "topics", frozenset(self.topics))
        object.__setattr__(self, "organisations", frozenset(self.organisations))


@dataclass(frozen=True)
class MemberOrganisation:
    """A member organisation and the weight (1..3) of each topic it is interested in."""

    id: Id
    interests: Mapping[Hashable, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for topic, weight in self.interests.items():
            if not _is_int(weight) or not MIN_WEIGHT <= weight <= MAX_WEIGHT:
                raise ValueError(
                    f"organisation {self.id!r}: weight of {topic!r} must be "
                    f"{MIN_WEIGHT}..{MAX_WEIGHT}"
                )
        object.__setattr__(self, "interests", dict(self.interests))


@dataclass(frozen=True)
class PlannedItem:
    """A chosen item, where it starts, and whom it serves (for targeted invitations)."""

    id: Id
    title: str
    kind: str
    source: str
    duration: int
    urgency: float
    start_minute: int
    serves: tuple[Id, ...]
    interest_weight: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "source": self.source,
            "duration": self.duration,
            "urgency": self.urgency,
            "start_minute": self.start_minute,
            "serves": list(self.serves),
            "serves_count": len(self.serves),
            "interest_weight": self.interest_weight,
        }


@dataclass(frozen=True)
class UncoveredOrganisation:
    """An organisation no chosen item serves, and why; ``item_ids`` are the candidates
    that would have served it (only for ``did_not_fit``)."""

    id: Id
    reason_code: str
    item_ids: tuple[Id, ...] = ()

    @property
    def reason(self) -> str:
        text = REASON_TEXTS[self.reason_code]
        if self.item_ids:
            text += " (item ids " + ", ".join(str(i) for i in self.item_ids) + ")"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "reason_code": self.reason_code,
            "reason": self.reason,
            "items": list(self.item_ids),
        }


@dataclass(frozen=True)
class AgendaPlan:
    """The suggested agenda: items in running order, who is covered, who is not and why.

    ``method`` is the method whose plan was kept; ``proved_optimal`` is true only when
    both exact stages finished optimal. ``coverage_bound`` is an upper bound on the
    coverage of any plan: the optimum when the coverage stage finished, the solver's
    bound when it hit the time limit, else the number of organisations some fitting
    candidate serves. ``fallback`` says why greedy ran or was compared (``"size"``,
    ``"time_limit"``) and is ``None`` otherwise.
    """

    items: tuple[PlannedItem, ...]
    covered: tuple[Id, ...]
    uncovered: tuple[UncoveredOrganisation, ...]
    total: int
    length_minutes: int
    max_items: int
    interest_weight: int
    urgency: float
    method: Literal["exact", "greedy"]
    proved_optimal: bool
    coverage_bound: int
    fallback: str | None
    too_long: tuple[Id, ...]
    seconds: float

    @property
    def item_ids(self) -> tuple[Id, ...]:
        return tuple(item.id for item in self.items)

    @property
    def covered_count(self) -> int:
        return len(self.covered)

    @property
    def coverage(self) -> float:
        """Share of organisations covered, 0..1; 1.0 when there are no organisations."""
        return len(self.covered) / self.total if self.total else 1.0

    @property
    def total_duration(self) -> int:
        return sum(item.duration for item in self.items)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, as printed by ``netweave agenda suggest --format json``."""
        return {
            "items": [item.as_dict() for item in self.items],
            "covered": list(self.covered),
            "uncovered": [org.as_dict() for org in self.uncovered],
            "coverage": self.coverage,
            "covered_count": self.covered_count,
            "total": self.total,
            "total_duration": self.total_duration,
            "length_minutes": self.length_minutes,
            "max_items": self.max_items,
            "objective": {
                "coverage": self.covered_count,
                "interest_weight": self.interest_weight,
                "urgency": round(self.urgency, 9),
            },
            "method": self.method,
            "proved_optimal": self.proved_optimal,
            "coverage_bound": self.coverage_bound,
            "fallback": self.fallback,
            "too_long": list(self.too_long),
            "seconds": round(self.seconds, 3),
        }


@dataclass
class _Model:
    """The optimisation model over the candidates worth considering (``idx``)."""

    idx: np.ndarray  # positions in `items` of the modelled candidates
    duration: np.ndarray  # int64, per modelled candidate
    urgency: np.ndarray  # float64
    weight: np.ndarray  # int64: sum over served organisations of w(i, o)
    serves: sp.csr_matrix  # modelled candidates × organisation classes, 0/1
    class_size: np.ndarray  # int64, organisations per class
    length: int
    max_items: int

    @property
    def n(self) -> int:
        return len(self.idx)

    def score(self, chosen: np.ndarray) -> tuple[int, int, float]:
        """(coverage, interest weight, urgency) of a set of model positions."""
        if len(chosen) == 0:
            return (0, 0, 0.0)
        hit = np.asarray(self.serves[chosen].sum(axis=0)).ravel() > 0
        return (
            int(self.class_size[hit].sum()),
            int(self.weight[chosen].sum()),
            float(self.urgency[chosen].sum()),
        )


def build_agenda(
    items: Sequence[CandidateItem],
    organisations: Sequence[MemberOrganisation],
    *,
    length_minutes: int,
    max_items: int,
    method: Method = "auto",
    time_limit: float = 10.0,
) -> AgendaPlan:
    """Choose at most ``max_items`` items lasting at most ``length_minutes`` in total that
    cover the most organisations, then serve the most interest weight, then are the most
    urgent (see the module docstring). ``time_limit`` (seconds) bounds the exact solve."""
    started = time.perf_counter()
    _check_arguments(items, organisations, length_minutes, max_items, method, time_limit)

    matrix = _serve_matrix(items, organisations)  # candidates × organisations, w(i, o)
    durations = np.array([item.duration for item in items], dtype=np.int64)
    fits = durations <= length_minutes
    model = _build_model(items, matrix, fits, length_minutes, max_items)

    fallback: str | None = None
    # Trivial bound: every organisation that some fitting candidate serves.
    bound = int(model.class_size.sum())
    if model.n == 0 or max_items == 0:
        chosen, used, proved, bound = np.empty(0, dtype=np.int64), "exact", True, 0
    elif method == "greedy" or (
        method == "auto" and (model.n > EXACT_MAX_ITEMS or model.serves.nnz > EXACT_MAX_NONZEROS)
    ):
        chosen, used, proved = _greedy(model), "greedy", False
        fallback = FALLBACK_SIZE if method == "auto" else None
    else:
        exact, proved, bound = _exact(model, time_limit)
        chosen, used = exact, "exact"
        if not proved:
            fallback = FALLBACK_TIME_LIMIT
            greedy = _greedy(model)
            if exact is None or model.score(greedy) > model.score(exact):
                chosen, used = greedy, "greedy"
    assert chosen is not None
    return _plan(
        items,
        organisations,
        matrix,
        model,
        chosen,
        fits=fits,
        method=used,
        proved_optimal=proved,
        coverage_bound=bound,
        fallback=fallback,
        started=started,
    )


def _check_arguments(
    items: Sequence[CandidateItem],
    organisations: Sequence[MemberOrganisation],
    length_minutes: int,
    max_items: int,
    method: str,
    time_limit: float,
) -> None:
    if not _is_int(length_minutes) or length_minutes < 0:
        raise ValueError("length_minutes must be a whole number >= 0")
    if not _is_int(max_items) or max_items < 0:
        raise ValueError("max_items must be a whole number >= 0")
    if method not in ("auto", "exact", "greedy"):
        raise ValueError("method must be 'auto', 'exact' or 'greedy'")
    if not time_limit > 0:
        raise ValueError("time_limit must be positive")
    for label, ids in (
        ("item", [item.id for item in items]),
        ("organisation", [org.id for org in organisations]),
    ):
        if len(set(ids)) != len(ids):
            raise ValueError(f"{label} ids must be unique")


def _serve_matrix(
    items: Sequence[CandidateItem], organisations: Sequence[MemberOrganisation]
) -> sp.csr_matrix:
    """Candidates × organisations with ``w(i, o)`` where ``i`` serves ``o``, else empty."""
    by_topic: dict[Hashable, list[tuple[int, int]]] = {}
    for col, org in enumerate(organisations):
        for topic, weight in org.interests.items():
            by_topic.setdefault(topic, []).append((col, int(weight)))
    column = {org.id: col for col, org in enumerate(organisations)}
    rows: list[int] = []
    cols: list[int] = []
    data: list[int] = []
    for row, item in enumerate(items):
        weights: dict[int, int] = {}
        for topic in item.topics:
            for col, weight in by_topic.get(topic, ()):
                if weight > weights.get(col, 0):
                    weights[col] = weight
        for org_id in item.organisations:
            if org_id in column:
                weights[column[org_id]] = EXPLICIT_WEIGHT
        rows.extend([row] * len(weights))
        cols.extend(weights)
        data.extend(weights.values())
    return sp.csr_matrix(
        (np.array(data, dtype=np.int64), (np.array(rows, dtype=np.int64), cols)),
        shape=(len(items), len(organisations)),
    )


def _build_model(
    items: Sequence[CandidateItem],
    matrix: sp.csr_matrix,
    fits: np.ndarray,
    length: int,
    max_items: int,
) -> _Model:
    weight = np.asarray(matrix.sum(axis=1)).ravel().astype(np.int64)
    urgency = np.array([item.urgency for item in items], dtype=np.float64)
    duration = np.array([item.duration for item in items], dtype=np.int64)
    # An item that serves nobody and is not urgent adds nothing to any objective.
    idx = np.flatnonzero(fits & ((weight > 0) | (urgency > 0)))
    served = (matrix[idx] > 0).astype(np.int8).tocsc()
    classes: dict[bytes, int] = {}
    class_of = np.full(matrix.shape[1], -1, dtype=np.int64)
    for col in range(served.shape[1]):
        rows = served.indices[served.indptr[col] : served.indptr[col + 1]]
        if len(rows):
            class_of[col] = classes.setdefault(np.sort(rows).tobytes(), len(classes))
    members = class_of >= 0
    class_size = np.bincount(class_of[members], minlength=len(classes)).astype(np.int64)
    # Keep one representative column per class.
    first = np.full(len(classes), -1, dtype=np.int64)
    for col in np.flatnonzero(members)[::-1]:
        first[class_of[col]] = col
    serves = served[:, first].tocsr() if len(classes) else sp.csr_matrix((len(idx), 0))
    return _Model(
        idx=idx,
        duration=duration[idx],
        urgency=urgency[idx],
        weight=weight[idx],
        serves=serves,
        class_size=class_size,
        length=length,
        max_items=max_items,
    )


def _exact(model: _Model, time_limit: float) -> tuple[np.ndarray | None, bool, int]:
    """Lexicographic optimum by two MILPs; returns (chosen model positions, proved,
    upper bound on coverage).

    On a time limit the best plan found so far is returned unproved (``None`` if the first
    stage found none), with the solver's bound on coverage."""
    deadline = time.perf_counter() + time_limit
    n, g = model.n, len(model.class_size)
    link = sp.hstack(
        [-model.serves.T.astype(np.float64), sp.identity(g, format="csr")], format="csr"
    )
    rows = [LinearConstraint(link, -np.inf, 0.0)]
    zeros_y = np.zeros(g)
    rows.append(LinearConstraint(np.concatenate([model.duration, zeros_y]), -np.inf, model.length))
    if model.max_items < n:
        rows.append(
            LinearConstraint(np.concatenate([np.ones(n), zeros_y]), -np.inf, model.max_items)
        )
    integrality = np.concatenate([np.ones(n), np.zeros(g)])
    coverage_row = np.concatenate([np.zeros(n), model.class_size.astype(np.float64)])
    # W + U / (U_max + 1): see "Exact method" in the module docstring.
    urgency_scale = 1.0 / (np.sort(model.urgency)[::-1][: model.max_items].sum() + 1.0)
    tie_break_row = np.concatenate([model.weight + model.urgency * urgency_scale, zeros_y])

    best: np.ndarray | None = None
    bound = int(model.class_size.sum())
    for stage, objective in enumerate((coverage_row, tie_break_row)):
        if stage == 1:
            assert best is not None
            # The integer optimum coverage, kept with half a unit of slack.
            optimum = float(coverage_row @ _indicator(model, best))
            rows.append(LinearConstraint(coverage_row, optimum - 0.5, np.inf))
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            return best, False, bound
        result = milp(
            -objective,
            constraints=rows,
            integrality=integrality,
            bounds=Bounds(0.0, 1.0),
            options={"time_limit": remaining, "mip_rel_gap": 0.0, "disp": False},
        )
        if result.x is not None:
            candidate = np.flatnonzero(result.x[:n] > 0.5)
            if best is None or model.score(candidate) >= model.score(best):
                best = candidate
        if stage == 0:
            if result.status == 0 and best is not None:
                bound = model.score(best)[0]
            elif getattr(result, "mip_dual_bound", None) is not None:
                bound = min(bound, math.floor(-result.mip_dual_bound + 1e-6))
        if result.status != 0:
            return best, False, bound
    return best, True, bound


def _indicator(model: _Model, chosen: np.ndarray) -> np.ndarray:
    """The full variable vector (x, y) for a chosen set, with y = covered classes."""
    x = np.zeros(model.n)
    x[chosen] = 1.0
    y = (np.asarray(model.serves[chosen].sum(axis=0)).ravel() > 0).astype(np.float64)
    return np.concatenate([x, y])


def _greedy(model: _Model) -> np.ndarray:
    """Best of plain greedy, ratio greedy and the best single item (module docstring)."""
    plans = [_greedy_run(model, per_minute=False), _greedy_run(model, per_minute=True)]
    fitting = np.flatnonzero(model.duration <= model.length)
    if model.max_items >= 1 and len(fitting):
        plans.append(np.array([max(fitting, key=lambda i: (*model.score(np.array([i])), -i))]))
    return max(plans, key=model.score)


def _greedy_run(model: _Model, *, per_minute: bool) -> np.ndarray:
    uncovered = model.class_size.astype(np.float64)
    available = np.ones(model.n, dtype=bool)
    remaining = model.length
    order = -np.arange(model.n)  # earlier in the input wins the last tie
    chosen: list[int] = []
    while len(chosen) < model.max_items:
        available &= model.duration <= remaining
        if not available.any():
            break
        gain = model.serves @ uncovered
        keys = [gain, model.weight.astype(np.float64), model.urgency]
        if per_minute:
            keys = [key / model.duration for key in keys]
        candidates = np.flatnonzero(available)
        ranked = np.lexsort([order[candidates]] + [key[candidates] for key in reversed(keys)])
        pick = int(candidates[ranked[-1]])
        chosen.append(pick)
        available[pick] = False
        remaining -= int(model.duration[pick])
        uncovered[model.serves[pick].indices] = 0.0
    return np.array(sorted(chosen), dtype=np.int64)


def _plan(
    items: Sequence[CandidateItem],
    organisations: Sequence[MemberOrganisation],
    matrix: sp.csr_matrix,
    model: _Model,
    chosen: np.ndarray,
    *,
    fits: np.ndarray,
    method: Literal["exact", "greedy"],
    proved_optimal: bool,
    coverage_bound: int,
    fallback: str | None,
    started: float,
) -> AgendaPlan:
    positions = [int(model.idx[i]) for i in chosen]
    serves_count = np.diff(matrix.indptr)
    # Broadest items first: everyone is in the room for the part that concerns them all,
    # and those the narrower items do not concern can leave early.
    positions.sort(key=lambda p: (-serves_count[p], -items[p].urgency, items[p].duration, p))
    planned = []
    start = 0
    for p in positions:
        row = matrix[p]
        cols = np.sort(row.indices)
        item = items[p]
        planned.append(
            PlannedItem(
                id=item.id,
                title=item.title,
                kind=item.kind,
                source=item.source,
                duration=item.duration,
                urgency=item.urgency,
                start_minute=start,
                serves=tuple(organisations[c].id for c in cols),
                interest_weight=int(row.sum()),
            )
        )
        start += item.duration

    hit = np.zeros(len(organisations), dtype=bool)
    if positions:
        hit[matrix[positions].indices] = True
    serving = matrix.tocsc()
    covered = []
    uncovered = []
    for col, org in enumerate(organisations):
        if hit[col]:
            covered.append(org.id)
            continue
        rows = np.sort(serving.indices[serving.indptr[col] : serving.indptr[col + 1]])
        if len(rows):
            uncovered.append(
                UncoveredOrganisation(org.id, REASON_DID_NOT_FIT, tuple(items[r].id for r in rows))
            )
        elif not org.interests:
            uncovered.append(UncoveredOrganisation(org.id, REASON_NO_INTERESTS_DECLARED))
        else:
            uncovered.append(UncoveredOrganisation(org.id, REASON_NO_INTEREST))

    return AgendaPlan(
        items=tuple(planned),
        covered=tuple(covered),
        uncovered=tuple(uncovered),
        total=len(organisations),
        length_minutes=int(model.length),
        max_items=int(model.max_items),
        interest_weight=sum(item.interest_weight for item in planned),
        urgency=math.fsum(item.urgency for item in planned),
        method=method,
        proved_optimal=proved_optimal,
        coverage_bound=max(coverage_bound, len(covered)),
        fallback=fallback,
        too_long=tuple(item.id for item, ok in zip(items, fits, strict=True) if not ok),
        seconds=time.perf_counter() - started,
    )
