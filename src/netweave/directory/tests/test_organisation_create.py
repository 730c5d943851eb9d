import datetime as dt
import unicodedata

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netweave.directory.models import Organisation
from netweave.directory.tests.factories import TopicFactory, sector

pytestmark = pytest.mark.django_db


def url(network):
    return reverse("directory:organisation_create", kwargs={"network": network.slug})


def form_data(**overrides):
    data = {
        "name": "Ассоциация водопользователей «Обшорон»",
        "acronym": "АВП",
        "sector": sector("farmer-group").pk,
        "country": "tj",
        "region": "Khatlon",
        "website": "https://wua.example.tj",
        "email": "office@wua.example.tj",
        "joined": "2012-03-01",
    }
    data.update(overrides)
    return data


def test_facilitator_adds_organisation(personas, client):
    """A facilitator's new organisation joins the network with its interests and date."""
    topic = TopicFactory(name="Irrigation", slug="irrigation")
    client.force_login(personas.fiona)
    assert client.get(url(personas.network)).status_code == 200
    response = client.post(url(personas.network), form_data(topics=[topic.pk]))
    org = Organisation.objects.get(acronym="АВП")
    assert response.status_code == 302
    assert response["Location"] == org.get_absolute_url(personas.network)
    assert org.country == "TJ"
    assert list(org.topics.all()) == [topic]
    membership = org.memberships.get()
    assert (membership.network, membership.joined) == (personas.network, dt.date(2012, 3, 1))


def test_empty_join_date_means_today(personas, client):
    """Without a join date the organisation joins today."""
    client.force_login(personas.fiona)
    client.post(url(personas.network), form_data(joined=""))
    assert Organisation.objects.get(acronym="АВП").memberships.get().joined == timezone.localdate()


@pytest.mark.parametrize("persona", ["alice", "sam", "olga"])
def test_others_with_a_role_are_refused(personas, client, persona):
    """Focal points, steering members and observers get 403 and nothing is created."""
    client.force_login(getattr(personas, persona))
    assert client.get(url(personas.network)).status_code == 403
    assert client.post(url(personas.network), form_data()).status_code == 403
    assert not Organisation.objects.filter(acronym="АВП").exists()


@pytest.mark.parametrize("persona", [None, "charlie", "frank"])
def test_outsiders_get_404(personas, client, persona):
    """Users who cannot see the network at all get 404."""
    if persona:
        client.force_login(getattr(personas, persona))
    assert client.post(url(personas.network), form_data()).status_code == 404
    assert not Organisation.objects.filter(acronym="АВП").exists()


@pytest.mark.parametrize(
    "spelling",
    [
        "alpha water institute",
        "  ALPHA   Water  Institute ",
        unicodedata.normalize("NFD", "Alpha Water Institute"),
        "Ａｌｐｈａ Water Institute",  # full-width letters: equal under NFKC
    ],
)
def test_duplicate_name_refused_on_name_field(personas, client, spelling):
    """A name already in the network, ignoring case, spaces and Unicode form, is refused."""
    client.force_login(personas.fiona)
    response = client.post(url(personas.network), form_data(name=spelling, acronym="DUP"))
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not Organisation.objects.filter(acronym="DUP").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("website", "not a url"),
        ("website", "javascript:alert(1)"),
        ("email", "nobody@"),
        ("country", "Tajikistan"),
        ("name", ""),
    ],
)
def test_invalid_fields_refused(personas, client, field, value):
    """Invalid URL, e-mail, country or a missing name: an error on the field, nothing saved."""
    client.force_login(personas.fiona)
    response = client.post(url(personas.network), form_data(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Organisation.objects.filter(acronym="АВП").exists()


def test_future_join_date_refused(personas, client):
    """A join date in the future is an error on the date and nothing is saved."""
    client.force_login(personas.fiona)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(url(personas.network), form_data(joined=tomorrow.isoformat()))
    assert response.status_code == 200
    assert "joined" in response.context["form"].errors
    assert not Organisation.objects.filter(acronym="АВП").exists()


def test_join_before_launch_refused(personas, client):
    """A member cannot join before the network was launched; nothing is half-saved."""
    client.force_login(personas.fiona)
    response = client.post(url(personas.network), form_data(joined="2001-01-01"))
    assert "joined" in response.context["form"].errors
    assert not Organisation.objects.filter(acronym="АВП").exists()


def test_post_without_csrf_token_refused(personas):
    """With CSRF checks on, a POST without the token is refused."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.fiona)
    assert client.post(url(personas.network), form_data()).status_code == 403
    assert not Organisation.objects.filter(acronym="АВП").exists()
