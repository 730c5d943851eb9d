import pytest
from django.core.exceptions import ValidationError

from netweave.directory.models import Organisation, Person
from netweave.directory.services import update_organisation, update_person
from netweave.imports.models import ImportStatus
from netweave.imports.services import apply_import, undo_import
from netweave.imports.tests.helpers import csv_bytes, upload
from netweave.meetings.models import Attendance, Meeting
from netweave.networks.models import Membership


def test_undo_deletes_created_and_restores_updated(personas):
    """Undo removes new organisations and memberships and puts changed values back."""
    data = csv_bytes(
        [
            ["Name", "Sector", "Website"],
            ["Gamma", "ngo", ""],
            ["Alpha Water Institute", "government", "awi.org"],
        ]
    )
    website = personas.org_a.website
    record = apply_import(
        upload(personas.network, "organisations", data), acting_user=personas.fiona
    )
    undo_import(record, acting_user=personas.fiona)
    assert not Organisation.objects.filter(name="Gamma").exists()
    assert Membership.objects.filter(network=personas.network).count() == 2
    personas.org_a.refresh_from_db()
    assert personas.org_a.sector.slug == "academia"
    assert personas.org_a.website == website
    record.refresh_from_db()
    assert record.status == ImportStatus.UNDONE and record.undone_at is not None


def test_undo_people_and_attendance(personas):
    """Undo of an attendance import removes its meetings, people and attendance."""
    sheet = csv_bytes(
        [
            ["person", "meeting", "date"],
            ["Solo", "Launch", "2020-02-02"],
            ["Anna Alpha", "Launch", "2020-02-02"],
        ]
    )
    record = apply_import(upload(personas.network, "attendance", sheet), acting_user=personas.fiona)
    undo_import(record, acting_user=personas.fiona)
    assert not Meeting.objects.exists() and not Attendance.objects.exists()
    assert not Person.objects.filter(name="Solo").exists()
    assert Person.objects.filter(pk=personas.person_a.pk).exists()


def test_undo_refused_after_a_later_edit(personas):
    """An object the import created and someone edited since blocks the undo, named."""
    data = csv_bytes([["Name", "Sector"], ["Gamma", "ngo"]])
    record = apply_import(
        upload(personas.network, "organisations", data), acting_user=personas.fiona
    )
    gamma = Organisation.objects.get(name="Gamma")
    update_organisation(
        gamma, {"region": "Sughd"}, network=personas.network, acting_user=personas.sam
    )
    with pytest.raises(ValidationError, match="Gamma"):
        undo_import(record, acting_user=personas.fiona)
    assert Organisation.objects.filter(name="Gamma").exists()
    record.refresh_from_db()
    assert record.status == ImportStatus.APPLIED


def test_undo_refused_after_an_updated_person_was_edited(personas):
    """A person the import changed and someone edited since blocks the undo."""
    data = csv_bytes([["Name", "Organisation", "Position"], ["Anna Alpha", "AWI", "Director"]])
    record = apply_import(upload(personas.network, "people", data), acting_user=personas.fiona)
    update_person(
        Person.objects.get(pk=personas.person_a.pk), {"phone": "+1"}, acting_user=personas.sam
    )
    with pytest.raises(ValidationError, match="Anna Alpha"):
        undo_import(record, acting_user=personas.fiona)


def test_undo_twice_is_refused(personas):
    """An undone import cannot be undone again."""
    record = apply_import(
        upload(personas.network, "people", csv_bytes([["Name"], ["Zoe"]])),
        acting_user=personas.fiona,
    )
    undo_import(record, acting_user=personas.fiona)
    with pytest.raises(ValidationError):
        undo_import(record, acting_user=personas.fiona)
