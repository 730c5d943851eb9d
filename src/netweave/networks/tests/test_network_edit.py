import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from netweave.networks.models import Network, StageMilestone

pytestmark = pytest.mark.django_db


def edit_url(network) -> str:
    return reverse("networks:edit", kwargs={"network": network.slug})


def milestone_url(network) -> str:
    return reverse("networks:milestone_record", kwargs={"network": network.slug})


def network_data(**changes) -> dict:
    data = {
        "name": "Renamed network",
        "aims": "Safe water for all.",
        "country": "kg",
        "sector_focus": "WASH",
        "launched": "2009-11-01",
        "visibility": "public",
    }
    data.update(changes)
    return data


def test_facilitator_edits_the_network(client, personas):
    """A facilitator changes name, aims, country, focus, launch and visibility."""
    client.force_login(personas.fiona)
    assert client.get(edit_url(personas.network)).status_code == 200
    response = client.post(edit_url(personas.network), network_data())
    assert response.status_code == 302
    network = Network.objects.get(slug="testnet")
    assert (network.name, network.country, network.visibility) == (
        "Renamed network",
        "KG",
        "public",
    )
    assert network.aims == "Safe water for all."


@pytest.mark.parametrize("role", ["focal_point", "steering", "observer"])
def test_other_roles_may_not_edit(client, personas, role):
    """Anyone but a facilitator is refused (403) and nothing changes."""
    client.force_login(personas.by_role()[role])
    assert client.get(edit_url(personas.network)).status_code == 403
    assert client.post(edit_url(personas.network), network_data()).status_code == 403
    assert Network.objects.get(slug="testnet").name == "Test network"


def test_other_network_facilitator_gets_404(client, personas):
    """A facilitator of another network cannot even see this one."""
    client.force_login(personas.frank)
    assert client.post(edit_url(personas.network), network_data()).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"country": "Tajikistan"}, "country"),
        ({"country": "1J"}, "country"),
        ({"name": ""}, "name"),
        ({"launched": "2099-01-01"}, "launched"),
        ({"launched": "2011-01-01"}, "launched"),  # the members joined in 2010
        ({"visibility": "secret"}, "visibility"),
    ],
)
def test_bad_network_input_is_refused_on_its_field(client, personas, changes, field):
    """Bad input is shown on its field and nothing is saved."""
    client.force_login(personas.fiona)
    response = client.post(edit_url(personas.network), network_data(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    network = Network.objects.get(slug="testnet")
    assert network.name == "Test network" and network.country == "TJ"
    assert response.context["network"].name == "Test network"


def test_facilitator_records_and_redates_a_milestone(client, personas):
    """Recording a stage adds its milestone, recording it again changes its date."""
    client.force_login(personas.fiona)
    data = {"stage": "formal", "date": "2015-04-01", "note": "Charter signed"}
    assert client.post(milestone_url(personas.network), data).status_code == 302
    assert (
        client.post(milestone_url(personas.network), {**data, "date": "2015-05-01"}).status_code
        == 302
    )
    milestone = StageMilestone.objects.get(network=personas.network)
    assert milestone.date == dt.date(2015, 5, 1)
    assert Network.objects.get(slug="testnet").stage == "formal"
    response = client.get(edit_url(personas.network) + "?stage=formal")
    assert response.context["milestone_form"].initial["date"] == dt.date(2015, 5, 1)


def test_future_milestone_is_refused(client, personas):
    """A milestone dated in the future is a field error and is not saved."""
    client.force_login(personas.fiona)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        milestone_url(personas.network), {"stage": "recognised", "date": tomorrow.isoformat()}
    )
    assert response.status_code == 200
    assert "in the future" in response.context["milestone_form"].errors["date"][0]
    assert not StageMilestone.objects.exists()


def test_focal_point_may_not_record_milestones(client, personas):
    """A focal point is refused (403) when recording a milestone."""
    client.force_login(personas.alice)
    response = client.post(
        milestone_url(personas.network), {"stage": "formal", "date": "2015-04-01"}
    )
    assert response.status_code == 403
    assert not StageMilestone.objects.exists()
