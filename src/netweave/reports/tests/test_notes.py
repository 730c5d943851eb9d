"""Pages of a network's learning notes: who reads and writes them, one note a year."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from netweave.directory.tests.factories import TopicFactory
from netweave.networks.tests.factories import UserFactory
from netweave.reports.models import LearningNote


def programme_user(username: str = "petra", *, staff: bool = False):
    """A user of the programme learning team: the permission through a group, or staff."""
    user = UserFactory(username=username, is_staff=staff)
    if not staff:
        group, _created = Group.objects.get_or_create(name="Programme learning team")
        group.permissions.add(
            Permission.objects.get(codename="compare_networks", content_type__app_label="reports")
        )
        user.groups.add(group)
    return user


def make_note(network, year: int = 2015, **fields) -> LearningNote:
    topics = fields.pop("topics", [])
    values = {"title": f"Note {year}", "lessons": "Meet less often, decide more."}
    values.update(fields)
    note = LearningNote.objects.create(network=network, year=year, **values)
    note.topics.set(topics)
    return note


def as_user(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def url(name: str, network, **kwargs) -> str:
    return reverse(f"reports:{name}", kwargs={"network": network.slug, **kwargs})


READERS = {"facilitator": 200, "steering": 200, "focal_point": 403, "observer": 403}
NO_ROLE = ("other_facilitator", "outsider")


@pytest.fixture
def note(personas):
    return make_note(personas.network, 2015, title="Water tariffs", context="Drought year.")


# Reading ---------------------------------------------------------------------------------
@pytest.mark.parametrize("page", ["notes", "note"])
@pytest.mark.parametrize(
    ("role", "status"),
    [*READERS.items(), ("other_facilitator", 404), ("outsider", 404)],
)
def test_who_reads_the_notes(personas, note, page, role, status):
    """Facilitator and steering read; other roles 403; no role in the network 404."""
    user = personas.by_role()[role]
    kwargs = {"pk": note.pk} if page == "note" else {}
    response = as_user(user).get(url(page, personas.network, **kwargs))
    assert response.status_code == status
    if status == 200:
        assert "Water tariffs" in response.content.decode()


@pytest.mark.parametrize("staff", [False, True])
def test_programme_staff_read_notes_of_any_network(personas, note, staff):
    """Programme staff (group permission or staff) read notes of a network without a role."""
    user = programme_user(staff=staff)
    client = as_user(user)
    assert client.get(url("notes", personas.network)).status_code == 200
    page = client.get(url("note", personas.network, pk=note.pk))
    assert page.status_code == 200
    assert "Drought year." in page.content.decode()


def test_a_public_network_still_hides_its_notes_from_outsiders(personas, note):
    """Without a role the notes are missing, even where the network itself is public."""
    personas.network.visibility = "public"
    personas.network.save()
    assert as_user(personas.charlie).get(url("notes", personas.network)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(personas, note):
    response = Client().get(url("notes", personas.network))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_note_of_another_network_is_missing(personas):
    """A forged pk of another network's note is 404, even for that note's facilitator."""
    other = make_note(personas.other_network, 2016, title="Elsewhere")
    assert as_user(personas.fiona).get(url("note", personas.network, pk=other.pk)).status_code == (
        404
    )
    for name in ("note_edit", "note_delete"):
        response = as_user(personas.fiona).get(url(name, personas.network, pk=other.pk))
        assert response.status_code == 404
    response = as_user(personas.fiona).post(url("note_delete", personas.network, pk=other.pk))
    assert response.status_code == 404
    assert LearningNote.objects.filter(pk=other.pk).exists()


def test_the_list_shows_newest_first_and_write_links_only_to_facilitators(personas):
    make_note(personas.network, 2013, title="Older")
    make_note(personas.network, 2016, title="Newer")
    page = as_user(personas.fiona).get(url("notes", personas.network)).content.decode()
    assert page.index("Newer") < page.index("Older")
    assert url("note_new", personas.network) in page
    page = as_user(personas.sam).get(url("notes", personas.network)).content.decode()
    assert url("note_new", personas.network) not in page


def test_list_queries_do_not_grow_with_notes(personas, django_assert_num_queries):
    """Same number of queries with 1 note and with 25."""
    topic = TopicFactory()
    make_note(personas.network, 1995, topics=[topic])
    client = as_user(personas.fiona)
    client.get(url("notes", personas.network))  # warm the session
    # session, user, network, roles, notes, their topics
    with django_assert_num_queries(6):
        assert client.get(url("notes", personas.network)).status_code == 200
    for year in range(1996, 2020):
        make_note(personas.network, year, topics=[topic])
    with django_assert_num_queries(6):
        assert client.get(url("notes", personas.network)).status_code == 200


# Writing ---------------------------------------------------------------------------------
FORM = {
    "year": "2015",
    "title": "Tariff reform",
    "context": "A drought year.",
    "what_worked": "Small working groups.",
    "what_did_not": "Large plenaries.",
    "lessons": "Bring the ministry in early.",
    "recommendations": "Invite regulators.",
}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("facilitator", 200),
        ("steering", 403),
        ("focal_point", 403),
        ("observer", 403),
        ("other_facilitator", 404),
        ("outsider", 404),
    ],
)
def test_who_writes_notes(personas, note, role, status):
    """Only facilitators open the forms; readers who may not write get 403, others 404."""
    client = as_user(personas.by_role()[role])
    for name, kwargs in (
        ("note_new", {}),
        ("note_edit", {"pk": note.pk}),
        ("note_delete", {"pk": note.pk}),
    ):
        assert client.get(url(name, personas.network, **kwargs)).status_code == status
    if status != 200:
        response = client.post(url("note_new", personas.network), {**FORM, "year": "2016"})
        assert response.status_code == status
        response = client.post(url("note_delete", personas.network, pk=note.pk))
        assert response.status_code == status
        assert LearningNote.objects.count() == 1


def test_programme_staff_read_but_do_not_write(personas, note):
    """A member of the learning team without a role in the network may not write (403)."""
    client = as_user(programme_user())
    assert client.get(url("note_new", personas.network)).status_code == 403
    assert client.post(url("note_new", personas.network), FORM).status_code == 403


def test_the_facilitator_writes_a_note(personas):
    """Every field is saved, with the topics; the author is the facilitator."""
    water, finance = TopicFactory(slug="water"), TopicFactory(slug="finance")
    response = as_user(personas.fiona).post(
        url("note_new", personas.network), {**FORM, "topics": ["water", "finance"]}
    )
    note = LearningNote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("note", personas.network, pk=note.pk)
    assert (note.network, note.year, note.author) == (personas.network, 2015, personas.fiona)
    assert note.what_did_not == "Large plenaries."
    assert set(note.topics.all()) == {water, finance}
    page = as_user(personas.sam).get(response["Location"]).content.decode()
    for text in FORM.values():
        assert text in page


def test_a_second_note_for_the_same_year_is_refused_naming_the_first(personas, note):
    """The message names the existing note; nothing is saved."""
    response = as_user(personas.fiona).post(url("note_new", personas.network), FORM)
    assert response.status_code == 200
    page = response.content.decode()
    assert "already has a learning note for 2015" in page
    assert "Water tariffs" in page
    assert LearningNote.objects.count() == 1


def test_another_network_may_have_a_note_for_the_same_year(personas, note):
    make_note(personas.other_network, 2015)
    assert LearningNote.objects.filter(year=2015).count() == 2


def test_required_fields_and_the_years_allowed(personas):
    """Lessons and title are required; years run from 1990 to this year."""
    client = as_user(personas.fiona)
    page = client.post(url("note_new", personas.network), {**FORM, "lessons": " "})
    assert page.status_code == 200
    page = client.post(url("note_new", personas.network), {**FORM, "year": "1989"})
    assert "Choose a year from 1990 to" in page.content.decode()
    page = client.post(url("note_new", personas.network), {**FORM, "year": "2999"})
    assert "Choose a year from 1990 to" in page.content.decode()
    assert not LearningNote.objects.exists()


def test_editing_a_note(personas, note):
    """Changes are saved; moving it onto the year of another note is refused."""
    make_note(personas.network, 2016, title="Next year")
    client = as_user(personas.fiona)
    edit = url("note_edit", personas.network, pk=note.pk)
    form = client.get(edit).content.decode()
    assert "Water tariffs" in form
    response = client.post(edit, {**FORM, "title": "Tariffs, again"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.title, note.year) == ("Tariffs, again", 2015)
    response = client.post(edit, {**FORM, "year": "2016"})
    assert response.status_code == 200
    assert "Next year" in response.content.decode()
    note.refresh_from_db()
    assert note.year == 2015


def test_deleting_asks_first_and_needs_a_post(personas, note):
    client = as_user(personas.fiona)
    page = client.get(url("note_delete", personas.network, pk=note.pk))
    assert page.status_code == 200
    assert "Delete «Water tariffs»?" in page.content.decode()
    assert LearningNote.objects.exists()
    response = client.post(url("note_delete", personas.network, pk=note.pk))
    assert response.status_code == 302
    assert response["Location"] == url("notes", personas.network)
    assert not LearningNote.objects.exists()


def test_forms_need_the_csrf_token(personas):
    """With CSRF checks on, a post without the token is refused."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.fiona)
    assert client.post(url("note_new", personas.network), FORM).status_code == 403
    assert not LearningNote.objects.exists()
