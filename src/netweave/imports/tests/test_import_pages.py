"""The import pages: upload → check in the background → preview → confirm → undo."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from netweave.directory.models import Organisation
from netweave.imports.models import ImportRecord
from netweave.imports.tests.helpers import csv_bytes, upload

pytestmark = pytest.mark.django_db

ORGS = [
    ["Organisation", "Sector", "Country", "E-mail"],
    ["Gamma Water Users", "farmer group", "TJ", "gamma@example.tj"],
    ["Delta Media", "Press", "TJ", "news@delta.example.tj"],
]


def url(personas, suffix=""):
    return f"/networks/{personas.network.slug}/imports/{suffix}"


def post_file(client, personas, data, *, name="orgs.csv", kind="organisations", **extra):
    return client.post(
        url(personas),
        {"kind": kind, "file": SimpleUploadedFile(name, data), **extra},
    )


def test_facilitator_uploads_previews_confirms_and_undoes(
    personas, client, django_capture_on_commit_callbacks
):
    """The whole flow through the pages, with the background tasks run as they would be."""
    client.force_login(personas.fiona)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(client, personas, csv_bytes(ORGS))
    record = ImportRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(personas, f"{record.uid}/")
    record.refresh_from_db()
    assert record.status == "planned"
    page = client.get(url(personas, f"{record.uid}/"))
    assert page.status_code == 200
    assert "Gamma Water Users" in page.text
    assert 'data-count="created">2<' in page.text
    assert not Organisation.objects.filter(name="Gamma Water Users").exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(personas, f"{record.uid}/confirm/"))
    record.refresh_from_db()
    assert record.status == "applied"
    assert Organisation.objects.get(name="Delta Media").sector.slug == "media"

    client.post(url(personas, f"{record.uid}/undo/"))
    record.refresh_from_db()
    assert record.status == "undone"
    assert not Organisation.objects.filter(name="Delta Media").exists()


def test_rejected_rows_block_confirmation_unless_skipped(
    personas, client, django_capture_on_commit_callbacks
):
    """A file with a rejected row imports nothing until the facilitator leaves it out."""
    rows = [*ORGS, ["Epsilon", "Astrology", "TJ", ""]]
    client.force_login(personas.fiona)
    with django_capture_on_commit_callbacks(execute=True):
        post_file(client, personas, csv_bytes(rows))
    record = ImportRecord.objects.get()
    record.refresh_from_db()
    assert record.rejected_count == 1
    page = client.get(url(personas, f"{record.uid}/"))
    assert "Astrology" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(personas, f"{record.uid}/confirm/"))
    assert not Organisation.objects.filter(name="Gamma Water Users").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(personas, f"{record.uid}/confirm/"), {"skip_invalid": "on"})
    record.refresh_from_db()
    assert record.status == "applied"
    assert Organisation.objects.filter(name="Gamma Water Users").exists()
    assert not Organisation.objects.filter(name="Epsilon").exists()


def test_mapping_step_adds_a_sector_spelling_and_maps_a_column(
    personas, client, django_capture_on_commit_callbacks
):
    """An unknown sector spelling and an unknown column are mapped on the page, then re-checked."""
    rows = [["Org title", "Sector"], ["Zeta Utility", "Vodokanal"]]
    client.force_login(personas.fiona)
    with django_capture_on_commit_callbacks(execute=True):
        post_file(client, personas, csv_bytes(rows))
    record = ImportRecord.objects.get()
    record.refresh_from_db()
    assert record.status == "failed"  # no name column it recognises
    assert "Org title" in client.get(url(personas, f"{record.uid}/")).text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(personas, f"{record.uid}/options/"),
            {"column_0": "name", "sector_spelling": "Vodokanal", "sector": "government"},
        )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == "planned", record.error
    assert record.options["columns"] == {"name": "Org title"}
    assert record.created_count == 1 and record.rejected_count == 0


def test_binary_file_refused_with_a_message(personas, client):
    """A binary file renamed to .csv is refused on the upload form; nothing is kept."""
    client.force_login(personas.fiona)
    response = post_file(client, personas, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert response.status_code == 400
    assert not ImportRecord.objects.exists()
    assert 'class="error"' in response.text


@pytest.mark.parametrize("who", ["alice", "sam", "olga"])
def test_only_facilitators_import(personas, client, who):
    """Focal points, steering members and observers may not import (403)."""
    client.force_login(getattr(personas, who))
    assert client.get(url(personas)).status_code == 403
    assert post_file(client, personas, csv_bytes(ORGS)).status_code == 403
    assert not ImportRecord.objects.exists()


def test_outsiders_and_other_networks_get_404(personas, client):
    """A facilitator of another network cannot even see this network's imports."""
    record = upload(personas.network, "organisations", csv_bytes(ORGS), user=personas.fiona)
    client.force_login(personas.frank)
    assert client.get(url(personas)).status_code == 404
    assert client.get(url(personas, f"{record.uid}/")).status_code == 404
    assert client.post(url(personas, f"{record.uid}/undo/")).status_code == 404


def test_import_of_another_network_is_missing(personas, client):
    """An import is found only under its own network."""
    record = upload(personas.other_network, "organisations", csv_bytes(ORGS))
    client.force_login(personas.fiona)
    assert client.get(url(personas, f"{record.uid}/")).status_code == 404


def test_detail_page_query_count_does_not_grow_with_rows(
    personas, client, django_assert_max_num_queries
):
    """The preview shows a page of the report, so its queries do not grow with the file."""
    small = upload(personas.network, "organisations", csv_bytes(ORGS), user=personas.fiona)
    rows = [ORGS[0]] + [[f"Org {i}", "ngo", "TJ", ""] for i in range(400)]
    big = upload(personas.network, "organisations", csv_bytes(rows), user=personas.fiona)
    from netweave.imports.services import plan_import

    for record in (small, big):
        with plan_import(record):
            pass
    client.force_login(personas.fiona)
    # session, user, network, roles, import record (with its uploader)
    for record in (small, big):
        with django_assert_max_num_queries(6):
            assert client.get(url(personas, f"{record.uid}/")).status_code == 200


def test_sector_spellings_are_shown(personas, client):
    """The alias table the importer reads sectors with is visible on the upload page."""
    client.force_login(personas.fiona)
    page = client.get(url(personas)).text
    assert "How sector spellings are read" in page
    assert "ministry" in page.lower()
