"""`netweave report --network SLUG --year YYYY --format html|pdf|xlsx [-o FILE]`."""

import io
import os

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from netweave.core.models import ExportLog
from netweave.networks.tests.factories import NetworkFactory
from netweave.reports import render, services
from netweave.reports.tests.test_render import sample_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(monkeypatch):
    """A network launched in 2009 whose report is the hand-built sample."""
    network = NetworkFactory(slug="water", name="Water network")
    calls = []

    def build_report(network, year, *, only=None):
        calls.append((network.slug, year, only))
        return sample_report(network, title=f"Annual report {year}")

    monkeypatch.setattr(services, "build_report", build_report)
    network.calls = calls
    return network


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("report", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_html_goes_to_standard_output_and_is_logged(network):
    """Without -o the HTML report is printed, and the download is in the audit log."""
    out, _err = run("--network", "water", "--year", "2015")
    assert out.startswith("<!doctype html>")
    assert "Annual report 2015" in out and 'id="records-membership-members_total"' in out
    assert network.calls == [("water", 2015, None)]
    log = ExportLog.objects.get()
    assert (log.network, log.kind, log.format, log.source) == (network, "report", "html", "cli")
    assert log.filters == {"year": "2015"}
    assert log.user is None


def test_pdf_is_written_to_the_named_file(network, tmp_path):
    """--format pdf -o FILE writes a PDF there and says so."""
    target = tmp_path / "report.pdf"
    out, err = run("--network", "water", "--year", "2015", "--format", "pdf", "-o", str(target))
    assert target.read_bytes().startswith(b"%PDF")
    assert out == "" and f"Wrote {target}" in err
    assert ExportLog.objects.get().format == "pdf"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_xlsx_format_comes_from_the_file_extension(network, tmp_path):
    """Without --format, an .xlsx file name asks for a workbook."""
    target = tmp_path / "report.xlsx"
    run("--network", "water", "--year", "2015", "-o", str(target))
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[:3] == ["Summary", "Membership", "Joint activities"]
    assert ExportLog.objects.get().format == "xlsx"


def test_binary_formats_without_o_get_a_derived_name(network, tmp_path, monkeypatch):
    """--format xlsx without -o writes SLUG-report-YEAR.xlsx in the current directory."""
    monkeypatch.chdir(tmp_path)
    run("--network", "water", "--year", "2015", "--format", "xlsx")
    assert (tmp_path / "water-report-2015.xlsx").exists()


def test_language_and_sections_are_passed_on(network):
    """--language renders in that language; --sections limits the sections built."""
    out, _err = run(
        "--network", "water", "--year", "2014", "--language", "ru", "--sections", "membership"
    )
    assert '<html lang="ru" dir="ltr">' in out
    assert network.calls == [("water", 2014, ["membership"])]
    assert ExportLog.objects.get().filters == {"year": "2014", "sections": "membership"}


def test_an_existing_file_is_replaced_whole(network, tmp_path):
    """Writing over an existing file replaces it and leaves no temporary file behind."""
    target = tmp_path / "report.html"
    target.write_text("old")
    run("--network", "water", "--year", "2015", "-o", str(target))
    assert target.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--network", "nope", "--year", "2015"], "No network with the slug 'nope'."),
        (["--network", "water", "--year", "abc"], "“abc” is not a year."),
        (
            ["--network", "water", "--year", "1980"],
            "There is no report for 1980: choose a year from 2009 to",
        ),
        (
            ["--network", "water", "--year", "2015", "--sections", "membership,budget"],
            "Unknown section budget. Choose from: membership,",
        ),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(network, args, message):
    """A bad slug, year or section stops the command with a message and logs nothing."""
    with pytest.raises(CommandError) as error:
        run(*args)
    assert message in str(error.value)
    assert not ExportLog.objects.exists()
    assert network.calls == []


def test_a_missing_directory_is_refused_before_any_work(network, tmp_path):
    """-o in a directory that does not exist is refused before the report is built."""
    target = tmp_path / "missing" / "report.pdf"
    with pytest.raises(CommandError, match="the directory .*missing does not exist"):
        run("--network", "water", "--year", "2015", "-o", str(target))
    assert network.calls == [] and not ExportLog.objects.exists()


def test_a_directory_is_not_a_file(network, tmp_path):
    """-o naming a directory is refused."""
    with pytest.raises(CommandError, match="it is a directory"):
        run("--network", "water", "--year", "2015", "--format", "pdf", "-o", str(tmp_path))


@pytest.mark.skipif(os.geteuid() == 0, reason="the superuser may write anywhere")
def test_an_unwritable_directory_is_refused(network, tmp_path):
    """-o in a read-only directory is refused with the reason."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(CommandError, match="is not writable"):
            run("--network", "water", "--year", "2015", "-o", str(folder / "r.html"))
    finally:
        folder.chmod(0o700)


def test_a_failed_write_leaves_no_file(network, tmp_path, monkeypatch):
    """When the file cannot be put in place, no partial or temporary file remains."""

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    target = tmp_path / "report.pdf"
    with pytest.raises(CommandError, match="Cannot write .*report.pdf: No space left on device"):
        run("--network", "water", "--year", "2015", "-o", str(target))
    assert list(tmp_path.iterdir()) == []
    assert not ExportLog.objects.exists()


def test_a_failed_render_leaves_no_file(network, tmp_path, monkeypatch):
    """An error while rendering leaves the target untouched and logs nothing."""

    def fail(report, fmt):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(render, "render", fail)
    target = tmp_path / "report.pdf"
    target.write_bytes(b"previous")
    with pytest.raises(RuntimeError):
        run("--network", "water", "--year", "2015", "-o", str(target))
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]
    assert not ExportLog.objects.exists()
