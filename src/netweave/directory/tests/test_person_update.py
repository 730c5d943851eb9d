import pytest
from django.urls import reverse

from netweave.directory.models import Person
from netweave.directory.tests.factories import OrganisationFactory, PersonFactory
from netweave.networks.tests.factories import MembershipFactory, RoleFactory

pytestmark = pytest.mark.django_db


def url(network, person):
    return reverse("directory:person_update", kwargs={"network": network.slug, "uid": person.uid})


def form_data(person, **overrides):
    data = {
        "name": person.name,
        "organisation": person.organisation_id,
        "position": person.position,
        "email": person.email,
        "consent_listed": "on",
        "consent_contact": "on",
    }
    data.update(overrides)
    return data


def test_focal_point_edits_own_colleague(personas, client):
    """Alice updates a person of org A."""
    client.force_login(personas.alice)
    response = client.get(url(personas.network, personas.person_a))
    assert response.status_code == 200
    assert response.context["form"]["name"].value() == "Anna Alpha"
    response = client.post(
        url(personas.network, personas.person_a), form_data(personas.person_a, position="Director")
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=personas.person_a.pk).position == "Director"


def test_facilitator_moves_person_to_another_organisation(personas, client):
    """A facilitator may move a person to another member organisation."""
    client.force_login(personas.fiona)
    client.post(
        url(personas.network, personas.person_a),
        form_data(personas.person_a, organisation=personas.org_b.pk),
    )
    assert Person.objects.get(pk=personas.person_a.pk).organisation == personas.org_b


def test_focal_point_of_other_organisation_refused(personas, client):
    """Bob gets 403 on org A's person, by GET and POST, and nothing changes."""
    client.force_login(personas.bob)
    assert client.get(url(personas.network, personas.person_a)).status_code == 403
    response = client.post(
        url(personas.network, personas.person_a),
        form_data(personas.person_a, name="Hijacked", organisation=personas.org_b.pk),
    )
    assert response.status_code == 403
    person = Person.objects.get(pk=personas.person_a.pk)
    assert (person.name, person.organisation) == ("Anna Alpha", personas.org_a)


def test_forged_organisation_refused(personas, client):
    """Alice cannot move her colleague to an organisation she does not speak for."""
    client.force_login(personas.alice)
    response = client.post(
        url(personas.network, personas.person_a),
        form_data(personas.person_a, organisation=personas.org_b.pk, position="Moved"),
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    person = Person.objects.get(pk=personas.person_a.pk)
    assert (person.organisation, person.position) == (personas.org_a, "Programme officer")


def test_focal_point_of_two_organisations_may_move_between_them(personas, client):
    """A focal point for two members may move a person between those two."""
    third = OrganisationFactory(name="Gamma Group")
    MembershipFactory(network=personas.network, organisation=third)
    RoleFactory(
        user=personas.alice, network=personas.network, kind="focal_point", organisation=third
    )
    client.force_login(personas.alice)
    response = client.post(
        url(personas.network, personas.person_a),
        form_data(personas.person_a, organisation=third.pk),
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=personas.person_a.pk).organisation == third


@pytest.mark.parametrize("persona", ["sam", "olga"])
def test_roles_without_edit_right_refused(personas, client, persona):
    """Steering members and observers get 403."""
    client.force_login(getattr(personas, persona))
    assert client.get(url(personas.network, personas.person_a)).status_code == 403


@pytest.mark.parametrize("persona", [None, "charlie", "frank"])
def test_outsiders_get_404(personas, client, persona):
    """Users who cannot see the network get 404."""
    if persona:
        client.force_login(getattr(personas, persona))
    assert client.get(url(personas.network, personas.person_a)).status_code == 404


def test_unlisted_person_of_other_organisation_is_404(personas, client):
    """A person Bob may not even see is missing, not forbidden."""
    quiet = PersonFactory(organisation=personas.org_a, consent_listed=False)
    client.force_login(personas.bob)
    assert client.get(url(personas.network, quiet)).status_code == 404


def test_invalid_email_refused(personas, client):
    """An invalid e-mail is an error on its field and nothing changes."""
    client.force_login(personas.alice)
    response = client.post(
        url(personas.network, personas.person_a),
        form_data(personas.person_a, email="x@", position="Changed"),
    )
    assert "email" in response.context["form"].errors
    assert Person.objects.get(pk=personas.person_a.pk).position == "Programme officer"
