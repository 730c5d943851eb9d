import pytest
from django.urls import reverse

from netweave.directory.models import Organisation
from netweave.directory.tests.factories import OrganisationFactory, TopicFactory
from netweave.networks.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def url(network, org):
    return reverse(
        "directory:organisation_update", kwargs={"network": network.slug, "slug": org.slug}
    )


def form_data(org, **overrides):
    data = {
        "name": org.name,
        "acronym": org.acronym,
        "sector": org.sector_id,
        "country": org.country,
        "website": org.website,
        "email": org.email,
        "phone": org.phone,
        "showcase": "<p>Our <em>pilot</em></p>",
    }
    data.update(overrides)
    return data


def test_focal_point_edits_own_organisation(personas, client):
    """The focal point of org A updates its profile and interests."""
    topic = TopicFactory(name="Groundwater", slug="groundwater")
    client.force_login(personas.alice)
    response = client.get(url(personas.network, personas.org_a))
    assert response.status_code == 200
    assert response.context["form"]["name"].value() == "Alpha Water Institute"
    response = client.post(
        url(personas.network, personas.org_a),
        form_data(personas.org_a, region="Sughd", topics=[topic.pk]),
    )
    assert response.status_code == 302
    org = Organisation.objects.get(pk=personas.org_a.pk)
    assert org.region == "Sughd"
    assert list(org.topics.all()) == [topic]


def test_facilitator_edits_any_organisation(personas, client):
    """A facilitator may edit every member's profile."""
    client.force_login(personas.fiona)
    response = client.post(
        url(personas.network, personas.org_b), form_data(personas.org_b, acronym="MoB")
    )
    assert response.status_code == 302
    assert Organisation.objects.get(pk=personas.org_b.pk).acronym == "MoB"


def test_focal_point_of_other_organisation_refused(personas, client):
    """Alice, focal point of org A, gets 403 on org B's form, by GET and POST; nothing changes."""
    client.force_login(personas.alice)
    assert client.get(url(personas.network, personas.org_b)).status_code == 403
    response = client.post(
        url(personas.network, personas.org_b), form_data(personas.org_b, name="Hijacked")
    )
    assert response.status_code == 403
    assert Organisation.objects.get(pk=personas.org_b.pk).name == "Beta Ministry"


@pytest.mark.parametrize("persona", ["sam", "olga"])
def test_roles_without_edit_right_refused(personas, client, persona):
    """Steering members and observers may read but not edit: 403."""
    client.force_login(getattr(personas, persona))
    assert client.get(url(personas.network, personas.org_a)).status_code == 403


@pytest.mark.parametrize("persona", [None, "charlie", "frank"])
def test_outsiders_get_404(personas, client, persona):
    """Users who cannot see the network get 404 and nothing changes."""
    if persona:
        client.force_login(getattr(personas, persona))
    response = client.post(
        url(personas.network, personas.org_a), form_data(personas.org_a, name="Hijacked")
    )
    assert response.status_code == 404
    assert Organisation.objects.get(pk=personas.org_a.pk).name == "Alpha Water Institute"


def test_organisation_outside_network_is_404(personas, client):
    """Editing through a network the organisation never belonged to is 404."""
    elsewhere = OrganisationFactory()
    MembershipFactory(network=personas.other_network, organisation=elsewhere)
    client.force_login(personas.fiona)
    assert client.get(url(personas.network, elsewhere)).status_code == 404


def test_rename_to_existing_name_refused(personas, client):
    """Renaming to another member's name (in another case) is an error on the name."""
    client.force_login(personas.alice)
    response = client.post(
        url(personas.network, personas.org_a),
        form_data(personas.org_a, name="BETA  ministry", region="X"),
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    org = Organisation.objects.get(pk=personas.org_a.pk)
    assert (org.name, org.region) == ("Alpha Water Institute", "")
    # The page title still shows the saved name, not the refused one.
    assert "Edit Alpha Water Institute" in response.text


@pytest.mark.parametrize(("field", "value"), [("website", "ftp//x"), ("email", "a@b@c")])
def test_invalid_contact_refused(personas, client, field, value):
    """An invalid URL or e-mail is an error on its field and nothing changes."""
    client.force_login(personas.alice)
    response = client.post(
        url(personas.network, personas.org_a),
        form_data(personas.org_a, **{field: value}, region="Y"),
    )
    assert field in response.context["form"].errors
    assert Organisation.objects.get(pk=personas.org_a.pk).region == ""
