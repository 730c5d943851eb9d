import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from netweave.core.lib.text import clean_text, normalize_name


def test_normalize_name_ignores_case_spacing_and_form():
    """Spellings that differ only in case, spacing or Unicode form share one key."""
    decomposed = unicodedata.normalize("NFD", "Ассоциация «Обшорон» Й")
    assert normalize_name("  ассоциация   «обшорон» й ") == normalize_name(decomposed)
    assert normalize_name("Oxfam  GB") == normalize_name("oxfam gb")
    assert normalize_name("Oxfam GB") != normalize_name("Oxfam")


def test_clean_text_trims_and_composes():
    """clean_text trims, collapses spaces and composes characters (NFC)."""
    assert clean_text("  Вода\u00a0 и\tсанитария ") == "Вода и санитария"
    assert clean_text(unicodedata.normalize("NFD", "й")) == "й"


@given(st.text())
def test_normalize_name_is_idempotent(text):
    """Normalising a key again does not change it."""
    assert normalize_name(normalize_name(text)) == normalize_name(text)


@given(st.text())
def test_normalize_name_is_case_blind(text):
    """Upper- and lower-case spellings give the same key."""
    assert normalize_name(text.upper()) == normalize_name(normalize_name(text).upper())
