"""The agenda builder (meetings/agenda.py): plain data, no database."""

import itertools
import json
import math
import random
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netweave.meetings import agenda
from netweave.meetings.agenda import (
    REASON_DID_NOT_FIT,
    REASON_NO_INTEREST,
    REASON_NO_INTERESTS_DECLARED,
    CandidateItem,
    MemberOrganisation,
    build_agenda,
)

TOLERANCE = 1e-5


def item(id, topics=(), duration=10, urgency=0.0, organisations=()):
    return CandidateItem(
        id=id, duration=duration, urgency=urgency, topics=topics, organisations=organisations
    )


def org(id, **interests):
    return MemberOrganisation(id=id, interests=interests)


def weight(candidate, member):
    """w(i, o) straight from the definition, independent of the module's sparse matrix."""
    if member.id in candidate.organisations:
        return agenda.EXPLICIT_WEIGHT
    shared = [member.interests[t] for t in candidate.topics if t in member.interests]
    return max(shared, default=0)


def score(chosen, organisations):
    covered = sum(1 for o in organisations if any(weight(i, o) for i in chosen))
    return (
        covered,
        sum(weight(i, o) for i in chosen for o in organisations),
        math.fsum(i.urgency for i in chosen),
    )


def brute_force(items, organisations, length, k):
    """Lexicographically best (coverage, weight, urgency) over every feasible subset."""
    best = (0, 0, 0.0)
    for size in range(min(k, len(items)) + 1):
        for subset in itertools.combinations(items, size):
            if sum(i.duration for i in subset) <= length:
                best = max(best, score(subset, organisations))
    return best


def plan_score(plan, items, organisations):
    by_id = {i.id: i for i in items}
    return score([by_id[i] for i in plan.item_ids], organisations)


def trap():
    """Greedy takes the broad item `wide` (4 orgs) and then adds only 1; `left` + `right`
    cover all 6."""
    items = [
        item("wide", topics={"a", "b"}),
        item("left", topics={"c"}),
        item("right", topics={"d"}),
    ]
    organisations = [
        org("o1", a=1, c=1),
        org("o2", a=1, c=1),
        org("o3", b=1, d=1),
        org("o4", b=1, d=1),
        org("o5", c=1),
        org("o6", d=1),
    ]
    return items, organisations


def test_exact_beats_greedy_on_the_classic_trap():
    """Exact covers all six organisations with two narrow items where greedy covers five."""
    items, organisations = trap()
    exact = build_agenda(items, organisations, length_minutes=60, max_items=2, method="exact")
    greedy = build_agenda(items, organisations, length_minutes=60, max_items=2, method="greedy")
    assert set(exact.item_ids) == {"left", "right"}
    assert exact.covered_count == 6 and exact.coverage == 1.0
    assert exact.method == "exact" and exact.proved_optimal
    assert exact.coverage_bound == 6
    assert greedy.covered_count == 5 and "wide" in greedy.item_ids
    assert greedy.method == "greedy" and not greedy.proved_optimal


def test_equal_coverage_is_broken_by_interest_weight():
    """Of two items covering the same organisations, the one they care more about wins."""
    items = [item("mild", topics={"x"}, urgency=1.0), item("keen", topics={"y"})]
    organisations = [org("o1", x=1, y=3), org("o2", x=1, y=2)]
    plan = build_agenda(items, organisations, length_minutes=10, max_items=1)
    assert plan.item_ids == ("keen",)
    assert plan.interest_weight == 5


def test_equal_weight_is_broken_by_urgency():
    """Same coverage and weight: the more urgent item wins."""
    items = [item("later", topics={"x"}, urgency=0.2), item("now", topics={"x"}, urgency=0.9)]
    plan = build_agenda(items, [org("o1", x=2)], length_minutes=10, max_items=1)
    assert plan.item_ids == ("now",)
    assert plan.urgency == pytest.approx(0.9)


