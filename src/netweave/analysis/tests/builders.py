"""A small network with every kind of record the analysis reads, weights worked out by hand.

Organisations (sector): A (government), B (academia), C (civil society), D (donor),
F (private sector, joined 2022), G (UN agency, member 2015 to mid-2019) are members;
E is not. People: a1 and a2 of A, b1, c1, d1, e1, f1, and x with no organisation.

Meetings and who attended:
  m1 2020-03-01: a1 a2 b1 c1 e1 x      m2 2020-09-01: a1 b1
  m3 2021-05-01: b1 c1 d1              m4 2022-02-01: d1 f1 a2
Organisation co-attendance, all time: AB 2, AC 1, BC 2, BD 1, CD 1, AD 1, AF 1, DF 1.

Task groups: T1 2019-01-01…2020-12-31 with A (joined 2019-01-01, sends a1), B (joined
2020-06-01, sends b1), C (joined: not given); T2 from 2022-01-01 with B and D.
Activities: act1 in 2018 (A, B, D), act2 from 2021 (C, D).
Contributions: act1: A 2018, B 2018, D 2019; act2: C 2021, D 2021.
Relationships: A→B strength 5 from 2019, B→A strength 3 undated, C→D strength 2 ending 2017.
Partnerships: P1 from 2016 (A, B, C), P2 2010–2012 (C, D).
Survey: 2021: A rates B 4/4/4, B rates A 5/5/5, A rates C 1/1/1 (with a comment);
2022: C rates D 3/3/3, C rates F 5/5/5.
Interests: A and G both follow water and sanitation.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from netweave.activities.tests.factories import (
    ContributionFactory,
    JointActivityFactory,
    ParticipationFactory,
)
from netweave.directory.models import OrganisationInterest, Relationship
from netweave.directory.sectors import ensure_sectors
from netweave.directory.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    TopicFactory,
    sector,
)
from netweave.governance.models import TaskGroup, TaskGroupMember
from netweave.meetings.tests.factories import AttendanceFactory, MeetingFactory
from netweave.networks.tests.factories import MembershipFactory, NetworkFactory
from netweave.partnerships.arrangements import ensure_arrangement_types
from netweave.partnerships.models import ArrangementType, Partner, Partnership
from netweave.surveys.models import SurveyRound, TieRating


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=dt.UTC)


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


def build_small(slug: str = "small") -> SimpleNamespace:
    ensure_sectors()
    ensure_arrangement_types()
    net = NetworkFactory(slug=slug, name="Small network")
    sectors = {
        "A": "government",
        "B": "academia",
        "C": "civil-society",
        "D": "donor",
        "E": "media",
        "F": "private-sector",
        "G": "un-agency",
    }
    o = {
        key: OrganisationFactory(name=f"Org {key}", acronym=key, sector=sector(value))
        for key, value in sectors.items()
    }
    for key in "ABCD":
        MembershipFactory(network=net, organisation=o[key], joined=d("2015-01-01"))
    MembershipFactory(network=net, organisation=o["F"], joined=d("2022-01-01"))
    MembershipFactory(
        network=net,
        organisation=o["G"],
        joined=d("2015-01-01"),
        left=d("2019-07-01"),
        status="left",
    )
    p = {
        "a1": PersonFactory(name="a1", organisation=o["A"]),
        "a2": PersonFactory(name="a2", organisation=o["A"]),
        "b1": PersonFactory(name="b1", organisation=o["B"]),
        "c1": PersonFactory(name="c1", organisation=o["C"]),
        "d1": PersonFactory(name="d1", organisation=o["D"]),
        "e1": PersonFactory(name="e1", organisation=o["E"]),
        "f1": PersonFactory(name="f1", organisation=o["F"]),
        "x": PersonFactory(name="x", organisation=None),
    }
    meetings = {}
    for name, day, people in (
        ("m1", "2020-03-01", ["a1", "a2", "b1", "c1", "e1", "x"]),
        ("m2", "2020-09-01", ["a1", "b1"]),
        ("m3", "2021-05-01", ["b1", "c1", "d1"]),
        ("m4", "2022-02-01", ["d1", "f1", "a2"]),
    ):
        meetings[name] = MeetingFactory(network=net, title=name, start=at(day))
        for person in people:
            AttendanceFactory(meeting=meetings[name], person=p[person])

    t1 = TaskGroup.objects.create(
        network=net, name="T1", lead=o["A"], start=d("2019-01-01"), end=d("2020-12-31")
    )
    TaskGroupMember.objects.create(task_group=t1, organisation=o["A"], joined=d("2019-01-01"))
    TaskGroupMember.objects.get(task_group=t1, organisation=o["A"]).people.add(p["a1"])
    member_b = TaskGroupMember.objects.create(
        task_group=t1, organisation=o["B"], joined=d("2020-06-01")
    )
    member_b.people.add(p["b1"])
    TaskGroupMember.objects.create(task_group=t1, organisation=o["C"])
    t2 = TaskGroup.objects.create(network=net, name="T2", lead=o["B"], start=d("2022-01-01"))
    for key in "BD":
        TaskGroupMember.objects.create(task_group=t2, organisation=o[key])

    act1 = JointActivityFactory(network=net, start=d("2018-01-01"), end=d("2018-12-31"))
    act2 = JointActivityFactory(network=net, start=d("2021-01-01"), end=None)
    for activity, keys in ((act1, "ABD"), (act2, "CD")):
        for key in keys:
            ParticipationFactory(activity=activity, organisation=o[key])
    for activity, key, year in (
        (act1, "A", 2018),
        (act1, "B", 2018),
        (act1, "D", 2019),
        (act2, "C", 2021),
        (act2, "D", 2021),
    ):
        ContributionFactory(activity=activity, organisation=o[key], year=year)

    Relationship.objects.create(
        network=net,
        source=o["A"],
        target=o["B"],
        kind="partners_with",
        strength=5,
        start=d("2019-01-01"),
    )
    Relationship.objects.create(
        network=net, source=o["B"], target=o["A"], kind="advises", strength=3
    )
    Relationship.objects.create(
        network=net,
        source=o["C"],
        target=o["D"],
        kind="funds",
        strength=2,
        start=d("2015-01-01"),
        end=d("2017-12-31"),
    )

    arrangement = ArrangementType.objects.order_by("position").first()
    p1 = Partnership.objects.create(
        network=net, name="P1", arrangement=arrangement, start=d("2016-01-01")
    )
    p2 = Partnership.objects.create(
        network=net,
        name="P2",
        arrangement=arrangement,
        start=d("2010-01-01"),
        end=d("2012-12-31"),
    )
    for partnership, keys in ((p1, "ABC"), (p2, "CD")):
        for key in keys:
            Partner.objects.create(partnership=partnership, organisation=o[key])

    r2021 = SurveyRound.objects.create(network=net, year=2021, status="closed")
    r2022 = SurveyRound.objects.create(network=net, year=2022, status="closed")
    for survey_round, rater, rated, score, comment in (
        (r2021, "A", "B", 4, ""),
        (r2021, "B", "A", 5, ""),
        (r2021, "A", "C", 1, "We rarely meet."),
        (r2022, "C", "D", 3, ""),
        (r2022, "C", "F", 5, ""),
    ):
        TieRating.objects.create(
            round=survey_round,
            rater=o[rater],
            rated=o[rated],
            frequency=score,
            trust=score,
            value=score,
            comment=comment,
        )
    water, sanitation = TopicFactory(name="water"), TopicFactory(name="sanitation")
    for key in "AG":
        for topic in (water, sanitation):
            OrganisationInterest.objects.create(organisation=o[key], topic=topic)
    return SimpleNamespace(
        network=net,
        o=o,
        p=p,
        meetings=meetings,
        t1=t1,
        t2=t2,
        act1=act1,
        act2=act2,
        p1=p1,
        rounds=(r2021, r2022),
        id={key: org.pk for key, org in o.items()},
        pid={key: person.pk for key, person in p.items()},
    )


def weights(edges, names: dict[int, str]) -> dict[str, float]:
    """The edges as {"AB": weight} with the two ends' names sorted."""
    return {
        "".join(sorted((names[s], names[t])))
        if all(len(names[n]) == 1 for n in (s, t))
        else "-".join(sorted((names[s], names[t]))): w
        for s, t, w in zip(
            edges.src.tolist(), edges.dst.tolist(), edges.weight.tolist(), strict=True
        )
    }
