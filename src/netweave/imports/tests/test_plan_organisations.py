import pytest
from django.core.exceptions import ValidationError

from netweave.directory.models import Organisation
from netweave.imports.models import ImportStatus
from netweave.imports.services import plan_import
from netweave.imports.tests.helpers import csv_bytes, upload, xlsx_bytes

HEADER = ["Name", "Acronym", "Sector", "Country", "Website", "Joined"]


def plan_rows(network, rows, **options):
    record = upload(network, "organisations", csv_bytes([HEADER, *rows]), **options)
    plan = plan_import(record)
    plan.store.close = lambda: None  # keep the scratch store readable for the asserts
    return record, plan


def outcomes(record):
    return {entry["row"]: entry["outcome"] for entry in record.report}


def reasons(record, row):
    return " ".join(entry["reason"] for entry in record.report if entry["row"] == row)


def test_same_sector_in_three_spellings(personas):
    """ "NGO", "Civil society" and "нпо" all map to the civil-society sector."""
    record, plan = plan_rows(
        personas.network,
        [
            ["One", "", "NGO", "", "", ""],
            ["Two", "", "Civil society", "", "", ""],
            ["Three", "", "нпо", "", "", ""],
        ],
    )
    assert record.created_count == 3 and record.rejected_count == 0


def test_unknown_sector_is_rejected_with_suggestions(personas):
    """An unknown sector spelling rejects the row with the closest aliases, never "other"."""
    record, plan = plan_rows(personas.network, [["One", "", "Goverment", "", "", ""]])
    assert outcomes(record)[2] == "rejected"
    assert "government" in reasons(record, 2)


def test_sector_alias_added_in_options(personas):
    """An alias the record's options add makes an unknown spelling known."""
    record, plan = plan_rows(
        personas.network,
        [["One", "", "Thinktank", "", "", ""]],
        sector_aliases={"Thinktank": "academia"},
    )
    assert record.created_count == 1


def test_ambiguous_date_rejected_without_order(personas):
    """03/04/2015 with no order in the column or options is rejected, not guessed."""
    record, plan = plan_rows(personas.network, [["One", "", "ngo", "", "", "03/04/2015"]])
    assert "ambiguous date 03/04/2015: day-month or month-day? choose the date order" in reasons(
        record, 2
    )


def test_ambiguous_date_accepted_with_order(personas):
    """The same date is accepted once the date order is given."""
    record, plan = plan_rows(
        personas.network, [["One", "", "ngo", "", "", "03/04/2015"]], date_order="dmy"
    )
    assert record.rejected_count == 0
    assert plan.store.get(2)["joined"] == "2015-04-03"


def test_date_order_inferred_from_the_column(personas):
    """A column holding 21/07/2015 reads 03/04/2015 day-first too."""
    record, plan = plan_rows(
        personas.network,
        [["One", "", "ngo", "", "", "21/07/2015"], ["Two", "", "ngo", "", "", "03/04/2015"]],
    )
    assert record.rejected_count == 0
    assert plan.store.get(3)["joined"] == "2015-04-03"


def test_future_join_date_rejected(personas):
    """A join date in the future rejects the row."""
    import datetime as dt

    from django.utils import timezone

    soon = (timezone.localdate() + dt.timedelta(days=40)).isoformat()
    record, plan = plan_rows(personas.network, [["One", "", "ngo", "", "", soon]])
    assert "future" in reasons(record, 2)


def test_bare_domain_gets_https_and_a_note(personas):
    """A website without a scheme gets https:// and the report says so."""
    record, plan = plan_rows(personas.network, [["One", "", "ngo", "", "one.org", ""]])
    assert plan.store.get(2)["data"]["website"] == "https://one.org"
    assert "https://" in reasons(record, 2)


def test_bad_country_rejected(personas):
    """A country that is not an ISO two-letter code is rejected."""
    record, plan = plan_rows(personas.network, [["One", "", "ngo", "Tajikistan", "", ""]])
    assert outcomes(record)[2] == "rejected"


def test_duplicates_within_the_file_are_merged(personas):
    """Two spellings of one name (and a repeated acronym) merge into the first row."""
    record, plan = plan_rows(
        personas.network,
        [
            ["Gamma NGO", "GN", "ngo", "", "", ""],
            ["gamma  ngo", "", "", "TJ", "", ""],
            ["Gamma Network", "GN", "", "", "", ""],
        ],
    )
    assert outcomes(record) == {2: "new", 3: "merged", 4: "merged"}
    assert plan.store.get(2)["data"]["country"] == "TJ"  # filled from row 3
    assert record.created_count == 1 and record.merged_count == 2