def test_length_limit_is_respected_and_too_long_items_are_reported():
    """An item longer than the meeting is never chosen and is listed in too_long."""
    items = [
        item("marathon", topics={"x", "y"}, duration=200),
        item("short", topics={"x"}, duration=30),
        item("also", topics={"y"}, duration=40),
    ]
    organisations = [org("o1", x=1), org("o2", y=1)]
    plan = build_agenda(items, organisations, length_minutes=60, max_items=5)
    assert plan.item_ids == ("short",) or plan.item_ids == ("also",)
    assert plan.total_duration <= 60
    assert plan.too_long == ("marathon",)
    [missed] = plan.uncovered
    assert missed.reason_code == REASON_DID_NOT_FIT


def test_reasons_for_uncovered_organisations():
    """Each uncovered organisation says why: no interests, no match, or did not fit."""
    items = [
        item("water", topics={"water"}, duration=30),
        item("sanitation", topics={"sanitation"}, duration=30),
        item("hygiene", topics={"hygiene"}, duration=90),
    ]
    organisations = [
        org("covered", water=3),
        org("crowded_out", sanitation=1, hygiene=2),
        org("elsewhere", finance=2),
        MemberOrganisation(id="silent"),
    ]
    plan = build_agenda(items, organisations, length_minutes=45, max_items=3)
    assert plan.item_ids == ("water",)
    assert plan.covered == ("covered",)
    reasons = {u.id: u for u in plan.uncovered}
    assert reasons["crowded_out"].reason_code == REASON_DID_NOT_FIT
    assert reasons["crowded_out"].item_ids == ("sanitation", "hygiene")
    assert reasons["crowded_out"].reason == (
        "matching items did not fit (item ids sanitation, hygiene)"
    )
    assert reasons["elsewhere"].reason_code == REASON_NO_INTEREST
    assert reasons["elsewhere"].reason == "no interest matches any candidate"
    assert reasons["silent"].reason_code == REASON_NO_INTERESTS_DECLARED
    assert reasons["silent"].reason == "no interests declared"
    assert plan.coverage == pytest.approx(0.25)


def test_explicit_organisations_are_served_with_top_weight():
    """An item naming an organisation serves it, even one that declared no interests."""
    items = [item("report-back", organisations={"silent", "stranger"}), item("x", topics={"x"})]
    organisations = [MemberOrganisation(id="silent"), org("o1", x=1)]
    plan = build_agenda(items, organisations, length_minutes=20, max_items=2)
    assert plan.covered == ("silent", "o1")
    by_id = {p.id: p for p in plan.items}
    assert by_id["report-back"].serves == ("silent",)
    assert by_id["report-back"].interest_weight == agenda.EXPLICIT_WEIGHT


def test_running_order_puts_the_broadest_item_first():
    """Items serving the most organisations come first; start minutes add up."""
    items = [
        item("niche", topics={"a"}, duration=20),
        item("broad", topics={"b"}, duration=15),
    ]
    organisations = [org("o1", a=1, b=1), org("o2", b=1), org("o3", b=1)]
    plan = build_agenda(items, organisations, length_minutes=60, max_items=2)
    assert plan.item_ids == ("broad", "niche")
    assert [p.start_minute for p in plan.items] == [0, 15]
    assert plan.items[0].serves == ("o1", "o2", "o3")
    assert plan.total_duration == 35


@pytest.mark.parametrize(
    ("items", "organisations", "length", "k", "coverage"),
    [
        ([], [org("o1", x=1)], 60, 3, 0.0),
        ([item("x", topics={"x"})], [], 60, 3, 1.0),
        ([item("x", topics={"x"})], [org("o1", x=1)], 60, 0, 0.0),
        ([item("x", topics={"x"})], [org("o1", x=1)], 0, 3, 0.0),
    ],
    ids=["no candidates", "no organisations", "k is 0", "no time"],
)
def test_empty_cases_give_an_empty_proved_plan(items, organisations, length, k, coverage):
    """Nothing to choose (or nobody to cover: 0 of 0 counts as 1.0) gives a proved plan."""
    plan = build_agenda(items, organisations, length_minutes=length, max_items=k)
    assert plan.coverage == coverage
    assert plan.method == "exact" and plan.proved_optimal
    assert plan.item_ids == ()  # with nobody to serve and no urgency, "x" is worth nothing
    assert plan.covered_count == 0 and plan.total == len(organisations)


