import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from netweave.directory.tests.factories import OrganisationFactory, PersonFactory
from netweave.networks.models import Membership, Representation
from netweave.networks.services import hand_over_seat
from netweave.networks.tests.factories import MembershipFactory
from netweave.networks.tests.helpers import bulk_members

pytestmark = pytest.mark.django_db


def list_url(network) -> str:
    return reverse("networks:member_list", kwargs={"network": network.slug})


def test_facilitator_sees_every_membership_period(client, personas):
    """The list shows current and past memberships with the current representative."""
    gone = OrganisationFactory(name="Gone Agency")
    MembershipFactory(
        network=personas.network, organisation=gone, left=dt.date(2015, 1, 1), status="left"
    )
    hand_over_seat(
        personas.network, personas.org_a, person=personas.person_a, date=dt.date(2012, 1, 1)
    )
    client.force_login(personas.fiona)
    response = client.get(list_url(personas.network))
    assert response.status_code == 200
    assert "Gone Agency" in response.text
    rows = {m.organisation.name: m for m in response.context["memberships"]}
    assert rows["Alpha Water Institute"].representative == "Anna Alpha"
    assert rows["Gone Agency"].left == dt.date(2015, 1, 1)


@pytest.mark.parametrize("role", ["focal_point", "steering", "observer"])
def test_members_page_refuses_other_roles(client, personas, role):
    """Only facilitators manage members: other roles get 403 and cannot add."""
    client.force_login(personas.by_role()[role])
    assert client.get(list_url(personas.network)).status_code == 403
    org = OrganisationFactory()
    response = client.post(
        list_url(personas.network), {"organisation": org.slug, "joined": "2020-01-01"}
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(organisation=org).exists()


def test_members_page_is_missing_for_other_network_and_anonymous(client, personas):
    """Someone who cannot see the network gets 404."""
    assert client.get(list_url(personas.network)).status_code == 404
    client.force_login(personas.frank)
    assert client.get(list_url(personas.network)).status_code == 404


def test_add_existing_organisation_from_another_network(client, personas):
    """A facilitator adds an organisation of another network with its join date."""
    elsewhere = OrganisationFactory(name="Elsewhere Org")
    MembershipFactory(network=personas.other_network, organisation=elsewhere)
    client.force_login(personas.fiona)
    form = client.get(list_url(personas.network)).context["form"]
    choices = set(form.fields["organisation"].queryset)
    assert elsewhere in choices
    assert personas.org_a not in choices  # already a member
    response = client.post(
        list_url(personas.network),
        {"organisation": elsewhere.slug, "joined": "2020-02-03", "notes": "Welcome"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(network=personas.network, organisation=elsewhere)
    assert membership.joined == dt.date(2020, 2, 3)


def test_forged_or_current_member_is_a_form_error(client, personas):
    """A forged slug or an organisation that is already a member is refused, nothing saved."""
    client.force_login(personas.fiona)
    before = Membership.objects.count()
    for value in ("no-such-org", personas.org_a.slug, "1"):
        response = client.post(
            list_url(personas.network), {"organisation": value, "joined": "2020-01-01"}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["organisation"]
    assert Membership.objects.count() == before


def test_future_join_date_is_a_field_error(client, personas):
    """A join date in the future is shown on the field and nothing is saved."""
    org = OrganisationFactory()
    client.force_login(personas.fiona)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        list_url(personas.network), {"organisation": org.slug, "joined": tomorrow.isoformat()}
    )
    assert "in the future" in response.context["form"].errors["joined"][0]
    assert not Membership.objects.filter(organisation=org).exists()


def test_join_before_launch_is_a_field_error(client, personas):
    """A join date before the network's launch is refused on the field."""
    org = OrganisationFactory()
    client.force_login(personas.fiona)
    response = client.post(
        list_url(personas.network), {"organisation": org.slug, "joined": "2001-01-01"}
    )
    assert response.context["form"].errors["joined"]
    assert not Membership.objects.filter(organisation=org).exists()


@pytest.mark.parametrize("n", [10, 500])
def test_member_list_queries_do_not_grow(client, personas, django_assert_num_queries, n):
    """The members page issues the same queries with 10 and with 500 memberships."""
    bulk_members(personas.network, n)
    OrganisationFactory.create_batch(3)
    client.force_login(personas.fiona)
    # 6 queries: session, user, network, roles, memberships with representatives,
    # organisations that may join (the add form's select).
    with django_assert_num_queries(6):
        response = client.get(list_url(personas.network))
    assert len(response.context["memberships"]) == n + 2


# One member's page: leaving and seat handovers --------------------------------------------


def member_url(network, org, action: str = "") -> str:
    name = f"networks:member_{action}" if action else "networks:member_detail"
    return reverse(name, kwargs={"network": network.slug, "organisation": org.slug})


def test_member_page_shows_periods_and_seats(client, personas):
    """A member's page lists its membership periods and seat history."""
    hand_over_seat(
        personas.network, personas.org_a, person=personas.person_a, date=dt.date(2012, 1, 1)
    )
    client.force_login(personas.fiona)
    response = client.get(member_url(personas.network, personas.org_a))
    assert response.status_code == 200
    assert "Anna Alpha" in response.text
    assert response.context["current"] is not None


def test_member_page_of_a_non_member_is_missing(client, personas):
    """An organisation that never belonged to the network has no member page here."""
    client.force_login(personas.fiona)
    assert client.get(member_url(personas.network, OrganisationFactory())).status_code == 404


def test_focal_point_may_not_record_leaving(client, personas):
    """A focal point is refused (403), even for their own organisation."""
    client.force_login(personas.alice)
    assert client.get(member_url(personas.network, personas.org_a)).status_code == 403
    response = client.post(
        member_url(personas.network, personas.org_a, "leave"), {"left": "2020-01-01"}
    )
    assert response.status_code == 403
    assert Membership.objects.current().filter(organisation=personas.org_a).exists()


def test_facilitator_records_that_a_member_left(client, personas):
    """Recording leaving closes the membership and its seats on that date."""
    hand_over_seat(
        personas.network, personas.org_a, person=personas.person_a, date=dt.date(2012, 1, 1)
    )
    client.force_login(personas.fiona)
    response = client.post(
        member_url(personas.network, personas.org_a, "leave"), {"left": "2020-01-01"}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(network=personas.network, organisation=personas.org_a)
    assert (membership.left, membership.status) == (dt.date(2020, 1, 1), "left")
    assert Representation.objects.get(person=personas.person_a).end == dt.date(2020, 1, 1)


@pytest.mark.parametrize("left", ["2009-01-01", "2099-01-01", "not a date"])
def test_bad_leaving_date_is_a_field_error(client, personas, left):
    """A leaving date before joining, in the future or malformed is refused."""
    client.force_login(personas.fiona)
    response = client.post(member_url(personas.network, personas.org_a, "leave"), {"left": left})
    assert response.status_code == 200
    assert response.context["leave_form"].errors["left"]
    assert Membership.objects.current().filter(organisation=personas.org_a).exists()


def test_seat_handover_to_a_colleague(client, personas):
    """Handing over the representative's seat ends the outgoing person's term."""
    hand_over_seat(
        personas.network, personas.org_a, person=personas.person_a, date=dt.date(2012, 1, 1)
    )
    newcomer = PersonFactory(name="Nadia New", organisation=personas.org_a)
    client.force_login(personas.fiona)
    response = client.post(
        member_url(personas.network, personas.org_a, "seat"),
        {"person": str(newcomer.uid), "kind": "representative", "start": "2021-03-01"},
    )
    assert response.status_code == 302
    assert Representation.objects.get(person=personas.person_a).end == dt.date(2021, 3, 1)
    assert Representation.objects.get(person=newcomer, end__isnull=True).start == dt.date(
        2021, 3, 1
    )


def test_seat_for_a_person_of_another_organisation_is_refused(client, personas):
    """A person of another organisation (a forged id) is a form error; nothing saved."""
    client.force_login(personas.fiona)
    response = client.post(
        member_url(personas.network, personas.org_a, "seat"),
        {"person": str(personas.person_b.uid), "kind": "representative", "start": "2021-03-01"},
    )
    assert response.status_code == 200
    assert response.context["seat_form"].errors["person"]
    assert not Representation.objects.exists()


def test_seat_handover_before_current_term_is_refused(client, personas):
    """A handover dated before the current term began is shown on the date field."""
    hand_over_seat(
        personas.network, personas.org_a, person=personas.person_a, date=dt.date(2012, 1, 1)
    )
    newcomer = PersonFactory(organisation=personas.org_a)
    client.force_login(personas.fiona)
    response = client.post(
        member_url(personas.network, personas.org_a, "seat"),
        {"person": str(newcomer.uid), "kind": "representative", "start": "2011-01-01"},
    )
    assert response.context["seat_form"].errors["start"]
    assert Representation.objects.count() == 1
