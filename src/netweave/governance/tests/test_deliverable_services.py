import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from netweave.governance import services
from netweave.governance.models import DeliverableDocument
from netweave.governance.tests.factories import make_group, pdf, zipped

pytestmark = pytest.mark.django_db


def test_lead_adds_and_fulfils_a_deliverable(personas, settings, tmp_path):
    """Alice (lead AWI) adds a deliverable and uploads a PDF: the deliverable is done."""
    settings.MEDIA_ROOT = tmp_path
    group = make_group(personas)
    deliverable = services.add_deliverable(
        group, title="Draft methodology", due=dt.date(2030, 1, 1), acting_user=personas.alice
    )
    document = services.fulfil_deliverable(
        deliverable, title="Methodology v1", file=pdf(), acting_user=personas.alice
    )
    deliverable.refresh_from_db()
    assert deliverable.status == "done"
    assert document.file_name == "report.pdf" and document.added_by == personas.alice


def test_a_link_fulfils_too(personas):
    """A link instead of a file fulfils the deliverable."""
    deliverable = services.add_deliverable(make_group(personas), title="Brief")
    services.fulfil_deliverable(deliverable, title="", url="https://example.org/brief")
    assert DeliverableDocument.objects.get().title == "Brief"


def test_other_members_cannot_run_the_group(personas):
    """Bob, whose organisation does not lead, cannot add or fulfil deliverables."""
    group = make_group(personas)
    with pytest.raises(PermissionDenied):
        services.add_deliverable(group, title="X", acting_user=personas.bob)
    deliverable = services.add_deliverable(group, title="X", acting_user=personas.fiona)
    with pytest.raises(PermissionDenied):
        services.fulfil_deliverable(
            deliverable, title="X", url="https://x.org", acting_user=personas.bob
        )


def test_file_type_checked_by_content(personas, settings, tmp_path):
    """A text file named .pdf, or an .exe, is refused on the file field; nothing is saved."""
    settings.MEDIA_ROOT = tmp_path
    deliverable = services.add_deliverable(make_group(personas), title="X")
    for upload in (
        SimpleUploadedFile("fake.pdf", b"hello"),
        SimpleUploadedFile("tool.exe", b"MZ"),
        zipped("sheet.xlsx", {"word/document.xml": b"", "[Content_Types].xml": b""}),
    ):
        with pytest.raises(ValidationError) as err:
            services.fulfil_deliverable(deliverable, title="X", file=upload)
        assert "file" in err.value.message_dict
    deliverable.refresh_from_db()
    assert deliverable.status == "open" and not DeliverableDocument.objects.exists()


def test_xlsx_and_odt_accepted(personas, settings, tmp_path):
    """An Excel workbook and an OpenDocument text pass the content check."""
    settings.MEDIA_ROOT = tmp_path
    deliverable = services.add_deliverable(make_group(personas), title="X")
    services.fulfil_deliverable(
        deliverable,
        title="Sheet",
        file=zipped("data.xlsx", {"[Content_Types].xml": b"", "xl/workbook.xml": b""}),
    )
    services.fulfil_deliverable(
        deliverable,
        title="Text",
        file=zipped("note.odt", {"mimetype": b"application/vnd.oasis.opendocument.text"}),
    )
    assert DeliverableDocument.objects.count() == 2


def test_file_and_link_together_or_neither_refused(personas):
    """One of a file or a link is required, not both."""
    deliverable = services.add_deliverable(make_group(personas), title="X")
    with pytest.raises(ValidationError):
        services.fulfil_deliverable(deliverable, title="X")
    with pytest.raises(ValidationError):
        services.fulfil_deliverable(deliverable, title="X", file=pdf(), url="https://x.org")


def test_files_over_25_mb_refused(personas):
    """A file larger than 25 MB is refused whatever its content."""
    deliverable = services.add_deliverable(make_group(personas), title="X")
    big = pdf()
    big.size = 25 * 1024 * 1024 + 1
    with pytest.raises(ValidationError) as err:
        services.fulfil_deliverable(deliverable, title="X", file=big)
    assert "25 MB" in str(err.value)


def test_closing_with_open_deliverables_warns(personas):
    """Closing with an open deliverable returns it and changes nothing until confirmed."""
    group = make_group(personas)
    open_one = services.add_deliverable(group, title="Report")
    assert services.close_task_group(group, acting_user=personas.alice) == [open_one]
    group.refresh_from_db()
    assert group.status == "active"
    services.close_task_group(group, confirm=True, acting_user=personas.alice)
    group.refresh_from_db()
    assert group.status == "closed" and group.end is not None
    with pytest.raises(ValidationError):
        services.add_deliverable(group, title="Late")


def test_join_request_accepted_by_the_lead(personas):
    """Bob asks for Beta Ministry to join; Alice (lead) accepts; Beta Ministry is a member."""
    group = make_group(personas)
    join = services.request_to_join(group, organisation=personas.org_b, acting_user=personas.bob)
    with pytest.raises(ValidationError):
        services.request_to_join(group, organisation=personas.org_b, acting_user=personas.bob)
    with pytest.raises(PermissionDenied):
        services.decide_join_request(join, accept=True, acting_user=personas.bob)
    services.decide_join_request(join, accept=True, acting_user=personas.alice)
    assert join.status == "accepted"
    assert group.members.filter(organisation=personas.org_b).exists()


def test_cannot_ask_to_join_for_someone_else(personas):
    """Alice cannot ask in Beta Ministry's name."""
    group = make_group(personas, lead=personas.org_a)
    with pytest.raises(PermissionDenied):
        services.request_to_join(group, organisation=personas.org_b, acting_user=personas.alice)