def test_useless_items_are_left_out():
    """An item serving nobody with urgency 0 adds nothing and is never chosen."""
    items = [item("dud", topics={"nothing"}), item("x", topics={"x"})]
    plan = build_agenda(items, [org("o1", x=1)], length_minutes=60, max_items=5)
    assert plan.item_ids == ("x",)


def test_urgent_item_serving_nobody_fills_spare_time():
    """Urgency alone still earns a free slot (the last tie-breaker)."""
    items = [item("notice", urgency=0.7), item("x", topics={"x"})]
    plan = build_agenda(items, [org("o1", x=1)], length_minutes=60, max_items=5)
    assert set(plan.item_ids) == {"notice", "x"}


def test_bad_input_is_refused():
    """Invalid durations, urgencies, weights, ids and options raise ValueError."""
    with pytest.raises(ValueError, match="duration"):
        item("a", duration=0)
    with pytest.raises(ValueError, match="urgency"):
        item("a", urgency=1.5)
    with pytest.raises(ValueError, match="weight"):
        org("o", x=4)
    with pytest.raises(ValueError, match="unique"):
        build_agenda([item("a"), item("a")], [], length_minutes=10, max_items=1)
    with pytest.raises(ValueError, match="max_items"):
        build_agenda([], [], length_minutes=10, max_items=-1)
    with pytest.raises(ValueError, match="method"):
        build_agenda([], [], length_minutes=10, max_items=1, method="magic")


def test_as_dict_is_json_with_the_documented_shape():
    """as_dict() round-trips through JSON with items, covered, uncovered and coverage."""
    items, organisations = trap()
    organisations.append(MemberOrganisation(id=7))
    plan = build_agenda(items, organisations, length_minutes=60, max_items=2)
    data = json.loads(json.dumps(plan.as_dict()))
    assert {"items", "covered", "uncovered", "coverage", "covered_count", "total"} <= set(data)
    assert data["coverage"] == pytest.approx(6 / 7)
    assert data["covered_count"] == 6 and data["total"] == 7
    assert data["method"] == "exact" and data["proved_optimal"] is True
    assert data["objective"] == {"coverage": 6, "interest_weight": 6, "urgency": 0.0}
    assert [i["id"] for i in data["items"]] == list(plan.item_ids)
    assert set(data["items"][0]) >= {"id", "duration", "start_minute", "serves", "serves_count"}
    assert data["uncovered"] == [
        {
            "id": 7,
            "reason_code": "no_interests_declared",
            "reason": "no interests declared",
            "items": [],
        }
    ]


def test_auto_switches_to_greedy_beyond_the_size_threshold(monkeypatch):
    """Above EXACT_MAX_ITEMS, auto runs greedy and says why."""
    monkeypatch.setattr(agenda, "EXACT_MAX_ITEMS", 2)
    items, organisations = trap()
    plan = build_agenda(items, organisations, length_minutes=60, max_items=2)
    assert plan.method == "greedy" and plan.fallback == "size"
    assert not plan.proved_optimal
    assert plan.covered_count == 5


def test_time_limit_falls_back_to_greedy(monkeypatch):
    """When the solver stops without a solution, the greedy plan is returned, unproved."""

    def out_of_time(*args, **kwargs):
        return SimpleNamespace(status=1, x=None, mip_dual_bound=-6.0)

    monkeypatch.setattr(agenda, "milp", out_of_time)
    items, organisations = trap()
    plan = build_agenda(items, organisations, length_minutes=60, max_items=2, time_limit=0.5)
    assert plan.method == "greedy" and plan.fallback == "time_limit"
    assert not plan.proved_optimal
    assert plan.covered_count == 5 and plan.coverage_bound == 6


def random_instance(draw_random, n_items, n_orgs, n_topics, max_duration=60):
    r = draw_random
    topics = range(n_topics)
    items = [
        CandidateItem(
            id=f"i{i}",
            duration=r.randint(5, max_duration),
            urgency=round(r.random(), 3),
            topics=r.sample(topics, r.randint(0, min(3, n_topics))),
            organisations={f"o{r.randrange(n_orgs)}"} if n_orgs and r.random() < 0.2 else (),
        )
        for i in range(n_items)
    ]
    organisations = [
        MemberOrganisation(
            id=f"o{j}",
            interests={
                t: r.randint(1, 3) for t in r.sample(topics, r.randint(0, min(3, n_topics)))
            },
        )
        for j in range(n_orgs)
    ]
    return items, organisations


