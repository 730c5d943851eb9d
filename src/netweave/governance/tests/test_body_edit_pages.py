"""Facilitators create and edit bodies and their seats on pages; nobody else may."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from netweave.directory.tests.factories import OrganisationFactory, PersonFactory
from netweave.governance import services
from netweave.governance.models import Body, Seat

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs) -> str:
    return reverse(f"governance:{name}", kwargs={"network": "testnet", **kwargs})


def _body(personas, **kwargs):
    kwargs.setdefault("sector_mix", {"government": 1})
    return services.create_body(
        personas.network, name="Steering committee", kind="steering", quorum=2, **kwargs
    )


def body_data(**overrides):
    data = {
        "name": "Technical advisory board",
        "kind": "other",
        "quorum": "3",
        "description": "Advises the task groups.",
        "mix_government": "1",
        "mix_academia": "2",
        "mix_civil-society": "",
    }
    data.update(overrides)
    return data


def test_facilitator_creates_a_body_with_its_rules(client, personas):
    """Name, kind, quorum and the target mix (empty sectors are no target) are saved."""
    client.force_login(personas.fiona)
    assert client.get(url("body_create")).status_code == 200
    response = client.post(url("body_create"), body_data())
    body = Body.objects.get()
    assert response.status_code == 302 and response["Location"] == body.get_absolute_url()
    assert (body.name, body.kind, body.quorum) == ("Technical advisory board", "other", 3)
    assert body.sector_mix == {"government": 1, "academia": 2}
    assert body.history.first().history_user == personas.fiona


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"quorum": "0"}, "quorum"),
        ({"quorum": "two"}, "quorum"),
        ({"kind": "cabal"}, "kind"),
        ({"mix_academia": "-1"}, "mix_academia"),
    ],
)
def test_bad_body_input_is_shown_and_nothing_saved(client, personas, changes, field):
    """A blank name, a zero or non-numeric quorum, an unknown kind, a negative minimum."""
    client.force_login(personas.fiona)
    response = client.post(url("body_create"), body_data(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Body.objects.exists()


def test_duplicate_name_refused_on_the_name(client, personas):
    """A second body of the same name (any case) is refused with the service's message."""
    _body(personas)
    client.force_login(personas.fiona)
    response = client.post(url("body_create"), body_data(name="STEERING COMMITTEE"))
    assert response.status_code == 400
    assert "The network has a body of that name." in response.context["form"].errors["name"]
    assert Body.objects.count() == 1


def test_facilitator_edits_the_rules(client, personas):
    """The form starts from the body; clearing a sector drops its target."""
    body = _body(personas)
    client.force_login(personas.fiona)
    form = client.get(url("body_update", uid=body.uid)).context["form"]
    assert form.initial["mix_government"] == 1 and form.initial["quorum"] == 2
    response = client.post(
        url("body_update", uid=body.uid),
        body_data(name="Steering committee", kind="steering", quorum="4", mix_government=""),
    )
    assert response.status_code == 302
    body.refresh_from_db()
    assert body.quorum == 4 and body.sector_mix == {"academia": 2}


@pytest.mark.parametrize("persona", ["alice", "sam", "olga"])
def test_others_may_not_create_or_edit_bodies_or_seats(client, personas, persona):
    """A focal point, a steering member and an observer get 403 and change nothing."""
    body = _body(personas)
    seat = services.add_seat(body, organisation=personas.org_b, start=dt.date(2024, 1, 1))
    client.force_login(getattr(personas, persona))
    pages = [
        (url("body_create"), body_data()),
        (url("body_update", uid=body.uid), body_data(name="Renamed")),
        (url("seat_add", uid=body.uid), {"organisation": "awi", "start": "2024-01-01"}),
        (url("seat_update", uid=body.uid, seat=seat.uid), {"chair": "on"}),
        (url("seat_end", uid=body.uid, seat=seat.uid), {"on": "2024-06-01"}),
        (url("seat_replace", uid=body.uid, seat=seat.uid), {"organisation": "awi"}),
    ]
    for page, data in pages:
        assert client.get(page).status_code == 403, page
        assert client.post(page, data).status_code == 403, page
    assert Body.objects.get().name == "Steering committee"
    assert Seat.objects.get() == seat and not Seat.objects.get().chair
    assert Seat.objects.get().end is None


def test_other_networks_facilitator_gets_404(client, personas):
    """Frank facilitates another network: the body is not there for him."""
    body = _body(personas)
    client.force_login(personas.frank)
    assert client.get(url("body_update", uid=body.uid)).status_code == 404
    assert client.post(url("body_create"), body_data()).status_code == 404


def test_facilitator_adds_a_seat_with_chair_and_term(client, personas):
    """The seat is held by the member, for the person it sends, from the start given."""
    body = _body(personas)
    client.force_login(personas.fiona)
    response = client.post(
        url("seat_add", uid=body.uid),
        {
            "organisation": "awi",
            "person": str(personas.person_a.uid),
            "chair": "on",
            "start": "2024-01-01",
            "end": "2025-12-31",
        },
    )
    assert response.status_code == 302
    seat = Seat.objects.get()
    assert (seat.organisation, seat.person, seat.chair) == (personas.org_a, personas.person_a, True)
    assert (seat.start, seat.end) == (dt.date(2024, 1, 1), dt.date(2025, 12, 31))


