"""A facilitator brings an old spreadsheet in: upload → preview → confirm → undo."""

import pytest
from playwright.sync_api import expect

from netweave.directory.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)

CSV = (
    "Organisation;Sector;Country;E-mail\r\n"
    "Ассоциация «Гамма»;НПО;TJ;gamma@example.tj\r\n"
    "Delta Media;press;TJ;news@delta.example.tj\r\n"
).encode("cp1251")


def test_facilitator_uploads_previews_and_confirms(personas, page, sign_in, tmp_path):
    """The preview lists every row; nothing is written until the import is confirmed."""
    sheet = tmp_path / "members.csv"
    sheet.write_bytes(CSV)
    sign_in("fiona")
    page.goto("/networks/testnet/imports/")
    page.get_by_label("What the file holds").select_option("organisations")
    page.locator("#id_file").set_input_files(str(sheet))
    page.get_by_role("button", name="Upload and check").click()

    expect(page.locator("#import-state")).to_contain_text("Checked, waiting for confirmation")
    report = page.locator("table.import-report")
    expect(report).to_contain_text("Ассоциация «Гамма»")
    expect(report).to_contain_text("Delta Media")
    assert not Organisation.objects.filter(name="Delta Media").exists()

    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#import-state")).to_contain_text("Imported")
    assert Organisation.objects.get(name="Ассоциация «Гамма»").sector.slug == "civil-society"

    page.get_by_role("button", name="Undo this import").click()
    expect(page.locator("#import-state")).to_contain_text("Undone")
    assert not Organisation.objects.filter(name="Delta Media").exists()
