"""Influence mapping: goals, dated assessments, stances and the pictures (pure parts too)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from netweave.directory.tests.factories import OrganisationFactory
from netweave.influence import mapping
from netweave.influence.mapping import Assessed, grid_figure, stances, towers_figure
from netweave.influence.models import InfluenceAssessment, InfluenceGoal

D1, D2, D3 = dt.date(2014, 3, 1), dt.date(2015, 4, 1), dt.date(2016, 5, 1)


def a(org: int, day: dt.date, influence: int, position: int, label: str = "") -> Assessed:
    return Assessed(org, label or f"Org {org}", day, influence, position, slug=f"o{org}")


def test_stances_take_the_latest_and_the_one_before():
    """Three assessments of org 1: the stance is D3's, coming from D2's."""
    rows = [a(1, D1, 2, -2), a(1, D3, 4, 1), a(1, D2, 3, 0), a(2, D1, 5, 2)]
    by_org = {s.organisation_id: s for s in stances(rows)}
    one = by_org[1]
    assert (one.current.assessed_on, one.previous.assessed_on) == (D3, D2)
    assert one.moved and (one.influence_change, one.position_change) == (1, 1)
    assert by_org[2].previous is None and not by_org[2].moved
    # Sorted by influence, highest first.
    assert [s.organisation_id for s in stances(rows)] == [2, 1]


def test_stances_as_of_a_day():
    rows = [a(1, D1, 2, -2), a(1, D3, 4, 1)]
    [then] = stances(rows, as_of=D2)
    assert then.current.assessed_on == D1 and then.previous is None


def test_supporters_and_targets():
    """Position ≥ 1 supports; influence ≥ 4 with position ≤ 0 is a target."""
    [s] = stances([a(1, D1, 2, 1)])
    assert s.is_supportive and not s.is_target
    [t] = stances([a(2, D1, 4, 0)])
    assert t.is_target and not t.is_supportive
    [u] = stances([a(3, D1, 3, -2)])
    assert not u.is_target


def test_grid_has_a_point_per_organisation_and_an_arrow_per_move():
    rows = [a(1, D1, 2, -2, "AMS"), a(1, D2, 4, 1, "AMS"), a(2, D2, 4, 1, "MoF")]
    figure = grid_figure(stances(rows))
    trace = figure["data"][0]
    assert sorted(trace["text"]) == ["AMS", "MoF"]
    assert trace["y"] == [4, 4]
    # The two share a cell: spread apart, both near position 1.
    assert trace["x"][0] != trace["x"][1] and all(abs(x - 1) < 0.5 for x in trace["x"])
    [arrow] = figure["layout"]["annotations"]
    assert (arrow["ax"], arrow["ay"], arrow["y"]) == (-2, 2, 4)


def test_towers_are_ordered_by_influence():
    figure = towers_figure(stances([a(1, D1, 2, 0, "B"), a(2, D1, 5, -1, "A")]))
    assert figure["data"][0]["x"] == ["A", "B"]
    assert figure["data"][0]["y"] == [5, 2]


@pytest.mark.django_db
class TestServices:
    def test_goal_needs_a_unique_title(self, personas):
        mapping.create_goal(personas.network, title="Tariff reform", acting_user=personas.fiona)
        with pytest.raises(ValidationError) as caught:
            mapping.create_goal(
                personas.network, title=" tariff REFORM ", acting_user=personas.fiona
            )
        assert "already maps a goal" in str(caught.value)
        with pytest.raises(ValidationError):
            mapping.create_goal(personas.network, title="  ", acting_user=personas.fiona)
        assert InfluenceGoal.objects.count() == 1

    @time_machine.travel(dt.datetime(2015, 6, 1, 9, tzinfo=dt.UTC), tick=False)
    def test_reassessment_keeps_history_and_same_day_corrects(self, personas):
        goal = mapping.create_goal(personas.network, title="Tariffs", acting_user=personas.fiona)
        _first, created = mapping.record_assessment(
            goal,
            organisation=personas.org_a,
            influence=3,
            position=-1,
            assessed_on=D1,
            acting_user=personas.fiona,
        )
        assert created
        mapping.record_assessment(
            goal, organisation=personas.org_a, influence=4, position=1, acting_user=personas.fiona
        )
        _fixed, created = mapping.record_assessment(
            goal, organisation=personas.org_a, influence=5, position=2, acting_user=personas.fiona
        )
        assert not created
        assert list(
            InfluenceAssessment.objects.order_by("assessed_on").values_list(
                "assessed_on", "influence", "position"
            )
        ) == [(D1, 3, -1), (dt.date(2015, 6, 1), 5, 2)]

    @pytest.mark.parametrize(
        ("influence", "position", "field"),
        [
            (0, 0, "influence"),
            (6, 0, "influence"),
            ("x", 0, "influence"),
            (3, 3, "position"),
            (3, -3, "position"),
            (3, "1.5", "position"),
        ],
    )
    def test_out_of_range_values_are_refused(self, personas, influence, position, field):
        goal = mapping.create_goal(personas.network, title="Tariffs", acting_user=personas.fiona)
        with pytest.raises(ValidationError) as caught:
            mapping.record_assessment(
                goal,
                organisation=personas.org_a,
                influence=influence,
                position=position,
                acting_user=personas.fiona,
            )
        assert field in caught.value.message_dict
        assert not InfluenceAssessment.objects.exists()

    def test_future_dates_and_archived_goals_are_refused(self, personas):
        goal = mapping.create_goal(personas.network, title="Tariffs", acting_user=personas.fiona)
        with pytest.raises(ValidationError) as caught:
            mapping.record_assessment(
                goal,
                organisation=personas.org_a,
                influence=3,
                position=0,
                assessed_on=dt.date(2999, 1, 1),
                acting_user=personas.fiona,
            )
        assert "future" in str(caught.value)
        mapping.update_goal(goal, title="Tariffs", active=False, acting_user=personas.fiona)
        with pytest.raises(ValidationError):
            mapping.record_assessment(
                goal, organisation=personas.org_a, influence=3, position=0, acting_user=None
            )

    def test_outside_organisations_can_be_assessed(self, personas):
        """Members, past members and organisations of other networks the user reads."""
        stranger = OrganisationFactory(name="Unknown Ltd")
        elsewhere = OrganisationFactory(name="Other Ministry")
        from netweave.networks.tests.factories import MembershipFactory, RoleFactory

        MembershipFactory(network=personas.other_network, organisation=elsewhere)
        RoleFactory(user=personas.fiona, network=personas.other_network, kind="observer")
        found = set(mapping.assessable_organisations(personas.network, personas.fiona))
        assert {personas.org_a, personas.org_b, elsewhere} <= found
        assert stranger not in found
        sam_sees = set(mapping.assessable_organisations(personas.network, personas.sam))
        assert elsewhere not in sam_sees