def test_seat_for_a_non_member_is_refused(client, personas):
    """An organisation outside the network is not a choice; nothing is saved."""
    body = _body(personas)
    outsider = OrganisationFactory(slug="outsider")
    client.force_login(personas.fiona)
    response = client.post(url("seat_add", uid=body.uid), {"organisation": outsider.slug})
    assert response.status_code == 400
    assert "organisation" in response.context["form"].errors
    assert not Seat.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"organisation": "awi", "start": "2024-01-01", "end": "2023-01-01"},
            "end",
            "The term ends before it starts.",
        ),
        (
            {"organisation": "awi", "chair": "on", "start": "2024-06-01"},
            "chair",
            "Beta Ministry already chairs the body during that term.",
        ),
        (
            {"organisation": "bm", "start": "2025-01-01"},
            "organisation",
            "Beta Ministry already holds a seat on this body for that term.",
        ),
    ],
)
def test_bad_seats_are_refused_on_their_field(client, personas, data, field, message):
    """End before start, a second chair, a second seat for the same member in the same term."""
    body = _body(personas)
    services.add_seat(body, organisation=personas.org_b, chair=True, start=dt.date(2024, 1, 1))
    client.force_login(personas.fiona)
    response = client.post(url("seat_add", uid=body.uid), data)
    assert response.status_code == 400
    assert message in response.context["form"].errors[field]
    assert Seat.objects.count() == 1


def test_person_of_another_organisation_is_refused(client, personas):
    """The person must work for the seat's organisation."""
    body = _body(personas)
    client.force_login(personas.fiona)
    response = client.post(
        url("seat_add", uid=body.uid),
        {"organisation": "awi", "person": str(personas.person_b.uid)},
    )
    assert response.status_code == 400
    assert "person" in response.context["form"].errors
    assert not Seat.objects.exists()


def test_facilitator_edits_a_seat(client, personas):
    """The person and the term change; the holder stays."""
    body = _body(personas)
    seat = services.add_seat(body, organisation=personas.org_a, start=dt.date(2024, 1, 1))
    other = PersonFactory(organisation=personas.org_a, name="Aziz Alpha")
    client.force_login(personas.fiona)
    response = client.post(
        url("seat_update", uid=body.uid, seat=seat.uid),
        {"person": str(other.uid), "chair": "on", "start": "2024-01-01", "end": "2026-12-31"},
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert (seat.person, seat.chair, seat.end) == (other, True, dt.date(2026, 12, 31))


def test_facilitator_ends_a_term(client, personas):
    """The term ends on the day given; ending it before it started is refused."""
    body = _body(personas)
    seat = services.add_seat(body, organisation=personas.org_a, start=dt.date(2024, 1, 1))
    client.force_login(personas.fiona)
    page = url("seat_end", uid=body.uid, seat=seat.uid)
    response = client.post(page, {"on": "2023-06-01"})
    assert response.status_code == 400
    assert "before it starts" in response.context["form"].errors["on"][0]
    seat.refresh_from_db()
    assert seat.end is None
    assert client.post(page, {"on": "2025-06-30"}).status_code == 302
    seat.refresh_from_db()
    assert seat.end == dt.date(2025, 6, 30)
    response = client.post(page, {"on": "2025-07-30"})
    assert response.status_code == 400
    assert "already ends" in response.context["form"].errors["on"][0]


def test_facilitator_replaces_the_chair(client, personas):
    """The new holder chairs from the day given; the old term ends the day before."""
    body = _body(personas)
    seat = services.add_seat(
        body,
        organisation=personas.org_b,
        chair=True,
        start=dt.date(2024, 1, 1),
        end=dt.date(2027, 12, 31),
    )
    client.force_login(personas.fiona)
    response = client.post(
        url("seat_replace", uid=body.uid, seat=seat.uid),
        {"organisation": "awi", "person": str(personas.person_a.uid), "on": "2025-03-01"},
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    new = Seat.objects.exclude(pk=seat.pk).get()
    assert seat.end == dt.date(2025, 2, 28)
    assert (new.organisation, new.person, new.chair) == (personas.org_a, personas.person_a, True)
    assert (new.start, new.end) == (dt.date(2025, 3, 1), dt.date(2027, 12, 31))


def test_replacing_before_the_term_began_is_refused(client, personas):
    """Nothing changes when the new holder would take over before the term began."""
    body = _body(personas)
    seat = services.add_seat(body, organisation=personas.org_b, start=dt.date(2024, 1, 1))
    client.force_login(personas.fiona)
    response = client.post(
        url("seat_replace", uid=body.uid, seat=seat.uid),
        {"organisation": "awi", "on": "2023-01-01"},
    )
    assert response.status_code == 400
    assert "on" in response.context["form"].errors
    seat.refresh_from_db()
    assert seat.end is None and Seat.objects.count() == 1


class TestCsrf:
    def test_body_form_needs_the_csrf_token(self, personas):
        """Without the token the facilitator's post is refused."""
        client = Client(enforce_csrf_checks=True)
        client.force_login(personas.fiona)
        assert client.post(url("body_create"), body_data()).status_code == 403
        assert not Body.objects.exists()


def test_facilitator_opens_every_seat_page(client, personas):
    """The add, edit, end and replace pages answer with their forms."""
    body = _body(personas)
    seat = services.add_seat(body, organisation=personas.org_b, start=dt.date(2024, 1, 1))
    client.force_login(personas.fiona)
    for name in ("seat_update", "seat_end", "seat_replace"):
        response = client.get(url(name, uid=body.uid, seat=seat.uid))
        assert response.status_code == 200 and "Beta Ministry" in response.text
    response = client.get(url("seat_add", uid=body.uid))
    assert response.status_code == 200
    choices = [value for value, _label in response.context["form"].fields["organisation"].choices]
    assert [str(v) for v in choices if v] == ["awi", "bm"]
