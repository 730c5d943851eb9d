from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from netweave.activities import services
from netweave.core import exports
from netweave.core.access import get_access


@pytest.fixture
def funded(personas):
    activity = services.create_activity(
        personas.network, kind="pilot", title="Filter pilot", lead=personas.org_a
    )
    services.add_contribution(
        activity, organisation=personas.org_b, amount="250.50", currency="EUR", year=2013
    )
    return activity


def _build(kind: str, personas, user):
    return exports.get_export(kind).build(
        personas.network, user, get_access(user, personas.network)
    )


def test_activities_export_lists_activities_with_their_lead(personas, funded):
    """The ``activities`` export has one row per activity, its lead and codes for choices."""
    data = _build("activities", personas, personas.olga)
    assert data.headers[:4] == ["uid", "kind", "title", "status"]
    assert [row[1:4] for row in data] == [("pilot", "Filter pilot", "planned")]
    assert data[0][6] == "Alpha Water Institute"


def test_contributions_export_is_for_members(personas, funded):
    """Members get the contributions; an outsider is refused."""
    data = _build("contributions", personas, personas.olga)
    assert [row[1:6] for row in data] == [("Beta Ministry", "money", "250.50", "EUR", 2013)]
    with pytest.raises(PermissionDenied):
        _build("contributions", personas, personas.charlie)


def test_activities_export_refuses_who_cannot_read_the_network(personas, funded):
    """Someone who may not read a members-only network gets nothing."""
    with pytest.raises(PermissionDenied):
        _build("activities", personas, personas.charlie)
