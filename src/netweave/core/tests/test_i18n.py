from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("domain", ["django"])
def test_russian_catalogue_is_complete(domain):
    """Every message has a Russian translation, none fuzzy, and the .mo matches the .po."""
    po = polib.pofile(str(LOCALE / "ru" / "LC_MESSAGES" / f"{domain}.po"))
    missing = [entry.msgid for entry in po if not entry.translated() and not entry.obsolete]
    assert missing == [], f"{len(missing)} untranslated, e.g. {missing[:5]}"
    mo = polib.mofile(str(LOCALE / "ru" / "LC_MESSAGES" / f"{domain}.mo"))
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo
    }
    for entry in po.translated_entries():
        key = (entry.msgctxt, entry.msgid)
        assert key in compiled, f"run `make messages`: {entry.msgid!r} is not compiled"
        assert compiled[key] == (entry.msgstr, tuple(sorted(entry.msgstr_plural.items()))), (
            entry.msgid
        )


@pytest.mark.django_db
def test_pages_speak_russian(client):
    """With Russian chosen, the home page is in Russian."""
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="ru"' in response.text
    assert "Сети" in response.text


@pytest.mark.django_db
def test_arabic_pages_are_right_to_left(client):
    """With Arabic chosen, the document direction is right to left."""
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ar")
    assert 'dir="rtl"' in response.text
    assert 'lang="ar"' in response.text
