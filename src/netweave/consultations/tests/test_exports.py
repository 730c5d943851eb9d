"""The consultation comments list exports only what the reader may see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from netweave.consultations import services
from netweave.consultations.tests.factories import comment, make_consultation

pytestmark = pytest.mark.django_db


def _texts(client, user) -> str:
    client.force_login(user)
    response = client.get(
        reverse(
            "core:network_export",
            kwargs={"network": "testnet", "kind": "consultation_comments", "fmt": "csv"},
        )
    )
    assert response.status_code == 200
    return response.content.decode("utf-8-sig")


def test_comment_export_follows_the_pages(personas, client):
    hidden = make_consultation(personas, title="Hidden", open_discussion=False)
    comment(hidden, personas.org_a, text="alpha-hidden")
    comment(hidden, personas.org_b, text="beta-hidden")
    done = make_consultation(personas, title="Done")
    made = comment(done, personas.org_a, text="=alpha-published")
    services.create_recommendation(done, text="R", comments=[made])
    services.close_consultation(done)
    services.publish_synthesis(done)

    everything = _texts(client, personas.fiona)
    assert "alpha-hidden" in everything and "beta-hidden" in everything
    assert "'=alpha-published" in everything  # a formula is neutralised
    assert everything.splitlines()[0].startswith("consultation,consultation_uid,section")
    bob = _texts(client, personas.bob)
    assert "beta-hidden" in bob and "alpha-hidden" not in bob and "alpha-published" in bob
    olga = _texts(client, personas.olga)
    assert "alpha-published" in olga and "hidden" not in olga
