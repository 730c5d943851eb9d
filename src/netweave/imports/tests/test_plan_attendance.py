from netweave.directory.models import Organisation, Person
from netweave.imports.models import ImportStatus
from netweave.imports.services import apply_import, plan_import
from netweave.imports.tests.helpers import csv_bytes, upload
from netweave.meetings.models import Attendance, Meeting

SHEET = csv_bytes(
    [
        ["person", "organisation", "meeting", "date"],
        ["Anna Alpha", "AWI", "Kick-off", "2020-01-15"],
        ["New Person", "Newco", "", "2020-01-15"],
        ["Solo", "", "Kick-off", "2020-01-15"],
        ["Anna Alpha", "AWI", "Kick-off", "2020-01-15"],
    ]
)


def test_attendance_creates_meetings_people_and_attendance(personas):
    """Missing meetings, people and organisations are created, each reported."""
    record = apply_import(upload(personas.network, "attendance", SHEET), acting_user=personas.fiona)
    assert record.status == ImportStatus.APPLIED
    titles = set(Meeting.objects.filter(network=personas.network).values_list("title", flat=True))
    assert titles == {"Kick-off", "Meeting of 2020-01-15"}
    newco = Organisation.objects.get(name="Newco")
    assert newco.sector.slug == "other"
    assert Person.objects.get(name="Solo").organisation is None
    assert Attendance.objects.filter(source="import").count() == 3
    assert record.merged_count == 1  # row 5 repeats row 2
    assert any("please set its sector" in entry["reason"] for entry in record.report)
    meeting = Meeting.objects.get(title="Kick-off")
    assert (meeting.start.hour, meeting.end.hour, meeting.time_zone) == (9, 12, "UTC")


def test_attendance_rerun_is_idempotent(personas):
    """Importing the same sheet again reports duplicates and doubles nothing."""
    apply_import(upload(personas.network, "attendance", SHEET), acting_user=personas.fiona)
    counts = (Meeting.objects.count(), Person.objects.count(), Attendance.objects.count())
    again = apply_import(upload(personas.network, "attendance", SHEET), acting_user=personas.fiona)
    assert (Meeting.objects.count(), Person.objects.count(), Attendance.objects.count()) == counts
    assert again.unchanged_count == 4 and again.created_count == 0
    assert all("duplicate" in entry["reason"] for entry in again.report)


def test_attendance_time_zone_option(personas):
    """A time zone in the options places the 09:00 start in that zone."""
    record = upload(personas.network, "attendance", SHEET, time_zone="Asia/Dushanbe")
    apply_import(record, acting_user=personas.fiona)
    meeting = Meeting.objects.get(title="Kick-off")
    assert meeting.time_zone == "Asia/Dushanbe"
    assert meeting.start.isoformat() == "2020-01-15T04:00:00+00:00"


def test_attendance_without_date_is_rejected(personas):
    """A row without a date is rejected; a plan writes no meeting."""
    data = csv_bytes([["person", "date"], ["Anna Alpha", ""], ["Boris Beta", "2020-02-02"]])
    record = upload(personas.network, "attendance", data)
    with plan_import(record):
        pass
    assert record.rejected_count == 1
    assert not Meeting.objects.exists()
