import pytest
from django.core.exceptions import ValidationError

from netweave.directory.models import Organisation, Person, PersonInterest
from netweave.directory.tests.factories import TopicFactory
from netweave.imports import services
from netweave.imports.models import ImportStatus
from netweave.imports.services import apply_import
from netweave.imports.tests.helpers import csv_bytes, upload
from netweave.networks.models import Membership


def test_apply_refuses_rejected_rows_and_writes_nothing(personas):
    """With a rejected row and no skip_invalid nothing is written and the record stays planned."""
    data = csv_bytes([["Name", "Organisation"], ["Zoe", "AWI"], ["Yan", "Nowhere Org"]])
    record = upload(personas.network, "people", data)
    with pytest.raises(ValidationError, match="1 row was rejected"):
        apply_import(record, acting_user=personas.fiona)
    record.refresh_from_db()
    assert record.status == ImportStatus.PLANNED
    assert not Person.objects.filter(name="Zoe").exists()


def test_skip_invalid_imports_the_rest(personas):
    """With skip_invalid the valid rows are written and the rejected ones left out."""
    data = csv_bytes([["Name", "Organisation"], ["Zoe", "AWI"], ["Yan", "Nowhere Org"]])
    record = apply_import(
        upload(personas.network, "people", data), acting_user=personas.fiona, skip_invalid=True
    )
    assert Person.objects.get(name="Zoe").organisation == personas.org_a
    assert not Person.objects.filter(name="Yan").exists()
    assert record.created_objects["directory.person"]


def test_people_bulk_write_keeps_history_and_normalises(personas):
    """Bulk-created people get history rows, name keys, lower-case e-mail and consent dates."""
    topic = TopicFactory(name="Sanitation", slug="sanitation")
    data = csv_bytes(
        [
            ["Name", "Email", "Consent listed", "Topics"],
            ["Zoe  Zed", "Zoe@X.ORG", "yes", "sanitation"],
        ]
    )
    apply_import(upload(personas.network, "people", data), acting_user=personas.fiona)
    person = Person.objects.get(name="Zoe Zed")
    assert person.name_key == "zoe zed" and person.email == "zoe@x.org"
    assert person.consent_date is not None
    assert person.history.get().history_user == personas.fiona
    assert PersonInterest.objects.filter(person=person, topic=topic).exists()


def test_people_update_records_previous_values(personas):
    """An updated person keeps the previous values on the record for undo."""
    data = csv_bytes([["Name", "Organisation", "Position"], ["Anna Alpha", "AWI", "Director"]])
    record = apply_import(upload(personas.network, "people", data), acting_user=personas.fiona)
    personas.person_a.refresh_from_db()
    assert personas.person_a.position == "Director"
    assert record.previous_values == [
        {
            "model": "directory.person",
            "pk": personas.person_a.pk,
            "fields": {"position": "Programme officer"},
        }
    ]


def test_formula_text_is_stored_verbatim(personas):
    """A name starting with = is stored as typed, never evaluated."""
    name = '=HYPERLINK("http://evil.example","click")'
    data = csv_bytes([["Name", "Sector"], ['"' + name.replace('"', '""') + '"', "ngo"]])
    apply_import(upload(personas.network, "organisations", data), acting_user=personas.fiona)
    assert Organisation.objects.filter(name=name).exists()


def test_organisations_apply_creates_members_and_updates(personas):
    """New organisations become members with their join date; existing ones are updated."""
    data = csv_bytes(
        [
            ["Name", "Sector", "Joined"],
            ["Gamma", "ngo", "2015-03-01"],
            ["Alpha Water Institute", "government", ""],
        ]
    )
    record = apply_import(
        upload(personas.network, "organisations", data), acting_user=personas.fiona
    )
    gamma = Organisation.objects.get(name="Gamma")
    assert (
        Membership.objects.get(organisation=gamma, network=personas.network).joined.isoformat()
        == "2015-03-01"
    )
    personas.org_a.refresh_from_db()
    assert personas.org_a.sector.slug == "government"
    assert record.created_count == 1 and record.updated_count == 1


def test_crash_in_the_middle_writes_nothing(personas, monkeypatch):
    """A failure while writing rolls everything back and marks the record failed."""
    rows = [["Name", "Sector"]] + [[f"Org {n}", "ngo"] for n in range(5)]
    record = upload(personas.network, "organisations", csv_bytes(rows))
    real = services.create_organisation
    calls = []

    def crashing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk on fire")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "create_organisation", crashing)
    with pytest.raises(RuntimeError):
        apply_import(record, acting_user=personas.fiona)
    assert not Organisation.objects.filter(name__startswith="Org ").exists()
    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED and "disk on fire" in record.error


def test_applied_import_cannot_be_applied_twice(personas):
    """Applying an applied import is refused."""
    record = apply_import(
        upload(personas.network, "people", csv_bytes([["Name"], ["Zoe"]])),
        acting_user=personas.fiona,
    )
    with pytest.raises(ValidationError):
        apply_import(record, acting_user=personas.fiona)


def test_progress_is_reported(personas):
    """The progress callback sees planning and writing, ending at the total."""
    seen = []
    rows = [["Name"]] + [[f"P{n}"] for n in range(1200)]
    apply_import(
        upload(personas.network, "people", csv_bytes(rows)),
        acting_user=personas.fiona,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[-1] == (2400, 2400)
    assert (500, 2400) in seen


def test_apply_queries_do_not_grow_with_rows(personas, django_assert_max_num_queries):
    """Applying 1,000 new people costs a few insert chunks more than 20, not a query per row."""
    counts = []
    for size, prefix in ((20, "a"), (1000, "b")):
        rows = [["Name", "Organisation"]] + [[f"{prefix}{n}", "AWI"] for n in range(size)]
        record = upload(personas.network, "people", csv_bytes(rows))
        # plan: ~10; write: people insert, history insert, progress, record save, savepoints
        with django_assert_max_num_queries(60) as captured:
            apply_import(record, acting_user=personas.fiona)
        counts.append(len(captured.captured_queries))
    # SQLite takes at most 999 variables a statement, so Django splits the people and
    # their history rows into chunks of ~60: about 2 x 17 more inserts, 2 more progress updates.
    assert counts[1] - counts[0] <= 40
