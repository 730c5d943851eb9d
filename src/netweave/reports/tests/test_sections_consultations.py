"""The report's section on consultations, against hand-computed figures for 2015 (UTC).

c1 open 6–31 July 2015 (published): comments A s1 support, B s1 concern, D s1 support,
A s2 suggestion, C s2 question; recommendations r1 taken up (backed by A's and B's s1
comments), r2 partly (C's), r3 not taken up (no comment), r4 pending.
c2 open 15 December 2014 – 10 January 2015 (closed): B comments once; r5 pending.
Left out: c3 (closed on 31 December 2014, noon), c4 (a draft dated 2015), c5 (opens
2016), and another network's consultation of 2015.

So 2 consultations, 6 comments from 4 organisations (A, B, C, D) in 3 sectors (A and D are
government, B donor, C academia), 5 recommendations: 1 taken up, 1 partly, 1 not, 2 awaiting.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from netweave.consultations.models import Comment, Consultation, Recommendation, Section
from netweave.directory.tests.factories import OrganisationFactory, sector
from netweave.networks.tests.factories import NetworkFactory
from netweave.reports.registry import section_type
from netweave.reports.sections.consultations import build_consultations

pytestmark = pytest.mark.django_db

YEAR = 2015
# 3 queries: the consultations with their owners, their comments, their recommendations.
QUERIES = 3


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def consultation(net, owner, title, opens, closes, status="closed", headings=("S1", "S2")):
    c = Consultation.objects.create(
        network=net, owner=owner, title=title, opens=at(opens), closes=at(closes), status=status
    )
    sections = [
        Section.objects.create(consultation=c, heading=h, position=i)
        for i, h in enumerate(headings)
    ]
    return c, sections


def comment(section, organisation, kind="support"):
    return Comment.objects.create(
        section=section, organisation=organisation, kind=kind, text="We have a view."
    )


def recommend(c, text, response="pending", comments=(), position=0):
    rec = Recommendation.objects.create(
        consultation=c, text=text, response=response, position=position
    )
    rec.comments.set(comments)
    return rec


def build() -> SimpleNamespace:
    net = NetworkFactory(slug="consult", name="Consulting network")
    o = {
        key: OrganisationFactory(name=f"Org {key}", acronym=key, sector=sector(slug))
        for key, slug in {
            "A": "government",
            "B": "donor",
            "C": "academia",
            "D": "government",
        }.items()
    }
    bank = OrganisationFactory(name="Development Bank", sector=sector("donor"))
    c1, (s1, s2) = consultation(
        net, bank, "Tariff study", "2015-07-06T09:00", "2015-07-31T18:00", status="published"
    )
    a1 = comment(s1, o["A"])
    b1 = comment(s1, o["B"], "concern")
    comment(s1, o["D"])
    comment(s2, o["A"], "suggestion")
    c_q = comment(s2, o["C"], "question")
    recommend(c1, "Publish the tariff model.", "taken_up", [a1, b1], 1)
    recommend(c1, "Consult the regions.", "partly", [c_q], 2)
    recommend(c1, "Lower the tariff.", "not_taken_up", [], 3)
    recommend(c1, "Report yearly.", "pending", [], 4)
    c2, (t1, _t2) = consultation(net, bank, "Winter plan", "2014-12-15T09:00", "2015-01-10T18:00")
    comment(t1, o["B"])
    recommend(c2, "Plan earlier.")
    c3, (u1, _u2) = consultation(net, bank, "Old study", "2014-03-01T09:00", "2014-12-31T12:00")
    comment(u1, o["A"])
    recommend(c3, "Old advice.")
    consultation(net, bank, "Draft", "2015-03-01T09:00", "2015-03-20T09:00", status="draft")
    c5, (v1, _v2) = consultation(net, bank, "Next year", "2016-01-01T00:00", "2016-02-01T00:00")
    comment(v1, o["C"])
    other = NetworkFactory(slug="other-net")
    c6, (w1, _w2) = consultation(other, bank, "Elsewhere", "2015-02-01T00:00", "2015-03-01T00:00")
    comment(w1, o["A"])
    recommend(c6, "Elsewhere advice.", "taken_up")
    return SimpleNamespace(network=net, o=o, c1=c1, c2=c2)


@pytest.fixture
def net():
    return build()


def test_consultations_open_during_the_year(net):
    """Overlapping the year counts; a draft, another year or another network does not."""
    section = build_consultations(net.network, YEAR)
    figure = section.figure("consultations")
    assert figure.value == 2
    assert figure.records.rows == [
        ["Winter plan", "Development Bank", dt.date(2014, 12, 15), dt.date(2015, 1, 10),
         "Closed", 1, 1, 1],
        ["Tariff study", "Development Bank", dt.date(2015, 7, 6), dt.date(2015, 7, 31),
         "Synthesis published", 5, 4, 4],
    ]  # fmt: skip


def test_comments_organisations_and_sectors(net):
    section = build_consultations(net.network, YEAR)
    values = section.values()
    assert values["comments"] == 6
    assert len(section.figure("comments").records) == 6
    assert values["commenting_organisations"] == 4
    assert section.figure("commenting_organisations").records.rows == [
        ["Org A", sector("government").name, 2],
        ["Org B", sector("donor").name, 2],
        ["Org C", sector("academia").name, 1],
        ["Org D", sector("government").name, 1],
    ]
    assert values["commenting_sectors"] == 3
    assert section.figure("commenting_sectors").records.rows == [
        [sector("government").name, 2, 3],
        [sector("academia").name, 1, 1],
        [sector("donor").name, 1, 2],
    ]


def test_recommendations_and_responses(net):
    section = build_consultations(net.network, YEAR)
    values = section.values()
    assert values["recommendations"] == 5
    assert (
        values["taken_up"],
        values["partly_taken_up"],
        values["not_taken_up"],
        values["awaiting_response"],
    ) == (1, 1, 1, 2)
    taken = section.figure("taken_up").records.rows
    assert [row[:4] for row in taken] == [
        ["Tariff study", "Publish the tariff model.", 2, "Taken up"]
    ]
    awaiting = section.figure("awaiting_response").records.rows
    assert [row[1] for row in awaiting] == ["Plan earlier.", "Report yearly."]
    chart = next(c for c in section.charts if c.key == "responses")
    assert list(chart.series.values()) == [[1.0, 1.0, 1.0, 2.0]]


def test_year_boundaries(net):
    """2014 has the old study and the winter plan; 2016 the next-year consultation."""
    section_2014 = build_consultations(net.network, 2014)
    assert section_2014.values()["consultations"] == 2
    assert section_2014.values()["comments"] == 2
    section_2016 = build_consultations(net.network, 2016)
    assert (section_2016.values()["consultations"], section_2016.values()["comments"]) == (1, 1)
    assert section_2016.values()["recommendations"] == 0
    empty = build_consultations(net.network, 2013)
    assert all(value == 0 for value in empty.values().values())
    assert empty.charts == []


def test_declared_figures_are_the_produced_ones(net):
    section = build_consultations(net.network, YEAR)
    assert set(section.values()) == set(section_type("consultations").figures)


def test_constant_queries(net, django_assert_max_num_queries):
    with django_assert_max_num_queries(QUERIES):
        build_consultations(net.network, YEAR)
    for index in range(20):
        organisation = OrganisationFactory(sector=sector("media"))
        c, (s1, _s2) = consultation(
            net.network, organisation, f"More {index}", "2015-03-01T00:00", "2015-04-01T00:00"
        )
        recommend(c, "More advice.", comments=[comment(s1, organisation)])
    with django_assert_max_num_queries(QUERIES):
        section = build_consultations(net.network, YEAR)
    assert section.values()["consultations"] == 22
