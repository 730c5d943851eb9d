from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from netweave.directory.models import Organisation, Person
from netweave.imports.models import ImportRecord
from netweave.imports.tests.helpers import csv_bytes


def run(*args):
    out = StringIO()
    call_command("import", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def people_file(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(
        csv_bytes([["Name", "Organisation"], ["Zoe", "AWI"], ["Yan", "Alpha Watr Institute"]])
    )
    return path


def test_rejected_row_exits_1_and_writes_nothing(personas, people_file):
    """A rejected row prints its row, column and reason, exits 1 and changes nothing."""
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "import",
            "people",
            str(people_file),
            "--network",
            "testnet",
            stdout=out,
            stderr=StringIO(),
        )
    assert raised.value.returncode == 1
    assert "row 3: rejected [organisation] Yan:" in out.getvalue()
    assert "created 1, updated 0, merged 0, unchanged 0, rejected 1" in out.getvalue()
    assert not Person.objects.filter(name="Zoe").exists()
    assert not ImportRecord.objects.exists()


def test_skip_invalid_exits_0(personas, people_file):
    """With --skip-invalid the valid rows are imported and the command succeeds."""
    output = run("people", str(people_file), "--network", "testnet", "--skip-invalid")
    assert Person.objects.filter(name="Zoe").exists()
    record = ImportRecord.objects.get()
    assert f"netweave import-undo {record.uid}" in output


def test_dry_run_writes_nothing(personas, tmp_path):
    """--dry-run reports but keeps neither rows nor the import record."""
    path = tmp_path / "orgs.csv"
    path.write_bytes(csv_bytes([["Name", "Sector"], ["Gamma", "ngo"]]))
    output = run("organisations", str(path), "--network", "testnet", "--dry-run")
    assert "created 1" in output and "Dry run" in output
    assert not Organisation.objects.filter(name="Gamma").exists()
    assert not ImportRecord.objects.exists()


def test_ambiguous_date_then_date_order(personas, tmp_path):
    """An ambiguous join date fails, and passes with --date-order dmy."""
    path = tmp_path / "orgs.csv"
    path.write_bytes(csv_bytes([["Name", "Sector", "Joined"], ["Gamma", "ngo", "03/04/2015"]]))
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import",
            "organisations",
            str(path),
            "--network",
            "testnet",
            stdout=out,
            stderr=StringIO(),
        )
    assert "ambiguous date 03/04/2015" in out.getvalue()
    run("organisations", str(path), "--network", "testnet", "--date-order", "dmy")
    gamma = Organisation.objects.get(name="Gamma")
    assert gamma.memberships.get().joined.isoformat() == "2015-04-03"


def test_cp1251_with_encoding_and_delimiter_options(personas, tmp_path):
    """--encoding and --delimiter force how a CSV is read."""
    path = tmp_path / "orgs.csv"
    path.write_bytes(
        csv_bytes([["Название", "Сектор"], ["Союз", "нпо"]], delimiter=";", encoding="cp1251")
    )
    run(
        "organisations",
        str(path),
        "--network",
        "testnet",
        "--encoding",
        "cp1251",
        "--delimiter",
        ";",
    )
    assert Organisation.objects.filter(name="Союз").exists()


def test_too_large_file_is_a_command_error(personas, tmp_path):
    """A file over 20 MB gives the library's message."""
    path = tmp_path / "big.csv"
    path.write_bytes(b"Name\n" + b"x" * (21 * 1024 * 1024))
    with pytest.raises(CommandError, match="the limit is 20 MB"):
        run("organisations", str(path), "--network", "testnet")


def test_unknown_network(personas, people_file):
    """An unknown network slug is a clear error."""
    with pytest.raises(CommandError, match="no network"):
        run("people", str(people_file), "--network", "nowhere")


def test_import_undo_command(personas, tmp_path):
    """import-undo removes what an import created."""
    path = tmp_path / "orgs.csv"
    path.write_bytes(csv_bytes([["Name", "Sector"], ["Gamma", "ngo"]]))
    run("organisations", str(path), "--network", "testnet")
    record = ImportRecord.objects.get()
    out = StringIO()
    call_command("import_undo", str(record.uid), stdout=out)
    assert not Organisation.objects.filter(name="Gamma").exists()
    with pytest.raises(CommandError):
        call_command("import_undo", str(record.uid), stdout=StringIO())