def test_existing_organisation_is_updated_or_unchanged(personas):
    """A member of the network found by name is updated when values differ, else unchanged."""
    record, plan = plan_rows(
        personas.network,
        [
            ["ALPHA water institute", "", "government", "", "", ""],
            ["Beta Ministry", "BM", "government", "", "", ""],
        ],
    )
    assert outcomes(record) == {2: "update", 3: "unchanged"}
    assert "sector: academia → government" in reasons(record, 2)


def test_found_by_unique_acronym(personas):
    """A row whose acronym is unique in the network updates that organisation."""
    record, plan = plan_rows(personas.network, [["Alpha Inst.", "AWI", "", "", "", ""]])
    assert plan.store.get(2)["op"] == "update"
    assert plan.store.get(2)["pk"] == personas.org_a.pk


def test_other_network_same_name_and_country_joins(personas):
    """An organisation of another network with the same name and country becomes a member."""
    other = Organisation.objects.create(
        name="Omega Trust", slug="omega", sector=personas.org_a.sector, country="TJ"
    )
    record, plan = plan_rows(personas.network, [["Omega Trust", "", "ngo", "TJ", "", ""]])
    assert plan.store.get(2) == {
        "op": "join",
        "pk": other.pk,
        "data": plan.store.get(2)["data"],
        "joined": None,
    }


def test_other_network_same_name_other_country_is_not_linked(personas):
    """A same-named organisation in another country is not linked; a new one is planned."""
    Organisation.objects.create(
        name="Omega Trust", slug="omega", sector=personas.org_a.sector, country="KE"
    )
    record, plan = plan_rows(personas.network, [["Omega Trust", "", "ngo", "TJ", "", ""]])
    assert plan.store.get(2)["op"] == "create"


def test_missing_required_column_rejects_the_file(personas):
    """A file with no name column is refused as a whole, and the record is failed."""
    record = upload(personas.network, "organisations", csv_bytes([["Sector"], ["ngo"]]))
    with pytest.raises(ValidationError, match="no “name” column"):
        plan_import(record)
    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED


def test_unknown_columns_are_reported(personas):
    """Columns the import does not know are listed on the record."""
    record = upload(
        personas.network,
        "organisations",
        csv_bytes([["Name", "Sector", "Budget"], ["X", "ngo", "5"]]),
    )
    with plan_import(record):
        pass
    assert record.unknown_columns == ["Budget"]


def test_cp1251_semicolon_csv(personas):
    """A Windows-1251 file with semicolons is read (Cyrillic names and sectors)."""
    data = csv_bytes(
        [["Название", "Сектор"], ["Министерство энергетики", "госорган"]],
        delimiter=";",
        encoding="cp1251",
    )
    record = upload(personas.network, "organisations", data)
    with plan_import(record) as plan:
        assert plan.store.get(2)["data"]["name"] == "Министерство энергетики"
        assert plan.store.get(2)["data"]["sector"] == "government"


def test_utf16_tab_separated(personas):
    """A UTF-16 tab-separated file (Excel's "Unicode text") is read."""
    data = "Name\tSector\r\nÉcole Normale\tuniversity\r\n".encode("utf-16")
    record = upload(personas.network, "organisations", data, name="orgs.txt")
    with plan_import(record) as plan:
        assert plan.store.get(2)["data"]["sector"] == "academia"


def test_xlsx(personas):
    """An XLSX workbook is read, with real dates."""
    import datetime as dt

    data = xlsx_bytes([["Name", "Sector", "Joined"], ["Kappa", "media", dt.date(2016, 5, 4)]])
    record = upload(personas.network, "organisations", data, name="orgs.xlsx")
    with plan_import(record) as plan:
        assert plan.store.get(2)["joined"] == "2016-05-04"


def test_plan_writes_no_domain_rows(personas, django_assert_max_num_queries):
    """Planning a file writes no organisation."""
    before = Organisation.objects.count()
    plan_rows(personas.network, [["New One", "", "ngo", "", "", ""]])
    assert Organisation.objects.count() == before
