"""The services that declare and remove relationships between organisations."""

from __future__ import annotations

import pytest

from netweave.directory import services
from netweave.directory.models import Relationship

pytestmark = pytest.mark.django_db


def test_remove_relationship_deletes_it_and_its_history_keeps_it(personas):
    """A removed tie is gone; its history ends with a deletion under the same uid."""
    tie = services.declare_relationship(
        personas.network, source=personas.org_a, target=personas.org_b, kind="funds"
    )
    uid = tie.uid
    services.remove_relationship(tie, acting_user=personas.alice)
    assert not Relationship.objects.exists()
    history = Relationship.history.filter(uid=uid).order_by("history_date", "history_id")
    assert [row.history_type for row in history] == ["+", "-"]


def test_declared_relationships_get_their_own_uids(personas):
    """Each tie gets a public id of its own when declared."""
    first = services.declare_relationship(
        personas.network, source=personas.org_a, target=personas.org_b, kind="funds"
    )
    second = services.declare_relationship(
        personas.network, source=personas.org_b, target=personas.org_a, kind="advises"
    )
    assert first.uid and second.uid and first.uid != second.uid
