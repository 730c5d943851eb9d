"""Adding a deliverable, fulfilling it with a document, downloading it, closing the group."""

import pytest
from django.urls import reverse

from netweave.governance import services
from netweave.governance.models import Deliverable
from netweave.governance.tests.factories import make_group, pdf

pytestmark = pytest.mark.django_db


def url(group, name: str, **extra) -> str:
    return reverse(
        f"governance:{name}", kwargs={"network": group.network.slug, "uid": group.uid, **extra}
    )


def test_lead_adds_a_deliverable(client, personas):
    """Alice (lead) adds a deliverable with a due date."""
    group = make_group(personas)
    client.force_login(personas.alice)
    response = client.post(url(group, "deliverable_add"), {"title": "Report", "due": "2030-06-30"})
    assert response.status_code == 302
    assert Deliverable.objects.get().title == "Report"


def test_member_not_leading_may_not_add(client, personas):
    """Bob's organisation does not lead: 403."""
    group = make_group(personas)
    client.force_login(personas.bob)
    assert client.get(url(group, "deliverable_add")).status_code == 403


def test_lead_uploads_the_document_and_others_download_it(client, personas, settings, tmp_path):
    """Alice uploads a PDF; the deliverable is done; Olga downloads the file."""
    settings.MEDIA_ROOT = tmp_path
    group = make_group(personas)
    deliverable = services.add_deliverable(group, title="Report")
    client.force_login(personas.alice)
    response = client.post(
        url(group, "deliverable_fulfil", deliverable=deliverable.uid),
        {"title": "Final report", "file": pdf()},
    )
    assert response.status_code == 302
    deliverable.refresh_from_db()
    assert deliverable.status == "done"
    document = deliverable.documents.get()
    client.force_login(personas.olga)
    download = client.get(
        reverse(
            "governance:document_download",
            kwargs={"network": group.network.slug, "uid": document.uid},
        )
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_fake_pdf_refused_on_the_field(client, personas, settings, tmp_path):
    """A text file named .pdf is a 400 with the message on the file field."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    group = make_group(personas)
    deliverable = services.add_deliverable(group, title="Report")
    client.force_login(personas.fiona)
    response = client.post(
        url(group, "deliverable_fulfil", deliverable=deliverable.uid),
        {"title": "X", "file": SimpleUploadedFile("x.pdf", b"not a pdf")},
    )
    assert response.status_code == 400
    assert "file" in response.context["form"].errors


def test_other_member_may_not_fulfil(client, personas):
    """Bob gets 403 on the fulfil page."""
    group = make_group(personas)
    deliverable = services.add_deliverable(group, title="Report")
    client.force_login(personas.bob)
    response = client.get(url(group, "deliverable_fulfil", deliverable=deliverable.uid))
    assert response.status_code == 403


def test_closing_warns_about_open_deliverables(client, personas):
    """Closing with an open deliverable lists it; confirming closes the group."""
    group = make_group(personas)
    services.add_deliverable(group, title="Unfinished report")
    client.force_login(personas.alice)
    response = client.post(url(group, "task_group_close"), {})
    assert response.status_code == 400 and "Unfinished report" in response.text
    group.refresh_from_db()
    assert group.status == "active"
    assert client.post(url(group, "task_group_close"), {"confirm": "on"}).status_code == 302
    group.refresh_from_db()
    assert group.status == "closed"


def test_steering_member_may_not_close(client, personas):
    """Sam does not lead the group: 403."""
    group = make_group(personas)
    client.force_login(personas.sam)
    assert client.post(url(group, "task_group_close"), {"confirm": "on"}).status_code == 403
