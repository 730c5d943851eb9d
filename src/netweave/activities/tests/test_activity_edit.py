"""Creating and editing activities, participants, contributions and outputs through pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from netweave.activities import services
from netweave.activities.models import ActivityOutput, Contribution, JointActivity, Participation
from netweave.directory.tests.factories import OrganisationFactory


@pytest.fixture
def activity(personas):
    return services.create_activity(
        personas.network, kind="research", title="Tariff study", lead=personas.org_a
    )


def _url(name: str, activity, **kwargs) -> str:
    return reverse(
        f"activities:{name}",
        kwargs={"network": activity.network.slug, "uid": activity.uid, **kwargs},
    )


def test_facilitator_creates_an_activity(client, personas):
    """A facilitator records an activity with its lead and lands on its page."""
    client.force_login(personas.fiona)
    url = reverse("activities:create", kwargs={"network": personas.network.slug})
    response = client.post(
        url,
        {
            "kind": "pilot",
            "title": "Water safety plans",
            "status": "planned",
            "lead": personas.org_b.pk,
        },
    )
    activity = JointActivity.objects.get()
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    assert activity.participations.get().organisation == personas.org_b


def test_create_form_shows_errors_and_saves_nothing(client, personas):
    """An end before the start is shown on the field; no activity is saved."""
    client.force_login(personas.fiona)
    url = reverse("activities:create", kwargs={"network": personas.network.slug})
    response = client.post(
        url,
        {
            "kind": "pilot",
            "title": "X",
            "status": "planned",
            "start": "2012-05-01",
            "end": "2012-01-01",
        },
    )
    assert response.status_code == 200
    assert "The end comes before the start." in response.text
    assert not JointActivity.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "sam", "olga"])
def test_non_facilitators_cannot_create(client, personas, persona):
    """Focal points, steering members and observers get 403 on the create page."""
    client.force_login(getattr(personas, persona))
    url = reverse("activities:create", kwargs={"network": personas.network.slug})
    assert client.get(url).status_code == 403


def test_lead_focal_point_edits_its_activity(client, personas, activity):
    """The focal point of the lead organisation may edit the activity."""
    client.force_login(personas.alice)
    response = client.post(
        _url("edit", activity),
        {"kind": "research", "title": "Tariff study II", "status": "ongoing"},
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.status) == ("Tariff study II", "ongoing")


def test_other_focal_point_cannot_edit(client, personas, activity):
    """The focal point of an organisation that does not lead it gets 403."""
    client.force_login(personas.bob)
    assert client.get(_url("edit", activity)).status_code == 403
    response = client.post(
        _url("edit", activity), {"kind": "research", "title": "Hijacked", "status": "ongoing"}
    )
    assert response.status_code == 403
    activity.refresh_from_db()
    assert activity.title == "Tariff study"


def test_lead_adds_a_participant_and_a_contribution(client, personas, activity):
    """The lead's focal point adds a co-implementer and records a contribution."""
    client.force_login(personas.alice)
    response = client.post(
        _url("participation_add", activity),
        {"organisation": personas.org_b.pk, "role": "co_implementer"},
    )
    assert response.status_code == 302
    response = client.post(
        _url("contribution_add", activity),
        {
            "organisation": personas.org_b.pk,
            "kind": "money",
            "amount": "1200.50",
            "currency": "EUR",
            "year": "2013",
        },
    )
    assert response.status_code == 302
    assert str(Contribution.objects.get().amount) == "1200.50"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "-1"}, "greater than or equal to 0"),
        ({"amount": "abc"}, "Enter a number."),
        ({"currency": "XYZ"}, "Select a valid choice."),
    ],
)
def test_bad_contribution_is_refused_on_the_page(client, personas, activity, data, message):
    """A negative or non-numeric amount or an unknown currency shows a message, saves nothing."""
    client.force_login(personas.fiona)
    values = {
        "organisation": personas.org_b.pk,
        "kind": "money",
        "amount": "10",
        "currency": "USD",
        "year": "2013",
        **data,
    }
    response = client.post(_url("contribution_add", activity), values)
    assert response.status_code == 400
    assert message in response.text
    assert not Contribution.objects.exists()


def test_outsider_organisation_cannot_be_added(client, personas, activity):
    """An organisation outside the network is not offered and is refused."""
    client.force_login(personas.fiona)
    outsider = OrganisationFactory()
    response = client.post(
        _url("participation_add", activity), {"organisation": outsider.pk, "role": "funder"}
    )
    assert response.status_code == 400
    assert not Participation.objects.filter(organisation=outsider).exists()


def test_other_focal_point_cannot_add_contributions(client, personas, activity):
    """Only the lead's focal point or a facilitator records contributions."""
    client.force_login(personas.bob)
    response = client.post(
        _url("contribution_add", activity),
        {
            "organisation": personas.org_b.pk,
            "kind": "money",
            "amount": "1",
            "currency": "USD",
            "year": "2013",
        },
    )
    assert response.status_code == 403
    assert not Contribution.objects.exists()


def test_remove_participant_and_contribution(client, personas, activity):
    """A facilitator removes a participant and a contribution."""
    contribution = services.add_contribution(
        activity, organisation=personas.org_b, amount="5", currency="USD", year=2013
    )
    client.force_login(personas.fiona)
    url = _url("contribution_remove", activity, contribution=contribution.uid)
    assert client.post(url).status_code == 302
    assert not Contribution.objects.exists()
    funder = Participation.objects.get(organisation=personas.org_b)
    response = client.post(_url("participation_remove", activity), {"participation": funder.pk})
    assert response.status_code == 302
    assert not Participation.objects.filter(pk=funder.pk).exists()


def test_output_file_upload_and_download(client, personas, activity):
    """A PDF output is uploaded by the lead and downloaded by a member; fakes are refused."""
    client.force_login(personas.alice)
    fake = SimpleUploadedFile("report.pdf", b"not a pdf at all")
    response = client.post(_url("output_add", activity), {"title": "Report", "file": fake})
    assert response.status_code == 400
    assert not ActivityOutput.objects.exists()
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4 the report")
    assert (
        client.post(_url("output_add", activity), {"title": "Report", "file": pdf}).status_code
        == 302
    )
    output = ActivityOutput.objects.get()
    client.force_login(personas.olga)
    response = client.get(_url("output_file", activity, output=output.uid))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
    client.force_login(personas.charlie)
    assert client.get(_url("output_file", activity, output=output.uid)).status_code == 404


def test_forms_need_the_csrf_token(personas, activity):
    """A POST without the CSRF token is refused."""
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(personas.fiona)
    response = csrf_client.post(
        _url("participation_add", activity), {"organisation": personas.org_b.pk, "role": "funder"}
    )
    assert response.status_code == 403
    assert not Participation.objects.filter(organisation=personas.org_b).exists()
