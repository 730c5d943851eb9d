import pytest
from django.urls import reverse

from netweave.directory.models import Person
from netweave.directory.tests.factories import OrganisationFactory, TopicFactory
from netweave.networks.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def url(network, organisation=None):
    base = reverse("directory:person_create", kwargs={"network": network.slug})
    return f"{base}?organisation={organisation.slug}" if organisation else base


def form_data(organisation, **overrides):
    data = {
        "name": "Nodira Nazarova",
        "organisation": organisation.pk,
        "position": "Engineer",
        "email": "Nodira@Example.org",
        "languages": "tg, ru",
        "consent_listed": "on",
    }
    data.update(overrides)
    return data


def test_facilitator_adds_person(personas, client):
    """A facilitator adds a person to any member organisation, with interests."""
    topic = TopicFactory(name="Hydrology", slug="hydrology")
    client.force_login(personas.fiona)
    response = client.post(url(personas.network), form_data(personas.org_b, topics=[topic.pk]))
    person = Person.objects.get(name="Nodira Nazarova")
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url(personas.network)
    assert person.organisation == personas.org_b
    assert person.email == "nodira@example.org"
    assert person.consent_date is not None
    assert list(person.topics.all()) == [topic]


def test_organisation_preselected_from_query(personas, client):
    """``?organisation=<slug>`` preselects that organisation."""
    client.force_login(personas.alice)
    response = client.get(url(personas.network, personas.org_a))
    assert response.status_code == 200
    assert response.context["form"]["organisation"].value() == personas.org_a.pk


def test_focal_point_offered_own_organisations_only(personas, client):
    """A focal point may choose only the organisations they speak for."""
    client.force_login(personas.alice)
    response = client.get(url(personas.network, personas.org_b))
    choices = list(response.context["form"].fields["organisation"].queryset)
    assert choices == [personas.org_a]
    assert response.context["form"]["organisation"].value() is None


def test_focal_point_adds_person_to_own_organisation(personas, client):
    """Alice adds a colleague to org A."""
    client.force_login(personas.alice)
    response = client.post(url(personas.network), form_data(personas.org_a))
    assert response.status_code == 302
    assert Person.objects.get(name="Nodira Nazarova").organisation == personas.org_a


def test_forged_organisation_refused(personas, client):
    """A focal point posting another organisation's id gets a form error; nothing is saved."""
    client.force_login(personas.alice)
    response = client.post(url(personas.network), form_data(personas.org_b))
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Person.objects.filter(name="Nodira Nazarova").exists()


def test_organisation_outside_network_refused(personas, client):
    """Even a facilitator cannot add a person to an organisation outside the network."""
    elsewhere = OrganisationFactory()
    MembershipFactory(network=personas.other_network, organisation=elsewhere)
    client.force_login(personas.fiona)
    response = client.post(url(personas.network), form_data(elsewhere))
    assert "organisation" in response.context["form"].errors
    assert not Person.objects.filter(name="Nodira Nazarova").exists()


@pytest.mark.parametrize(
    ("field", "value"), [("email", "nodira@"), ("name", ""), ("consent_date", "2999-01-01")]
)
def test_invalid_fields_refused(personas, client, field, value):
    """Invalid e-mail, missing name or a future consent date: field error, nothing saved."""
    client.force_login(personas.fiona)
    response = client.post(url(personas.network), form_data(personas.org_a, **{field: value}))
    assert field in response.context["form"].errors
    assert not Person.objects.filter(position="Engineer").exists()


@pytest.mark.parametrize("persona", ["sam", "olga"])
def test_roles_without_edit_right_refused(personas, client, persona):
    """Steering members and observers get 403 and nothing is saved."""
    client.force_login(getattr(personas, persona))
    assert client.get(url(personas.network)).status_code == 403
    assert client.post(url(personas.network), form_data(personas.org_a)).status_code == 403
    assert not Person.objects.filter(name="Nodira Nazarova").exists()


@pytest.mark.parametrize("persona", [None, "charlie", "frank"])
def test_outsiders_get_404(personas, client, persona):
    """Users who cannot see the network get 404."""
    if persona:
        client.force_login(getattr(personas, persona))
    assert client.post(url(personas.network), form_data(personas.org_a)).status_code == 404
    assert not Person.objects.filter(name="Nodira Nazarova").exists()