instances = st.builds(
    lambda seed, n, m, t: random_instance(random.Random(seed), n, m, t),
    st.integers(0, 2**32),
    st.integers(0, 10),
    st.integers(0, 12),
    st.integers(1, 8),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances, st.integers(0, 150), st.integers(0, 6))
def test_exact_matches_brute_force(instance, length, k):
    """Exact finds the brute-force optimum: same coverage, weight and urgency."""
    items, organisations = instance
    plan = build_agenda(items, organisations, length_minutes=length, max_items=k)
    best = brute_force(items, organisations, length, k)
    got = plan_score(plan, items, organisations)
    assert plan.method == "exact" and plan.proved_optimal
    assert got[:2] == best[:2]
    assert got[2] == pytest.approx(best[2], abs=TOLERANCE)
    assert (plan.covered_count, plan.interest_weight) == got[:2]
    assert len(plan.items) <= k and plan.total_duration <= length
    assert plan.coverage_bound == best[0]
    assert set(plan.covered) | {u.id for u in plan.uncovered} == {o.id for o in organisations}


@settings(max_examples=150, deadline=None)
@given(instances, st.integers(1, 6))
def test_greedy_reaches_one_minus_one_over_e_without_a_length_limit(instance, k):
    """With only the item count binding, greedy covers >= (1 - 1/e) of the optimum."""
    items, organisations = instance
    length = sum(i.duration for i in items)  # every choice fits
    plan = build_agenda(items, organisations, length_minutes=length, max_items=k, method="greedy")
    best = brute_force(items, organisations, length, k)
    assert plan.covered_count >= (1 - 1 / math.e) * best[0]
    assert plan_score(plan, items, organisations)[:2] == (plan.covered_count, plan.interest_weight)


@settings(max_examples=100, deadline=None)
@given(instances, st.integers(0, 150), st.integers(0, 6))
def test_greedy_plans_are_feasible_and_explained(instance, length, k):
    """Greedy never exceeds the limits and every organisation is covered or explained."""
    items, organisations = instance
    plan = build_agenda(items, organisations, length_minutes=length, max_items=k, method="greedy")
    assert len(plan.items) <= k and plan.total_duration <= length
    for u in plan.uncovered:
        serving = [i.id for i in items if weight(i, next(o for o in organisations if o.id == u.id))]
        assert (u.reason_code == REASON_DID_NOT_FIT) == bool(serving)
        assert set(u.item_ids) == set(serving)


def test_two_hundred_candidates_by_two_thousand_organisations():
    """A network-sized instance is solved exactly (skewed topic popularity, as in real data)."""
    r = random.Random(1)
    popularity = [1 / (t + 1) for t in range(40)]

    def topics(count):
        chosen = set()
        while len(chosen) < count:
            chosen.add(r.choices(range(40), popularity)[0])
        return chosen

    items = [
        CandidateItem(
            id=f"i{i}",
            duration=r.choice([5, 10, 15, 20, 30, 45]),
            urgency=round(r.random(), 3),
            topics=topics(r.randint(1, 3)),
        )
        for i in range(200)
    ]
    organisations = [
        MemberOrganisation(
            id=f"o{j}", interests={t: r.randint(1, 3) for t in topics(r.randint(1, 5))}
        )
        for j in range(2000)
    ]
    plan = build_agenda(items, organisations, length_minutes=120, max_items=8, time_limit=60)
    greedy = build_agenda(items, organisations, length_minutes=120, max_items=8, method="greedy")
    assert plan.method == "exact" and plan.proved_optimal
    assert plan.coverage_bound == plan.covered_count >= greedy.covered_count
    assert (plan.covered_count, plan.interest_weight, plan.urgency) >= (
        greedy.covered_count,
        greedy.interest_weight,
        greedy.urgency,
    )
